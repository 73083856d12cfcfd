"""hw2 declared as data: classification with a ReLU network, trained with minibatch SGD.

Points add up to 100, spread by difficulty: the network's gradients and the stable losses
weigh most, one-line functions least. Checks that compare with the reference say so
(`MatchesReference`, derived from the declared inputs by `checks_for`); all others run in
the student release too. Keeping the input's dtype is its own small check, so a right
formula that upcasts float32 loses only those points. The known mistakes behind the hints
live beside the reference, in solutions/hw2/mistakes.py. The inputs are in inputs.py, the
hand-written checks in checks.py, hw2's own tolerances in bounds.py.
"""

from __future__ import annotations

from grader import settings
from grader.derived import GeneratorState, Judge, checks_for
from grader.checks import LeavesInputsUnchanged, MatchesReference, Property
from grader.exercise import Exercise, Homework
from grader.gradient import Gradient
from grader.homeworks.hw2 import bounds, checks as c, inputs as i

PROBES = i.probes()
GRADCHECK = f"gradient check on {settings.GRADCHECK_PROBLEMS} random problems"
ANY_SHAPE = "matches the reference (any shape, float32 and float64)"


def one_permutation(args: dict) -> None:
    """What minibatches and train_epoch draw: exactly one rng.permutation(n)."""
    args["rng"].permutation(args["n"] if "n" in args else len(args["X"]))


HOMEWORK = Homework(
    name="hw2",
    title="Classification with a ReLU network",
    exercises=(
        Exercise("relu", probes=PROBES["relu"], checks=(
            MatchesReference(i.ANY_SHAPE, 2, ANY_SHAPE),
            Judge(i.MATRICES, 1, c.relu_keeps_positives, "z where z > 0, 0 elsewhere"),
            *checks_for(i.MATRICES, keeps_dtype=1, pure=1),
        )),
        Exercise("relu_grad", uses=("relu",), probes=PROBES["relu_grad"], checks=(
            MatchesReference(i.ANY_SHAPE, 2, f"{ANY_SHAPE}, exact zeros included"),
            Property("relu_grad(0) = 0 (the contract's convention at the kink)", 1, c.relu_grad_at_zero),
            Judge(i.MATRICES, 1, c.relu_grad_is_float, "returns floats, not booleans"),
            Gradient(of="relu", wrt="z", given=i.RELU_PROBLEMS, points=1, elementwise=True,
                     description=f"{GRADCHECK} against relu, away from the kink"),
            *checks_for(i.MATRICES, keeps_dtype=1, pure=1),
        )),
        Exercise("hard_sigmoid", uses=("relu",), probes=PROBES["hard_sigmoid"], checks=(
            MatchesReference(i.ARRAYS, 1, "matches the reference (1-d to 3-d, float32 and float64)"),
            Judge(i.MATRICES, 1, c.hard_sigmoid_rule, "0 for z <= -1, (z + 1) / 2 in between, 1 for z >= 1"),
            *checks_for(i.MATRICES, keeps_dtype=1, pure=1),
        )),
        Exercise("softmax", probes=PROBES["softmax"], checks=(
            *checks_for(i.LOGITS, matches=4, description="matches the reference (float32 and float64)"),
            Judge(i.LOGITS, 1, c.rows_are_distributions, "each row is a probability distribution"),
            Property("right for extreme logits (|logits| up to 1e4): no overflow warning, no nan or inf", 3,
                     c.softmax_is_stable),
            *checks_for(i.LOGITS, keeps_dtype=1, pure=1),
        )),
        Exercise("cross_entropy", probes=PROBES["cross_entropy"], checks=(
            *checks_for(i.LABELLED, matches=4, tolerances=bounds.LOSS_TOLERANCES,
                        description="matches the reference (a float; float32 and float64 logits)"),
            Property("right for extreme logits (|logits| up to 1e4): finite, no warning", 3, c.cross_entropy_is_stable),
            Property("log C for equal logits; unchanged by adding a constant to a row", 1, c.cross_entropy_rules),
            *checks_for(i.LABELLED, pure=1),
        )),
        Exercise("cross_entropy_grad", uses=("softmax", "cross_entropy"),
                 probes=PROBES["cross_entropy_grad"], checks=(
            *checks_for(i.LABELLED, matches=3, description="matches the reference (float32 and float64)"),
            Gradient(of="cross_entropy", wrt="logits", given=i.LABELLED_PROBLEMS, points=2),
            Property("right for extreme logits (|logits| up to 1e4): no warning, no nan or inf", 1,
                     c.cross_entropy_grad_is_stable),
            *checks_for(i.LABELLED, keeps_dtype=1, pure=1),
        )),
        Exercise("binary_cross_entropy", probes=PROBES["binary_cross_entropy"], checks=(
            *checks_for(i.BINARY, matches=3, tolerances=bounds.LOSS_TOLERANCES,
                        description="matches the reference (integer labels)"),
            *checks_for(i.BINARY_FLOAT, matches=1, tolerances=bounds.LOSS_TOLERANCES,
                        description="matches the reference (float labels)"),
            Property("right for extreme logits (|z| up to 1e4): finite, no warning", 3,
                     c.binary_cross_entropy_is_stable),
            *checks_for(i.BINARY, pure=1),
        )),
        Exercise("mlp_forward", uses=("relu",), probes=PROBES["mlp_forward"], checks=(
            *checks_for(i.NETWORK, matches=4, description="matches the reference (N, D, H, C all different)"),
            Property("with W1 = 0, every row of logits is relu(b1) W2 + b2", 1, c.forward_of_special_weights),
            *checks_for(i.NETWORK, pure=1),
        )),
        Exercise("mlp_loss_and_grads", probes=PROBES["mlp_loss_and_grads"],
                 uses=("relu", "relu_grad", "softmax", "cross_entropy", "cross_entropy_grad"), checks=(
            MatchesReference(i.LABELLED_NETWORK.strategy, 3, "loss matches the reference", part=0),
            MatchesReference(i.LABELLED_NETWORK.strategy, 6,
                             "gradients match the reference (exact zeros in the pre-activations included)", part=1),
            Gradient(of=None, wrt="params", given=i.LABELLED_NETWORK, value=0, grads=1, points=5,
                     valid=i.away_from_the_kink,
                     description=f"{GRADCHECK}: every entry of every parameter, away from relu's kink"),
            Property("relu'(0) = 0 inside the network: a unit that is exactly 0 passes no gradient", 1,
                     c.relu_grad_is_zero_at_zero_in_the_network),
            LeavesInputsUnchanged(i.LABELLED_NETWORK.strategy, 1),
        )),
        Exercise("minibatches", probes=PROBES["minibatches"], checks=(
            *checks_for(i.BATCHES, matches=3, description="the same batches as the reference for the same generator"),
            GeneratorState(i.BATCHES, 1, "draws exactly one rng.permutation(n)",
                           says="draw exactly one rng.permutation(n), nothing else", draws=one_permutation),
            Judge(i.BATCHES, 2, c.batches_partition, "the batches partition range(n), in chunks of batch_size"),
            Property("the same seed gives the same batches (from rng, not np.random)", 1,
                     c.minibatches_come_from_the_generator),
            Property("raises ValueError unless n >= 1 and batch_size >= 1", 1, c.minibatches_raise_for_bad_sizes),
            GeneratorState(i.BAD_BATCHES, 1, "draws nothing before raising the ValueError",
                           says="raise the ValueError before drawing anything", draws=lambda args: None,
                           valid=i.VALID_BATCHES),
        )),
        Exercise("sgd_step", probes=PROBES["sgd_step"], checks=(
            *checks_for(i.SGD, matches=1, description="matches the reference (a network's parameters)"),
            *checks_for(i.SGD_OTHER_KEYS, matches=1, description="matches the reference (any keys, a 0-d array)"),
            Judge(i.SGD_OTHER_KEYS, 1, c.sgd_rule, "params[k] - lr * grads[k] for every key"),
            *checks_for(i.SGD, keeps_dtype=1, pure=1),
        )),
        Exercise("train_epoch", uses=("minibatches", "mlp_loss_and_grads", "sgd_step"), checks=(
            *checks_for(i.TRAINING, matches=4,
                        description="new params and losses match the reference for the same generator"),
            GeneratorState(i.TRAINING, 1, "draws exactly one rng.permutation(N)",
                           says="draw exactly one rng.permutation(len(X)) (through minibatches), nothing else",
                           draws=one_permutation),
            Judge(i.TRAINING, 1, c.losses_are_float64, "losses: a float64 array, one entry per minibatch"),
            Property("lowers the loss on three blobs over five epochs; leaves params untouched", 2,
                     c.train_epoch_learns),
            *checks_for(i.TRAINING, pure=1),
        )),
        Exercise("accuracy", probes=PROBES["accuracy"], checks=(
            *checks_for(i.ACCURACY, matches=3, description="matches the reference (ties included)"),
            Property("1 where every label is the argmax, 0 where none is, the first index on ties", 1,
                     c.accuracy_of_known_predictions),
        )),
    ),
)
