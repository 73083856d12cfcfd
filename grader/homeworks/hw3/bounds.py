"""hw3's own tolerances and bounds, each with its reason (the course-wide ones are in grader/settings.py)."""

import numpy as np

from grader.settings import TOLERANCES

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)


def trajectory_tolerances(scale: float) -> dict:
    """The tolerance of a trajectory (gradient_descent, optimize_linear) whose data has this scale,
    |X w| + |b| + |y| at its largest. Each step computes the residuals X w + b - y, and any exact
    formula (another order of the sum in X w, y - X w - b negated, einsum, loops) rounds them by
    about eps * scale, not eps * |residual|: after a fit the residuals are far smaller than the
    data. Steps with a learning rate below 2 / (the largest eigenvalue of the loss's Hessian) shrink
    such errors (the inputs keep them there: features in [-1, 1], D <= 6, lr <= 0.1), so a thousand
    times eps * scale, times the usual atol's scaling by max(1, |expected|), bounds them with room.
    A real mistake (a sign, a missing 2 or 1/N, an update in sequence, a lost step) changes the
    values at their own scale, a million times more."""
    rtol, atol = TOLERANCES[F64]
    return {F64: (rtol, atol * max(1.0, scale)), F32: TOLERANCES[F32]}


# escape_direction, judged by properties: ||u|| = 1 and ||H u - lam_min u|| <= EIGEN_TOLERANCE *
# max(1, max|lam|). np.linalg.eigh (backward stable) gives residuals near 1e-15 * ||H||; a vector
# normalised by its norm is unit to 1e-15. An eigenvector of another eigenvalue (the largest,
# eig's unsorted first, a row of the eigenvector matrix) is off by the gap between the two
# eigenvalues, 0.2 or more in the inputs (grader/homeworks/hw3/inputs.py, Symmetric): the bound
# sits seven orders of magnitude from both.
UNIT_TOLERANCE = 1e-9
EIGEN_TOLERANCE = 1e-8

# gradient_descent on the convex problem of checks._convex_problem (12 points, 3 features in [-1, 1],
# lr = 0.05, 30 steps from 0): the MSE falls to 0.28 times its start (measured: 0.975 to 0.276) and
# the MAE to 0.59 (0.793 to 0.470); an ascent, or a step that does not follow the gradient, does not
# fall by a fifth.
DESCENT_FACTOR = 0.8
