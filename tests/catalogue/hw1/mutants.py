"""Wrong implementations of hw1, one bug each, as students really write them.

Each entry replaces one function of the reference solution (see tests/catalogue/__init__.py
for the format). `plants:` names the known mistakes (hint ids) the bug is; an entry without
it plants a mistake no hint models.
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: sigmoid-sign-error
# plants: sigmoid-sign
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))


# mutant: sigmoid-naive-exp
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# mutant: sigmoid-where-both-branches
def sigmoid(z):
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))


# mutant: sigmoid-branches-swapped
def sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    e = np.exp(z[pos])
    out[pos] = e / (1.0 + e)
    out[~pos] = 1.0 / (1.0 + np.exp(-z[~pos]))
    return out


# mutant: sigmoid-tanh-without-half
# plants: sigmoid-tanh-without-half
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(z))


# mutant: sigmoid-float64-for-float32
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


# mutant: sigmoid-zeros-output-float64
def sigmoid(z):
    out = np.zeros(np.shape(z))
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


# mutant: sigmoid-modifies-z-in-place
def sigmoid(z):
    pos = z >= 0
    e = np.exp(z[~pos])
    z[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    z[~pos] = e / (1.0 + e)
    return z


# mutant: sigmoid-numerator-exp-minus-z
# plants: sigmoid-sign
def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


# mutant: sigmoid_grad-of-z-itself
# plants: sigmoid_grad-of-z
def sigmoid_grad(z):
    return z * (1.0 - z)


# mutant: sigmoid_grad-sigma-twice
# plants: sigmoid_grad-sigma-twice
def sigmoid_grad(z):
    s = sigmoid(sigmoid(z))
    return s * (1.0 - s)


# mutant: sigmoid_grad-plus-instead-of-minus
# plants: sigmoid_grad-plus
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 + s)


# mutant: sigmoid_grad-missing-minus-chain-rule
def sigmoid_grad(z):
    s = sigmoid(z)
    return -s * (1.0 - s)


# mutant: mse-sum-not-mean
# plants: mse-sum
def mse(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2))


# mutant: mse-divide-by-rows
# plants: mse-rows
def mse(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2) / y_pred.shape[0])


# mutant: mse-half-factor
# plants: mse-half
def mse(y_pred, y_true):
    return float(0.5 * np.mean((y_pred - y_true) ** 2))


# mutant: mse-no-square
# plants: mse-abs, mse-abs-or-rmse
def mse(y_pred, y_true):
    return float(np.mean(np.abs(y_pred - y_true)))


# mutant: mse-sqrt
# plants: mse-rmse, mse-abs-or-rmse
def mse(y_pred, y_true):
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


# mutant: mse-half-sum
# plants: mse-half-sum
def mse(y_pred, y_true):
    return float(0.5 * np.sum((y_pred - y_true) ** 2))


# mutant: mse-array-of-shape-1
def mse(y_pred, y_true):
    return np.atleast_1d(np.mean((y_pred - y_true) ** 2))


# mutant: mse_grad-missing-2
# plants: mse_grad-missing-2
def mse_grad(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size


# mutant: mse_grad-divide-by-rows
# plants: mse_grad-rows
def mse_grad(y_pred, y_true):
    return 2.0 * (y_pred - y_true) / y_pred.shape[0]


# mutant: mse_grad-difference-only
# plants: mse_grad-difference-only
def mse_grad(y_pred, y_true):
    return y_pred - y_true


# mutant: mse_grad-sign
# plants: mse_grad-sign
def mse_grad(y_pred, y_true):
    return 2.0 * (y_true - y_pred) / y_pred.size


# mutant: mse_grad-no-mean
# plants: mse_grad-no-mean
def mse_grad(y_pred, y_true):
    return 2.0 * (y_pred - y_true)


# mutant: forward-missing-b1
# plants: forward-missing-b1
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"])
    return h @ params["W2"] + params["b2"]


# mutant: forward-missing-b2
# plants: forward-missing-b2
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"] + params["b1"])
    return h @ params["W2"]


# mutant: forward-no-sigmoid
# plants: forward-no-sigmoid
def two_layer_forward(params, X):
    h = X @ params["W1"] + params["b1"]
    return h @ params["W2"] + params["b2"]


# mutant: forward-W1-transposed
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"].T + params["b1"])
    return h @ params["W2"] + params["b2"]


# mutant: forward-output-transposed
def two_layer_forward(params, X):
    h = sigmoid(params["W1"].T @ X.T + params["b1"][:, None])
    return params["W2"].T @ h + params["b2"][:, None]


# mutant: forward-sigmoid-on-output
# plants: forward-sigmoid-on-output
def two_layer_forward(params, X):
    h = sigmoid(X @ params["W1"] + params["b1"])
    return sigmoid(h @ params["W2"] + params["b2"])


# mutant: net-dz-sigma-prime-of-h
# plants: net-dz-at-h
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-missing-sigmoid-derivative
# plants: net-dz-missing
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = dy @ W2.T
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-dy-missing-2
# plants: net-dy-missing-2
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = np.mean((y_pred - Y) ** 2)
    dy = (y_pred - Y) / y_pred.size
    dz = (dy @ W2.T) * h * (1 - h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-dy-divided-by-N
# plants: net-dy-rows
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = 2 * (y_pred - Y) / N
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-bias-grads-mean
# plants: net-bias-mean
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.mean(axis=0), "W2": h.T @ dy, "b2": dy.mean(axis=0)}
    return loss, grads


# mutant: net-dW2-transposed
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": dy.T @ h, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-grads-wrong-key-names
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"dW1": X.T @ dz, "db1": dz.sum(axis=0), "dW2": h.T @ dy, "db2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-dW1-skips-sigmoid-derivative
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dh = dy @ W2.T
    dz = dh * sigmoid_grad(z)
    grads = {"W1": X.T @ dh, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-half-loss-consistent-grads
# plants: net-loss-half, net-dy-missing-2
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = 0.5 * np.mean((y_pred - Y) ** 2)
    dy = (y_pred - Y) / y_pred.size
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-updates-params-in-place
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    for key in params:
        params[key] -= 1e-3 * grads[key]
    return loss, grads


# mutant: net-dy-difference-only
# plants: net-dy-difference-only
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = np.mean((y_pred - Y) ** 2)
    dy = y_pred - Y
    dz = (dy @ W2.T) * h * (1 - h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-dy-no-mean
# plants: net-dy-no-mean
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = np.mean((y_pred - Y) ** 2)
    dy = 2 * (y_pred - Y)
    dz = (dy @ W2.T) * h * (1 - h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-loss-summed
# plants: net-loss-sum
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = np.sum((y_pred - Y) ** 2)
    dy = 2 * (y_pred - Y) / y_pred.size
    dz = (dy @ W2.T) * h * (1 - h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: net-loss-halved
# plants: net-loss-half
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = 0.5 * np.mean((y_pred - Y) ** 2)
    dy = 2 * (y_pred - Y) / y_pred.size
    dz = (dy @ W2.T) * h * (1 - h)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
    return loss, grads


# mutant: adagrad-eps-inside-sqrt
# plants: adagrad-eps-inside-sqrt
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / np.sqrt(new_cache + eps), new_cache


# mutant: adagrad-no-accumulation
# plants: adagrad-no-accumulation
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: adagrad-old-cache-in-update
# plants: adagrad-old-cache
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_param = param - lr * grad / (np.sqrt(cache) + eps)
    return new_param, cache + grad**2


# mutant: adagrad-param-in-place
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    param -= lr * grad / (np.sqrt(new_cache) + eps)
    return param, new_cache


# mutant: adagrad-cache-in-place
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    cache += grad**2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: adagrad-sign
# plants: adagrad-sign
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param + lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: adagrad-missing-sqrt
# plants: adagrad-missing-sqrt
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / (new_cache + eps), new_cache


# mutant: adagrad-eps-argument-ignored
# plants: adagrad-eps-ignored
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + 1e-8), new_cache


# mutant: adagrad-lr-argument-ignored
# plants: adagrad-lr-ignored
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = cache + grad**2
    return param - 0.01 * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: adagrad-wrong-default-lr
def adagrad_step(param, grad, cache, lr=1e-3, eps=1e-8):
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: adagrad-wrong-default-eps
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-7):
    new_cache = cache + grad**2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache


# mutant: dropout-p-as-keep-probability
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) < p
    return x * mask / p, mask


# mutant: dropout-no-scaling
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: dropout-global-np-random
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-own-default-rng
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    rng = np.random.default_rng(0)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-accepts-p-1
def dropout_forward(x, p, rng, train=True):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-accepts-negative-p
def dropout_forward(x, p, rng, train=True):
    if p >= 1:
        raise ValueError("p must be below 1")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-assert-not-valueerror
def dropout_forward(x, p, rng, train=True):
    assert 0 <= p < 1, "p must be in [0, 1)"
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-rejects-p-0
def dropout_forward(x, p, rng, train=True):
    if not 0 < p < 1:
        raise ValueError("p must be in (0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-p-0-returns-no-mask
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train or p == 0:
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-eval-scales-by-keep-probability
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-eval-still-drops
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: dropout-mask-float
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * mask / (1 - p), mask


# mutant: dropout-mask-int
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.binomial(1, 1 - p, size=x.shape)
    return x * mask / (1 - p), mask


# mutant: dropout-mask-inverted
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) < p  # the dropped ones
    out = x / (1 - p)
    out[mask] = 0
    return out, mask


# mutant: dropout_backward-missing-scaling
# plants: dropout_backward-unscaled
def dropout_backward(dout, mask, p):
    return dout * mask


# mutant: dropout_backward-times-keep-probability
# plants: dropout_backward-times-keep
def dropout_backward(dout, mask, p):
    return dout * mask * (1 - p)


# mutant: dropout_backward-ignores-mask
# plants: dropout_backward-no-mask
def dropout_backward(dout, mask, p):
    return dout / (1 - p)


# mutant: dropout_backward-divides-by-p
# plants: dropout_backward-divides-by-p
def dropout_backward(dout, mask, p):
    return dout * mask / p
