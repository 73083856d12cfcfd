"""Wrong implementations of hw2, one bug each, as students really write them.

Each entry replaces one function of the reference solution (see tests/catalogue/__init__.py
for the format). `plants:` names the known mistakes (hint ids) the bug is; an entry without
it plants a mistake no hint models. Each says where the mistake comes from: the classic
failure modes of CS231n's softmax and two-layer-net assignments (naive softmax, log of a
softmax that underflows, in-place updates of cached arrays, the bias gradient), Coursera
Deep Learning Specialization and d2l.ai exercise forums (axis and keepdims slips, one-hot
indexing, the 1/N), library look-alikes (Keras' hard_sigmoid and epsilon clipping), numpy
pitfalls (np.max for np.maximum, booleans for floats, float64 constants) and the minibatch
loops of textbooks (dropping the last batch, np.random's global state).
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: relu-abs
# plants: relu-abs
# a slip between the lecture's two piecewise-linear functions
def relu(z):
    return np.abs(z)


# mutant: relu-minimum
# plants: relu-min
# np.minimum for np.maximum
def relu(z):
    return np.minimum(z, 0)


# mutant: relu-np-max-reduces
# numpy pitfall: np.max(z, 0) is the maximum along axis 0, not the elementwise max with 0
def relu(z):
    return np.max(z, 0)


# mutant: relu-in-place
# CS231n: zeroing the negatives of the input itself, which the caller keeps (and the backward pass reuses)
def relu(z):
    z[z < 0] = 0
    return z


# mutant: relu-float64-zeros
# numpy pitfall: np.zeros is float64, so float32 inputs come back as float64 (loses the dtype check only)
def relu(z):
    return np.maximum(z, np.zeros(np.shape(z)))


# mutant: relu_grad-at-zero
# plants: relu_grad-at-zero
# the convention at the kink: z >= 0 gives relu'(0) = 1
def relu_grad(z):
    return (z >= 0).astype(z.dtype)


# mutant: relu_grad-booleans
# numpy pitfall: the mask itself, booleans where floats are asked
def relu_grad(z):
    return z > 0


# mutant: relu_grad-returns-relu
# plants: relu_grad-returns-relu
# the activation for its derivative
def relu_grad(z):
    return np.maximum(z, 0)


# mutant: relu_grad-float64
# astype(float) is float64: right values, float32 upcast (loses the dtype check only)
def relu_grad(z):
    return (z > 0).astype(float)


# mutant: hard_sigmoid-no-half
# plants: hard_sigmoid-no-half
# the lecture's formula without its 1/2
def hard_sigmoid(z):
    return relu(z + 1) - relu(z - 1)


# mutant: hard_sigmoid-keras
# plants: hard_sigmoid-keras
# Keras' hard_sigmoid (clip(0.2 z + 0.5, 0, 1)), a different function of the same name
def hard_sigmoid(z):
    return np.clip(0.2 * z + 0.5, 0, 1)


# mutant: hard_sigmoid-clip-identity
# clipping z itself to [0, 1]: a "hard" version of the wrong curve
def hard_sigmoid(z):
    return np.clip(z, 0, 1)


# mutant: hard_sigmoid-float64-half
# a numpy float64 constant upcasts float32 (NEP 50): right values, wrong dtype
def hard_sigmoid(z):
    return (relu(z + 1) - relu(z - 1)) * np.float64(0.5)


# mutant: softmax-naive
# CS231n assignment 1: the textbook formula without the maximum subtracted overflows for large logits
def softmax(logits):
    e = np.exp(logits)
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: softmax-axis0
# plants: softmax-axis0
# d2l forum: normalizing the columns
def softmax(logits):
    e = np.exp(logits - np.max(logits, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# mutant: softmax-no-keepdims
# the (N,) row sums broadcast against the columns: an error, or a wrong result when N == C
def softmax(logits):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    return e / np.sum(e, axis=1)


# mutant: softmax-global-sum
# plants: softmax-global-sum
# normalizing by the sum of the whole batch
def softmax(logits):
    e = np.exp(logits - np.max(logits))
    return e / np.sum(e)


# mutant: softmax-global-max
# CS231n: subtracting the maximum of the whole array, not of each row: rows far below it underflow to 0 / 0
def softmax(logits):
    e = np.exp(logits - np.max(logits))
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: softmax-float64
# computing in float64 and returning it for float32 inputs (loses the dtype check only)
def softmax(logits):
    z = logits.astype(np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# mutant: softmax-in-place
# CS231n: logits -= max changes the caller's array
def softmax(logits):
    logits -= np.max(logits, axis=1, keepdims=True)
    e = np.exp(logits)
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: ce-log-of-softmax
# CS231n / DLS: -log(softmax) is log(0) = -inf for a confidently wrong prediction
def cross_entropy(logits, y):
    p = softmax(logits)
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))


# mutant: ce-sum
# plants: ce-sum
# the sum over the batch, not the mean
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.sum(log_p[np.arange(len(y)), y]))


# mutant: ce-sign
# plants: ce-sign
# the minus sign of the negative log-likelihood forgotten
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(np.mean(log_p[np.arange(len(y)), y]))


# mutant: ce-mean-over-all-entries
# plants: ce-all-entries
# DLS forum: np.mean over the one-hot product averages over N * C entries
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    onehot = np.zeros_like(log_p)
    onehot[np.arange(len(y)), y] = 1
    return float(-np.mean(onehot * log_p))


# mutant: ce-column-indexing
# d2l forum: log_p[:, y] picks every row's entries at every label (an N x N block), not one per row
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.mean(log_p[:, y]))


# mutant: ce-epsilon
# "add a small epsilon inside the log": finite, but 27.6 where a confidently wrong prediction costs 2e4
def cross_entropy(logits, y):
    p = softmax(logits.astype(np.float64))
    return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))


# mutant: ceg-no-mean
# plants: ceg-no-mean
# CS231n: the gradient of the summed loss (the 1/N forgotten)
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[np.arange(len(y)), y] -= 1
    return d


# mutant: ceg-sign
# plants: ceg-sign
# onehot - softmax: the gradient of the log-likelihood, not of its negative
def cross_entropy_grad(logits, y):
    d = -softmax(logits)
    d[np.arange(len(y)), y] += 1
    return d / len(y)


# mutant: ceg-eye-upcast
# the issue's own example: np.eye(C)[y] is float64, so float32 logits give a float64 gradient (dtype check only)
def cross_entropy_grad(logits, y):
    return (softmax(logits) - np.eye(logits.shape[1])[y]) / logits.shape[0]


# mutant: ceg-over-size
# dividing by every entry (N * C), as for an elementwise mean
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[np.arange(len(y)), y] -= 1
    return d / logits.size


# mutant: ceg-naive-softmax
# the gradient from an unstable softmax: nan for logits of 1e4
def cross_entropy_grad(logits, y):
    e = np.exp(logits)
    d = e / np.sum(e, axis=1, keepdims=True)
    d[np.arange(len(y)), y] -= 1
    return d / len(y)


# mutant: bce-naive
# DLS week 2: sigma first, then the logs: log(0) for |z| of a few hundred
def binary_cross_entropy(z, y):
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: bce-keras-clip
# Keras: probabilities clipped to [1e-7, 1 - 1e-7] cap the loss of a confident mistake at 16
def binary_cross_entropy(z, y):
    s = np.clip(np.exp(-np.logaddexp(0, -z.astype(np.float64))), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: bce-sum
# plants: bce-sum
# the sum over the examples
def binary_cross_entropy(z, y):
    z = z.astype(np.float64)
    return float(np.sum(np.logaddexp(0.0, z) - y * z))


# mutant: bce-labels-swapped
# plants: bce-labels-swapped
# y paired with log(1 - sigma(z))
def binary_cross_entropy(z, y):
    z = z.astype(np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - (1 - y) * z))


# mutant: bce-sign-slip
# plants: bce-labels-swapped
# the -z form, log(1 + exp(-z)) + (1 - y) z, with y for 1 - y: which is the loss with the labels swapped
def binary_cross_entropy(z, y):
    z = z.astype(np.float64)
    return float(np.mean(np.logaddexp(0.0, -z) + y * z))


# mutant: forward-no-relu
# plants: forward-no-relu
# a linear model: the hidden layer's activation forgotten
def mlp_forward(params, X):
    return (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


# mutant: forward-missing-b2
# plants: forward-missing-b2
def mlp_forward(params, X):
    return relu(X @ params["W1"] + params["b1"]) @ params["W2"]


# mutant: forward-relu-on-logits
# plants: forward-relu-on-logits
# an activation after the output layer too: negative logits are lost
def mlp_forward(params, X):
    return relu(relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])


# mutant: forward-sigmoid-hidden
# hw1's network copied: a sigmoid hidden layer
def mlp_forward(params, X):
    h = np.exp(-np.logaddexp(0, -(X @ params["W1"] + params["b1"])))
    return h @ params["W2"] + params["b2"]


# mutant: mlg-relu-at-zero
# plants: mlg-relu-at-zero
# z >= 0 in the backward pass: relu'(0) = 1, seen only where a pre-activation is exactly 0
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * (z >= 0)
    return cross_entropy(logits, y), {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits,
                                      "b2": dlogits.sum(axis=0)}


# mutant: mlg-no-relu-grad
# plants: mlg-no-relu-grad
# the gradient passed through the ReLU unchanged
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = dlogits @ W2.T
    return cross_entropy(logits, y), {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits,
                                      "b2": dlogits.sum(axis=0)}


# mutant: mlg-bias-mean
# plants: mlg-bias-mean
# CS231n two-layer net: the bias gradients averaged, though dlogits already holds the 1/N
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return cross_entropy(logits, y), {"W1": X.T @ dz, "b1": dz.mean(axis=0), "W2": h.T @ dlogits,
                                      "b2": dlogits.mean(axis=0)}


# mutant: mlg-no-mean
# plants: mlg-no-mean
# the mean loss with the gradient of the summed loss (dlogits = softmax - onehot)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = softmax(logits)
    dlogits[np.arange(len(y)), y] -= 1
    dz = (dlogits @ W2.T) * relu_grad(z)
    return cross_entropy(logits, y), {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits,
                                      "b2": dlogits.sum(axis=0)}


# mutant: mlg-dW2-from-z
# plants: mlg-dW2-from-z
# CS231n forum: the pre-activation where the activation belongs in dW2
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return cross_entropy(logits, y), {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": z.T @ dlogits,
                                      "b2": dlogits.sum(axis=0)}


# mutant: mlg-dW1-transposed
# the factors of dW1 the wrong way round: shape (H, D)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return cross_entropy(logits, y), {"W1": dz.T @ X, "b1": dz.sum(axis=0), "W2": h.T @ dlogits,
                                      "b2": dlogits.sum(axis=0)}


# mutant: mlg-updates-params
# CS231n's TwoLayerNet: the update of the training loop written into the gradient function, in place
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}
    for k in params:
        params[k] -= 1e-3 * grads[k]
    return cross_entropy(logits, y), grads


# mutant: batches-drop-last
# plants: batches-drop-last
# textbook loops over range(n // batch_size) (and PyTorch's drop_last=True)
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


# mutant: batches-not-shuffled
# plants: batches-not-shuffled
# the shuffle forgotten: the same batches every epoch
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: batches-array-split
# plants: batches-array-split
# np.array_split spreads the remainder over the batches
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    return np.array_split(rng.permutation(n), -(-n // batch_size))


# mutant: batches-generator
# a generator (yield), where the contract asks for a list
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


# mutant: batches-global-rng
# np.random's global state instead of the generator given
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = np.random.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: batches-check-after-draw
# the arguments checked after the permutation is drawn: the generator has moved on before the ValueError
def minibatches(n, batch_size, rng):
    order = rng.permutation(max(n, 0))
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: batches-no-check
# no check at all: n = 0 gives [], batch_size = 0 fails inside range() after the draw
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: batches-choice
# rng.choice(n, n, replace=False) is a permutation too, but another draw than rng.permutation(n)
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = rng.choice(n, n, replace=False)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: batches-python-lists
# lists of Python ints where integer arrays are asked
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("bad sizes")
    order = rng.permutation(n).tolist()
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# mutant: sgd-ascent
# plants: sgd-ascent
# a sign slip: gradient ascent
def sgd_step(params, grads, lr):
    return {k: params[k] + lr * grads[k] for k in params}


# mutant: sgd-in-place
# CS231n-style in-place update (params[k] -= ...) of the caller's arrays
def sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return params


# mutant: sgd-no-lr
# plants: sgd-no-lr
def sgd_step(params, grads, lr):
    return {k: params[k] - grads[k] for k in params}


# mutant: sgd-network-keys-only
# the four keys of the network written out: any other parameter dict fails
def sgd_step(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in ("W1", "b1", "W2", "b2")}


# mutant: sgd-float64-lr
# np.float64(lr) upcasts float32 parameters (NEP 50): right values, wrong dtype
def sgd_step(params, grads, lr):
    return {k: params[k] - np.float64(lr) * grads[k] for k in params}


# mutant: train-no-shuffle
# every epoch in the data's order: the generator is never used
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for start in range(0, len(X), batch_size):
        idx = np.arange(start, min(start + batch_size, len(X)))
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, np.array(losses)


# mutant: train-loss-after-update
# the loss recorded after the step, not before it
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        _, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(mlp_loss_and_grads(params, X[idx], y[idx])[0])
    return params, np.array(losses)


# mutant: train-full-batch
# one step on all the data per epoch (batch gradient descent), ignoring batch_size
def train_epoch(params, X, y, lr, batch_size, rng):
    idx = minibatches(len(X), len(X), rng)[0]
    loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
    return sgd_step(params, grads, lr), np.array([loss])


# mutant: train-in-place
# the caller's parameter arrays updated in place
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        for k in params:
            params[k] -= lr * grads[k]
        losses.append(loss)
    return params, np.array(losses)


# mutant: train-losses-list
# a list of floats where a float64 array is asked
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, losses


# mutant: train-own-generator
# a generator of its own, seeded once: the same batches whatever rng is given
def train_epoch(params, X, y, lr, batch_size, rng):
    rng = np.random.default_rng(0)
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, np.array(losses)


# mutant: train-stale-grads
# every step with the gradients of the first minibatch's parameters (the update's result dropped)
def train_epoch(params, X, y, lr, batch_size, rng):
    losses, new = [], params
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        new = sgd_step(new, grads, lr)
        losses.append(loss)
    return new, np.array(losses)


# mutant: accuracy-count
# plants: accuracy-count
# the number right, not the fraction
def accuracy(logits, y):
    return float(np.sum(np.argmax(logits, axis=1) == y))


# mutant: accuracy-axis0
# argmax over the examples, not over the classes
def accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=0) == y))


# mutant: accuracy-last-on-ties
# plants: accuracy-last-on-ties
# ties to the last index (a hand-written loop with >=)
def accuracy(logits, y):
    right = 0
    for row, label in zip(logits, y):
        best = 0
        for c in range(len(row)):
            if row[c] >= row[best]:
                best = c
        right += best == label
    return right / len(y)


# mutant: accuracy-percent
# a percentage, not a fraction
def accuracy(logits, y):
    return float(100 * np.mean(np.argmax(logits, axis=1) == y))
