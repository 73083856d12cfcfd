"""hw3 declared as data: optimization, from the lecture's linear model to Adam.

Points add up to 100, spread by difficulty: Adam, the loss's gradients, the optimizers put
together and the critical points weigh most, one-line formulas least. Checks that compare
with the reference say so (`MatchesReference`, derived from the declared inputs by
`checks_for`, and `checks.MatchesTrajectory` for trajectories); all others run in the student
release too. Keeping the input's dtype is its own small check for the three optimizer steps,
so a right formula that upcasts float32 loses only those points. escape_direction has no
reference comparison at all: any unit eigenvector of the smallest eigenvalue is right, so it is
judged by that property. The known mistakes behind the hints live beside the reference, in
solutions/hw3/mistakes.py. The inputs are in inputs.py, the hand-written checks in checks.py,
hw3's own tolerances in bounds.py.
"""

from __future__ import annotations

from grader import settings
from grader.checks import LeavesInputsUnchanged, MatchesReference, Property
from grader.derived import Judge, KeepsDtype, checks_for
from grader.exercise import Exercise, Homework
from grader.gradient import Gradient
from grader.homeworks.hw3 import checks as c, inputs as i

PROBES = i.probes()
GRADCHECK = f"gradient check on {settings.GRADCHECK_PROBLEMS} random problems"
ANY_SHAPE = "matches the reference (a scalar to 3-d arrays, float32 and float64, hyperparameters given or not)"
TRAJECTORY = 40  # examples per trajectory comparison: each runs up to 20 steps


HOMEWORK = Homework(
    name="hw3",
    title="Optimization: gradient descent, critical points, momentum, RMSProp, Adam",
    exercises=(
        Exercise("linear_predict", probes=PROBES["linear_predict"], checks=(
            *checks_for(i.LINEAR, matches=2, description="matches the reference (N and D different)"),
            Judge(i.LINEAR, 1, c.linear_predict_rule, "b + X w, one prediction per row"),
            *checks_for(i.LINEAR, pure=1),
        )),
        Exercise("mae", probes=PROBES["mae"], checks=(
            MatchesReference(i.MAE_PAIRS, 4, "matches the reference (a float; a scalar to 3-d arrays)"),
            Property("mae(y + s, y) = c when every s is +c or -c, on 1-d to 3-d arrays", 1, c.mae_rules),
            LeavesInputsUnchanged(i.MAE_PAIRS, 1),
        )),
        Exercise("linear_loss_and_grads", uses=("linear_predict", "mae"),
                 probes=PROBES["linear_loss_and_grads"], checks=(
            *checks_for(i.MSE, matches=4, description='"mse": loss and gradients match the reference'),
            *checks_for(i.MAE, matches=3, description='"mae": loss and gradients match the reference '
                                                      '(exact-zero residuals included: sign(0) = 0)'),
            Gradient(of=None, wrt=("w", "b"), given=i.MSE_PROBLEMS, value=0, grads=(1, 2), points=2,
                     description=f'{GRADCHECK}: "mse", dw and db against the loss it returns'),
            Gradient(of=None, wrt=("w", "b"), given=i.MAE_PROBLEMS, value=0, grads=(1, 2), points=1,
                     valid=i.away_from_zero_residuals,
                     description=f'{GRADCHECK}: "mae", away from zero residuals'),
            Property("raises ValueError for an unknown loss name (names are case-sensitive)", 1,
                     c.linear_loss_rejects_unknown_names),
            *checks_for(i.LOSSES, pure=1),
        )),
        Exercise("gradient_descent", uses=("linear_predict", "mae", "linear_loss_and_grads"),
                 probes=PROBES["gradient_descent"], checks=(
            c.MatchesTrajectory(i.DESCENT_MSE.strategy, 3, '"mse": w, b and history match the reference',
                                examples=TRAJECTORY),
            c.MatchesTrajectory(i.DESCENT_MAE.strategy, 2, '"mae": w, b and history match the reference',
                                examples=TRAJECTORY),
            Judge(i.DESCENT_MSE, 1, c.descent_history_form,
                  "returns (w, b, history): steps + 1 float64 losses, the first at (w0, b0)", examples=TRAJECTORY),
            Property("lowers the loss on a convex problem with a small learning rate", 1, c.descent_lowers_the_loss),
            Property("raises ValueError for an unknown loss name, even with steps = 0", 1,
                     c.descent_rejects_unknown_losses),
            LeavesInputsUnchanged(i.DESCENT_MSE.strategy, 1),
        )),
        Exercise("classify_critical_point", probes=PROBES["classify_critical_point"], checks=(
            MatchesReference(i.HESSIANS, 5, "matches the reference (rotated Hessians, D up to 6, eigenvalues "
                                            "inside (0, tol], other tolerances, singular ones)"),
            Property("known answers on diagonal Hessians, eigenvalues of exactly +-tol included", 2,
                     c.classify_diagonal_hessians),
            Property("known answers on rotated Hessians of chosen eigenvalues", 2, c.classify_rotated_hessians),
            LeavesInputsUnchanged(i.HESSIANS, 1),
        )),
        Exercise("escape_direction", probes=PROBES["escape_direction"], checks=(
            Judge(i.ESCAPE, 4, c.unit_eigenvector_of_the_smallest,
                  "a unit eigenvector of the smallest eigenvalue (either sign; any of a repeated eigenspace)"),
            Property("right where the smallest eigenvalue is not first, is repeated, or D = 1", 3,
                     c.escape_direction_cases),
            LeavesInputsUnchanged(i.ESCAPE.strategy, 1, deterministic=False,  # any sign: judged, not compared
                                  judge=c.unit_eigenvector_of_the_smallest),
        )),
        Exercise("momentum_step", probes=PROBES["momentum_step"], checks=(
            MatchesReference(i.MOMENTUM, 4, ANY_SHAPE),
            Judge(i.MOMENTUM_RANKS["(N,D)"], 1, c.momentum_rule, "m = beta * velocity - lr * grad, param + m"),
            KeepsDtype(i.MOMENTUM_RANKS["(N,D,H)"], 1),
            LeavesInputsUnchanged(i.MOMENTUM, 1),
        )),
        Exercise("rmsprop_step", probes=PROBES["rmsprop_step"], checks=(
            MatchesReference(i.RMSPROP, 4, f"{ANY_SHAPE}; gradients down to 1e-4"),
            Judge(i.RMSPROP_RANKS["(N,D)"], 1, c.rmsprop_rule,
                  "cache' = alpha cache + (1 - alpha) grad^2, param - lr grad / (sqrt(cache') + eps)"),
            Property("eps outside the square root: right for tiny gradients and a zero cache", 1,
                     c.rmsprop_eps_outside_the_root),
            KeepsDtype(i.RMSPROP_RANKS["(N,D,H)"], 1),
            LeavesInputsUnchanged(i.RMSPROP, 1),
        )),
        Exercise("adam_step", probes=PROBES["adam_step"], checks=(
            MatchesReference(i.ADAM, 7, f"{ANY_SHAPE}; t = 1 and later, gradients down to 1e-4"),
            Judge(i.ADAM_RANKS["(N,D)"], 1, c.adam_rule, "the contract's step, bias-corrected by 1 - beta^t"),
            Property("the first step from m = v = 0 moves each entry by about lr (bias correction)", 1,
                     c.adam_first_step),
            Property("raises ValueError unless t >= 1", 1, c.adam_rejects_bad_steps),
            KeepsDtype(i.ADAM_RANKS["(N,D,H)"], 1),
            LeavesInputsUnchanged(i.ADAM, 1),
        )),
        Exercise("warmup_cosine_lr", probes=PROBES["warmup_cosine_lr"], checks=(
            MatchesReference(i.SCHEDULE, 6, "matches the reference (the warm-up's last step, the boundary, "
                                            "total_steps and past it, min_lr given or not)"),
            Property("the formula's values at known points", 2, c.schedule_known_points),
            Property("raises ValueError unless 0 <= warmup_steps < total_steps and step >= 0", 2,
                     c.schedule_rejects_bad_arguments),
        )),
        Exercise("optimize_linear",
                 uses=("linear_predict", "mae", "linear_loss_and_grads", "momentum_step", "rmsprop_step",
                       "adam_step"), probes=PROBES["optimize_linear"], checks=(
            c.MatchesTrajectory(i.OPTIMIZE_SGD.strategy, 2, '"sgd": the history matches the reference',
                                examples=TRAJECTORY),
            c.MatchesTrajectory(i.OPTIMIZE_MOMENTUM.strategy, 2, '"momentum": the history matches the reference',
                                examples=TRAJECTORY),
            c.MatchesTrajectory(i.OPTIMIZE_RMSPROP.strategy, 2, '"rmsprop": the history matches the reference',
                                examples=TRAJECTORY),
            c.MatchesTrajectory(i.OPTIMIZE_ADAM.strategy, 3, '"adam" over two steps or more: the history matches '
                                                            'the reference', examples=TRAJECTORY),
            c.MatchesTrajectory(i.OPTIMIZE_MAE.strategy, 2, 'loss "mae", every optimizer: the history matches the '
                                                           'reference', examples=TRAJECTORY),
            Judge(i.OPTIMIZE_SGD, 1, c.optimize_history_form,
                  "returns steps + 1 float64 losses, the first at w = 0, b = 0", examples=TRAJECTORY),
            Property("raises ValueError for an unknown optimizer name, even with steps = 0", 1,
                     c.optimize_rejects_unknown_names),
            LeavesInputsUnchanged(i.OPTIMIZE_ADAM.strategy, 1),
        )),
    ),
)
