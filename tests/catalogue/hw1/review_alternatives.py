"""Correct forms of hw1 found in review, by a reviewer who had not seen the first catalogue.
"""

import numpy as np  # the reference imports it; the entries below use it


# alternative: review-alt-sig-frompyfunc-math
import math


def _stable(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


_vsig = np.frompyfunc(_stable, 1, 1)


def sigmoid(z):
    return np.asarray(_vsig(z), dtype=z.dtype)


# alternative: review-alt-sig-naive-errstate
# README: silencing warnings is accepted; values exact (1/(1+inf) = 0)
def sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


# alternative: review-alt-sig-divide-where-out
def sigmoid(z):
    out = np.empty_like(z)
    e = np.exp(-np.abs(z))
    neg = z < 0
    np.divide(1.0, 1.0 + e, out=out, where=~neg)
    np.divide(e, 1.0 + e, out=out, where=neg)
    return out


# alternative: review-alt-sig-exp-z-minus-logaddexp
def sigmoid(z):
    return np.exp(z - np.logaddexp(0, z))


# alternative: review-alt-sig-one-minus-mirror
# sigma(-t) = 1 - sigma(t): absolute error below one ulp of 1
def sigmoid(z):
    s = 1.0 / (1.0 + np.exp(-np.abs(z)))      # sigma(|z|), never overflows
    return np.where(z >= 0, s, 1 - s).astype(z.dtype, copy=False)


# alternative: review-alt-sig-vectorize
import math


def sigmoid(z):
    f = np.vectorize(lambda t: math.exp(-math.log1p(math.exp(-t))) if t >= 0
                     else math.exp(t - math.log1p(math.exp(t))), otypes=[z.dtype])
    return f(z)


# alternative: review-alt-sig-clip-50
# error < 2e-22 absolute (below float eps of the output scale) -- like every tanh form
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.clip(z, -50, 50)))


# alternative: review-alt-sg-sech2
# sigma'(z) = 1 / (4 cosh^2(z/2))
def sigmoid_grad(z):
    with np.errstate(over="ignore"):
        return 0.25 / np.cosh(0.5 * z) ** 2


# alternative: review-alt-sg-logaddexp
# log sigma(z) + log sigma(-z)
def sigmoid_grad(z):
    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))


# alternative: review-alt-sg-product-mirror
# 1 - sigma(z) = sigma(-z)
def sigmoid_grad(z):
    return sigmoid(z) * sigmoid(-z)


# alternative: review-alt-mse-reduce
import functools
import operator


def mse(y_pred, y_true):
    d = np.ravel(y_pred - y_true)
    return functools.reduce(operator.add, (float(v) * float(v) for v in d), 0.0) / d.size


# alternative: review-alt-mse-fsum
import math


def mse(y_pred, y_true):
    d = np.ravel(np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64))
    return math.fsum(d * d) / d.size


# alternative: review-alt-mse-vdot
def mse(y_pred, y_true):
    d = y_pred - y_true
    return np.vdot(d, d) / d.size


# alternative: review-alt-mse-average-weights
def mse(y_pred, y_true):
    sq = np.square(np.subtract(y_pred, y_true))
    return float(np.average(sq, weights=np.ones_like(sq)))


# alternative: review-alt-mse-norm
def mse(y_pred, y_true):
    d = y_pred - y_true
    return float(np.linalg.norm(d) ** 2 / d.size)


# alternative: review-alt-mse-dtype-scalar
def mse(y_pred, y_true):
    d = y_pred - y_true
    return d.dtype.type(np.sum(d * d) / d.size)      # np.float32 for float32 input


# alternative: review-alt-mseg-multiply
def mse_grad(y_pred, y_true):
    return np.multiply(np.subtract(y_pred, y_true), 2.0 / np.size(y_pred))


# alternative: review-alt-mseg-einsum
def mse_grad(y_pred, y_true):
    return np.einsum("...,->...", y_pred - y_true, 2.0 / y_pred.size)


# alternative: review-alt-fwd-augmented
# bias as an extra input column
def two_layer_forward(params, X):
    ones = np.ones((X.shape[0], 1))
    h = sigmoid(np.hstack([X, ones]) @ np.vstack([params["W1"], params["b1"][None, :]]))
    return np.hstack([h, ones]) @ np.vstack([params["W2"], params["b2"][None, :]])


# alternative: review-alt-fwd-tensordot
def two_layer_forward(params, X):
    h = sigmoid(np.tensordot(X, params["W1"], axes=1) + params["b1"])
    return np.tensordot(h, params["W2"], axes=([1], [0])) + params["b2"]


# alternative: review-alt-net-dict-comprehension
# bias grads as ones^T dz
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    z = X @ W1 + b1
    h = sigmoid(z)
    y = h @ W2 + b2
    dy = 2 * (y - Y) / Y.size
    dz = dy @ W2.T * (h * (1 - h))
    parts = {"W1": (X, dz), "b1": (np.ones(len(X)), dz), "W2": (h, dy), "b2": (np.ones(len(X)), dy)}
    grads = {k: a.T @ b for k, (a, b) in parts.items()}
    return np.float64(np.mean((y - Y) ** 2)), grads


# alternative: review-alt-net-per-sample-outer
def two_layer_loss_and_grads(params, X, Y):
    grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}
    total = 0.0
    M = Y.size
    for x, t in zip(X, Y):
        z = x @ params["W1"] + params["b1"]
        h = sigmoid(z)
        y = h @ params["W2"] + params["b2"]
        total += np.sum((y - t) ** 2)
        dy = 2 * (y - t) / M
        dz = (params["W2"] @ dy) * sigmoid_grad(z)
        grads["W2"] += np.outer(h, dy)
        grads["b2"] += dy
        grads["W1"] += np.outer(x, dz)
        grads["b1"] += dz
    return total / M, grads


# alternative: review-alt-net-returns-list
# (contract says tuple; list unpacks the same)
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    return [mse(y_pred, Y), {"W1": X.T @ dz, "b1": dz.sum(0), "W2": h.T @ dy, "b2": dy.sum(0)}]


# alternative: review-alt-ada-add-out
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = np.empty_like(cache)
    np.add(cache, np.square(grad), out=new_cache)
    denom = np.sqrt(new_cache, out=np.empty_like(new_cache))
    np.add(denom, eps, out=denom)
    new_param = np.empty_like(param)
    np.subtract(param, lr * grad / denom, out=new_param)
    return new_param, new_cache


# alternative: review-alt-ada-hypot
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    root = np.hypot(np.sqrt(cache), grad)        # sqrt(cache + grad^2)
    return param - lr * grad / (root + eps), cache + grad * grad


# alternative: review-alt-ada-returns-list
# (contract says tuple)
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return [param - lr * grad / (np.sqrt(new_cache) + eps), new_cache]


# alternative: review-alt-drop-perm-randomized-round
# exact count, each element kept with probability exactly 1 - p
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    target = (1 - p) * x.size
    keep = int(np.floor(target))
    keep += int(rng.random() < target - keep)      # E[keep] = (1 - p) n exactly
    flat = np.zeros(x.size, dtype=bool)
    flat[rng.permutation(x.size)[:keep]] = True
    mask = flat.reshape(x.shape)
    return np.where(mask, x / (1 - p), 0.0), mask


# alternative: review-alt-drop-choice
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.choice(np.array([False, True]), size=x.shape, p=[p, 1 - p])
    return x * mask / (1 - p), mask


# alternative: review-alt-drop-exponential
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    # P(E >= t) = exp(-t) = 1 - p for t = -log(1 - p)
    mask = rng.exponential(size=x.shape) >= -np.log1p(-p)
    return np.where(mask, x / (1 - p), 0), mask


# alternative: review-alt-drop-derived-generator
# mask drawn from a generator seeded by rng
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    child = np.random.Generator(np.random.PCG64(rng.integers(2**63)))
    mask = child.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# alternative: review-alt-drop-transposed-draw
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.uniform(size=x.shape[::-1]) > p).T
    out = x.copy()
    out[~mask] = 0
    out[mask] /= 1 - p
    return out, mask


# alternative: review-alt-drop-returns-list
# (contract says tuple)
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return [x, None]
    mask = rng.random(x.shape) >= p
    return [np.where(mask, x / (1 - p), 0.0), mask]


# alternative: review-alt-dback-p0-shortcut
# with p = 0 the forward keeps everything, so the mask is all True
def dropout_backward(dout, mask, p):
    if p == 0:                  # nothing was dropped
        return dout.copy()
    return dout * mask / (1 - p)


# alternative: review-alt-dback-divide-where
def dropout_backward(dout, mask, p):
    return np.divide(dout, 1 - p, out=np.zeros_like(dout), where=mask)


# alternative: review-alt-dback-astype
def dropout_backward(dout, mask, p):
    return dout * (mask.astype(dout.dtype) * (1.0 / (1.0 - p)))


# alternative: review-alt-all-rewritten
# every function replaced
def sigmoid(z):
    out = np.empty_like(z)
    e = np.exp(-np.abs(z))
    neg = z < 0
    np.divide(1.0, 1.0 + e, out=out, where=~neg)
    np.divide(e, 1.0 + e, out=out, where=neg)
    return out


def sigmoid_grad(z):
    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))


def mse(y_pred, y_true):
    d = y_pred - y_true
    return np.vdot(d, d) / d.size


def mse_grad(y_pred, y_true):
    return np.multiply(np.subtract(y_pred, y_true), 2.0 / np.size(y_pred))


def two_layer_forward(params, X):
    ones = np.ones((X.shape[0], 1))
    h = sigmoid(np.hstack([X, ones]) @ np.vstack([params["W1"], params["b1"][None, :]]))
    return np.hstack([h, ones]) @ np.vstack([params["W2"], params["b2"][None, :]])


def two_layer_loss_and_grads(params, X, Y):
    grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}
    total = 0.0
    M = Y.size
    for x, t in zip(X, Y):
        z = x @ params["W1"] + params["b1"]
        h = sigmoid(z)
        y = h @ params["W2"] + params["b2"]
        total += np.sum((y - t) ** 2)
        dy = 2 * (y - t) / M
        dz = (params["W2"] @ dy) * sigmoid_grad(z)
        grads["W2"] += np.outer(h, dy)
        grads["b2"] += dy
        grads["W1"] += np.outer(x, dz)
        grads["b1"] += dz
    return total / M, grads


def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    root = np.hypot(np.sqrt(cache), grad)        # sqrt(cache + grad^2)
    return param - lr * grad / (root + eps), cache + grad * grad


def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.choice(np.array([False, True]), size=x.shape, p=[p, 1 - p])
    return x * mask / (1 - p), mask


def dropout_backward(dout, mask, p):
    return np.divide(dout, 1 - p, out=np.zeros_like(dout), where=mask)


# alternative: review-alt-sig-longdouble-naive
# x86-64 long double: no overflow for |z| <= 1e4
def sigmoid(z):
    w = np.asarray(z, dtype=np.longdouble)     # exp(1e4) fits in 80-bit extended precision
    return (1 / (1 + np.exp(-w))).astype(z.dtype)


# alternative: review-alt-mse-expanded-square
# (a - b)^2 = a^2 - 2ab + b^2
def mse(y_pred, y_true):
    return float(np.mean(y_pred * y_pred) - 2 * np.mean(y_pred * y_true) + np.mean(y_true * y_true))


# alternative: review-alt-net-expanded-loss
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y = h @ W2 + b2
    M = Y.size
    loss = (np.sum(y * y) - 2 * np.sum(y * Y) + np.sum(Y * Y)) / M
    dy = (2 * y - 2 * Y) / M
    dz = (dy @ W2.T) * sigmoid_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}


# alternative: review-alt-drop-default-rng-of-rng
# default_rng(generator) returns the same generator
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    rng = np.random.default_rng(rng)      # a Generator is returned unaltered
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# alternative: review-alt-drop-p0-shortcut
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    if p == 0:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1 - p), 0.0), mask


# alternative: review-alt-dback-p0-mask-only
def dropout_backward(dout, mask, p):
    if p == 0:
        return np.where(mask, dout, 0.0)
    return np.where(mask, dout / (1.0 - p), 0.0)
