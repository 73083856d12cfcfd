"""Right implementations of hw3, written otherwise than the reference: loops, einsum, other
eigen-solvers (eig with a sort, an SVD's null space, powers by repeated squaring), math for
numpy, closures that call other functions, other return types the contract allows. Each must
score 100."""

import math

import numpy as np


# alternative: predict-einsum
def linear_predict(w, b, X):
    return np.einsum("nd,d->n", X, w) + b


# alternative: predict-row-loop
def linear_predict(w, b, X):
    out = np.empty(len(X))
    for i, row in enumerate(X):
        out[i] = b + sum(w_j * x_j for w_j, x_j in zip(w, row))
    return out


# alternative: mae-flat-loop
def mae(y_pred, y_true):
    total = 0.0
    for p, t in zip(np.ravel(y_pred), np.ravel(y_true)):
        total += abs(p - t)
    return total / np.size(y_pred)


# alternative: mae-l1-norm
def mae(y_pred, y_true):
    diff = np.asarray(y_pred - y_true).ravel()
    return np.linalg.norm(diff, 1) / diff.size  # a numpy float


# alternative: llg-loops-and-signs
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss != "mse" and loss != "mae":
        raise ValueError("unknown loss " + repr(loss))
    n, d = X.shape
    residuals = [float(X[i] @ w + b - y[i]) for i in range(n)]
    if loss == "mse":
        slopes = [2.0 * e for e in residuals]
        value = sum(e * e for e in residuals) / n
    else:
        slopes = [(e > 0) - (e < 0) for e in residuals]  # sign, 0 at 0
        value = sum(abs(e) for e in residuals) / n
    dw = np.array([sum(slopes[i] * X[i, j] for i in range(n)) / n for j in range(d)])
    return value, dw, sum(slopes) / n


# alternative: llg-einsum-negated-residual
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    r = y - np.einsum("nd,d->n", X, w) - b  # y minus the prediction: the gradients change sign
    if loss == "mse":
        g = -2.0 * r
        value = np.mean(r * r)
    elif loss == "mae":
        g = -np.sign(r)
        value = np.mean(np.abs(r))
    else:
        raise ValueError(f"unknown loss {loss!r}")
    return value, np.einsum("n,nd->d", g, X) / len(y), np.mean(g)


# alternative: gd-preallocated-history
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    history = np.empty(steps + 1)
    w, b = np.array(w0, dtype=float), b0
    for k in range(steps):
        history[k], dw, db = linear_loss_and_grads(w, b, X, y, loss)
        w, b = w - lr * dw, b - lr * db
    history[steps] = linear_loss_and_grads(w, b, X, y, loss)[0]
    return w, b, history


# alternative: gd-theta-vector
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    theta = np.append(w0, b0)  # [w..., b], updated as one vector
    d = len(w0)
    history = []
    while True:
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        if len(history) > steps:
            break
        theta = theta - lr * np.append(dw, db)
    return theta[:d], float(theta[d]), np.asarray(history, dtype=np.float64)


# alternative: classify-eigvals-counts
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvals(hessian).real  # a symmetric matrix's eigenvalues are real
    positive, negative = int(np.sum(lam > tol)), int(np.sum(lam < -tol))
    if positive == len(lam):
        return "local minimum"
    if negative == len(lam):
        return "local maximum"
    return "saddle point" if positive and negative else "unknown"


# alternative: classify-extremes
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigh(hessian)[0]
    smallest, largest = lam[0], lam[-1]
    if smallest > tol:
        return "local minimum"
    if largest < -tol:
        return "local maximum"
    if smallest < -tol < tol < largest:
        return "saddle point"
    return "unknown"


# alternative: escape-eig-argmin
def escape_direction(hessian):
    lam, vectors = np.linalg.eig(hessian)
    u = np.real(vectors[:, np.argmin(np.real(lam))])
    return u / np.linalg.norm(u)


# alternative: escape-svd-null-space
def escape_direction(hessian):
    # u spans the null space of H - lam_min I: its right singular vector of the smallest singular value
    lam_min = np.linalg.eigvalsh(hessian)[0]
    _, _, vt = np.linalg.svd(hessian - lam_min * np.eye(len(hessian)))
    return -vt[-1]  # either sign is right


# alternative: escape-repeated-squaring
def escape_direction(hessian):
    # power iteration on B = c I - H, whose largest eigenvalue is c - lam_min: B^(2^k) by squaring
    d = len(hessian)
    c = np.abs(hessian).sum(axis=1).max() + 1.0  # above every |eigenvalue| (Gershgorin)
    B = c * np.eye(d) - hessian
    for _ in range(60):
        B = B @ B
        B = B / np.abs(B).max()
        B = (B + B.T) / 2
    column = B[:, np.argmax(np.linalg.norm(B, axis=0))]
    u = column / np.linalg.norm(column)
    for _ in range(3):  # Rayleigh-quotient polish: one inverse-iteration step per round
        lam = u @ hessian @ u
        try:
            x = np.linalg.solve(hessian - (lam - 1e-3) * np.eye(d), u)
        except np.linalg.LinAlgError:
            break
        u = x / np.linalg.norm(x)
    return u


# alternative: momentum-np-functions
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = np.subtract(np.multiply(velocity, beta), np.multiply(grad, lr))
    return np.add(param, m), m


# alternative: momentum-cast-back
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = (beta * velocity.astype(np.float64) - lr * grad.astype(np.float64)).astype(param.dtype)
    return (param + m).astype(param.dtype), m


# alternative: rmsprop-per-parameter-rate
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_cache = cache * alpha + grad * grad * (1 - alpha)
    rate = lr / (np.sqrt(new_cache) + eps)  # each parameter's own learning rate
    return param - rate * grad, new_cache


# alternative: rmsprop-copy-and-update
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_cache = cache.copy()
    new_cache *= alpha
    new_cache += (1 - alpha) * np.square(grad)
    new_param = param.copy()
    new_param -= lr * grad / (np.sqrt(new_cache) + eps)
    return new_param, new_cache


# alternative: adam-math-pow
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if not t >= 1:
        raise ValueError("t must be >= 1")
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m_new / (1.0 - math.pow(beta1, t))
    v_hat = v_new / (1.0 - math.pow(beta2, t))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# alternative: adam-through-momentum-and-rmsprop
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # Adam's two averages are a momentum and an RMSProp cache: let those functions compute them
    if t < 1:
        raise ValueError(f"t={t}")
    _, minus_m = momentum_step(np.zeros_like(m), grad, -m / (1 - beta1), lr=1.0, beta=beta1)
    m_new = -minus_m * (1 - beta1)
    _, v_new = rmsprop_step(param, grad, v, alpha=beta2, eps=eps)
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# alternative: schedule-numpy-cos
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return (step + 1) * base_lr / warmup_steps
    angle = np.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(angle))  # a numpy float


# alternative: schedule-sin-squared
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not (0 <= warmup_steps < total_steps) or step < 0:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        half = math.pi * (step - warmup_steps) / (total_steps - warmup_steps) / 2
        return min_lr + (base_lr - min_lr) * math.cos(half) ** 2  # (1 + cos x) / 2 = cos(x / 2)^2
    return min_lr


# alternative: optimize-dispatch-table
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    d = X.shape[1]

    def sgd(theta, grad, state, t):
        return theta - lr * grad, state

    def momentum(theta, grad, state, t):
        return momentum_step(theta, grad, state, lr=lr)

    def rmsprop(theta, grad, state, t):
        return rmsprop_step(theta, grad, state, lr=lr)

    def adam(theta, grad, state, t):
        new, m, v = adam_step(theta, grad, state[0], state[1], t, lr=lr)
        return new, (m, v)

    steppers = {"sgd": sgd, "momentum": momentum, "rmsprop": rmsprop, "adam": adam}
    if optimizer not in steppers:
        raise ValueError(f"unknown optimizer {optimizer!r}")
    step = steppers[optimizer]
    theta = np.zeros(d + 1)
    state = (np.zeros(d + 1), np.zeros(d + 1)) if optimizer == "adam" else np.zeros(d + 1)
    history = np.zeros(steps + 1)
    for t in range(1, steps + 2):
        L, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        history[t - 1] = L
        if t <= steps:
            theta, state = step(theta, np.concatenate([dw, [db]]), state, t)
    return history


# alternative: optimize-inline-formulas
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in {"sgd", "momentum", "rmsprop", "adam"}:
        raise ValueError("optimizer must be sgd, momentum, rmsprop or adam")
    if loss not in {"mse", "mae"}:
        raise ValueError("loss must be mse or mae")
    n = len(y)
    A = np.hstack([X, np.ones((n, 1))])  # the bias as a feature of constant 1
    theta, first, second = np.zeros(A.shape[1]), np.zeros(A.shape[1]), np.zeros(A.shape[1])
    history = []
    for t in range(steps + 1):
        e = A @ theta - y
        history.append(np.mean(e ** 2) if loss == "mse" else np.mean(np.abs(e)))
        if t == steps:
            break
        grad = A.T @ (2 * e if loss == "mse" else np.sign(e)) / n
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            first = 0.9 * first - lr * grad
            theta = theta + first
        elif optimizer == "rmsprop":
            second = 0.9 * second + 0.1 * grad ** 2
            theta = theta - lr * grad / (np.sqrt(second) + 1e-8)
        else:
            first = 0.9 * first + 0.1 * grad
            second = 0.999 * second + 0.001 * grad ** 2
            theta = theta - lr * (first / (1 - 0.9 ** (t + 1))) / (np.sqrt(second / (1 - 0.999 ** (t + 1))) + 1e-8)
    return np.array(history)


# alternative: optimize-sgd-through-gradient-descent
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer == "sgd":  # full-batch gradient descent from zero
        return gradient_descent(np.zeros(X.shape[1]), 0.0, X, y, lr, steps, loss)[2]
    if optimizer not in ("momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.r_[dw, db]
        if optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history)
