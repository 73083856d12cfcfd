"""hw1 declared as data: each function and its checks with their points.

Points add up to 100. Checks that compare with the reference solution say so
(`MatchesReference`, or `needs_reference=True`); all others run in a student
release that ships without the reference. The known mistakes behind the hints
live beside the reference, in solutions/hw1/mistakes.py: models of wrong code are
nearly solutions, so they never ship to students either. Hints written here must
not give code away. The hand-written checks are in checks.py, the inputs in
inputs.py, hw1's own bounds in bounds.py.
"""

from __future__ import annotations

from grader import settings, strategies as s
from grader.checks import LeavesInputsUnchanged, MatchesReference, Property
from grader.exercise import Exercise, Homework
from grader.gradient import Gradient
from grader.homeworks.hw1 import bounds, checks as c, inputs
from grader.signature import Array, Generator, Inputs, Scalar

# Inputs, one strategy object per kind of input: checks that share one share its
# examples, which are drawn once for the whole homework.
ARRAYS = s.elementwise()
PAIRS = s.prediction_pairs()
NETWORKS = inputs.network()
NETWORKS_WITH_TARGETS = inputs.network(with_targets=True)
ADAGRAD = inputs.adagrad_inputs()
DROPOUT_FORWARD = inputs.dropout_forward_inputs()
DROPOUT_BACKWARD = inputs.dropout_backward_inputs()

PROBES = inputs.probes()

# The functions differentiated by the gradient checks, with the problems they are checked on.
SIGMOID_PROBLEMS = Inputs("(N,C)", Array("z"), dtype="float64", constraints=("N > 1", "C > 1"))
MSE_PROBLEMS = Inputs("(N,C),(N,C)", Array("y_pred"), Array("y_true"), dtype="float64",
                      constraints=("N > 1", "C > 1"))
DROPOUT_PROBLEMS = Inputs("(N,D)", Array("x"), Scalar("p", (0.2, 0.5, 0.7)), Generator("rng"), dtype="float64",
                          constraints=("N > 1", "D > 1"))

GRADCHECK = f"gradient check on {settings.GRADCHECK_PROBLEMS} random problems"


HOMEWORK = Homework(
    name="hw1",
    title="Regression with a two-layer network",
    diagnosed=tuple(id for id, _, _ in c.SHIFT_MISTAKES),
    exercises=(
        Exercise("sigmoid", probes=PROBES["sigmoid"], checks=(
            MatchesReference(ARRAYS, 6, "matches the reference (any shape, float32 and float64)",
                             keeps_dtype=True, tolerances=bounds.SIGMOID_TOLERANCES),
            Property("right for extreme inputs (|z| up to 1e4): no overflow warning, no nan or inf", 3,
                     c.sigmoid_is_stable, uses_reference=True),
            LeavesInputsUnchanged(ARRAYS, 1),
        )),
        Exercise("sigmoid_grad", uses=("sigmoid",), probes=PROBES["sigmoid_grad"], checks=(
            MatchesReference(ARRAYS, 3),
            Property("right for extreme inputs (|z| up to 1e4): no nan", 1, c.sigmoid_grad_at_extremes, uses_reference=True),
            Gradient(of="sigmoid", wrt="z", given=SIGMOID_PROBLEMS, points=3, elementwise=True),
            LeavesInputsUnchanged(ARRAYS, 1),
        )),
        Exercise("mse", probes=PROBES["mse"], checks=(
            MatchesReference(PAIRS, 5, "matches the reference (a float scalar)"),
            Property("mse(y + s, y) = c^2 when every s is +c or -c, for every shape", 2, c.mse_of_a_constant_shift),
            LeavesInputsUnchanged(PAIRS, 1),
        )),
        Exercise("mse_grad", uses=("mse",), probes=PROBES["mse_grad"], checks=(
            MatchesReference(PAIRS, 4),
            Gradient(of="mse", wrt="y_pred", given=MSE_PROBLEMS, points=3),
            LeavesInputsUnchanged(PAIRS, 1),
        )),
        Exercise("two_layer_forward", uses=("sigmoid",), probes=PROBES["two_layer_forward"], checks=(
            MatchesReference(NETWORKS, 8, "matches the reference (N, D, H, C all different)"),
            Property("with W1 = 0 and b1 = 0, every row is 0.5 * sum of W2's rows + b2", 2,
                     c.forward_of_special_weights),
            LeavesInputsUnchanged(NETWORKS, 2),
        )),
        Exercise("two_layer_loss_and_grads",
                 uses=("sigmoid", "sigmoid_grad", "mse", "mse_grad", "two_layer_forward"),
                 probes=PROBES["two_layer_loss_and_grads"], checks=(
            MatchesReference(NETWORKS_WITH_TARGETS, 4, "loss matches the reference", part=0),
            MatchesReference(NETWORKS_WITH_TARGETS, 8, "gradients match the reference", part=1),
            Property(f"{GRADCHECK}: every entry of every parameter against your loss", 6,
                     c.two_layer_grads_match_finite_differences, uses_reference=True),
            LeavesInputsUnchanged(NETWORKS_WITH_TARGETS, 2),
        )),
        Exercise("adagrad_step", probes=PROBES["adagrad_step"], checks=(
            MatchesReference(ADAGRAD, 5, "one step matches the reference (lr and eps given or not)"),
            Property("accumulates over 5 steps from a zero cache", 4, c.adagrad_accumulates),
            LeavesInputsUnchanged(ADAGRAD, 3),
        )),
        Exercise("dropout_forward", checks=(
            Property("raises ValueError unless 0 <= p < 1", 2, c.dropout_rejects_bad_p),
            Property("train=False returns (x, None)", 2, c.dropout_eval_is_identity),
            Property("training: out = x / (1 - p) where the mask keeps, 0 elsewhere", 4,
                     c.dropout_output_matches_mask),
            Property(f"keeps each element with probability 1 - p and E[out] = x "
                     f"(fixed seeds, {bounds.DROPOUT_SIGMAS:g} sigma)", 3, c.dropout_statistics),
            Property("same seed, same mask; the mask comes from the given generator, which advances", 2,
                     c.dropout_uses_given_rng, fresh_process=True),
            LeavesInputsUnchanged(DROPOUT_FORWARD, 1, deterministic=False),
        )),
        Exercise("dropout_backward", uses=("dropout_forward",),
                 probes=PROBES["dropout_backward"], checks=(
            MatchesReference(DROPOUT_BACKWARD, 4),
            Gradient(of="dropout_forward", wrt="x", given=DROPOUT_PROBLEMS, output=0, dout="dout",
                     outputs={"mask": 1}, points=3, elementwise=True,
                     description=f"{GRADCHECK} against dropout_forward, re-seeded"),
            LeavesInputsUnchanged(DROPOUT_BACKWARD, 1),
        )),
    ),
)
