"""Wrong implementations of hw4, one bug each, as students really write them.

Each entry replaces one function of the reference solution (see tests/catalogue/__init__.py
for the format). `plants:` names the known mistakes (hint ids) the bug is; an entry without
it plants a mistake no hint models. `source:` says where the mistake comes from: CS231n's
assignment 2 (batch normalization's backward pass, dropout's test-time rule, its forum
threads), Coursera's Deep Learning Specialization and the d2l.ai forums (the momentum
convention, test-time statistics, patience), the papers and textbooks (Srivastava et al.'s
retention probability p, Goodfellow et al.'s maxout, the Deep Learning book's weight decay on
weights only, Prechelt's early stopping), library look-alikes (PyTorch's unbiased running
variance, Keras' inverted dropout and patience) and numpy pitfalls (axes, np.argmax on ties,
np.random's global state, in-place updates).
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: bn-unbiased-var
# plants: bn-unbiased-var
# source: numpy/PyTorch look-alike: np.var(ddof=1) / torch.var's unbiased default for the batch variance
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-momentum-swapped
# plants: bn-momentum-swapped
# source: CS231n assignment 2 forum threads: momentum read as the weight of the new batch
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, (1 - momentum) * running_mean + momentum * mu, (1 - momentum) * running_var + momentum * var


# mutant: bn-running-var-unbiased
# plants: bn-running-var-unbiased
# source: PyTorch's BatchNorm1d, which keeps the unbiased variance in running_var
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    n = x.shape[0]
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var * n / (n - 1)


# mutant: bn-eps-outside
# plants: bn-eps-outside
# source: d2l forum (batch normalization chapter): eps added to the standard deviation
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / (np.sqrt(running_var) + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / (np.sqrt(var) + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-eval-batch-stats
# plants: bn-eval-batch-stats
# source: d2l forum and Coursera DLS: the test-time branch forgotten, batch statistics at test time
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    if not train:
        return out, running_mean, running_var
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-eval-no-eps
# plants: bn-eval-no-eps
# source: CS231n assignment 2: the test-time formula written from the paper's "Var[x]" without eps
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-eval-updates-running
# plants: bn-eval-updates-running
# source: Keras/PyTorch look-alike: a layer left in training mode updates its statistics on test batches
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0)
    new_mean, new_var = momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, new_mean, new_var
    return gamma * (x - mu) / np.sqrt(var + eps) + beta, new_mean, new_var


# mutant: bn-running-in-place
# source: CS231n assignment 2 (bn_param['running_mean'] updated in place): the caller's arrays change
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    running_mean *= momentum
    running_mean += (1 - momentum) * mu
    running_var *= momentum
    running_var += (1 - momentum) * var
    return gamma * (x - mu) / np.sqrt(var + eps) + beta, running_mean, running_var


# mutant: bn-axis-1
# source: numpy pitfall: statistics over each example (axis 1, layer normalization) instead of the batch
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu.mean(), momentum * running_var + (1 - momentum) * var.mean()


# mutant: bn-affine-swapped
# plants: bn-affine-swapped
# source: Coursera DLS forum: gamma and beta's roles exchanged
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return beta * (x - running_mean) / np.sqrt(running_var + eps) + gamma, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = beta * (x - mu) / np.sqrt(var + eps) + gamma
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-no-sqrt
# plants: bn-no-sqrt
# source: the paper's Var[x] read as the divisor: divided by the variance
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / (running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / (var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# mutant: bn-running-std
# source: d2l forum: the running average kept of the standard deviation, not the variance
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * np.sqrt(var + eps)


# mutant: bnb-ignores-statistics
# plants: bnb-ignores-statistics
# source: CS231n assignment 2 (the most common batchnorm_backward bug): the statistics taken as constants
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return dout * gamma / np.sqrt(var + eps), (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-ignores-var
# plants: bnb-ignores-var
# source: Kratzert's computational-graph walk-through, the variance branch left out
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - g.mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-ignores-mean
# plants: bnb-ignores-mean
# source: CS231n forum: the path through mu dropped
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-unbiased-var
# plants: bnb-unbiased-var
# source: numpy look-alike: np.var(ddof=1) in the recomputed statistics
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0, ddof=1) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-dgamma-of-x
# plants: bnb-dgamma-of-x
# source: CS231n forum: dgamma = sum(dout * x), the input where x_hat multiplies gamma
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-no-gamma
# plants: bnb-no-gamma
# source: Coursera DLS forum: dx_hat = dout, gamma forgotten on the way back
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-dbeta-mean
# plants: bnb-dbeta-mean
# source: d2l forum: a mean over the batch where the gradient sums it
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.mean(axis=0)


# mutant: bnb-dgamma-axis
# plants: bnb-dgamma-axis
# source: numpy pitfall: dgamma summed over the features, axis 1
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std, (dout * x_hat).sum(axis=1), dout.sum(axis=0)


# mutant: bnb-dvar-sign
# source: Kratzert's staged backward with the derivative of (var + eps)^(-1/2) taken as +1/2 (var + eps)^(-3/2)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    xmu = x - x.mean(axis=0)
    var = (xmu ** 2).mean(axis=0)
    ivar = 1 / np.sqrt(var + eps)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * xmu, axis=0) * 0.5 * (var + eps) ** -1.5
    dxmu = dx_hat * ivar + 2 * xmu * dvar / n
    dx = dxmu - dxmu.mean(axis=0)
    return dx, (dout * xmu * ivar).sum(axis=0), dout.sum(axis=0)


# mutant: bnb-no-n-in-dvar
# source: CS231n forum: the 1/N of the variance's derivative forgotten, d var / d x = 2 (x - mu)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    xmu = x - x.mean(axis=0)
    var = (xmu ** 2).mean(axis=0)
    ivar = 1 / np.sqrt(var + eps)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * xmu, axis=0) * -0.5 * (var + eps) ** -1.5
    dxmu = dx_hat * ivar + 2 * xmu * dvar
    dx = dxmu - dxmu.mean(axis=0)
    return dx, (dout * xmu * ivar).sum(axis=0), dout.sum(axis=0)


# mutant: dropout-inverted
# plants: dropout-inverted
# source: hw1, Keras and PyTorch: inverted dropout, scaled in training, where the lecture's original is asked
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return (x * mask / (1 - p)).astype(x.dtype), mask


# mutant: dropout-test-unscaled
# plants: dropout-test-unscaled
# source: CS231n assignment 2 forum: "at test time dropout does nothing" (true of inverted dropout only)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: dropout-test-scaled-by-p
# plants: dropout-test-scaled-by-p
# source: Srivastava et al. (2014), whose p is the RETENTION probability: "the weights are multiplied by p"
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * p, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: dropout-keeps-p
# plants: dropout-keeps-p
# source: the same paper's retention p in training: kept where the draw is below p
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) < p
    return x * mask, mask


# mutant: dropout-mask-dropped
# plants: dropout-mask-dropped
# source: Coursera DLS forum: the mask returned marks the dropped units
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    dropped = rng.random(x.shape) < p
    return x * ~dropped, dropped


# mutant: dropout-one-mask-per-column
# source: CS231n forum: a mask of shape (D,) broadcast over the batch, the same units dropped for every example
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    mask = np.broadcast_to(rng.random(x.shape[1]) >= p, x.shape).copy()
    return x * mask, mask


# mutant: dropout-one-mask-per-row
# source: d2l forum: one draw per example (rng.random((N, 1))), whole rows dropped
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    mask = np.broadcast_to(rng.random((x.shape[0], 1)) >= p, x.shape).copy()
    return x * mask, mask


# mutant: dropout-global-rng
# source: Coursera DLS's notebooks use np.random.rand for the mask: the global state, not rng
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    mask = np.random.rand(*x.shape) >= p
    return x * mask, mask


# mutant: dropout-nan-p-passes
# source: numpy pitfall: `if p < 0 or p >= 1` is False for nan, which then passes
def dropout_forward_scaled(x, p, rng, train=True):
    if p < 0 or p >= 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: dropout-check-in-training-only
# source: CS231n's dropout_forward checks p inside the training branch
def dropout_forward_scaled(x, p, rng, train=True):
    if not train:
        return x * (1 - p), None
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: dropout-float-mask-upcasts
# source: numpy pitfall: a float64 mask of 1.0 and 0.0 multiplies float32 x into float64
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    keep = (rng.random(x.shape) >= p).astype(np.float64)
    return x * keep, keep.astype(bool)


# mutant: dropout-fixed-count
# source: d2l forum: exactly round((1 - p) * size) elements kept (a permutation), not independent draws
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"bad p {p}")
    if not train:
        return x * (1 - p), None
    flat = np.zeros(x.size, dtype=bool)
    flat[:int(x.size * (1 - p))] = True
    mask = rng.permutation(flat).reshape(x.shape)
    return x * mask, mask


# mutant: dropout-back-unmasked
# plants: dropout-back-unmasked
# source: CS231n forum: the backward passes dout through, the mask forgotten
def dropout_backward_scaled(dout, mask):
    return dout.copy()


# mutant: dropout-back-mask-inverted
# plants: dropout-back-mask-inverted
# source: the mask read as "dropped" (Coursera DLS forum)
def dropout_backward_scaled(dout, mask):
    return dout * ~mask


# mutant: dropout-back-inverted-scale
# source: hw1's inverted dropout's backward: dout * mask / (1 - p), with p estimated from the mask
def dropout_backward_scaled(dout, mask):
    return (dout * mask / mask.mean()).astype(dout.dtype)


# mutant: dropout-back-in-place
# source: CS231n: dout[~mask] = 0 on the caller's array
def dropout_backward_scaled(dout, mask):
    dout[~mask] = 0
    return dout


# mutant: maxout-wrong-axis
# plants: maxout-wrong-axis
# source: numpy pitfall: the maximum over axis 1 (the units) of z (N, H, k)
def maxout_forward(x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.max(axis=1)


# mutant: maxout-no-bias
# plants: maxout-no-bias
# source: Goodfellow et al.'s z = x^T W + b with the bias forgotten
def maxout_forward(x, W, b):
    return np.einsum("nd,dhk->nhk", x, W).max(axis=2)


# mutant: maxout-reshape-order
# plants: maxout-reshape-order
# source: pylearn2-style maxout as a dense layer of H * k units reshaped (N, k, H) where W is laid out (H, k)
def maxout_forward(x, W, b):
    d, h, k = W.shape
    z = x @ W.reshape(d, h * k) + b.reshape(h * k)
    return z.reshape(len(x), k, h).max(axis=1)


# mutant: maxout-min
# source: a slip of np.min for np.max (a concave unit)
def maxout_forward(x, W, b):
    return (np.einsum("nd,dhk->nhk", x, W) + b).min(axis=2)


# mutant: maxout-bias-after-max
# source: d2l forum: the bias added once after the maximum, b.max over the pieces
def maxout_forward(x, W, b):
    return np.einsum("nd,dhk->nhk", x, W).max(axis=2) + b.max(axis=1)


# mutant: maxoutb-all-pieces
# plants: maxoutb-all-pieces
# source: CS231n forum: the max's gradient spread to every piece
def maxout_backward(dout, x, W, b):
    dz = np.repeat(dout[:, :, None], W.shape[2], axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: maxoutb-last-on-ties
# plants: maxoutb-last-on-ties
# source: a loop with >= keeps the LAST maximal piece
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = z.shape[2]
    winner = np.zeros(dout.shape, dtype=int)
    for j in range(1, k):
        winner = np.where(z[:, :, j] >= np.take_along_axis(z, winner[:, :, None], axis=2)[:, :, 0], j, winner)
    dz = np.where(np.arange(k) == winner[:, :, None], dout[:, :, None], 0.0)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: maxoutb-every-tie
# plants: maxoutb-every-tie
# source: CS231n's max-pooling backward written with a mask z == max, which routes to every tied piece
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dz = (z == z.max(axis=2, keepdims=True)) * dout[:, :, None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: maxoutb-db-mean
# plants: maxoutb-db-mean
# source: d2l forum: a mean over the batch where the gradient sums it
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dz = np.zeros_like(z)
    np.put_along_axis(dz, z.argmax(axis=2)[:, :, None], dout[:, :, None], axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.mean(axis=0)


# mutant: maxoutb-dx-no-sum-over-units
# source: numpy pitfall: dx from the first unit only (the sum over h forgotten)
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dz = np.zeros_like(z)
    np.put_along_axis(dz, z.argmax(axis=2)[:, :, None], dout[:, :, None], axis=2)
    return dz[:, 0, :] @ W[:, 0, :].T, np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: maxoutb-argmax-without-bias
# source: the winner chosen from x W alone, the bias forgotten in the backward's recomputation
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W)
    dz = np.zeros_like(z)
    np.put_along_axis(dz, z.argmax(axis=2)[:, :, None], dout[:, :, None], axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: l2-biases-too
# plants: l2-biases-too
# source: Coursera DLS forum: every parameter decayed, biases included (the Deep Learning book decays weights only)
def l2_penalty(params, lam):
    penalty = lam / 2 * sum(float(np.sum(v ** 2)) for v in params.values())
    return penalty, {k: lam * v for k, v in params.items()}


# mutant: l2-no-half
# plants: l2-no-half
# source: CS231n's softmax notes write reg * sum(W * W) without the 1/2 (and keep the gradient lam * W)
def l2_penalty(params, lam):
    penalty = lam * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    return penalty, {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


# mutant: l2-grad-double
# plants: l2-grad-double
# source: the derivative of W^2 without the 1/2's cancellation: 2 lam W
def l2_penalty(params, lam):
    penalty = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    return penalty, {k: 2 * lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


# mutant: l2-lowercase-w
# plants: l2-lowercase-w
# source: case-insensitive test of the key
def l2_penalty(params, lam):
    weight = [k for k in params if k.lower().startswith("w")]
    penalty = lam / 2 * sum(float(np.sum(params[k] ** 2)) for k in weight)
    return penalty, {k: lam * v if k in weight else np.zeros_like(v) for k, v in params.items()}


# mutant: l2-contains-w
# plants: l2-contains-w
# source: "W" in key instead of key.startswith("W")
def l2_penalty(params, lam):
    penalty = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if "W" in k)
    return penalty, {k: lam * v if "W" in k else np.zeros_like(v) for k, v in params.items()}


# mutant: l2-missing-keys
# plants: l2-missing-keys
# source: grads built for the weights only
def l2_penalty(params, lam):
    weights = {k: v for k, v in params.items() if k.startswith("W")}
    return lam / 2 * sum(float(np.sum(v ** 2)) for v in weights.values()), {k: lam * v for k, v in weights.items()}


# mutant: l2-norm-not-squared
# plants: l2-norm-not-squared
# source: np.linalg.norm taken for the squared norm
def l2_penalty(params, lam):
    weights = [v for k, v in params.items() if k.startswith("W")]
    penalty = lam / 2 * np.sqrt(sum(float(np.sum(v ** 2)) for v in weights))
    return float(penalty), {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


# mutant: l2-in-place
# source: CS231n: grads made by scaling the parameters in place (params[k] *= lam)
def l2_penalty(params, lam):
    penalty = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    grads = {}
    for k, v in params.items():
        if k.startswith("W"):
            v *= lam
            grads[k] = v
        else:
            grads[k] = np.zeros_like(v)
    return penalty, grads


# mutant: es-ties-improve
# plants: es-ties-improve
# source: Keras' EarlyStopping with min_delta 0 read as <=: a tie counted as an improvement
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: es-patience-off-by-one
# plants: es-patience-off-by-one
# source: d2l forum: `if waited > patience`, one epoch too many
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: es-best-last-on-ties
# plants: es-best-last-on-ties
# source: numpy pitfall: the last index of the minimum (len - 1 - argmin of the reversed losses)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, waited, stop = float("inf"), 0, len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        best, waited = (loss, 0) if loss < best else (best, waited + 1)
        if waited == patience:
            stop = epoch
            break
    seen = np.asarray(val_losses[:stop + 1], dtype=float)
    return int(stop - np.argmin(seen[::-1])), stop


# mutant: es-best-after-stop
# plants: es-best-after-stop
# source: Prechelt's "Early stopping - but when?" read as the best of the whole run, np.argmin over every epoch
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, waited, stop = float("inf"), 0, len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        best, waited = (loss, 0) if loss < best else (best, waited + 1)
        if waited == patience:
            stop = epoch
            break
    return int(np.argmin(val_losses)), stop


# mutant: es-never-stops-len
# plants: es-never-stops-len
# source: the number of epochs returned where an index is asked
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


# mutant: es-counter-not-reset
# plants: es-counter-not-reset
# source: Coursera DLS forum: the count of bad epochs never reset on an improvement
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: es-compare-previous
# plants: es-compare-previous
# source: d2l forum: "the validation loss went up" compared with the previous epoch, not the best
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    losses = [float(v) for v in val_losses]
    previous, waited, stop = float("inf"), 0, len(losses) - 1
    for epoch, loss in enumerate(losses):
        waited = 0 if loss < previous else waited + 1
        previous = loss
        if waited == patience:
            stop = epoch
            break
    seen = losses[:stop + 1]
    return seen.index(min(seen)), stop


# mutant: es-patience-type-error
# source: Python pitfall: range(patience) or int comparisons raise TypeError, not the ValueError asked for 2.5
def early_stopping(val_losses, patience):
    if patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: es-empty-array-truthiness
# source: numpy pitfall: `if not val_losses` raises "truth value of an array is ambiguous" for arrays
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or not val_losses:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: es-float-epochs
# source: np.argmin and arange arithmetic returned as floats (epoch / 1.0)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1 or len(val_losses) == 0:
        raise ValueError("bad arguments")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return float(best_epoch), float(epoch)
    return float(best_epoch), float(len(val_losses) - 1)


# mutant: dropout-back-float-mask
# source: numpy pitfall: mask.astype(float) is float64, and multiplies float32 dout into float64
def dropout_backward_scaled(dout, mask):
    return dout * mask.astype(float)
