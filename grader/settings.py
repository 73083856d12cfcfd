"""Every constant that decides a verdict or a limit, in one place, with its reason.

The limits of the student's process live in grader/limits.py (without numpy, so that `grade`
starts the worker before importing it) and are importable from here too.
"""

from __future__ import annotations

import numpy as np

from grader.limits import MAX_REPLY_BYTES, Limits, format_bytes  # noqa: F401 (importable from here)

# Examples per property test. The issue asks for at least 100; more would cost
# speed and rarely find anything that 100 varied examples miss.
PROPERTY_EXAMPLES = 100

# Random problems per finite-difference gradient check (the issue asks for >= 10).
GRADCHECK_PROBLEMS = 10

# Central-difference step. In float64 the truncation error is ~h**2 * f''' and the
# rounding error ~eps * |f| / h; h = 1e-5 balances both near 1e-10.
GRADCHECK_STEP = 1e-5

# A gradient entry passes when |analytic - numeric| <= RTOL * (|analytic| + |numeric|)
# + ATOL * max(1, |f|). Smooth functions of unit-scale inputs land below 1e-8; a
# wrong factor, sign or divisor lands above 1e-2. ATOL absorbs the rounding noise
# of entries whose true gradient is zero.
GRADCHECK_RTOL = 1e-6
GRADCHECK_ATOL = 1e-8

# Value comparisons against the reference, by the dtype of the student's inputs.
# The reference is computed in float64; the bounds allow any exact formula done in
# the input's precision (tanh or logaddexp forms, loops, einsum, other summation
# orders) and sit orders of magnitude below what a real mistake changes.
# atol is scaled by max(1, the largest magnitude in the expected array) (see compare._far).
TOLERANCES = {
    np.dtype(np.float32): (1e-4, 1e-6),  # (rtol, atol): float32 eps is 1.2e-7
    np.dtype(np.float64): (1e-9, 1e-12),  # float64 eps is 2.2e-16
}

# A near miss: right to float32 precision where float64 was asked (a float32 step, eps
# inside the square root). It fails the checks of exact values against the reference, and
# only those: a check of another property (stability at extreme inputs, a rule such as
# mse(y + c, y) = c^2, accumulation, purity) holds a near miss to these bounds.
NEAR_TOLERANCES = {dtype: TOLERANCES[np.dtype(np.float32)] for dtype in TOLERANCES}
