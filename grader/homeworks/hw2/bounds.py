"""hw2's own tolerances, each with its reason (the course-wide ones are in grader/settings.py)."""

import numpy as np

from grader.settings import TOLERANCES

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)

# A loss (cross_entropy, binary_cross_entropy) is a difference of terms as large as the logits:
# log-sum-exp minus the label's logit, log(1 + exp(z)) minus y z. Every exact formula rounds those
# terms to the input's precision, so its error is about eps * max|logits|, not eps * loss: float32
# logits of 100 (normals times 30) give 1e-5 on a loss that may be 1e-3. The bounds below are that
# far above such rounding, and far below what a mistake changes (a missing 1/N, a sign, log(0)).
# float64 rounding, 100 * 1.1e-16, stays well below the usual float64 bounds.
LOSS_TOLERANCES = {F32: (1e-4, 1e-4), F64: TOLERANCES[F64]}

# At the extreme logits the contract names (|logits| up to 1e4), the same reasoning at its
# largest: the loss may be off by eps * 1e4 (6e-4 in float32, 1e-12 in float64). A loss check
# there allows (rtol, atol * max(1, max|logits|)) with these values.
EXTREME_LOSS_TOLERANCES = {F32: (1e-4, 1e-6), F64: (1e-9, 1e-13)}

# softmax and its gradient at |logits| up to 1e4: a right float32 formula through the
# log-sum-exp (exp(logits - lse)) loses |logits| * eps32 = 1e4 * 6e-8 in the exponent, so up to
# ~1e-3 relative in the output; an unstable one gives nan, inf or rows of 0s and 1s instead.
STABLE_TOLERANCES = {F32: (5e-3, 1e-6), F64: TOLERANCES[F64]}

# train_epoch on the toy problem (three well-separated blobs, checks._blobs): with a right SGD the
# mean minibatch loss of the fifth epoch is at most 0.17 times the first's (about 0.09 against
# 0.58; measured over 200 generator seeds, since the seeds come from the course secret); a loss
# that falls by less than this factor does not learn.
LEARNS_FACTOR = 0.5
