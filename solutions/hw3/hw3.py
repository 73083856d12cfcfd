"""Homework 3: optimization, from gradient descent to Adam.

Why training gets stuck, and how optimizers help. It starts from the first lecture's model,
predicting tomorrow's views from the last D days with y = b + sum_j w_j x_j, fitted with
gradient descent on the MSE or the MAE. Then: where the gradient is zero, the Hessian's
eigenvalues tell a local minimum from a saddle point, and the eigenvector of a negative
eigenvalue shows the way out. Last, the optimizers of the lecture: momentum, RMSProp, Adam,
and a learning rate that warms up and then decays.

Implement each function below where it says ``raise NotImplementedError``, then run
``grade hw3`` to see what is right, what is wrong and why. No function may modify its
inputs; the optimizer steps return new arrays. Arrays are float64, except those of the three
optimizer steps, which are float32 or float64 (param, grad and the state arrays share one
shape and dtype) and keep their dtype. X is (N, D), y is (N,). A "float" result may be a
Python float or a numpy float scalar. Names given as strings ("mse", "adam", ...) are
case-sensitive.
"""

import math

import numpy as np


def linear_predict(w, b, X):
    """
    The lecture's linear model: y_hat = b + sum_j w_j x_j for every row x of X, that is
    y_hat = X w + b.

    Each row of X holds the last D days' views, w their weights and b the bias; y_hat
    predicts the next day's views.

    Inputs:
    - w: float64 array of shape (D,), the weights
    - b: float, the bias
    - X: float64 array of shape (N, D), one example per row
    Returns:
    - y_hat: float64 array of shape (N,)
    """
    ### BEGIN SOLUTION
    return X @ w + b
    ### END SOLUTION


def mae(y_pred, y_true):
    """
    The mean absolute error: MAE = (1/M) sum |y_pred - y_true|, over all M = y_pred.size
    elements, whatever the shape.

    Unlike the MSE, it grows linearly with the error: one outlier weighs as much as its
    distance, not its square.

    Inputs:
    - y_pred: float64 array of any shape
    - y_true: float64 array of the same shape
    Returns:
    - the loss, a float
    """
    ### BEGIN SOLUTION
    return float(np.mean(np.abs(y_pred - y_true)))
    ### END SOLUTION


def linear_loss_and_grads(w, b, X, y, loss="mse"):
    """
    The loss of the linear model on (X, y) and its gradient with respect to w and b.

    With the residuals e = X w + b - y (shape (N,)):
    - "mse": L = (1/N) sum e_i^2 (no 1/2, as in hw1); dL/dw = (2/N) X^T e, dL/db = (2/N) sum e_i.
    - "mae": L = (1/N) sum |e_i|; |e| has no derivative at e = 0, so use the subgradient
      sign(e), with sign(0) = 0: dL/dw = (1/N) X^T sign(e), dL/db = (1/N) sum sign(e_i).
    Any other name (the names are case-sensitive) raises ValueError.

    Inputs:
    - w: float64 array of shape (D,)
    - b: float
    - X: float64 array of shape (N, D)
    - y: float64 array of shape (N,)
    - loss: "mse" or "mae"
    Returns a tuple of:
    - L: the loss, a float
    - dw: float64 array of shape (D,)
    - db: float
    Raises:
    - ValueError for any other loss name
    """
    ### BEGIN SOLUTION
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', got {loss!r}")
    n = len(y)
    e = linear_predict(w, b, X) - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)  # -1, 0 or +1: sign(0) = 0
    return mae(e, np.zeros_like(e)), X.T @ s / n, float(np.mean(s))
    ### END SOLUTION


def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    """
    Full-batch gradient descent on the linear model, from (w0, b0): `steps` times,
    compute (L, dw, db) = linear_loss_and_grads(w, b, X, y, loss) and update both
    parameters at once with the gradients of the same point:
    w <- w - lr * dw, b <- b - lr * db.

    (Updating w first and computing db at the new w would follow another path.)

    Inputs:
    - w0: float64 array of shape (D,), the first weights
    - b0: float, the first bias
    - X: float64 array of shape (N, D)
    - y: float64 array of shape (N,)
    - lr: the learning rate, a Python float
    - steps: int >= 0, the number of updates
    - loss: "mse" or "mae"
    Returns a tuple of:
    - w: float64 array of shape (D,), after the last update
    - b: float, after the last update
    - history: float64 array of shape (steps + 1,): the loss before each update, then the
      loss after the last one
    Raises:
    - ValueError for an unknown loss name, even when steps is 0
    """
    ### BEGIN SOLUTION
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db  # simultaneous: both from the same point
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)
    ### END SOLUTION


def classify_critical_point(hessian, tol=1e-8):
    """
    What kind of critical point (where the gradient is zero) the Hessian shows.

    Near a critical point theta0, L(theta) ~ L(theta0) + (1/2) v^T H v with v = theta - theta0.
    With H = sum_i lam_i u_i u_i^T (its eigenvalues lam_i and orthonormal eigenvectors u_i),
    v^T H v = sum_i lam_i (u_i . v)^2. So, with lam the eigenvalues:
    - every lam > tol: the loss rises in every direction: "local minimum";
    - every lam < -tol: it falls in every direction: "local maximum";
    - some lam > tol and some lam < -tol: it rises along some directions and falls along
      others: "saddle point";
    - otherwise (some |lam| <= tol and no pair of opposite signs): "unknown"; the
      second-order test cannot tell, higher-order terms decide.
    The tolerance counts eigenvalues within rounding of 0 as 0.

    Inputs:
    - hessian: float64 array of shape (D, D), exactly symmetric
    - tol: float >= 0
    Returns:
    - one of the strings "local minimum", "local maximum", "saddle point", "unknown"
    """
    ### BEGIN SOLUTION
    lam = np.linalg.eigvalsh(hessian)  # for symmetric matrices: real eigenvalues, ascending
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"
    ### END SOLUTION


def escape_direction(hessian):
    """
    The way out of a saddle point: a unit eigenvector u of the Hessian for its smallest
    eigenvalue lam_min. Along theta0 + s u the loss changes by about (1/2) lam_min s^2,
    which is negative at a saddle point whatever the sign of s: both +u and -u lower it.

    Either sign is right, and where the smallest eigenvalue is repeated, any unit vector
    of its eigenspace is right.

    Inputs:
    - hessian: float64 array of shape (D, D), exactly symmetric
    Returns:
    - u: float64 array of shape (D,), with ||u|| = 1 and hessian @ u = lam_min * u
    """
    ### BEGIN SOLUTION
    lam, vectors = np.linalg.eigh(hessian)  # ascending eigenvalues; the eigenvectors are the COLUMNS
    return vectors[:, 0]
    ### END SOLUTION


def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    """
    One step of gradient descent with momentum, as the lecture writes it: the new movement
    is beta times the last movement minus lr times the gradient,
    m = beta * velocity - lr * grad, and new_param = param + m.

    The movement remembers past gradients: it keeps going through small bumps and flat
    regions, and steady gradients add up to larger steps (up to lr / (1 - beta) times the
    gradient).

    Inputs:
    - param: float32 or float64 array of any shape
    - grad: array of param's shape and dtype, the gradient at param
    - velocity: array of param's shape and dtype, the last movement (0 at the start)
    - lr: the learning rate, a Python float
    - beta: the momentum, a Python float in [0, 1)
    Returns a tuple of:
    - new_param: array of param's shape and dtype
    - m: the new movement, array of param's shape and dtype
    """
    ### BEGIN SOLUTION
    m = beta * velocity - lr * grad  # Python floats keep the arrays' dtype
    return param + m, m
    ### END SOLUTION


def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    """
    One step of RMSProp: each parameter gets its own learning rate, divided by the root
    mean square of its recent gradients.

    cache' = alpha * cache + (1 - alpha) * grad^2   (a moving average of squared gradients)
    new_param = param - lr * grad / (sqrt(cache') + eps)

    eps is added OUTSIDE the square root: it only keeps the division finite where the
    cache is 0. Where gradients are steep the step shrinks, where they are flat it grows.

    Inputs:
    - param: float32 or float64 array of any shape
    - grad: array of param's shape and dtype
    - cache: array of param's shape and dtype, >= 0 (0 at the start)
    - lr, alpha, eps: Python floats
    Returns a tuple of:
    - new_param: array of param's shape and dtype
    - cache': array of param's shape and dtype
    """
    ### BEGIN SOLUTION
    cache = alpha * cache + (1 - alpha) * grad ** 2  # a new array: the caller's cache is unchanged
    return param - lr * grad / (np.sqrt(cache) + eps), cache
    ### END SOLUTION


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """
    One step of Adam: momentum and RMSProp together, with bias correction.

    m' = beta1 * m + (1 - beta1) * grad          (moving average of the gradients)
    v' = beta2 * v + (1 - beta2) * grad^2        (moving average of their squares)
    m_hat = m' / (1 - beta1^t), v_hat = v' / (1 - beta2^t)
    new_param = param - lr * m_hat / (sqrt(v_hat) + eps)

    Starting from m = v = 0, the averages are biased towards 0 in the first steps;
    dividing by 1 - beta^t removes that bias (at t = 1, m_hat = grad and v_hat = grad^2,
    so the first step moves each entry by about lr). t counts the steps from 1.

    Inputs:
    - param: float32 or float64 array of any shape
    - grad, m, v: arrays of param's shape and dtype (m = v = 0 at the start, v >= 0)
    - t: int >= 1, the number of this step (1 for the first)
    - lr, beta1, beta2, eps: Python floats
    Returns a tuple of:
    - new_param, m', v': arrays of param's shape and dtype
    Raises:
    - ValueError unless t >= 1
    """
    ### BEGIN SOLUTION
    if t < 1:
        raise ValueError(f"t counts the steps from 1, got t={t}")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)  # beta1 ** t of Python numbers is a Python float: the dtype stays
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """
    The learning rate at an integer step >= 0 of a schedule with linear warm-up and cosine decay:
    - warm-up, step < warmup_steps: base_lr * (step + 1) / warmup_steps (rising to base_lr);
    - decay, warmup_steps <= step < total_steps:
      min_lr + (base_lr - min_lr) * (1 + cos(pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2
      (from base_lr down towards min_lr);
    - from total_steps on: min_lr.
    So steps warmup_steps - 1 and warmup_steps both give base_lr.

    Small steps at first keep Adam's early, noisy estimates from throwing the parameters
    far; a decaying rate lets training settle into a minimum at the end.

    Inputs:
    - step: int >= 0
    - base_lr: float, the peak learning rate
    - warmup_steps: int, 0 <= warmup_steps < total_steps
    - total_steps: int
    - min_lr: float, the final learning rate
    Returns:
    - the learning rate, a float
    Raises:
    - ValueError unless 0 <= warmup_steps < total_steps and step >= 0
    """
    ### BEGIN SOLUTION
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(f"need 0 <= warmup_steps < total_steps and step >= 0, got step={step}, "
                         f"warmup_steps={warmup_steps}, total_steps={total_steps}")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)  # from 0 to just under 1
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return float(min_lr)
    ### END SOLUTION


def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    """
    Fit the linear model from w = 0, b = 0 with the named optimizer, `steps` steps.

    Put the parameters in one vector theta = [w_1, ..., w_D, b] (D + 1 values) and its
    gradient in grad = [dw_1, ..., dw_D, db], with (L, dw, db) = linear_loss_and_grads at
    the current w and b. Each step updates theta with:
    - "sgd": theta - lr * grad;
    - "momentum": momentum_step (velocity starting at 0, the default beta);
    - "rmsprop": rmsprop_step (cache starting at 0, the default alpha and eps);
    - "adam": adam_step (m and v starting at 0, t = 1, 2, ...; the default betas and eps).
    Any other name raises ValueError, even when steps is 0.

    Inputs:
    - X: float64 array of shape (N, D)
    - y: float64 array of shape (N,)
    - optimizer: "sgd", "momentum", "rmsprop" or "adam"
    - lr: the learning rate, a Python float
    - steps: int >= 0
    - loss: "mse" or "mae"
    Returns:
    - history: float64 array of shape (steps + 1,): the loss before each update, then the
      loss after the last one
    Raises:
    - ValueError for an unknown optimizer name (or loss name)
    """
    ### BEGIN SOLUTION
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"optimizer must be 'sgd', 'momentum', 'rmsprop' or 'adam', got {optimizer!r}")
    d = X.shape[1]
    theta = np.zeros(d + 1)
    state1, state2 = np.zeros(d + 1), np.zeros(d + 1)  # velocity, cache, or Adam's m and v

    def loss_and_grad(theta):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        return L, np.append(dw, db)

    history = []
    for t in range(1, steps + 1):
        L, grad = loss_and_grad(theta)
        history.append(L)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, state1 = momentum_step(theta, grad, state1, lr)
        elif optimizer == "rmsprop":
            theta, state1 = rmsprop_step(theta, grad, state1, lr)
        else:
            theta, state1, state2 = adam_step(theta, grad, state1, state2, t, lr)
    history.append(loss_and_grad(theta)[0])
    return np.array(history, dtype=np.float64)
    ### END SOLUTION
