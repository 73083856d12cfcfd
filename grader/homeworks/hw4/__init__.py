"""hw4 declared as data: normalization and regularization (batch normalization, the original
dropout with weight scaling, maxout, weight decay, early stopping).

Points add up to 100, spread by difficulty: the backward passes (batch normalization's through
its statistics, maxout's through the maximum) and early stopping's edge cases weigh most,
dropout's backward, a product with the mask, least. Checks that compare with the reference say
so (`MatchesReference`, derived from the declared inputs by `checks_for`); all others run in
the student release too, so every function is judged there. dropout_forward_scaled is random:
it has no reference comparison at all, and is judged by statistics with fixed seeds and bounds a
right implementation cannot miss (bounds.py), by what it does with its mask, by its generator
and by its dtype, its own small check. The known mistakes behind the hints live beside the
reference, in solutions/hw4/mistakes.py. The inputs are in inputs.py, the hand-written checks in
checks.py, hw4's own tolerances and bounds in bounds.py.
"""

from __future__ import annotations

from grader import settings
from grader.checks import LeavesInputsUnchanged, MatchesReference, Property
from grader.derived import Judge, checks_for
from grader.exercise import Exercise, Homework
from grader.gradient import Gradient
from grader.homeworks.hw4 import bounds, checks as c, inputs as i

PROBES = i.probes()
GRADCHECK = f"gradient check on {settings.GRADCHECK_PROBLEMS} random problems"


HOMEWORK = Homework(
    name="hw4",
    title="Normalization and regularization: batch normalization, dropout, maxout, weight decay, early stopping",
    exercises=(
        Exercise("batchnorm_forward", probes=PROBES["batchnorm_forward"], checks=(
            *checks_for(i.BN_TRAIN, matches=5, description="training: out and the running statistics match the "
                                                           "reference (N >= 4, momentum not 0.5, eps given or not)"),
            *checks_for(i.BN_EVAL, matches=3, description="train=False: out matches the reference, the running "
                                                          "statistics come back unchanged"),
            Judge(i.BN_TRAIN, 2, c.batchnorm_train_rule, "training: batch statistics (biased var), running averages "
                                                         "keep momentum of the old ones"),
            Judge(i.BN_EVAL, 2, c.batchnorm_eval_rule, "train=False: normalized by the running statistics"),
            LeavesInputsUnchanged(i.BN_TRAIN.strategy, 1, description="does not modify its inputs (training: the "
                                                                       "running statistics are returned, not updated)"),
            LeavesInputsUnchanged(i.BN_EVAL.strategy, 1, description="does not modify its inputs (train=False)"),
        )),
        Exercise("batchnorm_backward", uses=("batchnorm_forward",), probes=PROBES["batchnorm_backward"], checks=(
            *checks_for(i.BN_BACKWARD, matches=8, description="dx, dgamma and dbeta match the reference (N >= 4, "
                                                              "constant columns included)",
                        tolerances=bounds.BN_BACKWARD_TOLERANCES),
            Gradient(of="batchnorm_forward", wrt=("x", "gamma", "beta"), given=i.BN_PROBLEMS, output=0, dout="dout",
                     points=6, description=f"{GRADCHECK} against the training-mode batchnorm_forward (the batch "
                                           "statistics move with x)"),
            Judge(i.BN_BACKWARD, 2, c.batchnorm_backward_rule, "the chain rule through mu and var, stage by stage"),
            *checks_for(i.BN_BACKWARD, pure=2),
        )),
        Exercise("dropout_forward_scaled", probes=PROBES["dropout_forward_scaled"], checks=(
            Property("raises ValueError unless 0 <= p < 1, in training and at test time (nan included)", 2,
                     c.dropout_rejects_bad_p),
            Property("train=False returns (x * (1 - p), None)", 2, c.dropout_test_scales),
            Property("training: out = x where the mask keeps, 0 elsewhere (no 1 / (1 - p))", 3,
                     c.dropout_output_matches_mask),
            Property(f"keeps each element independently with probability 1 - p, and E[training output] = test "
                     f"output (fixed seeds, {bounds.DROPOUT_SIGMAS:g} sigma)", 2, c.dropout_statistics, uses_reference=True),
            Property("the mask comes from the given generator: it advances, the same seed gives the same mask", 1,
                     c.dropout_uses_given_rng, fresh_process=True),
            Property("keeps the input's dtype (float32 and float64, both modes)", 1, c.dropout_keeps_dtype),
            LeavesInputsUnchanged(i.DROPOUT_FORWARD.strategy, 1, deterministic=False),
        )),
        Exercise("dropout_backward_scaled", uses=("dropout_forward_scaled",),
                 probes=PROBES["dropout_backward_scaled"], checks=(
            *checks_for(i.DROPOUT_BACKWARD, matches=1),
            Gradient(of="dropout_forward_scaled", wrt="x", given=i.DROPOUT_PROBLEMS, output=0, dout="dout",
                     outputs={"mask": 1}, points=1, elementwise=True,
                     description=f"{GRADCHECK} against dropout_forward_scaled, re-seeded"),
            Judge(i.DROPOUT_BACKWARD, 1, c.dropout_backward_rule, "dout where the mask keeps, 0 elsewhere"),
            *checks_for(i.DROPOUT_BACKWARD, keeps_dtype=1, pure=1),
        )),
        Exercise("maxout_forward", probes=PROBES["maxout_forward"], checks=(
            *checks_for(i.MAXOUT, matches=5, description="matches the reference (N, D, H, k all different; ties "
                                                         "among small integers)"),
            Judge(i.MAXOUT, 3, c.maxout_rule, "the maximum over the k pieces x W[:, h, j] + b[h, j] of each unit"),
            *checks_for(i.MAXOUT, pure=2),
        )),
        Exercise("maxout_backward", uses=("maxout_forward",), probes=PROBES["maxout_backward"], checks=(
            *checks_for(i.MAXOUT_BACKWARD, matches=6, description="dx, dW and db match the reference (ties among "
                                                                  "small integers: the first piece)"),
            Gradient(of="maxout_forward", wrt=("x", "W", "b"), given=i.MAXOUT, dout="dout", points=5,
                     valid=i.pieces_apart,
                     description=f"{GRADCHECK} against maxout_forward, pieces apart by far more than the step"),
            Property("ties: the gradient goes to the first maximal piece only, as np.argmax", 2, c.maxout_ties),
            *checks_for(i.MAXOUT_BACKWARD, pure=2),
        )),
        Exercise("l2_penalty", probes=PROBES["l2_penalty"], checks=(
            *checks_for(i.L2, matches=3, description="penalty and grads match the reference (a network's "
                                                     "parameters, lam = 0 included)"),
            *checks_for(i.L2_OTHER_KEYS, matches=2, description="penalty and grads match the reference (keys "
                                                                "'W', 'Wout' and 'weights', 'bW', 'gamma', 'beta')"),
            Gradient(of=None, wrt="params", given=i.L2, value=0, grads=1, points=2,
                     description=f"{GRADCHECK}: the grads are the derivative of the penalty returned"),
            Property("(lam / 2) sum W^2 over the keys that start with 'W'; lam W there, zeros elsewhere (keys "
                     "named at random)", 2, c.l2_key_names, uses_reference=True),
            LeavesInputsUnchanged(i.L2.strategy, 1, description="does not modify its inputs (the params dict "
                                                                "and its arrays)"),
        )),
        Exercise("early_stopping", probes=PROBES["early_stopping"], checks=(
            MatchesReference(i.EARLY, 7, "matches the reference (lists and arrays; ties among integer losses; "
                                         "patience longer than the run)"),
            Property("known answers: ties, never stopping, patience longer than the run, a list and an array", 4,
                     c.early_stopping_cases),
            Property("raises ValueError (not TypeError) for patience 0, -1, 2.5 or True, and for no losses", 3,
                     c.early_stopping_rejects),
            Judge(i.EARLY_ARRAYS, 1, c.early_stopping_form, "two ints, 0 <= best_epoch <= stop_epoch < len"),
            LeavesInputsUnchanged(i.EARLY, 1, description="does not modify its inputs (a list or an array)"),
        )),
    ),
)
