"""Homework 2: classification with a ReLU network, trained with minibatch SGD.

From regression to classification: a class is a label y in [0, C); the network's C
outputs (the logits) go through the softmax and are compared with the label by the
cross-entropy, the loss that maximum likelihood gives. The sigmoid of hw1 gives way to
the ReLU, and training runs in minibatches, an epoch being one pass over all of them.

Implement each function below where it says ``raise NotImplementedError``, then run
``grade hw2`` to see what is right, what is wrong and why. No function may modify its
inputs. Float arrays are float32 or float64, all float arrays of one call share one
dtype, and results keep it unless stated; the network functions (mlp_forward,
mlp_loss_and_grads, train_epoch) take float64. Labels y are integer arrays. A "float"
result may be a Python float or a numpy float scalar.
"""

import numpy as np


def relu(z):
    """
    The rectified linear unit, elementwise: relu(z) = max(z, 0).

    It lets positive values through and sets negative ones to 0. Unlike the sigmoid, it
    does not saturate for large z, so its gradient does not vanish there.

    Inputs:
    - z: float32 or float64 array of any shape
    Returns:
    - array of the same shape and dtype as z
    """
    ### BEGIN SOLUTION
    # np.maximum compares each entry with 0; a Python 0 keeps z's dtype (float32 stays float32).
    return np.maximum(z, 0)
    ### END SOLUTION


def relu_grad(z):
    """
    The derivative of relu at the pre-activation z, elementwise:
    relu'(z) = 1 where z > 0, and 0 where z <= 0.

    At z = 0 relu has a kink and no derivative; the convention (the one every deep
    learning library uses) is relu'(0) = 0.

    Inputs:
    - z: float32 or float64 array of any shape
    Returns:
    - array of z's shape and dtype holding 0.0s and 1.0s (floats, not booleans)
    """
    ### BEGIN SOLUTION
    # z > 0 is a boolean array (False at 0, the convention); astype makes it 0.0 and 1.0 in z's dtype.
    return (z > 0).astype(z.dtype)
    ### END SOLUTION


def hard_sigmoid(z):
    """
    The lecture's "hard sigmoid", a piecewise-linear sigmoid built from two ReLUs:
    hard_sigmoid(z) = (relu(z + 1) - relu(z - 1)) / 2,
    which is 0 for z <= -1, (z + 1) / 2 for -1 < z < 1, and 1 for z >= 1.

    (Sums of shifted ReLUs make any piecewise-linear function: this is why a ReLU
    network can approximate any continuous function.)

    Inputs:
    - z: float32 or float64 array of any shape
    Returns:
    - array of the same shape and dtype as z
    """
    ### BEGIN SOLUTION
    return (relu(z + 1) - relu(z - 1)) / 2
    ### END SOLUTION


def softmax(logits):
    """
    The softmax of each row: p[i, c] = exp(logits[i, c]) / sum_k exp(logits[i, k]).

    Each row of p is a probability distribution over the C classes. Subtracting a
    constant m from a row leaves its softmax unchanged (exp(z - m) = exp(z) / exp(m), and
    exp(m) cancels), so subtract each row's maximum first: then every exponent is <= 0,
    exp cannot overflow, and the largest term is exactly 1, so the sum cannot be 0.
    Without it, exp(1e4) is inf and the result nan.

    Must be stable and accurate for any logits with |logits| <= 1e4: no overflow
    warning, no nan or inf.

    Inputs:
    - logits: float32 or float64 array of shape (N, C)
    Returns:
    - p: array of shape (N, C) and the dtype of logits; each row sums to 1
    """
    ### BEGIN SOLUTION
    # keepdims=True keeps the (N, 1) shape, so that the row maxima and sums broadcast over the columns.
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)
    ### END SOLUTION


def cross_entropy(logits, y):
    """
    The mean cross-entropy loss of a softmax classifier:
    L = -(1/N) sum_i log softmax(logits)[i, y_i].

    Maximum likelihood: the network says p[i, c] is the probability that example i is of
    class c, and the likelihood of the labels is prod_i p[i, y_i]; its negative log,
    averaged over the examples, is L. Unlike the mse, it punishes a confident wrong answer
    without bound, and its gradient does not vanish when the softmax saturates.

    Compute it from the logits, not from the softmax: with m_i the maximum of row i,
    log softmax(logits)[i, c] = (logits[i, c] - m_i) - log sum_k exp(logits[i, k] - m_i)
    (the log-sum-exp trick). log(softmax) would be log(0) = -inf for a confidently
    wrong prediction; this form stays finite (and large) for |logits| up to 1e4.

    Inputs:
    - logits: float32 or float64 array of shape (N, C)
    - y: integer array of shape (N,), the labels, each in [0, C)
    Returns:
    - L: the loss, a float
    """
    ### BEGIN SOLUTION
    n = logits.shape[0]
    shifted = logits.astype(np.float64) - np.max(logits, axis=1, keepdims=True)
    log_sum_exp = np.log(np.sum(np.exp(shifted), axis=1))
    # Fancy indexing picks one entry per row: shifted[i, y[i]] for every i at once.
    log_p = shifted[np.arange(n), y] - log_sum_exp
    return float(-np.mean(log_p))
    ### END SOLUTION


def cross_entropy_grad(logits, y):
    """
    The gradient of cross_entropy with respect to the logits:
    dL/dlogits = (softmax(logits) - onehot(y)) / N,
    where onehot(y)[i, c] is 1 if c == y_i and 0 otherwise.

    For one example, d(-log p_y)/dz_c = p_c - [c == y]: the softmax and the log cancel
    into this simple form; the mean over N examples divides by N.

    Inputs:
    - logits: float32 or float64 array of shape (N, C), |logits| <= 1e4
    - y: integer array of shape (N,), the labels, each in [0, C)
    Returns:
    - dlogits: array of shape (N, C) and the dtype of logits
    """
    ### BEGIN SOLUTION
    n = logits.shape[0]
    dlogits = softmax(logits)  # a new array: changing it leaves logits alone
    dlogits[np.arange(n), y] -= 1  # subtract the one-hot without building it (np.eye would be float64)
    return dlogits / n
    ### END SOLUTION


def binary_cross_entropy(z, y):
    """
    Logistic regression's loss, from the logit z (two classes, one output):
    L = mean_i -[y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i))].

    With log sigma(z) = -log(1 + exp(-z)) and log(1 - sigma(z)) = -log(1 + exp(z)), each
    term is log(1 + exp(z_i)) - y_i z_i; and log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|))
    (np.logaddexp(0, z) computes it) never overflows. Computing sigma(z) first would give
    log(0) = -inf for |z| of a few hundred.

    Must be finite and warning-free for |z| up to 1e4.

    Inputs:
    - z: float32 or float64 array of shape (N,), the logits
    - y: array of shape (N,) of 0s and 1s (integer or float), the labels
    Returns:
    - L: the loss, a float
    """
    ### BEGIN SOLUTION
    z = z.astype(np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
    ### END SOLUTION


def mlp_forward(params, X):
    """
    The forward pass of a two-layer ReLU network (a multi-layer perceptron):
    h = relu(X W1 + b1), logits = h W2 + b2.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), float64
    - X: float64 array of shape (N, D), one example per row
    Returns:
    - logits: float64 array of shape (N, C)
    """
    ### BEGIN SOLUTION
    h = relu(X @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]
    ### END SOLUTION


def mlp_loss_and_grads(params, X, y):
    """
    The cross-entropy loss of the network and its gradient with respect to every parameter.

    Forward: z = X W1 + b1, h = relu(z), logits = h W2 + b2, L = cross_entropy(logits, y).
    Backward (the chain rule, from dL/dlogits back to each parameter):
    dlogits = dL/dlogits (from cross_entropy_grad), dW2 = h^T dlogits, db2 = sum over rows of
    dlogits, dh = dlogits W2^T, dz = dh * relu'(z), dW1 = X^T dz, db1 = sum over rows of dz,
    with relu'(0) = 0.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), float64
    - X: float64 array of shape (N, D)
    - y: integer array of shape (N,), labels in [0, C)
    Returns a tuple of:
    - loss: float, the mean cross-entropy
    - grads: dict with the same keys and shapes as params: grads[k] = dL/dparams[k]
    """
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)  # the gradient flows only through units that were on
    grads = {
        "W1": X.T @ dz,
        "b1": dz.sum(axis=0),  # b1 is added to every row: its gradient is the sum over the rows
        "W2": h.T @ dlogits,
        "b2": dlogits.sum(axis=0),
    }
    return loss, grads
    ### END SOLUTION


def minibatches(n, batch_size, rng):
    """
    The index batches of one epoch: shuffle range(n) with exactly one call
    rng.permutation(n) (nothing else drawn from rng), then cut it, in order, into
    consecutive chunks of batch_size indices. The last chunk holds the remainder: it may
    be smaller, but is never empty and never dropped.

    Shuffling every epoch makes each minibatch a fresh random sample of the data, so
    its gradient is an unbiased estimate of the full gradient.

    Inputs:
    - n: int, the number of examples
    - batch_size: int, the indices per batch
    - rng: a numpy Generator, e.g. np.random.default_rng(0)
    Returns:
    - a list (not a generator) of 1-d integer arrays, which together hold each of
      0, ..., n - 1 exactly once
    Raises:
    - ValueError, before drawing anything from rng, unless n >= 1 and batch_size >= 1
    """
    ### BEGIN SOLUTION
    # Check the arguments first: a generator that was drawn from before the error has moved on.
    if n < 1 or batch_size < 1:
        raise ValueError(f"need n >= 1 and batch_size >= 1, got n={n}, batch_size={batch_size}")
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]
    ### END SOLUTION


def sgd_step(params, grads, lr):
    """
    One step of (stochastic) gradient descent: theta <- theta - lr * dL/dtheta, for every
    parameter. Returns a new dict; the arrays of params stay as they were.

    Inputs:
    - params: dict of float arrays, any keys
    - grads: dict with the keys of params, each of the shape of its parameter
    - lr: the learning rate, a Python float
    Returns:
    - a new dict {k: params[k] - lr * grads[k]} for every key k of params
    """
    ### BEGIN SOLUTION
    return {key: params[key] - lr * grads[key] for key in params}
    ### END SOLUTION


def train_epoch(params, X, y, lr, batch_size, rng):
    """
    One epoch of minibatch SGD: for each idx in minibatches(len(X), batch_size, rng), in
    order, compute the minibatch's loss and gradients with
    mlp_loss_and_grads(params, X[idx], y[idx]), then take one step with sgd_step.

    Each step follows the gradient of one minibatch: a noisy but cheap estimate of the
    gradient of the whole training set, N / batch_size steps per pass over the data.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), float64
    - X: float64 array of shape (N, D)
    - y: integer array of shape (N,), labels in [0, C)
    - lr: the learning rate, a Python float
    - batch_size: int
    - rng: a numpy Generator, used for the one permutation of minibatches
    Returns a tuple of:
    - new_params: dict with the keys and shapes of params, after the epoch
    - losses: float64 array with one entry per minibatch: its loss before its update
    """
    ### BEGIN SOLUTION
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)  # a new dict: the caller's params are never changed
        losses.append(loss)
    return params, np.array(losses, dtype=np.float64)
    ### END SOLUTION


def accuracy(logits, y):
    """
    The fraction of examples classified right: the predicted class of row i is the index
    of its largest logit (the first one on ties, as np.argmax gives), and the accuracy is
    the fraction of rows where it equals y_i.

    Inputs:
    - logits: float32 or float64 array of shape (N, C)
    - y: integer array of shape (N,), labels in [0, C)
    Returns:
    - a float in [0, 1]
    """
    ### BEGIN SOLUTION
    return float(np.mean(np.argmax(logits, axis=1) == y))
    ### END SOLUTION
