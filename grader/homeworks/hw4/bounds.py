"""hw4's own tolerances and statistical bounds, each with its reason (the course-wide ones are in
grader/settings.py)."""

import numpy as np

from grader.settings import TOLERANCES

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)

# batchnorm_backward's dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std cancels: its entries
# can be far smaller than the terms they come from (|g| / std), while every exact form (the
# staged computational graph, CS231n's one-line formula, loops) rounds each term by about
# 1e-16 of its size. Terms reach |dout| * |gamma| * (1 + |x_hat|^2) / std, up to 100 times the
# largest |dx| on the inputs drawn (N <= 8, so |x_hat| <= sqrt(7)); the atol, relative to
# max(1, |expected|), is therefore a hundred times the course's. A real mistake (a dropped term,
# N - 1, dout * gamma / std) is off by a fraction of |dx| itself, a million times more.
BN_BACKWARD_TOLERANCES = {F64: (TOLERANCES[F64][0], 100 * TOLERANCES[F64][1]), F32: TOLERANCES[F32]}

# Statistical dropout checks: a keep fraction (or a mean output) further than this many standard
# deviations of a correct implementation's from its expectation fails: a probability below 1e-11
# per test, so a right implementation never fails by chance, whatever the seed. A keep-p mask
# (p = 0.2: 0.2 kept instead of 0.8) or inverted dropout's mean (1 / (1 - p) times too large) is
# hundreds of deviations away on 10,000 elements.
DROPOUT_SIGMAS = 7.0

# The share of rows (or columns) of a 200 x 50 mask that are all kept or all dropped: per element
# draws make a constant row of 50 a 1e-5 event at p = 0.2 (0.8^50), a constant column of 200
# rarer still; one mask per row or column makes every one constant.
CONSTANT_LINES = 0.1

# Independence: the keep counts of lines (rows, columns, small masks) of m elements vary as a
# binomial's, variance m p (1 - p). Their dispersion S = sum (count - m (1 - p))^2 / (m p (1 - p))
# over n lines has mean n and variance n (2 + (1 - 6 p (1 - p)) / (m p (1 - p))) (the binomial's
# fourth moment): a fixed count, one draw per line spread along it, or one draw shared by
# neighbours puts S near 0 or near twice n, many deviations away, while a right mask stays within
# DISPERSION_SIGMAS of n: over 3,000 seeds of rng.random its deviation stayed within 4.2 sigma on
# every line set checked (rows and columns of 200 x 50, 300 masks of 3), its skew below 0.3.
DISPERSION_SIGMAS = 8.0
