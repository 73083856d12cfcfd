"""Right implementations of hw2, written otherwise than the reference: masks, loops, einsum,
other stable forms, other return types the contract allows. Each must score 100."""

import numpy as np


# alternative: relu-where
def relu(z):
    return np.where(z > 0, z, 0)


# alternative: relu-mask-multiply
def relu(z):
    return z * (z > 0)  # -0.0 for negative entries: equal to 0


# alternative: relu_grad-heaviside
def relu_grad(z):
    return np.heaviside(z, 0)  # 0 at z = 0, in z's dtype


# alternative: relu_grad-sign
def relu_grad(z):
    return np.maximum(np.sign(z), 0)


# alternative: relu_grad-empty-and-mask
def relu_grad(z):
    out = np.zeros_like(z)
    out[z > 0] = 1
    return out


# alternative: hard_sigmoid-clip
def hard_sigmoid(z):
    return np.clip((z + 1) / 2, 0, 1)


# alternative: hard_sigmoid-piecewise
def hard_sigmoid(z):
    z = np.asarray(z)
    out = np.where(z <= -1, 0, np.where(z >= 1, 1, (z + 1) / 2))
    return out.astype(z.dtype)


# alternative: softmax-through-log-sum-exp
def softmax(logits):
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return np.exp(logits - lse)


# alternative: softmax-row-loop
def softmax(logits):
    out = np.empty_like(logits)
    for i, row in enumerate(logits):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


# alternative: softmax-einsum-normalizer
def softmax(logits):
    e = np.exp(logits - np.amax(logits, axis=-1)[:, None])
    return e * (1 / np.einsum("nc->n", e))[:, None]


# alternative: ce-logaddexp-reduce-float32
# computed in the logits' own precision and returned as a numpy float scalar (the contract allows it)
def cross_entropy(logits, y):
    lse = np.logaddexp.reduce(logits, axis=1)
    return np.mean(lse - logits[np.arange(len(y)), y])


# alternative: ce-python-loop
import math


def cross_entropy(logits, y):
    total = 0.0
    for row, label in zip(logits, y):
        m = max(float(v) for v in row)
        lse = m + math.log(sum(math.exp(float(v) - m) for v in row))
        total += lse - float(row[label])
    return total / len(y)


# alternative: ce-onehot-mask
def cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.arange(logits.shape[1]) == y[:, None]
    return float(-np.sum(np.where(onehot, log_p, 0)) / len(y))


# alternative: ceg-eye-of-dtype
def cross_entropy_grad(logits, y):
    return (softmax(logits) - np.eye(logits.shape[1], dtype=logits.dtype)[y]) / len(y)


# alternative: ceg-exp-of-log-softmax
def cross_entropy_grad(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    p = np.exp(shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True)))
    onehot = (np.arange(logits.shape[1])[None, :] == y[:, None]).astype(logits.dtype)
    return (p - onehot) / logits.shape[0]


# alternative: bce-softplus-branches
def binary_cross_entropy(z, y):
    z = z.astype(np.float64)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


# alternative: bce-two-softplus
# y * softplus(-z) + (1 - y) * softplus(z), in the input's precision, a numpy scalar
def binary_cross_entropy(z, y):
    return np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))


# alternative: forward-einsum
def mlp_forward(params, X):
    h = np.maximum(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"], 0)
    return np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]


# alternative: forward-dot
def mlp_forward(params, X):
    h = relu(np.dot(X, params["W1"]) + params["b1"][None, :])
    return np.dot(h, params["W2"]) + params["b2"][None, :]


# alternative: mlg-inline-masks
# no helper called: masks and a one-hot of its own
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    z = X @ W1 + b1
    on = z > 0
    h = np.where(on, z, 0.0)
    logits = h @ W2 + b2
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    onehot = np.eye(logits.shape[1])[y]
    loss = float(np.sum(onehot * (lse - logits)) / n)
    dlogits = (np.exp(logits - lse) - onehot) / n
    dz = np.where(on, dlogits @ W2.T, 0.0)
    return loss, {"W1": X.T @ dz, "b1": np.ones(n) @ dz, "W2": h.T @ dlogits, "b2": np.ones(n) @ dlogits}


# alternative: mlg-per-example
# the mean of each example's own gradients, one example at a time
def mlp_loss_and_grads(params, X, y):
    n = len(X)
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    loss = 0.0
    for x, label in zip(X, y):
        z = x @ params["W1"] + params["b1"]
        h = np.maximum(z, 0)
        logits = h @ params["W2"] + params["b2"]
        m = logits.max()
        p = np.exp(logits - m) / np.exp(logits - m).sum()
        loss += -(logits[label] - m - np.log(np.exp(logits - m).sum()))
        dlogits = p.copy()
        dlogits[label] -= 1
        dz = (params["W2"] @ dlogits) * (z > 0)
        grads["W2"] += np.outer(h, dlogits) / n
        grads["b2"] += dlogits / n
        grads["W1"] += np.outer(x, dz) / n
        grads["b1"] += dz / n
    return loss / n, grads


# alternative: batches-shuffle-arange
# rng.shuffle of arange(n) draws exactly what rng.permutation(n) draws
def minibatches(n, batch_size, rng):
    if not (n >= 1 and batch_size >= 1):
        raise ValueError(f"n and batch_size must be at least 1, got {n} and {batch_size}")
    order = np.arange(n)
    rng.shuffle(order)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# alternative: batches-np-split
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be >= 1")
    return list(np.split(rng.permutation(n), np.arange(batch_size, n, batch_size)))


# alternative: batches-while-loop
def minibatches(n, batch_size, rng):
    if n <= 0 or batch_size <= 0:
        raise ValueError("need positive n and batch_size")
    order, batches = rng.permutation(n), []
    while len(order):
        batches.append(order[:batch_size])
        order = order[batch_size:]
    return batches


# alternative: sgd-copy-then-update
def sgd_step(params, grads, lr):
    new = {k: v.copy() for k, v in params.items()}
    for k in new:
        new[k] -= lr * grads[k]
    return new


# alternative: sgd-np-subtract
def sgd_step(params, grads, lr):
    return dict((k, np.subtract(p, np.multiply(lr, grads[k]))) for k, p in params.items())


# alternative: train-inline
# no helper: the permutation, the batches and the update written out
def train_epoch(params, X, y, lr, batch_size, rng):
    order = rng.permutation(len(X))
    losses = np.empty(-(-len(X) // batch_size))
    for i, start in enumerate(range(0, len(X), batch_size)):
        idx = order[start:start + batch_size]
        losses[i], grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = {k: v - lr * grads[k] for k, v in params.items()}
    return params, losses


# alternative: train-helpers-list-of-losses
def train_epoch(params, X, y, lr, batch_size, rng):
    steps = [(params, None)]
    for idx in minibatches(X.shape[0], batch_size, rng):
        loss, grads = mlp_loss_and_grads(steps[-1][0], X[idx], y[idx])
        steps.append((sgd_step(steps[-1][0], grads, lr), loss))
    return steps[-1][0], np.fromiter((loss for _, loss in steps[1:]), dtype=np.float64)


# alternative: accuracy-count-nonzero
def accuracy(logits, y):
    return np.count_nonzero(logits.argmax(axis=1) == y) / y.shape[0]


# alternative: accuracy-loop
def accuracy(logits, y):
    right = 0
    for row, label in zip(logits, y):
        best = 0
        for c in range(1, len(row)):
            if row[c] > row[best]:
                best = c
        right += int(best == label)
    return right / len(y)
