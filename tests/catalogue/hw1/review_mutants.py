"""A second, independently written catalogue of hw1 mistakes, found in review.

Written by a reviewer who had not seen the first catalogue, as a stand-in for the
catalogues the grader is judged by. Each entry notes why it is wrong by the contract.
Left out on purpose: adding float32 eps to mse (within float32 rounding), and a
complex-step sigmoid_grad, which is exact except that it returns nan at |z| = 1e4.
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: review-sig-clip-30
# sigma(-40) returns 9.4e-14 instead of 4.2e-18: ~850 float64 ulps of 1, not exact in float64
def sigmoid(z):
    z = np.clip(z, -30, 30)          # "avoid overflow"
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


# mutant: review-sig-0d-naive-branch
# overflow warning for a 0-d z = -1e4 (contract: no overflow warning for any finite z, any shape)
def sigmoid(z):
    z = np.asarray(z)
    if z.ndim == 0:                      # a single number: the simple formula
        return 1.0 / (1.0 + np.exp(-z))
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


# mutant: review-sig-0d-math-exp
# raises OverflowError for a 0-d z <= -710
import math


def sigmoid(z):
    z = np.asarray(z)
    if z.ndim == 0:
        return np.asarray(1.0 / (1.0 + math.exp(-float(z))), dtype=z.dtype)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


# mutant: review-sig-float16-compute
# float16 precision (5e-4) for float32/float64 inputs
def sigmoid(z):
    h = z.astype(np.float16)                 # save memory
    out = np.exp(-np.logaddexp(np.float16(0), -h))
    return out.astype(z.dtype)


# mutant: review-sig-exp-form-everywhere-errstate
# nan for large positive z (inf/inf)
def sigmoid(z):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / (1.0 + e)


# mutant: review-sig-astype-copy-false-inplace
# modifies float64 inputs in place (copy=False is a no-op for float64); float64 for float32
def sigmoid(z):
    z = z.astype(np.float64, copy=False)
    dtype_in = z.dtype
    pos = z >= 0
    neg = ~pos
    e = np.exp(z[neg])
    z[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    z[neg] = e / (1.0 + e)
    return z


# mutant: review-sg-direct-formula-no-abs
# nan for z < -709 (inf/inf); true value is 0
def sigmoid_grad(z):
    e = np.exp(-z)
    return e / (1.0 + e) ** 2


# mutant: review-sg-finite-difference-1e-5
# approximation, error ~1e-11 absolute, not an exact formula
def sigmoid_grad(z):
    h = 1e-5
    return (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)


# mutant: review-sg-finite-difference-1e-4
# approximation
def sigmoid_grad(z):
    h = 1e-4
    return (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)


# mutant: review-sg-zero-beyond-20
# sigma'(20.5) = 1.2e-9 replaced by 0: 1000x the float64 tolerance
def sigmoid_grad(z):
    s = sigmoid(z)
    # saturated units: the gradient vanishes anyway
    return np.where(np.abs(z) > 20, 0.0, s * (1.0 - s))


# mutant: review-sg-float32-always
# float32 precision for float64 input
def sigmoid_grad(z):
    s = sigmoid(np.asarray(z, dtype=np.float32))
    return s * (1 - s)


# mutant: review-mse-float32-cast-early
# rounds a float64 loss to float32
def mse(y_pred, y_true):
    return np.float32(np.mean((y_pred - y_true) ** 2))


# mutant: review-mse-float16-diff
# float16 differences
def mse(y_pred, y_true):
    d = (y_pred - y_true).astype(np.float16)
    return float(np.mean(d.astype(np.float64) ** 2))


# mutant: review-mse-mean-of-last-axis-means
# crashes on 0-d inputs (any shape allowed)
def mse(y_pred, y_true):
    return float(np.mean(np.mean((y_pred - y_true) ** 2, axis=-1)))


# mutant: review-mse-first-times-last-dim
# wrong divisor for 1-D and 3-D, crash on 0-d
def mse(y_pred, y_true):
    d = y_pred - y_true
    return float(np.sum(d ** 2) / (d.shape[0] * d.shape[-1]))


# mutant: review-mse-square-of-mean-abs
# (mean |d|)^2 is not mean d^2 (equal only for a constant shift)
def mse(y_pred, y_true):
    return float(np.mean(np.abs(y_pred - y_true)) ** 2)


# mutant: review-mseg-first-times-last-dim
# wrong divisor for 1-D (n^2) and most 3-D shapes
def mse_grad(y_pred, y_true):
    return 2.0 * (y_pred - y_true) / (y_pred.shape[0] * y_pred.shape[-1])


# mutant: review-mseg-float32
# float32 result for float64 input
def mse_grad(y_pred, y_true):
    return (2.0 * (y_pred - y_true) / y_pred.size).astype(np.float32)


# mutant: review-mseg-inplace-y_pred
# modifies y_pred in place
def mse_grad(y_pred, y_true):
    y_pred -= y_true
    return 2.0 * y_pred / y_pred.size


# mutant: review-fwd-squeeze
# shape (C,) instead of (1, C) when N = 1
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"] + params["b1"])
    return np.squeeze(h @ params["W2"] + params["b2"])


# mutant: review-fwd-float32
# float32 precision
def two_layer_forward(params, X):
    X = X.astype(np.float32)
    W1, W2 = params["W1"].astype(np.float32), params["W2"].astype(np.float32)
    h = sigmoid(X @ W1 + params["b1"].astype(np.float32))
    return h @ W2 + params["b2"].astype(np.float32)


# mutant: review-fwd-bias-after-sigmoid
# b1 added after the sigmoid
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"]) + params["b1"]
    return h @ params["W2"] + params["b2"]


# mutant: review-net-l2-reg
# adds an L2 penalty not in the contract (grads consistent with it)
def two_layer_loss_and_grads(params, X, Y, reg=1e-6):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz + 2 * reg * W1, "b1": dz.sum(axis=0),
             "W2": h.T @ dy + 2 * reg * W2, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: review-net-bias-keepdims
# bias grads of shape (1, H) and (1, C), not the params' shapes
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0, keepdims=True),
             "W2": h.T @ dy, "b2": dy.sum(axis=0, keepdims=True)}
    return loss, grads


# mutant: review-net-squeeze-then-sum
# N = 1 or H = 1: squeeze drops the wrong axis, bias grads become scalars
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": np.squeeze(dz).sum(axis=0),
             "W2": h.T @ dy, "b2": np.squeeze(dy).sum(axis=0)}
    return loss, grads


# mutant: review-net-loss-float32
# loss accumulated in float32
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = float(np.mean(np.square(y_pred - Y), dtype=np.float32))
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: review-net-grad-ascent
# plants: net-grads-sign
# all gradients negated
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = 2.0 * (Y - y_pred) / Y.size
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: review-ada-lr-eps-swapped-signature
# adagrad_step(p, g, c, 0.1) uses eps = 0.1 and lr = 0.01: signature order differs from the contract
def adagrad_step(param, grad, cache, eps=1e-8, lr=1e-2):
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: review-ada-keyword-only
# (debatable) adagrad_step(p, g, c, 0.1) raises TypeError
def adagrad_step(param, grad, cache, *, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: review-ada-eps-added-to-cache
# cache off by eps each step
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2 + eps
    return param - lr * grad / np.sqrt(new_cache), new_cache


# mutant: review-ada-lr-twice
# lr applied twice
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    step = lr * grad / (np.sqrt(new_cache) + eps)
    return param - lr * step, new_cache


# mutant: review-ada-eps-squared-inside
# eps inside the sqrt (squared): docstring says outside
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / np.sqrt(new_cache + eps**2), new_cache


# mutant: review-ada-float32
# float32 for float64 inputs
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    p, g, c = (np.asarray(a, dtype=np.float32) for a in (param, grad, cache))
    new_cache = c + g * g
    return p - np.float32(lr) * g / (np.sqrt(new_cache) + np.float32(eps)), new_cache


# mutant: review-ada-returns-swapped
# tuple order
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return new_cache, param - lr * grad / (np.sqrt(new_cache) + eps)


# mutant: review-ada-grad-clip
# clips gradients
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    grad = np.clip(grad, -5.0, 5.0)
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: review-drop-column-shared-mask
# elements are not dropped independently: whole columns
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    # one mask per feature, shared by the whole batch
    mask = np.broadcast_to(rng.random(x.shape[1:]) >= p, x.shape).copy()
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-row-shared-mask
# whole rows dropped together
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    keep_row = rng.random((x.shape[0],) + (1,) * (x.ndim - 1)) >= p
    mask = np.broadcast_to(keep_row, x.shape).copy()
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-scalar-draw
# one draw for the whole mask
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = np.full(x.shape, rng.random() >= p)
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-gt-one-minus-p
# keeps with probability p
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) > 1 - p
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-deepcopy-rng
# never advances rng: every call with the same generator gives the same mask (frozen dropout)
import copy


def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    local = copy.deepcopy(rng)        # "no function may modify its inputs"
    mask = local.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-exact-count-round
# keep probability round((1-p) n)/n != 1-p for small n (size 3, p=.5 keeps 2/3): E[out] != x
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    keep = int(round((1 - p) * x.size))
    flat = np.zeros(x.size, dtype=bool)
    flat[rng.permutation(x.size)[:keep]] = True
    mask = flat.reshape(x.shape)
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-empirical-scale
# scales by the empirical keep fraction, not 1/(1-p)
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask * (mask.size / max(mask.sum(), 1)), mask


# mutant: review-drop-accepts-nan
# (minor) p = nan is not rejected: returns all zeros
def dropout_forward(x, p, rng, train=True):
    if p < 0 or p >= 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-eval-skips-validation
# (ambiguous) dropout_forward(x, 1.5, rng, train=False) does not raise
def dropout_forward(x, p, rng, train=True):
    if not train:
        return x, None
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-mask-uint8
# mask not boolean
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p).astype(np.uint8)
    return x * mask / (1 - p), mask


# mutant: review-drop-precedence
# x*mask - p
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / 1 - p, mask


# mutant: review-dback-float16
# float16
def dropout_backward(dout, mask, p):
    return (dout * mask / (1 - p)).astype(np.float16)


# mutant: review-dback-mask-mean-scale
# empirical keep fraction
def dropout_backward(dout, mask, p):
    return dout * mask / mask.mean()


# mutant: review-dback-inverted-mask
# gradient through the dropped elements
def dropout_backward(dout, mask, p):
    return dout * ~mask / (1 - p)


# mutant: review-dback-inplace-dout
# modifies dout in place
def dropout_backward(dout, mask, p):
    dout[~mask] = 0
    dout /= 1 - p
    return dout


# mutant: review-ada-add-out-0d-crash
# raises TypeError for 0-d inputs
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = np.empty_like(cache)
    np.add(cache, np.square(grad), out=new_cache)
    denom = np.sqrt(new_cache)            # a numpy scalar for 0-d input
    np.add(denom, eps, out=denom)
    new_param = np.empty_like(param)
    np.subtract(param, lr * grad / denom, out=new_param)
    return new_param, new_cache


# mutant: review-ada-rsqrt-nan-at-zero
# nan where grad = 0 and cache = 0 (0 * inf); eps is there to keep that finite
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    with np.errstate(divide="ignore", invalid="ignore"):
        r = new_cache ** -0.5                     # 1 / sqrt(cache)
        step = lr * grad * r / (1.0 + eps * r)    # = lr grad / (sqrt(cache) + eps)
    return param - step, new_cache


# mutant: review-sg-atleast2d
# shape (1, n) for 1-D and (1, 1) for 0-d
def sigmoid_grad(z):
    z = np.atleast_2d(z)
    s = sigmoid(z)
    return s * (1.0 - s)


# mutant: review-drop-atleast2d
# for 1-D x of shape (n,), out and mask have shape (1, n)
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    x = np.atleast_2d(x)                       # "handle vectors too"
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# mutant: review-drop-1d-crash
# IndexError for 1-D x
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    n, d = x.shape[0], x.shape[1]
    mask = (rng.random((n, d) + x.shape[2:]) >= p)
    return np.where(mask, x / (1 - p), 0.0), mask
