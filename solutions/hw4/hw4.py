"""Homework 4: normalization and regularization.

Making deep networks train well and generalize. Batch normalization keeps each layer's inputs
at zero mean and unit variance over the batch while training, and uses running averages at
test time; its backward pass goes through the batch statistics, which depend on every input.
The original dropout trains an ensemble of thinned networks and approximates their average at
test time by scaling by (1 - p) (hw1 wrote the inverted dropout, which scales while training
instead). Maxout learns its own piecewise-linear activation. Weight decay penalizes large
weights, and early stopping ends training when the validation loss stops improving.

Implement each function below where it says ``raise NotImplementedError``, then run
``grade hw4`` to see what is right, what is wrong and why. No function may modify its
inputs: running statistics are returned, never updated in place. Float arrays are float64
for batch normalization, maxout and weight decay; dropout takes float32 or float64 and keeps
the dtype. A "float" result may be a Python float or a numpy float scalar; an "int" result a
Python int or a numpy integer.
"""

import numbers

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    """
    Batch normalization of x, one feature (column) at a time.

    Training (train=True), with the statistics of this batch (axis 0):
        mu = (1/N) sum_n x[n],  var = (1/N) sum_n (x[n] - mu)^2   (biased: divide by N)
        x_hat = (x - mu) / sqrt(var + eps),  out = gamma * x_hat + beta
    and the running averages for test time:
        new_running_mean = momentum * running_mean + (1 - momentum) * mu
        new_running_var = momentum * running_var + (1 - momentum) * var   (the biased var)
    momentum weighs the OLD average: 0.9 keeps 90% of it.

    Evaluation (train=False) uses the running statistics instead of the batch's, so that a
    test example's output does not depend on the others in its batch:
        x_hat = (x - running_mean) / sqrt(running_var + eps),  out = gamma * x_hat + beta
    and the running statistics come back unchanged.

    Inputs:
    - x: float64 array of shape (N, D), N >= 2
    - gamma, beta: float64 arrays of shape (D,), the learned scale and shift
    - running_mean, running_var: float64 arrays of shape (D,) (running_var >= 0)
    - train: bool
    - momentum, eps: Python floats
    Returns a tuple of:
    - out: float64 array of shape (N, D)
    - new_running_mean, new_running_var: float64 arrays of shape (D,), new arrays (the inputs
      are never updated in place)
    """
    ### BEGIN SOLUTION
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)  # biased: divided by N
    x_hat = (x - mu) / np.sqrt(var + eps)
    new_mean = momentum * running_mean + (1 - momentum) * mu
    new_var = momentum * running_var + (1 - momentum) * var
    return gamma * x_hat + beta, new_mean, new_var
    ### END SOLUTION


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """
    The gradient of batchnorm_forward's training-mode out, given dout = dL/dout.

    In training, mu and var are functions of every x[n] of the column, so moving one input
    moves the statistics and with them every output of its column: dx is NOT dout * gamma /
    sqrt(var + eps). With x_hat and std = sqrt(var + eps) recomputed from x, and
    g = dout * gamma (the gradient with respect to x_hat), the chain rule through mu and var
    gives, column by column,
        dx = (1 / std) * (g - mean_n(g) - x_hat * mean_n(g * x_hat))
        dgamma = sum_n dout * x_hat,  dbeta = sum_n dout
    (the sums and means over the batch, axis 0).

    Inputs:
    - dout: float64 array of shape (N, D)
    - x: float64 array of shape (N, D), the forward's input
    - gamma: float64 array of shape (D,)
    - eps: Python float, the forward's eps
    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dgamma, dbeta: float64 arrays of shape (D,)
    """
    ### BEGIN SOLUTION
    mu = x.mean(axis=0)
    std = np.sqrt(((x - mu) ** 2).mean(axis=0) + eps)
    x_hat = (x - mu) / std
    dx_hat = dout * gamma  # the g of the formula above
    dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
    ### END SOLUTION


def dropout_forward_scaled(x, p, rng, train=True):
    """
    The original dropout, with the weight-scaling rule at test time.

    Training: each element of x is dropped (set to 0) independently with probability p, and
    the kept ones pass UNCHANGED (no 1 / (1 - p): that is hw1's inverted dropout). Each step
    trains another thinned network.

    Test time: every element is multiplied by (1 - p). Then the test output equals the
    expected training output, E[out] = (1 - p) x: the average of the ensemble of thinned
    networks (exact for a linear layer).

    Draw the mask from rng (one independent draw per element, e.g. rng.random(x.shape)),
    never from np.random's global state.

    Inputs:
    - x: float32 or float64 array of shape (N, D)
    - p: the drop probability, a Python float, 0 <= p < 1
    - rng: a numpy Generator
    - train: bool
    Returns a tuple of:
    - out: array of x's shape and dtype
    - mask: in training, a boolean array of x's shape, True where the element is KEPT;
      None at test time
    Raises:
    - ValueError unless 0 <= p < 1, in both modes (a nan p too)
    """
    ### BEGIN SOLUTION
    if not 0 <= p < 1:  # False for nan as well
        raise ValueError(f"the drop probability p must be in [0, 1), got {p}")
    if not train:
        return (x * (1 - p)).astype(x.dtype, copy=False), None
    mask = rng.random(x.shape) >= p  # kept with probability 1 - p
    return x * mask, mask
    ### END SOLUTION


def dropout_backward_scaled(dout, mask):
    """
    The gradient of dropout_forward_scaled's training output with respect to x: out = x where
    the mask keeps, 0 elsewhere, so dL/dx = dout where the mask is True, 0 elsewhere (no
    scaling: the forward scales nothing in training).

    Inputs:
    - dout: float32 or float64 array of shape (N, D)
    - mask: boolean array of the same shape, the forward's mask (True = kept)
    Returns:
    - dx: array of dout's shape and dtype
    """
    ### BEGIN SOLUTION
    return dout * mask
    ### END SOLUTION


def maxout_forward(x, W, b):
    """
    A maxout layer: H units, each the maximum of k linear pieces.

        z[n, h, j] = sum_d x[n, d] W[d, h, j] + b[h, j]
        out[n, h] = max over j of z[n, h, j]

    With k = 2 pieces, max(z1, z2) can be a ReLU (one piece 0), an absolute value, or a
    leaky ReLU: the unit learns its own convex piecewise-linear activation.

    Inputs:
    - x: float64 array of shape (N, D)
    - W: float64 array of shape (D, H, k)
    - b: float64 array of shape (H, k)
    Returns:
    - out: float64 array of shape (N, H)
    """
    ### BEGIN SOLUTION
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.max(axis=2)
    ### END SOLUTION


def maxout_backward(dout, x, W, b):
    """
    The gradient of maxout_forward, given dout = dL/dout.

    The maximum passes its gradient only to the piece that is the maximum: with
    j*[n, h] = argmax_j z[n, h, j] (the FIRST j on ties, as np.argmax), dz[n, h, j] = dout[n, h]
    where j = j*[n, h], 0 elsewhere. Then, as for any linear layer,
        dx[n, d] = sum_{h, j} dz[n, h, j] W[d, h, j]
        dW[d, h, j] = sum_n x[n, d] dz[n, h, j]
        db[h, j] = sum_n dz[n, h, j]

    Inputs:
    - dout: float64 array of shape (N, H)
    - x: float64 array of shape (N, D)
    - W: float64 array of shape (D, H, k)
    - b: float64 array of shape (H, k)
    Returns a tuple of:
    - dx: float64 array of shape (N, D)
    - dW: float64 array of shape (D, H, k)
    - db: float64 array of shape (H, k)
    """
    ### BEGIN SOLUTION
    z = np.einsum("nd,dhk->nhk", x, W) + b
    winner = z.argmax(axis=2)  # the first piece on ties
    dz = np.zeros_like(z)
    np.put_along_axis(dz, winner[:, :, None], dout[:, :, None], axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)
    ### END SOLUTION


def l2_penalty(params, lam):
    """
    Weight decay: an L2 penalty on the weight matrices only, the keys of params that start
    with a capital "W" ("W1", "W2", ...); biases and other parameters are not penalized.

        penalty = (lam / 2) * sum over the weights W of sum of W's squared entries
        grads[k] = lam * params[k] for a weight, zeros of params[k]'s shape and dtype otherwise

    The 1/2 makes the gradient lam * W: the update W - lr * lam * W shrinks ("decays") every
    weight by the factor (1 - lr * lam).

    Inputs:
    - params: dict of float64 arrays, by name
    - lam: the regularization strength, a Python float >= 0
    Returns a tuple of:
    - penalty: a float
    - grads: dict with every key of params, each an array of that parameter's shape
    """
    ### BEGIN SOLUTION
    penalty = 0.0
    grads = {}
    for key, value in params.items():
        if key.startswith("W"):
            penalty += float(np.sum(value ** 2))
            grads[key] = lam * value
        else:
            grads[key] = np.zeros_like(value)
    return lam / 2 * penalty, grads
    ### END SOLUTION


def early_stopping(val_losses, patience):
    """
    When early stopping ends training, and which epoch's model to keep.

    val_losses[i] is the validation loss after epoch i. The best loss so far starts at
    +infinity, so epoch 0 always improves on it. An epoch improves only with a loss STRICTLY
    below the best so far (a tie is no improvement). Training stops at the first epoch that
    ends `patience` consecutive epochs without an improvement: with patience 2 and losses
    [3, 2, 2.5, 2.1, 1], epochs 2 and 3 do not improve on 2, so it stops at epoch 3.
    If that never happens, training runs to the last epoch, len(val_losses) - 1.

    Inputs:
    - val_losses: a non-empty list or 1-d float64 array of finite floats
    - patience: an int >= 1
    Returns a tuple of two ints:
    - best_epoch: the index of the lowest loss among epochs 0..stop_epoch (the first on ties)
    - stop_epoch: the epoch at which training stops
    Raises:
    - ValueError unless patience is an int >= 1 (2.5 and True are not) and val_losses is not empty
    """
    ### BEGIN SOLUTION
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError(f"patience must be an int >= 1, got {patience!r}")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty: there is no epoch to choose")
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
    ### END SOLUTION
