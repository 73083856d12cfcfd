"""Wrong implementations of hw3, one bug each, as students really write them.

Each entry replaces one function of the reference solution (see tests/catalogue/__init__.py
for the format). `plants:` names the known mistakes (hint ids) the bug is; an entry without
it plants a mistake no hint models. Each says where the mistake comes from: the optimization
notes and assignments of CS231n (the momentum and Adam update forms, eps placement, in-place
updates of the state), Coursera Deep Learning Specialization and d2l.ai forums (bias
correction, t counted from 0, the 1/2 of the MSE, the subgradient of |x|), textbooks' errata
and conventions (Bishop's and CS229's 1/2, the two-variable second-derivative test of calculus
books), library look-alikes (PyTorch's momentum, Keras' epsilon) and numpy pitfalls (len of a
2-d array, eigenvectors as columns, np.linalg.eig's order, numpy float64 scalars).
"""

import math

import numpy as np  # the reference imports it; the entries below use it


# mutant: predict-no-bias
# plants: predict-no-bias
# the bias forgotten (the lecture writes it first, b + sum_j w_j x_j, and it is easy to drop)
def linear_predict(w, b, X):
    return X @ w


# mutant: predict-bias-in-features
# a misplaced parenthesis: b added to every feature before the product
def linear_predict(w, b, X):
    return (X + b) @ w


# mutant: predict-sum-without-axis
# numpy pitfall: np.sum without axis sums the whole matrix, one number for every example
def linear_predict(w, b, X):
    return b + np.sum(X * w) + np.zeros(len(X))


# mutant: predict-in-place
# CS231n: scaling X in place to save memory, X belongs to the caller (loses the purity check only)
def linear_predict(w, b, X):
    X *= w
    return X.sum(axis=1) + b


# mutant: mae-no-abs
# plants: mae-no-abs
# d2l forum (3.1): the absolute value forgotten, signed errors cancel
def mae(y_pred, y_true):
    return float(np.mean(y_pred - y_true))


# mutant: mae-sum
# plants: mae-sum
# a sum where a mean is asked (the L1 norm of the residual)
def mae(y_pred, y_true):
    return float(np.sum(np.abs(y_pred - y_true)))


# mutant: mae-squared
# plants: mae-squared
# hw1's mse pasted for the MAE
def mae(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


# mutant: mae-len
# plants: mae-len
# numpy pitfall: len() of a 2-d array counts its rows, not its elements
def mae(y_pred, y_true):
    return float(np.sum(np.abs(y_pred - y_true)) / len(y_pred))


# mutant: mae-in-place
# a subtraction into y_pred's own memory (loses the purity check only)
def mae(y_pred, y_true):
    np.subtract(y_pred, y_true, out=y_pred)
    return float(np.mean(np.abs(y_pred)))


# mutant: llg-mse-half
# plants: llg-mse-half
# Bishop's and CS229's 1/2 * mean e^2, where the course's MSE (hw1) has none
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(0.5 * np.mean(e ** 2)), X.T @ e / len(y), float(np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-mse-no-two
# plants: llg-mse-no-two
# the chain rule's 2 forgotten: d(e^2)/de = 2e
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), X.T @ e / len(y), float(np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-residual-sign
# plants: llg-residual-sign
# Coursera DLS: the residual written y - y_hat, and the gradient's sign not flipped with it
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = y - (X @ w + b)
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-db-sum
# plants: llg-db-sum
# the bias's gradient summed over the examples, the 1/N forgotten there only
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.sum(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.sum(s))


# mutant: llg-dw-no-mean
# plants: llg-dw-no-mean
# the weights' gradient summed over the examples
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s, float(np.mean(s))


# mutant: llg-mae-sign-zero
# plants: llg-mae-sign-zero
# CS231n forum (L1 loss): np.where(e >= 0, 1, -1) for the sign, +1 at exactly 0
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))
    s = np.where(e >= 0, 1.0, -1.0)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-mae-loss-signed
# the MAE's value without its absolute value (the gradients right)
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(e)), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-case-insensitive
# a friendly .lower() the contract does not allow: "MSE" must raise
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    loss = loss.lower()
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: llg-else-is-mae
# an if/else where any name but "mse" silently means the MAE
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    e = X @ w + b - y
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / len(y), float(np.mean(s))


# mutant: gd-sequential
# plants: gd-sequential
# the loop updates w, then asks for b's gradient at the new w
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w = w - lr * dw
        b = b - lr * linear_loss_and_grads(w, b, X, y, loss)[2]
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history)


# mutant: gd-history-missing-last
# plants: gd-history-missing-last
# the loss after the last update never recorded
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    return w, b, np.array(history, dtype=np.float64)


# mutant: gd-ascent
# plants: gd-ascent
# += for -=: gradient ascent
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w + lr * dw, b + lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history)


# mutant: gd-extra-step
# plants: gd-extra-step
# range(steps + 1) to get steps + 1 losses, one update too many
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps + 1):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history)


# mutant: gd-in-place
# CS231n: w -= lr * dw on the caller's w0 (loses the purity check only)
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0, float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w -= lr * dw
        b -= lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w.copy(), b, np.array(history)


# mutant: gd-ignores-loss
# the loss argument never passed on: always the MSE
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y)[0])
    return w, b, np.array(history)


# mutant: classify-ge-tol
# plants: classify-ge-tol
# >= tol: an eigenvalue of exactly tol counted as positive
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam >= tol):
        return "local minimum"
    if np.all(lam <= -tol):
        return "local maximum"
    if np.any(lam >= tol) and np.any(lam <= -tol):
        return "saddle point"
    return "unknown"


# mutant: classify-ignores-tol
# plants: classify-ignores-tol
# the calculus book's test, > 0 and < 0, without the tolerance
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > 0):
        return "local minimum"
    if np.all(lam < 0):
        return "local maximum"
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle point"
    return "unknown"


# mutant: classify-no-unknown
# plants: classify-no-unknown
# "not a minimum and not a maximum, so a saddle": the undecided case forgotten
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    return "saddle point"


# mutant: classify-diagonal
# the Hessian's diagonal taken for its eigenvalues (right only for diagonal Hessians)
def classify_critical_point(hessian, tol=1e-8):
    lam = np.diag(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: classify-determinant
# calculus textbooks' two-variable test (det and H[0, 0]) carried to D dimensions
def classify_critical_point(hessian, tol=1e-8):
    det = np.linalg.det(hessian)
    if det < -tol:
        return "saddle point"
    if det > tol:
        return "local minimum" if hessian[0, 0] > 0 else "local maximum"
    return "unknown"


# mutant: classify-name-typo
# "saddle" for "saddle point": the contract's strings are exact
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    return "unknown"


# mutant: escape-largest
# plants: escape-largest
# the last column: eigh sorts in ascending order, so this is the largest eigenvalue's
def escape_direction(hessian):
    lam, vectors = np.linalg.eigh(hessian)
    return vectors[:, -1]


# mutant: escape-row
# plants: escape-row
# numpy pitfall: the eigenvectors are the columns, vectors[0] is a row
def escape_direction(hessian):
    lam, vectors = np.linalg.eigh(hessian)
    return vectors[0]


# mutant: escape-eig-unsorted
# plants: escape-eig-unsorted
# np.linalg.eig's first eigenvector, assumed to be the smallest eigenvalue's
def escape_direction(hessian):
    lam, vectors = np.linalg.eig(hessian)
    return np.real(vectors[:, 0])


# mutant: escape-sum-normalised
# normalised to sum 1 (like a probability vector) instead of to norm 1
def escape_direction(hessian):
    lam, vectors = np.linalg.eigh(hessian)
    u = vectors[:, 0]
    return u / np.sum(u)


# mutant: momentum-pytorch-form
# plants: momentum-pytorch-form
# PyTorch's SGD momentum (v = beta v + g, p -= lr v) where the lecture's form is asked
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    v = beta * velocity + grad
    return param - lr * v, v


# mutant: momentum-sign
# plants: momentum-sign
# CS231n's two conventions mixed: the velocity accumulates +lr * grad and is subtracted
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity + lr * grad
    return param - m, m


# mutant: momentum-no-beta
# plants: momentum-no-beta
# the momentum coefficient forgotten: every past gradient weighs fully
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = velocity - lr * grad
    return param + m, m


# mutant: momentum-in-place
# CS231n's "v = mu * v - lr * dx; x += v" written with in-place operators on the caller's arrays
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    velocity *= beta
    velocity -= lr * grad
    param += velocity
    return param, velocity


# mutant: momentum-float64-scalar
# numpy pitfall: np.float64(beta) is a numpy scalar, which upcasts float32 arrays (loses the dtype check only)
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = np.float64(beta) * velocity - lr * grad
    return param + m, m


# mutant: rmsprop-eps-inside
# plants: rmsprop-eps-inside
# Keras' old RMSprop and transcriptions of Hinton's lecture 6e: eps inside the root
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = alpha * cache + (1 - alpha) * grad ** 2
    return param - lr * grad / np.sqrt(cache + eps), cache


# mutant: rmsprop-old-cache
# plants: rmsprop-old-cache
# the step divided by the old cache's root, the new cache computed after
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_param = param - lr * grad / (np.sqrt(cache) + eps)
    return new_param, alpha * cache + (1 - alpha) * grad ** 2


# mutant: rmsprop-alpha-swapped
# plants: rmsprop-alpha-swapped
# the decay rate on the wrong term (d2l forum, 12.8)
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = (1 - alpha) * cache + alpha * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: rmsprop-no-sqrt
# plants: rmsprop-no-sqrt
# the mean square where its root is asked
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = alpha * cache + (1 - alpha) * grad ** 2
    return param - lr * grad / (cache + eps), cache


# mutant: rmsprop-in-place
# CS231n: cache = decay * cache + ... written in place on the caller's cache (loses the purity check only)
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache *= alpha
    cache += (1 - alpha) * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache.copy()


# mutant: adam-no-bias-correction
# plants: adam-no-bias-correction
# CS231n's "incomplete Adam" (bias correction left out)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * m / (np.sqrt(v) + eps), m, v


# mutant: adam-t-from-zero
# plants: adam-t-from-zero
# d2l forum (12.10): t taken as a loop index from 0, so the step's number written t + 1
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: adam-eps-inside
# plants: adam-eps-inside
# eps inside the square root (Keras' epsilon-hat discussions)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / np.sqrt(v_hat + eps), m, v


# mutant: adam-returns-corrected
# plants: adam-returns-corrected
# Coursera DLS (course 2, week 2): v_corrected stored back as the state
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m = m / (1 - beta1 ** t)
    v = v / (1 - beta2 ** t)
    return param - lr * m / (np.sqrt(v) + eps), m, v


# mutant: adam-np-power-upcast
# numpy pitfall: np.power of Python numbers is a numpy float64, which upcasts float32 (loses the dtype check only)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - np.power(beta1, t))
    v_hat = v / (1 - np.power(beta2, t))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: adam-no-check
# t = 0 not refused: 1 - beta^0 = 0 divides by zero, silently
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: schedule-warmup-off-by-one
# plants: schedule-warmup-off-by-one
# step / warmup_steps: a learning rate of 0 at step 0
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: schedule-cosine-over-total
# plants: schedule-cosine-over-total
# the cosine's period over all the steps, warm-up included
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / total_steps
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: schedule-min-lr-ignored
# plants: schedule-min-lr-ignored
# the plain cosine of SGDR's paper without its eta_min
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return base_lr * (1 + math.cos(math.pi * progress)) / 2
    return 0.0


# mutant: schedule-no-offset
# plants: schedule-no-offset
# the cosine's argument from step itself, not from the end of the warm-up
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = step / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: schedule-no-end
# plants: schedule-no-end
# the cosine continued past total_steps, where it rises again
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


# mutant: schedule-boundary-inclusive
# <= for <: the step at warmup_steps still warms up, above base_lr
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    if step <= warmup_steps and warmup_steps > 0:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: schedule-no-check
# arguments never checked: warmup_steps = total_steps divides by zero, a negative step warms "up"
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: optimize-adam-fixed-t
# plants: optimize-adam-fixed-t
# adam_step called with t = 1 at every step
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, 1, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history)


# mutant: optimize-state-reset
# plants: optimize-state-reset
# the optimizer's state created inside the loop: fresh at every step
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta = np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        s1, s2 = np.zeros(d + 1), np.zeros(d + 1)
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history)


# mutant: optimize-history-missing-last
# plants: optimize-history-missing-last
# the loss after the last step never recorded
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
    return np.array(history, dtype=np.float64)


# mutant: optimize-late-name-check
# the name checked inside the loop: with steps = 0 an unknown optimizer passes silently
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        elif optimizer == "adam":
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
        else:
            raise ValueError(optimizer)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history)


# mutant: optimize-momentum-arguments-swapped
# momentum_step(theta, grad, v, beta, lr): the hyperparameters in the wrong order
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        grad = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, 0.9, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history)


# mutant: optimize-bias-frozen
# the bias left out of theta: only w is trained, b stays 0
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d), np.zeros(d), np.zeros(d)
    history = []
    for t in range(1, steps + 1):
        L, grad, _ = linear_loss_and_grads(theta, 0.0, X, y, loss)
        history.append(L)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, grad, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, grad, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, grad, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta, 0.0, X, y, loss)[0])
    return np.array(history)
