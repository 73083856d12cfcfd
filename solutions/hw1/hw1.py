"""Homework 1: regression with a two-layer network, from scratch in numpy.

Implement each function below where it says ``raise NotImplementedError``, then run
``grade hw1`` to see what is right, what is wrong and why. Every function must
work for the shapes its docstring gives and must not modify its inputs.

Notation: sigma is the logistic sigmoid, eta the learning rate, theta a parameter.
"""

import numpy as np


def sigmoid(z):
    """
    Elementwise logistic sigmoid: sigma(z) = 1 / (1 + exp(-z)).

    Must be numerically stable: no overflow warning and no nan or inf for any
    finite input, e.g. z = -1e4 or z = 1e4. (exp(-z) overflows for large
    negative z; for z < 0 use the equal form exp(z) / (1 + exp(z)).)

    Inputs:
    - z: float32 or float64 array of any shape
    Returns:
    - s: array of the same shape and dtype as z, with s = sigma(z)
    """
    ### BEGIN SOLUTION
    z = np.asarray(z)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out
    ### END SOLUTION


def sigmoid_grad(z):
    """
    Elementwise derivative of the sigmoid at the pre-activation z:
    d sigma / dz = sigma(z) * (1 - sigma(z)).

    Inputs:
    - z: float array of any shape (the pre-activation, not sigma(z))
    Returns:
    - ds: array of the same shape as z
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1.0 - s)
    ### END SOLUTION


def mse(y_pred, y_true):
    """
    Mean squared error over all elements, with no factor 1/2:
    L = (1 / M) * sum_i (y_pred_i - y_true_i)^2, where M = y_pred.size.

    Inputs:
    - y_pred: predictions, float array of any shape, e.g. (N, C)
    - y_true: targets, same shape as y_pred
    Returns:
    - loss: float scalar
    """
    ### BEGIN SOLUTION
    return float(np.mean((y_pred - y_true) ** 2))
    ### END SOLUTION


def mse_grad(y_pred, y_true):
    """
    Gradient of mse with respect to y_pred: dL/dy_pred = 2 * (y_pred - y_true) / M,
    where M = y_pred.size (all elements, not only the N rows).

    Inputs:
    - y_pred: predictions, float array of any shape, e.g. (N, C)
    - y_true: targets, same shape as y_pred
    Returns:
    - dy: array of the same shape as y_pred
    """
    ### BEGIN SOLUTION
    return 2.0 * (y_pred - y_true) / y_pred.size
    ### END SOLUTION


def two_layer_forward(params, X):
    """
    Forward pass of a two-layer network with a sigmoid hidden layer:
    h = sigma(X W1 + b1), y_pred = h W2 + b2.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    - X: input data, of shape (N, D)
    Returns:
    - y_pred: predictions, of shape (N, C)
    """
    ### BEGIN SOLUTION
    h = sigmoid(X @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]
    ### END SOLUTION


def two_layer_loss_and_grads(params, X, Y):
    """
    Loss and gradients of the two-layer network under mean squared error.

    Forward: z = X W1 + b1, h = sigma(z), y_pred = h W2 + b2, L = mse(y_pred, Y).
    Backward (chain rule, from dL/dy_pred back to each parameter):
    dy = 2 (y_pred - Y) / (N C), dW2 = h^T dy, db2 = sum over rows of dy,
    dh = dy W2^T, dz = dh * sigma'(z), dW1 = X^T dz, db1 = sum over rows of dz.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    - X: input data, of shape (N, D)
    - Y: targets, of shape (N, C)
    Returns a tuple of:
    - loss: float, the mean squared error
    - grads: dict with the same keys and shapes as params
    """
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * sigmoid_grad(z)
    grads = {
        "W1": X.T @ dz,
        "b1": dz.sum(axis=0),
        "W2": h.T @ dy,
        "b2": dy.sum(axis=0),
    }
    return loss, grads
    ### END SOLUTION


def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    """
    One Adagrad update. The cache accumulates squared gradients over all steps:
    cache <- cache + grad^2, theta <- theta - eta * grad / (sqrt(cache) + eps),
    with eps outside the square root. Returns new arrays; the inputs stay as
    they were.

    Inputs:
    - param: parameter theta, float array of any shape
    - grad: gradient of the loss at theta, same shape as param
    - cache: sum of the squared gradients of all earlier steps, same shape
    - lr: learning rate eta, float
    - eps: small float that keeps the division finite
    Returns a tuple of:
    - new_param: the updated parameter, same shape as param
    - new_cache: the updated cache, same shape as param
    """
    ### BEGIN SOLUTION
    new_cache = cache + grad**2
    new_param = param - lr * grad / (np.sqrt(new_cache) + eps)
    return new_param, new_cache
    ### END SOLUTION


def dropout_forward(x, p, rng, train=True):
    """
    Inverted dropout. In training, each element is dropped with probability p and
    the kept ones are scaled by 1 / (1 - p), so that the expected output equals x.
    Draw the keep mask from `rng` (never from np.random's global state).
    With train=False, dropout does nothing.

    Inputs:
    - x: float array of any shape
    - p: probability of DROPPING an element; raise ValueError unless 0 <= p < 1
    - rng: a numpy.random.Generator, e.g. np.random.default_rng(0)
    - train: bool, True for training mode
    Returns a tuple of:
    - out: array of the same shape as x: x / (1 - p) where kept, 0 elsewhere
      (with train=False: x itself, or a copy of it)
    - mask: boolean array of the same shape as x, True where kept
      (with train=False: None)
    """
    ### BEGIN SOLUTION
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability p must be in [0, 1), got {p}")
    if not train:
        return x, None
    mask = np.asarray(rng.random(x.shape) >= p)  # an array even when x is 0-d
    out = np.where(mask, x / (1.0 - p), 0.0)
    return out, mask
    ### END SOLUTION


def dropout_backward(dout, mask, p):
    """
    Backward pass of training-mode inverted dropout: the gradient of the loss
    with respect to x, given dout = dL/dout.

    Inputs:
    - dout: upstream gradient, float array of any shape
    - mask: the boolean keep mask returned by dropout_forward, same shape as dout
    - p: the drop probability used in the forward pass
    Returns:
    - dx: array of the same shape as dout
    """
    ### BEGIN SOLUTION
    return np.where(mask, dout / (1.0 - p), 0.0)
    ### END SOLUTION
