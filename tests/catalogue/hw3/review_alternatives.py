"""Correct forms of hw3 written in review, from issue 13's contract alone, by a reviewer who had
not seen hw3's reference, grader or first catalogue. Each is right by the contract in another
way than the obvious one, the way a different student would write it; a comment says why where
it is not plain. Entries define no helper at module level (helpers live inside the function), so
none can replace one of the reference's; they call the homework's other functions only by their
contract names.
"""

import numpy as np  # the reference imports it; the entries below use it


# ------------------------------------------------------- linear_predict ---

# alternative: review-alt-lp-einsum
def linear_predict(w, b, X):
    return np.einsum("nd,d->n", X, w) + b


# alternative: review-alt-lp-augmented
# the bias folded into the weights: [X, 1] @ [w; b]
def linear_predict(w, b, X):
    return np.hstack([X, np.ones((X.shape[0], 1))]) @ np.append(w, b)


# alternative: review-alt-lp-row-loop
import math


def linear_predict(w, b, X):
    return np.array([b + math.fsum(x_j * w_j for x_j, w_j in zip(row, w)) for row in X],
                    dtype=np.float64).reshape(X.shape[0])


# ------------------------------------------------------------------ mae ---

# alternative: review-alt-mae-flat-loop
# a Python loop over every element: M = y_pred.size for any shape
def mae(y_pred, y_true):
    total = 0.0
    for p, t in zip(y_pred.ravel(), y_true.ravel()):
        total += abs(p - t)
    return total / y_pred.size


# alternative: review-alt-mae-l1-norm-of-ravel
# the 1-norm of the flattened residuals (a vector, so not the matrix 1-norm)
def mae(y_pred, y_true):
    return np.linalg.norm((y_pred - y_true).ravel(), 1) / y_pred.size


# alternative: review-alt-mae-average
def mae(y_pred, y_true):
    return float(np.average(np.absolute(np.subtract(y_pred, y_true))))


# ------------------------------------------------ linear_loss_and_grads ---

# alternative: review-alt-llg-masks
# the subgradient of |e| as two masks: (e > 0) - (e < 0) is 0 at e = 0
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss != "mse" and loss != "mae":
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    n = len(y)
    e = X @ w + b - y
    if loss == "mse":
        return float(e @ e / n), X.T @ (2 * e) / n, float(2 * e.sum() / n)
    s = (e > 0).astype(np.float64) - (e < 0)
    return float(np.abs(e).sum() / n), X.T @ s / n, float(s.sum() / n)


# alternative: review-alt-llg-einsum-augmented
# one gradient for theta = [w, b] over [X, 1], split at the end
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    losses = {"mse": (lambda e: e ** 2, lambda e: 2 * e), "mae": (np.abs, np.sign)}
    if loss not in losses:
        raise ValueError(f"unknown loss {loss!r}: use 'mse' or 'mae'")
    value, derivative = losses[loss]
    Xa = np.hstack([X, np.ones((X.shape[0], 1))])
    e = np.einsum("nd,d->n", Xa, np.append(w, b)) - y
    g = np.einsum("nd,n->d", Xa, derivative(e)) / X.shape[0]
    return np.mean(value(e)), g[:-1], g[-1]


# alternative: review-alt-llg-loops
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError("loss must be 'mse' or 'mae'")
    n, d = X.shape
    total, dw, db = 0.0, np.zeros(d), 0.0
    for i in range(n):
        e = b + sum(X[i, j] * w[j] for j in range(d)) - y[i]
        if loss == "mse":
            total += e * e
            g = 2 * e
        else:
            total += abs(e)
            g = 1.0 if e > 0 else -1.0 if e < 0 else 0.0
        for j in range(d):
            dw[j] += g * X[i, j]
        db += g
    return total / n, dw / n, db / n


# ----------------------------------------------------- gradient_descent ---

# alternative: review-alt-gd-preallocated
# the history preallocated; the loss at the new point is the next step's first value
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    history = np.empty(steps + 1)
    w, b = np.array(w0, dtype=np.float64), b0
    for k in range(steps + 1):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history[k] = L
        if k < steps:
            w, b = w - lr * dw, b - lr * db
    return w, float(b), history


# alternative: review-alt-gd-theta-inline
# written without calling the homework's functions: theta = [w, b] over [X, 1]
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError("loss must be 'mse' or 'mae'")
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    theta = np.append(w0, b0)
    history = []
    for _ in range(steps + 1):
        e = Xa @ theta - y
        history.append(np.mean(e ** 2) if loss == "mse" else np.mean(np.abs(e)))
        if len(history) > steps:
            break
        g = 2 * e if loss == "mse" else np.sign(e)
        theta = theta - lr * (Xa.T @ g) / n
    return theta[:d], theta[d], np.asarray(history, dtype=np.float64)


# ---------------------------------------------- classify_critical_point ---

# alternative: review-alt-ccp-min-max
# only the extreme eigenvalues matter: all > tol iff the smallest is
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    low, high = lam.min(), lam.max()
    if low > tol:
        return "local minimum"
    if high < -tol:
        return "local maximum"
    if low < -tol and high > tol:
        return "saddle point"
    return "unknown"


# alternative: review-alt-ccp-eig-counts
# np.linalg.eig on a symmetric matrix: real eigenvalues (the imaginary parts are zero)
def classify_critical_point(hessian, tol=1e-8):
    lam = np.real(np.linalg.eig(hessian)[0])
    positive = int(np.sum(lam > tol))
    negative = int(np.sum(lam < -tol))
    if positive == len(lam):
        return "local minimum"
    if negative == len(lam):
        return "local maximum"
    if positive and negative:
        return "saddle point"
    return "unknown"


# ----------------------------------------------------- escape_direction ---

# alternative: review-alt-esc-eig-argmin
# eig's vectors are unit-norm columns; argmin picks the smallest eigenvalue's
def escape_direction(hessian):
    vals, vecs = np.linalg.eig(hessian)
    return np.real(vecs[:, np.argmin(np.real(vals))])


# alternative: review-alt-esc-shifted-svd
# H + c I with c = ||H||_F >= max |lam| is positive semi-definite: its singular values are
# lam + c, so the last left singular vector belongs to the smallest lam
def escape_direction(hessian):
    shift = np.linalg.norm(hessian)
    u, _, _ = np.linalg.svd(hessian + shift * np.eye(hessian.shape[0]))
    return u[:, -1]


# alternative: review-alt-esc-sign-fixed
# either sign is right: this one makes the largest entry positive, and renormalises
def escape_direction(hessian):
    _, vecs = np.linalg.eigh(hessian)
    u = vecs[:, 0]
    u = u if u[np.argmax(np.abs(u))] > 0 else -u
    return u / np.linalg.norm(u)


# -------------------------------------------------------- momentum_step ---

# alternative: review-alt-mom-copy-then-inplace
# in-place updates on fresh copies: the inputs are left alone (for 0-d inputs this returns 0-d
# arrays where plain arithmetic returns numpy scalars: both have the shape and dtype asked)
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = velocity.copy()
    m *= beta
    m -= lr * grad
    new_param = param.copy()
    new_param += m
    return new_param, m


# alternative: review-alt-mom-expanded
# param + beta velocity - lr grad: the same formula, rounded in another order
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    return param - lr * grad + beta * velocity, np.subtract(beta * velocity, lr * grad)


# --------------------------------------------------------- rmsprop_step ---

# alternative: review-alt-rms-float64-inside
# computed in float64 and cast back: more exact than float32, the same dtype out
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    g = grad.astype(np.float64)
    c = alpha * cache.astype(np.float64) + (1 - alpha) * g * g
    new_param = param.astype(np.float64) - lr * g / (c ** 0.5 + eps)
    return new_param.astype(param.dtype), c.astype(cache.dtype)


# alternative: review-alt-rms-ufuncs
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_cache = np.add(np.multiply(alpha, cache), np.multiply(1 - alpha, np.square(grad)))
    step = np.divide(grad, np.add(np.sqrt(new_cache), eps))
    return np.subtract(param, np.multiply(lr, step)), new_cache


# ------------------------------------------------------------ adam_step ---

# alternative: review-alt-adam-math-pow
# math.pow gives Python floats, so float32 stays float32
import math


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if not t >= 1:
        raise ValueError(f"t is the step number, counted from 1 (got {t})")
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m_new / (1 - math.pow(beta1, t))
    v_hat = v_new / (1 - math.pow(beta2, t))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# alternative: review-alt-adam-interpolation
# beta m + (1 - beta) g written as m + (1 - beta)(g - m), as some libraries do (lerp): where
# beta m and (1 - beta) g nearly cancel, m' differs from the reference by a few ulps of |m| + |g|,
# many ulps of m' itself (a tolerance must scale with the terms, not the result)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be at least 1")
    m_new = m + (1 - beta1) * (grad - m)
    v_new = v + (1 - beta2) * (grad ** 2 - v)
    denom = np.sqrt(v_new / (1 - beta2 ** t)) + eps
    return param - (lr / (1 - beta1 ** t)) * m_new / denom, m_new, v_new


# alternative: review-alt-adam-copy-then-inplace
# in-place updates on fresh copies, the bias corrections folded into one step size
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t <= 0:
        raise ValueError("the first step is t = 1")
    m_new = np.array(m, copy=True)
    m_new *= beta1
    m_new += (1 - beta1) * grad
    v_new = np.array(v, copy=True)
    v_new *= beta2
    v_new += (1 - beta2) * np.square(grad)
    denom = np.sqrt(v_new / (1 - beta2 ** t))
    denom += eps
    new_param = param.copy()
    new_param -= lr * (m_new / (1 - beta1 ** t)) / denom
    return new_param, m_new, v_new


# ----------------------------------------------------- warmup_cosine_lr ---

# alternative: review-alt-lr-numpy
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or warmup_steps >= total_steps:
        raise ValueError("need step >= 0 and 0 <= warmup_steps < total_steps")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress)))


# alternative: review-alt-lr-clamped-progress
# progress clamped to 1 past the end: cos(pi) = -1 gives exactly min_lr
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not (0 <= warmup_steps < total_steps and step >= 0):
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return (step + 1) / warmup_steps * base_lr
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


# alternative: review-alt-lr-cos-squared
# (1 + cos x) / 2 = cos(x / 2)^2: the same curve (at the end, cos(pi / 2)^2 is 4e-33, not 0)
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0:
        raise ValueError("step must be >= 0")
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    half_angle = math.pi / 2 * (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * math.cos(half_angle) ** 2


# ------------------------------------------------------ optimize_linear ---

# alternative: review-alt-opt-inline
# written without the step functions, every optimizer by hand
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in {"sgd", "momentum", "rmsprop", "adam"}:
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta = np.zeros(d + 1)
    first, second = np.zeros(d + 1), np.zeros(d + 1)
    history = np.empty(steps + 1)
    for k in range(steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history[k] = L
        if k == steps:
            break
        g = np.concatenate([dw, [db]])
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            first = 0.9 * first - lr * g
            theta = theta + first
        elif optimizer == "rmsprop":
            first = 0.9 * first + (1 - 0.9) * g ** 2
            theta = theta - lr * g / (np.sqrt(first) + 1e-8)
        else:
            t = k + 1
            first = 0.9 * first + (1 - 0.9) * g
            second = 0.999 * second + (1 - 0.999) * g ** 2
            m_hat = first / (1 - 0.9 ** t)
            v_hat = second / (1 - 0.999 ** t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    return history


# alternative: review-alt-opt-separate-states
# w and b updated apart, each with its own state: every optimizer is elementwise, so this is
# the same as updating theta = [w, b] with one state
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"optimizer must be sgd, momentum, rmsprop or adam, not {optimizer!r}")
    d = X.shape[1]
    w, b = np.zeros(d), np.zeros(1)
    state_w = [np.zeros(d), np.zeros(d)]
    state_b = [np.zeros(1), np.zeros(1)]
    history = [linear_loss_and_grads(w, b[0], X, y, loss)[0]]
    for t in range(1, steps + 1):
        _, dw, db = linear_loss_and_grads(w, b[0], X, y, loss)
        db = np.array([db])
        if optimizer == "sgd":
            w, b = w - lr * dw, b - lr * db
        elif optimizer == "momentum":
            w, state_w[0] = momentum_step(w, dw, state_w[0], lr=lr)
            b, state_b[0] = momentum_step(b, db, state_b[0], lr=lr)
        elif optimizer == "rmsprop":
            w, state_w[0] = rmsprop_step(w, dw, state_w[0], lr=lr)
            b, state_b[0] = rmsprop_step(b, db, state_b[0], lr=lr)
        else:
            w, state_w[0], state_w[1] = adam_step(w, dw, state_w[0], state_w[1], t, lr=lr)
            b, state_b[0], state_b[1] = adam_step(b, db, state_b[0], state_b[1], t, lr=lr)
        history.append(linear_loss_and_grads(w, b[0], X, y, loss)[0])
    return np.array(history)


# alternative: review-alt-opt-closures
# each optimizer a closure over its own state, chosen before the loop; "sgd" by gradient_descent
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    d = X.shape[1]
    if optimizer == "sgd":
        return gradient_descent(np.zeros(d), 0.0, X, y, lr, steps, loss)[2]

    def make_momentum():
        state = {"v": np.zeros(d + 1)}

        def update(theta, g, t):
            theta, state["v"] = momentum_step(theta, g, state["v"], lr)
            return theta
        return update

    def make_rmsprop():
        state = {"c": np.zeros(d + 1)}

        def update(theta, g, t):
            theta, state["c"] = rmsprop_step(theta, g, state["c"], lr)
            return theta
        return update

    def make_adam():
        state = {"m": np.zeros(d + 1), "v": np.zeros(d + 1)}

        def update(theta, g, t):
            theta, state["m"], state["v"] = adam_step(theta, g, state["m"], state["v"], t, lr)
            return theta
        return update

    makers = {"momentum": make_momentum, "rmsprop": make_rmsprop, "adam": make_adam}
    if optimizer not in makers:
        raise ValueError(f"unknown optimizer {optimizer!r}")
    update = makers[optimizer]()
    theta = np.zeros(d + 1)
    history = []
    for t in range(1, steps + 2):
        L, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        history.append(L)
        if t <= steps:
            theta = update(theta, np.r_[dw, db], t)
    return np.array(history, dtype=np.float64)
