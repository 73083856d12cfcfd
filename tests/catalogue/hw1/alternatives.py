"""Correct implementations of hw1 written very differently from the reference.

Each entry replaces one or more functions of the reference solution; every one of them
must score full marks. They cover the forms the grader's tolerances claim to allow:
other formulas, other summation orders, loops, einsum, other ways to draw a dropout mask.
"""

import numpy as np  # the reference imports it; the entries below use it


# alternative: sigmoid-tanh-half
def sigmoid(z):
    # sigma(z) = (1 + tanh(z / 2)) / 2; tanh never overflows
    return (0.5 * (1.0 + np.tanh(z / 2))).astype(z.dtype, copy=False)


# alternative: sigmoid-exp-logaddexp
def sigmoid(z):
    # log sigma(z) = -log(1 + exp(-z)) = -logaddexp(0, -z)
    return np.exp(-np.logaddexp(0, -z))


# alternative: sigmoid-math-exp-loop
import math


def _sigmoid_scalar(value):
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    e = math.exp(value)
    return e / (1.0 + e)


def sigmoid(z):
    out = np.empty(z.shape, dtype=z.dtype)
    for index, value in np.ndenumerate(z):
        out[index] = _sigmoid_scalar(float(value))
    return out


# alternative: sigmoid-where-errstate
def sigmoid(z):
    # np.where evaluates both forms everywhere; the unused one may overflow harmlessly
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


# alternative: sigmoid-where-errstate-over-only
def sigmoid(z):
    with np.errstate(over="ignore"):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


# alternative: sigmoid-exp-min-over-abs
def sigmoid(z):
    # exp(min(z, 0)) / (1 + exp(-|z|)) is both forms at once, no exponent above 0
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


# alternative: sigmoid-piecewise
def sigmoid(z):
    return np.piecewise(z, [z >= 0, z < 0],
                        [lambda t: 1 / (1 + np.exp(-t)), lambda t: np.exp(t) / (1 + np.exp(t))])


# alternative: sigmoid-masked-assignment-on-copy
def sigmoid(z):
    s = z.copy()
    pos = z >= 0
    s[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    s[~pos] = e / (1 + e)
    return s


# alternative: sigmoid_grad-exp-abs
def sigmoid_grad(z):
    # sigma'(z) = exp(-|z|) / (1 + exp(-|z|))^2, symmetric in z
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


# alternative: mse-einsum
def mse(y_pred, y_true):
    d = (y_pred - y_true).ravel()
    return np.einsum("i,i->", d, d) / d.size


# alternative: mse-python-loop
def mse(y_pred, y_true):
    total, count = 0.0, 0
    for a, b in zip(np.ravel(y_pred), np.ravel(y_true)):
        total += (float(a) - float(b)) ** 2
        count += 1
    return total / count


# alternative: mse-square-sum-over-size
def mse(y_pred, y_true):
    return np.square(y_pred - y_true).sum() / y_pred.size


# alternative: mse-numpy-scalar
def mse(y_pred, y_true):
    return np.mean((y_pred - y_true) ** 2)


# alternative: mse_grad-loop
def mse_grad(y_pred, y_true):
    dy = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        dy[index] = 2 * (y_pred[index] - y_true[index]) / y_pred.size
    return dy


# alternative: mse_grad-subtract-prod-shape
def mse_grad(y_pred, y_true):
    return np.subtract(y_pred, y_true) * (2 / np.prod(np.shape(y_pred)))


# alternative: forward-einsum
def two_layer_forward(params, X):
    h = sigmoid(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])
    return np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]


# alternative: forward-loops
import math


def two_layer_forward(params, X):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, D = X.shape
    H, C = W2.shape
    out = np.zeros((N, C))
    for n in range(N):
        h = []
        for j in range(H):
            z = b1[j] + sum(X[n, d] * W1[d, j] for d in range(D))
            h.append(1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z)))
        for c in range(C):
            out[n, c] = b2[c] + sum(h[j] * W2[j, c] for j in range(H))
    return out


# alternative: net-einsum
def two_layer_loss_and_grads(params, X, Y):
    z = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    h = sigmoid(z)
    y_pred = np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]
    diff = y_pred - Y
    loss = np.einsum("nc,nc->", diff, diff) / diff.size
    dy = 2 * diff / diff.size
    dz = np.einsum("nc,hc->nh", dy, params["W2"]) * h * (1 - h)
    return loss, {
        "W1": np.einsum("nd,nh->dh", X, dz),
        "b1": np.einsum("nh->h", dz),
        "W2": np.einsum("nh,nc->hc", h, dy),
        "b2": np.einsum("nc->c", dy),
    }


# alternative: net-loops
import math


def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, D = X.shape
    H, C = W2.shape
    gW1, gb1 = np.zeros((D, H)), np.zeros(H)
    gW2, gb2 = np.zeros((H, C)), np.zeros(C)
    loss = 0.0
    for n in range(N):
        h = []
        for j in range(H):
            z = b1[j] + sum(X[n, d] * W1[d, j] for d in range(D))
            h.append(math.exp(-math.log1p(math.exp(-z))) if z >= 0 else math.exp(z) / (1 + math.exp(z)))
        dh = [0.0] * H
        for c in range(C):
            y = b2[c] + sum(h[j] * W2[j, c] for j in range(H))
            loss += (y - Y[n, c]) ** 2 / (N * C)
            dy = 2 * (y - Y[n, c]) / (N * C)
            gb2[c] += dy
            for j in range(H):
                gW2[j, c] += h[j] * dy
                dh[j] += W2[j, c] * dy
        for j in range(H):
            dz = dh[j] * h[j] * (1 - h[j])
            gb1[j] += dz
            for d in range(D):
                gW1[d, j] += X[n, d] * dz
    return loss, {"W1": gW1, "b1": gb1, "W2": gW2, "b2": gb2}


# alternative: net-inline-no-helpers
def two_layer_loss_and_grads(params, X, Y):
    grads = {}
    hidden = X.dot(params["W1"]) + params["b1"][np.newaxis, :]
    act = np.exp(-np.logaddexp(0.0, -hidden))
    out = act.dot(params["W2"]) + params["b2"][np.newaxis, :]
    err = out - Y
    loss = float((err * err).sum() / Y.size)
    d_out = err * (2.0 / Y.size)
    grads["W2"] = act.T.dot(d_out)
    grads["b2"] = np.add.reduce(d_out, axis=0)
    d_hidden = d_out.dot(params["W2"].T) * act * (1.0 - act)
    grads["W1"] = X.T.dot(d_hidden)
    grads["b1"] = np.add.reduce(d_hidden, axis=0)
    return loss, grads


# alternative: net-grads-ordereddict
from collections import OrderedDict


def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = OrderedDict()
    grads["W1"], grads["b1"] = X.T @ dz, dz.sum(axis=0)
    grads["W2"], grads["b2"] = h.T @ dy, dy.sum(axis=0)
    return mse(y_pred, Y), grads


# alternative: adagrad-ufuncs
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = np.add(cache, np.square(grad))
    step = np.divide(np.multiply(lr, grad), np.add(np.sqrt(new_cache), eps))
    return np.subtract(param, step), new_cache


# alternative: adagrad-in-place-on-copies
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache.copy()
    new_cache += grad * grad
    new_param = param.copy()
    new_param -= lr * grad / (new_cache ** 0.5 + eps)
    return new_param, new_cache


# alternative: adagrad-per-element-rate
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad * grad
    scale = lr / (np.sqrt(new_cache) + eps)
    return param - scale * grad, new_cache


# alternative: dropout-binomial-mask
def dropout_forward(x, p, rng, train=True):
    if p < 0 or p >= 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x.copy(), None
    mask = rng.binomial(1, 1 - p, size=x.shape).astype(bool)
    return x * mask / (1 - p), mask


# alternative: dropout-uniform-mask
def dropout_forward(x, p, rng, train=True):
    if not (0 <= p < 1):
        raise ValueError(f"invalid drop probability {p}")
    if train:
        mask = rng.uniform(0.0, 1.0, size=x.shape) >= p
        out = np.zeros_like(x)
        out[mask] = x[mask] / (1 - p)
        return out, mask
    return x, None


# alternative: dropout-random-below-keep
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    keep = 1 - p
    mask = rng.random(x.shape) < keep
    return np.where(mask, x / keep, 0), mask


# alternative: dropout-flat-draw-in-x-dtype
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.size, dtype=x.dtype) >= p).reshape(x.shape)
    return x * mask * (1 / (1 - p)), mask


# alternative: dropout_backward-multiply
def dropout_backward(dout, mask, p):
    return dout * mask / (1 - p)


# alternative: dropout_backward-indexing
def dropout_backward(dout, mask, p):
    dx = np.zeros_like(dout)
    dx[mask] = dout[mask] / (1 - p)
    return dx


# alternative: all-functions-rewritten
# Every function replaced at once: the forms must work together, not only beside the reference.
def sigmoid(z):
    # exp(min(z, 0)) / (1 + exp(-|z|)) is both forms at once, no exponent above 0
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


def sigmoid_grad(z):
    # sigma'(z) = exp(-|z|) / (1 + exp(-|z|))^2, symmetric in z
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def mse(y_pred, y_true):
    d = (y_pred - y_true).ravel()
    return np.einsum("i,i->", d, d) / d.size


def mse_grad(y_pred, y_true):
    dy = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        dy[index] = 2 * (y_pred[index] - y_true[index]) / y_pred.size
    return dy


def two_layer_forward(params, X):
    h = sigmoid(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])
    return np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]


def two_layer_loss_and_grads(params, X, Y):
    z = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    h = sigmoid(z)
    y_pred = np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]
    diff = y_pred - Y
    loss = np.einsum("nc,nc->", diff, diff) / diff.size
    dy = 2 * diff / diff.size
    dz = np.einsum("nc,hc->nh", dy, params["W2"]) * h * (1 - h)
    return loss, {
        "W1": np.einsum("nd,nh->dh", X, dz),
        "b1": np.einsum("nh->h", dz),
        "W2": np.einsum("nh,nc->hc", h, dy),
        "b2": np.einsum("nc->c", dy),
    }


def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = np.add(cache, np.square(grad))
    step = np.divide(np.multiply(lr, grad), np.add(np.sqrt(new_cache), eps))
    return np.subtract(param, step), new_cache


def dropout_forward(x, p, rng, train=True):
    if not (0 <= p < 1):
        raise ValueError(f"invalid drop probability {p}")
    if train:
        mask = rng.uniform(0.0, 1.0, size=x.shape) >= p
        out = np.zeros_like(x)
        out[mask] = x[mask] / (1 - p)
        return out, mask
    return x, None


def dropout_backward(dout, mask, p):
    dx = np.zeros_like(dout)
    dx[mask] = dout[mask] / (1 - p)
    return dx
