"""Correct forms of hw2 written in review, from issue 12's contract alone, by a reviewer who had
not seen hw2's reference, grader or first catalogue. Each is right by the contract in another
way than the obvious one; a comment says why where it is not plain. No entry defines a helper
of its own, so none can replace one of the reference's.
"""

import numpy as np  # the reference imports it; the entries below use it


# alternative: review-alt-relu-times-mask
# z * (z > 0): the booleans become z's dtype; -0.0 for negative z equals 0.0
def relu(z):
    return z * (z > 0)


# alternative: review-alt-relu-abs-half
# (z + |z|) / 2 is exact: z + |z| is 2z or 0, halving is exact
def relu(z):
    return (z + np.abs(z)) / 2


# alternative: review-alt-relu-clip
def relu(z):
    return np.clip(z, 0, None)


# alternative: review-alt-relu-grad-sign-of-relu
# sign(relu(z)) is 1 for z > 0 and 0 elsewhere, in z's dtype
def relu_grad(z):
    return np.sign(relu(z))


# alternative: review-alt-relu-grad-heaviside
def relu_grad(z):
    return np.heaviside(z, 0).astype(z.dtype, copy=False)


# alternative: review-alt-relu-grad-where
def relu_grad(z):
    one, zero = z.dtype.type(1), z.dtype.type(0)
    return np.where(z > 0, one, zero)


# alternative: review-alt-hsig-clip
# (z + 1) / 2 clipped to [0, 1]: the same rounding as the two ReLUs between the knees
def hard_sigmoid(z):
    return np.clip((z + 1) / 2, 0, 1)


# alternative: review-alt-hsig-piecewise
def hard_sigmoid(z):
    return np.piecewise(z, [z <= -1, (z > -1) & (z < 1), z >= 1], [0, lambda t: (t + 1) / 2, 1])


# alternative: review-alt-hsig-min-max
def hard_sigmoid(z):
    return np.minimum(np.maximum(0.5 * z + 0.5, 0), 1)


# alternative: review-alt-softmax-log-domain
# exp(s - log sum exp(s)) with s = z - max: as accurate as dividing
def softmax(logits):
    s = logits - np.max(logits, axis=1, keepdims=True)
    return np.exp(s - np.log(np.sum(np.exp(s), axis=1, keepdims=True)))


# alternative: review-alt-softmax-rows-loop
def softmax(logits):
    out = np.empty_like(logits)
    for i, row in enumerate(logits):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


# alternative: review-alt-softmax-einsum-transpose
# rows normalised through the transpose, the sum by einsum
def softmax(logits):
    e = np.exp(logits.T - logits.max(axis=1))
    return (e / np.einsum("cn->n", e)).T


# alternative: review-alt-ce-logaddexp-reduce
# log-sum-exp by np.logaddexp.reduce: pairwise-stable, no shift needed
def cross_entropy(logits, y):
    picked = np.take_along_axis(logits, y[:, None], axis=1)[:, 0]
    return float(np.mean(np.logaddexp.reduce(logits, axis=1) - picked))


# alternative: review-alt-ce-einsum-onehot
def cross_entropy(logits, y):
    n, c = logits.shape
    m = logits.max(axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    onehot = (np.arange(c) == y[:, None]).astype(logits.dtype)
    return -np.einsum("nc,nc->", onehot, log_probs) / n


# alternative: review-alt-ce-loop
import math


def cross_entropy(logits, y):
    total = 0.0
    for row, label in zip(logits.astype(np.float64), y):
        m = max(row)
        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[label]
    return total / len(y)


# alternative: review-alt-ceg-mask
# the one-hot as a boolean mask: subtracting booleans keeps logits' dtype
def cross_entropy_grad(logits, y):
    onehot = np.arange(logits.shape[1]) == y[:, None]
    return (softmax(logits) - onehot) / logits.shape[0]


# alternative: review-alt-ceg-eye-with-dtype
def cross_entropy_grad(logits, y):
    onehot = np.eye(logits.shape[1], dtype=logits.dtype)[y]
    return (softmax(logits) - onehot) / len(y)


# alternative: review-alt-ceg-loop
def cross_entropy_grad(logits, y):
    n = logits.shape[0]
    d = np.empty_like(logits)
    for i in range(n):
        e = np.exp(logits[i] - logits[i].max())
        d[i] = e / e.sum()
        d[i, y[i]] -= 1
    return d / n


# alternative: review-alt-bce-tf-form
# TensorFlow's form max(z, 0) - z y + log(1 + exp(-|z|)): no overflow, no cancellation for 0/1 labels
def binary_cross_entropy(z, y):
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


# alternative: review-alt-bce-softplus-minus-yz
# -log sigma(z) = softplus(z) - z, so the loss is softplus(z) - y z
def binary_cross_entropy(z, y):
    return np.mean(np.logaddexp(0, z) - y * z)


# alternative: review-alt-bce-where
def binary_cross_entropy(z, y):
    return float(np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))))


# alternative: review-alt-fwd-einsum
def mlp_forward(params, X):
    h = np.maximum(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"], 0)
    return np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]


# alternative: review-alt-fwd-rows-loop
def mlp_forward(params, X):
    rows = [relu(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"] for x in X]
    return np.array(rows).reshape(X.shape[0], params["W2"].shape[1])


# alternative: review-alt-fwd-augmented
# the biases folded into the weights: [X, 1] @ [W1; b1]
def mlp_forward(params, X):
    ones = np.ones((X.shape[0], 1))
    h = np.maximum(np.hstack([X, ones]) @ np.vstack([params["W1"], params["b1"]]), 0)
    return np.hstack([h, ones]) @ np.vstack([params["W2"], params["b2"]])


# alternative: review-alt-net-mask-from-h-naive-softmax
# the mask read off h > 0 (the same as z > 0); softmax without the maximum is safe since a
# network's logits stay within +-50; the one-hot by np.eye (the network takes float64)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    h = np.maximum(X @ W1 + b1, 0)
    logits = h @ W2 + b2
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean()
    dlogits = (p - np.eye(W2.shape[1])[y]) / n
    dz = np.where(h > 0, dlogits @ W2.T, 0.0)
    return float(loss), {"W1": X.T @ dz, "b1": np.add.reduce(dz, axis=0),
                         "W2": h.T @ dlogits, "b2": np.add.reduce(dlogits, axis=0)}


# alternative: review-alt-net-einsum
def mlp_loss_and_grads(params, X, y):
    z = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    h = relu(z)
    logits = np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]
    dlogits = cross_entropy_grad(logits, y)
    dz = np.einsum("nc,hc->nh", dlogits, params["W2"]) * relu_grad(z)
    grads = {"W1": np.einsum("nd,nh->dh", X, dz), "b1": np.einsum("nh->h", dz),
             "W2": np.einsum("nh,nc->hc", h, dlogits), "b2": np.einsum("nc->c", dlogits)}
    return cross_entropy(logits, y), grads


# alternative: review-alt-mb-shuffle-split
# rng.shuffle(np.arange(n)) is what rng.permutation(n) does: the same draw, the same state
def minibatches(n, batch_size, rng):
    if not (n >= 1 and batch_size >= 1):
        raise ValueError("need n >= 1 and batch_size >= 1")
    order = np.arange(n)
    rng.shuffle(order)
    return np.split(order, np.arange(batch_size, n, batch_size))


# alternative: review-alt-mb-while
def minibatches(n, batch_size, rng):
    if n < 1:
        raise ValueError("n must be at least 1")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order, batches, start = rng.permutation(n), [], 0
    while start < n:
        batches.append(order[start:min(start + batch_size, n)])
        start += batch_size
    return batches


# alternative: review-alt-mb-permuted
# rng.permuted(np.arange(n)) shuffles a copy: the same draw as rng.permutation(n)
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permuted(np.arange(n))
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


# alternative: review-alt-sgd-deepcopy-inplace
# the in-place update is right on a deep copy
import copy


def sgd_step(params, grads, lr):
    new = copy.deepcopy(params)
    for name in new:
        new[name] -= lr * grads[name]
    return new


# alternative: review-alt-sgd-copy-then-subtract
# a new dict of new arrays (np.subtract allocates); the given arrays are left alone
def sgd_step(params, grads, lr):
    new = {}
    for name, value in params.items():
        new[name] = np.subtract(value, lr * grads[name])
    return new


# alternative: review-alt-train-one-permutation
# shuffling X and y with one permutation, then consecutive slices, is the same epoch
def train_epoch(params, X, y, lr, batch_size, rng):
    n = len(X)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    perm = rng.permutation(n)
    Xs, ys = X[perm], y[perm]
    losses = np.empty(-(-n // batch_size), dtype=np.float64)
    for i, start in enumerate(range(0, n, batch_size)):
        losses[i], grads = mlp_loss_and_grads(params, Xs[start:start + batch_size], ys[start:start + batch_size])
        params = {k: params[k] - lr * grads[k] for k in params}
    return params, losses


# alternative: review-alt-train-preallocated
def train_epoch(params, X, y, lr, batch_size, rng):
    batches = minibatches(X.shape[0], batch_size, rng)
    losses = np.zeros(len(batches))
    for i, idx in enumerate(batches):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        losses[i] = loss
        params = sgd_step(params, grads, lr)
    return params, losses


# alternative: review-alt-acc-count-nonzero
def accuracy(logits, y):
    return np.count_nonzero(logits.argmax(axis=1) == y) / len(y)


# alternative: review-alt-acc-loop
def accuracy(logits, y):
    hits = 0
    for row, label in zip(logits, y):
        hits += int(np.argmax(row) == label)
    return hits / len(y)
