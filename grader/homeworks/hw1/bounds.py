"""hw1's own tolerances and statistical bounds, each with its reason (the course-wide
ones are in grader/settings.py)."""

import numpy as np

from grader.settings import TOLERANCES

# The sigmoid is one exp and one division: every exact form (two branches, tanh,
# 1 - sigma(-z), logaddexp) is within ~2e-16 of the truth, even in the tails, so its
# float64 atol can be far stricter than for composite results (sums of products
# cancel to ~1e-14). It still catches shortcuts like clipping z to [-30, 30]
# (off by 9e-14 near 0); clipping to [-500, 500] stays exact in float64.
SIGMOID_TOLERANCES = {
    np.dtype(np.float32): TOLERANCES[np.dtype(np.float32)],
    np.dtype(np.float64): (1e-9, 1e-15),
}

# Statistical dropout checks: a deviation beyond this many standard deviations of a
# correct implementation's keep fraction fails (probability < 1e-11 per test).
DROPOUT_SIGMAS = 7.0
