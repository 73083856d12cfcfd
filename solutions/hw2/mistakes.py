"""The known mistakes of hw2: a model of each wrong implementation and the hint it earns.

When a student's output equals a model's on the failing input (and on the exercise's probes),
the grader shows the hint. The models are nearly solutions, so this file lives beside the
reference and never ships to students. Where each mistake comes from is said beside it.
"""

import numpy as np

from grader.exercise import Mistake


def _log_softmax(z):
    shifted = z - np.max(z, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _picked(z, y):
    return _log_softmax(z)[np.arange(len(y)), y]


def _onehot(z, y):
    out = np.zeros_like(z)
    out[np.arange(len(y)), y] = 1
    return out


def _net(params, X, y, *, gate=lambda z: z > 0, bias=np.sum, dlogits_scale=None, dw2_from=None):
    z = X @ params["W1"] + params["b1"]
    h = np.maximum(z, 0)
    logits = h @ params["W2"] + params["b2"]
    loss = float(-np.mean(_picked(logits, y)))
    dlogits = (np.exp(_log_softmax(logits)) - _onehot(logits, y)) / (dlogits_scale or len(y))
    dz = (dlogits @ params["W2"].T) * gate(z)
    return loss, {"W1": X.T @ dz, "b1": bias(dz, axis=0), "W2": (h if dw2_from is None else z).T @ dlogits,
                  "b2": bias(dlogits, axis=0)}


def _chunks(order, size):
    return [order[i:i + size] for i in range(0, len(order), size)]


MISTAKES = {
    "relu": (
        # a slip between the two piecewise functions of the lecture
        Mistake("relu-abs", "relu sets negative entries to 0; np.abs flips their sign instead", np.abs),
        # np.minimum for np.maximum: a common slip (CS231n forum threads on the ReLU layer)
        Mistake("relu-min", "relu keeps the positive entries: max(z, 0), not min(z, 0)", lambda z: np.minimum(z, 0)),
    ),
    "relu_grad": (
        # the convention at 0 (CS231n assignment 2 notes; PyTorch and TensorFlow take 0 there)
        Mistake("relu_grad-at-zero", "the contract takes relu'(0) = 0: use z > 0, not z >= 0",
                lambda z: (z >= 0).astype(z.dtype)),
        Mistake("relu_grad-returns-relu",
                "this returns relu(z) itself; its derivative is 1 where z > 0 and 0 elsewhere",
                lambda z: np.maximum(z, 0)),
        Mistake("relu_grad-sign", "the derivative is 1 where z > 0 (the unit is on), not where z < 0",
                lambda z: (z < 0).astype(z.dtype)),
    ),
    "hard_sigmoid": (
        Mistake("hard_sigmoid-no-half", "the difference of the two ReLUs rises from 0 to 2: divide it by 2",
                lambda z: np.maximum(z + 1, 0) - np.maximum(z - 1, 0)),
        # Keras' hard_sigmoid is clip(0.2 z + 0.5, 0, 1): another function of the same name
        Mistake("hard_sigmoid-keras", "this is Keras' hard sigmoid, clip(0.2 z + 0.5, 0, 1); the lecture's is "
                "(relu(z + 1) - relu(z - 1)) / 2, which reaches 0 and 1 at z = -1 and 1",
                lambda z: np.clip(0.2 * z + 0.5, 0, 1)),
        Mistake("hard_sigmoid-swapped",
                "the two ReLUs are the wrong way round: relu(z + 1) - relu(z - 1), not the reverse",
                lambda z: (np.maximum(z - 1, 0) - np.maximum(z + 1, 0)) / 2),
    ),
    "softmax": (
        # axis=0 instead of axis=1 (d2l forum, chapter 4.4 "softmax from scratch")
        Mistake("softmax-axis0", "normalize each row (axis=1, keepdims=True), not each column",
                lambda z: np.exp(z - z.max(axis=0)) / np.sum(np.exp(z - z.max(axis=0)), axis=0, keepdims=True)),
        Mistake("softmax-global-sum", "divide each row by its own sum (axis=1, keepdims=True), not by the sum of "
                "the whole array", lambda z: np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))),
    ),
    "cross_entropy": (
        Mistake("ce-sum", "the loss is the mean over the N examples: divide the sum by N",
                lambda z, y: float(-np.sum(_picked(z, y)))),
        Mistake("ce-sign", "log p is negative: the loss is MINUS the mean of log p[i, y_i]",
                lambda z, y: float(np.mean(_picked(z, y)))),
        Mistake("ce-all-entries", "average over the N examples only, not over all N * C entries",
                lambda z, y: float(-np.sum(_picked(z, y)) / z.size)),
        # the loss of every class, not of the label's (a one-hot product slip, Coursera DLS forum)
        Mistake("ce-every-class", "only the label's log-probability counts: log softmax(logits)[i, y_i], not the "
                "sum over all classes", lambda z, y: float(-np.mean(np.sum(_log_softmax(z), axis=1)))),
    ),
    "cross_entropy_grad": (
        Mistake("ceg-no-mean", "the loss is a mean over N examples, so its gradient is divided by N",
                lambda z, y: (np.exp(_log_softmax(z)) - _onehot(z, y)).astype(z.dtype)),
        Mistake("ceg-sign", "d(-log p_y)/dz = softmax - onehot(y), not onehot(y) - softmax",
                lambda z, y: ((_onehot(z, y) - np.exp(_log_softmax(z))) / len(y)).astype(z.dtype)),
        Mistake("ceg-no-onehot", "subtract 1 at each row's label: the gradient is (softmax - onehot(y)) / N",
                lambda z, y: (np.exp(_log_softmax(z)) / len(y)).astype(z.dtype)),
    ),
    "binary_cross_entropy": (
        Mistake("bce-sum", "the loss is the mean over the examples, not the sum",
                lambda z, y: float(np.sum(np.logaddexp(0, z.astype(float)) - y * z.astype(float)))),
        Mistake("bce-labels-swapped", "y = 1 goes with log sigma(z), y = 0 with log(1 - sigma(z)): the labels are "
                "swapped", lambda z, y: float(np.mean(np.logaddexp(0, z.astype(float)) - (1 - y) * z.astype(float)))),
    ),
    "mlp_forward": (
        Mistake("forward-no-relu", "the hidden layer needs the ReLU: h = relu(X W1 + b1)",
                lambda p, X: (X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
        Mistake("forward-missing-b2", "b2 is missing: logits = h W2 + b2",
                lambda p, X: np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"]),
        Mistake("forward-relu-on-logits", "the logits are not passed through the ReLU: only the hidden layer is",
                lambda p, X: np.maximum(np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"], 0)),
    ),
    "mlp_loss_and_grads": (
        Mistake("mlg-relu-at-zero", "relu'(0) is 0 by the contract's convention: the gradient passes where z > 0, "
                "not z >= 0", lambda p, X, y: _net(p, X, y, gate=lambda z: z >= 0)),
        Mistake("mlg-no-relu-grad", "the gradient flows back through the ReLU: multiply dh by relu'(z)",
                lambda p, X, y: _net(p, X, y, gate=lambda z: 1.0)),
        Mistake("mlg-bias-mean", "a bias is added to every row, so its gradient is the SUM of the rows' "
                "gradients (the 1/N is already in dlogits)", lambda p, X, y: _net(p, X, y, bias=np.mean)),
        Mistake("mlg-no-mean", "the loss is a mean over the N examples: dlogits = (softmax - onehot) / N",
                lambda p, X, y: _net(p, X, y, dlogits_scale=1)),
        # the pre-activation for the activation in dW2 (CS231n two-layer net, a frequent forum question)
        Mistake("mlg-dW2-from-z", "dW2 = h^T dlogits, with h = relu(z) the hidden activation, not z",
                lambda p, X, y: _net(p, X, y, dw2_from="z")),
    ),
    "minibatches": (
        Mistake("batches-drop-last", "keep the last batch even when it is smaller than batch_size",
                lambda n, b, rng: _chunks(rng.permutation(n), b)[:n // b]),
        Mistake("batches-not-shuffled", "shuffle with rng.permutation(n) before cutting into batches",
                lambda n, b, rng: _chunks(np.arange(n), b)),
        # np.array_split into ceil(n / b) parts spreads the remainder over all batches
        Mistake("batches-array-split", "np.array_split makes batches of nearly equal sizes; the contract wants "
                "batch_size indices in each but the last", lambda n, b, rng: np.array_split(rng.permutation(n),
                                                                                          -(-n // b))),
    ),
    "sgd_step": (
        Mistake("sgd-ascent", "gradient DESCENT goes against the gradient: params - lr * grads",
                lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}),
        Mistake("sgd-no-lr", "the step is the gradient times the learning rate lr",
                lambda p, g, lr: {k: p[k] - g[k] for k in p}),
    ),
    "accuracy": (
        Mistake("accuracy-count", "the accuracy is a fraction: divide the number right by N (np.mean)",
                lambda z, y: float(np.sum(np.argmax(z, axis=1) == y))),
        Mistake("accuracy-last-on-ties", "np.argmax takes the first index on ties; this takes the last",
                lambda z, y: float(np.mean(z.shape[1] - 1 - np.argmax(z[:, ::-1], axis=1) == y))),
    ),
}
