"""The known mistakes of hw3: a model of each wrong implementation and the hint it earns.

When a student's output equals a model's on the failing input (and on the exercise's probes),
the grader shows the hint. The models are nearly solutions, so this file lives beside the
reference and never ships to students. Where each mistake comes from is said beside it.
"""

import math

import numpy as np

from grader.exercise import Mistake


def _loss_and_grads(w, b, X, y, loss="mse", *, half=False, two=True, flip=False, db_sum=False, sign=np.sign,
                    dw_mean=True):
    """linear_loss_and_grads with one switch thrown: the models of its mistakes."""
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    n = len(y)
    e = X @ w + b - y
    if flip:
        e = -e
    if loss == "mse":
        factor = 1.0 if half else 2.0 if two else 1.0
        L = float(np.mean(e ** 2) / (2 if half else 1))
        g = factor * e
    else:
        L = float(np.mean(np.abs(e)))
        g = sign(e).astype(np.float64)
    dw = X.T @ g / (n if dw_mean else 1)
    db = float(np.sum(g) if db_sum else np.mean(g))
    return L, dw, db


def _descent(w0, b0, X, y, lr, steps, loss="mse", *, sequential=False, last=True, ascent=False, extra=0):
    w, b = w0.copy(), float(b0)
    history = []
    direction = 1.0 if ascent else -1.0
    for _ in range(steps + extra):
        L, dw, db = _loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w = w + direction * lr * dw
        if sequential:  # db at the new w
            db = _loss_and_grads(w, b, X, y, loss)[2]
        b = b + direction * lr * db
    if last:
        history.append(_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


def _classify(hessian, tol=1e-8, *, strict=True, use_tol=True, unknown=True):
    lam = np.linalg.eigvalsh(hessian)
    t = tol if use_tol else 0.0
    pos, neg = (lam > t, lam < -t) if strict else (lam >= t, lam <= -t)
    if np.all(pos):
        return "local minimum"
    if np.all(neg):
        return "local maximum"
    if not unknown or (np.any(pos) and np.any(neg)):
        return "saddle point"
    return "unknown"


def _adam(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, correct=True, shift=0,
          inside=False, corrected_out=False):
    if t < 1:
        raise ValueError(t)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    with np.errstate(all="ignore"):
        m_hat = m / (1 - beta1 ** (t - shift)) if correct else m
        v_hat = v / (1 - beta2 ** (t - shift)) if correct else v
        root = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
        new = param - lr * m_hat / root
    return (new, m_hat, v_hat) if corrected_out else (new, m, v)


def _schedule(step, base_lr, warmup_steps, total_steps, min_lr=0.0, *, warm=lambda s, w: (s + 1) / w,
              span=lambda w, t: t - w, offset=True, floor=True, stop=True):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError(step)
    low = min_lr if floor else 0.0
    if step < warmup_steps:
        return base_lr * warm(step, warmup_steps)
    if step < total_steps or not stop:
        progress = ((step - warmup_steps) if offset else step) / span(warmup_steps, total_steps)
        return low + (base_lr - low) * (1 + math.cos(math.pi * progress)) / 2
    return float(low)


def _optimize(X, y, optimizer, lr, steps, loss="mse", *, fixed_t=False, reset=False, last=True):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = _loss_and_grads(theta[:d], theta[d], X, y, loss)
        grad = np.append(dw, db)
        history.append(L)
        if reset:
            s1, s2 = np.zeros(d + 1), np.zeros(d + 1)
        if optimizer == "sgd":
            theta = theta - lr * grad
        elif optimizer == "momentum":
            s1 = 0.9 * s1 - lr * grad
            theta = theta + s1
        elif optimizer == "rmsprop":
            s1 = 0.9 * s1 + 0.1 * grad ** 2
            theta = theta - lr * grad / (np.sqrt(s1) + 1e-8)
        else:
            theta, s1, s2 = _adam(theta, grad, s1, s2, 1 if fixed_t else t, lr)
    if last:
        history.append(_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


MISTAKES = {
    "linear_predict": (
        Mistake("predict-no-bias", "the model is b + X w: the bias b is added to every prediction",
                lambda w, b, X: X @ w),
    ),
    "mae": (
        # the absolute value forgotten: positive and negative errors cancel (d2l forum, chapter 3.1)
        Mistake("mae-no-abs", "the mean of the signed errors lets positive and negative ones cancel: take "
                "|y_pred - y_true| first", lambda p, t: float(np.mean(p - t))),
        Mistake("mae-sum", "the MAE is a mean: divide the sum of |errors| by the number of elements M",
                lambda p, t: float(np.sum(np.abs(p - t)))),
        Mistake("mae-squared", "this is the MSE: the MAE takes the absolute value of each error, not its square",
                lambda p, t: float(np.mean((p - t) ** 2))),
        # len() of a 2-d array is its number of rows (a numpy pitfall)
        Mistake("mae-len", "divide by M = y_pred.size, every element: len(y_pred) counts only the rows of an "
                "array of two or more dimensions", lambda p, t: float(np.sum(np.abs(p - t)) / len(p))),
    ),
    "linear_loss_and_grads": (
        # the 1/2 of textbooks (Bishop, CS229 notes) where the course's MSE has none
        Mistake("llg-mse-half", "the course's MSE is (1/N) sum e^2, without a 1/2 (as in hw1): its gradient is "
                "(2/N) X^T e", lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss, half=True)),
        Mistake("llg-mse-no-two", "the derivative of e^2 is 2 e: dL/dw = (2/N) X^T e and dL/db = (2/N) sum e",
                lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss, two=False)),
        Mistake("llg-residual-sign", "with e = X w + b - y the gradients are +X^T e / N...; e = y - X w - b "
                "flips their sign", lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss, flip=True)),
        Mistake("llg-db-sum", "the loss is a mean over the N examples: db is a mean too, not a sum",
                lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss, db_sum=True)),
        Mistake("llg-dw-no-mean", "the loss is a mean over the N examples: divide X^T e by N",
                lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss, dw_mean=False)),
        # np.where(e >= 0, 1, -1) for the sign (CS231n forum threads on the L1 loss)
        Mistake("llg-mae-sign-zero", "the contract's subgradient takes sign(0) = 0: a residual of exactly 0 "
                "contributes nothing (np.sign does this); e >= 0 counts it as +1",
                lambda w, b, X, y, loss="mse": _loss_and_grads(w, b, X, y, loss,
                                                               sign=lambda e: np.where(e >= 0, 1.0, -1.0))),
    ),
    "gradient_descent": (
        # the classic loop that updates w, then computes b's gradient at the new w
        Mistake("gd-sequential", "update w and b at once, both with the gradients of the same point: this "
                "computes db after w has moved",
                lambda w0, b0, X, y, lr, steps, loss="mse": _descent(w0, b0, X, y, lr, steps, loss,
                                                                     sequential=True)),
        Mistake("gd-history-missing-last", "history has steps + 1 losses: after the loop, append the loss at "
                "the final (w, b)", lambda w0, b0, X, y, lr, steps, loss="mse": _descent(w0, b0, X, y, lr, steps,
                                                                                        loss, last=False)),
        Mistake("gd-ascent", "descent goes AGAINST the gradient: w - lr * dw, b - lr * db",
                lambda w0, b0, X, y, lr, steps, loss="mse": _descent(w0, b0, X, y, lr, steps, loss, ascent=True)),
        Mistake("gd-extra-step", "`steps` updates: range(steps), one update each, then one more loss",
                lambda w0, b0, X, y, lr, steps, loss="mse": _descent(w0, b0, X, y, lr, steps, loss, extra=1)),
    ),
    "classify_critical_point": (
        Mistake("classify-ge-tol", "an eigenvalue equal to tol counts as 0: the test is lam > tol (and lam < -tol), "
                "strictly", lambda h, tol=1e-8: _classify(h, tol, strict=False)),
        Mistake("classify-ignores-tol", "compare with +tol and -tol, not 0: an eigenvalue inside (0, tol] counts "
                "as 0 and leaves the test undecided", lambda h, tol=1e-8: _classify(h, tol, use_tol=False)),
        Mistake("classify-no-unknown", "a saddle point needs an eigenvalue > tol AND one < -tol; when some are "
                "within tol of 0 and the others share a sign, the answer is \"unknown\"",
                lambda h, tol=1e-8: _classify(h, tol, unknown=False)),
    ),
    "escape_direction": (
        Mistake("escape-largest", "the escape direction goes with the SMALLEST eigenvalue (eigh sorts them in "
                "ascending order: the first column)", lambda h: np.linalg.eigh(h)[1][:, -1]),
        # numpy pitfall: eigenvectors are columns (np.linalg.eigh's documentation, CS231n numpy tutorial)
        Mistake("escape-row", "the eigenvectors are the COLUMNS of eigh's second result: vectors[:, 0], not the "
                "row vectors[0]", lambda h: np.linalg.eigh(h)[1][0]),
        Mistake("escape-eig-unsorted", "np.linalg.eig does not sort its eigenvalues: take the column of the "
                "smallest (np.argmin), or use np.linalg.eigh, which sorts them",
                lambda h: np.real(np.linalg.eig(h)[1][:, 0])),
    ),
    "momentum_step": (
        # PyTorch's form (v = beta v + grad, p -= lr v) where the lecture's is asked
        Mistake("momentum-pytorch-form", "the lecture's movement is m = beta * velocity - lr * grad, added to "
                "param; PyTorch's v = beta * v + grad is another velocity (lr outside it)",
                lambda p, g, v, lr=1e-2, beta=0.9: (p - lr * (beta * v + g), beta * v + g)),
        Mistake("momentum-sign", "m = beta * velocity - lr * grad is ADDED to param: this m has the opposite sign "
                "(a descent velocity subtracted)", lambda p, g, v, lr=1e-2, beta=0.9: (p - (beta * v + lr * g),
                                                                                     beta * v + lr * g)),
        Mistake("momentum-no-beta", "the last movement is scaled by beta: m = beta * velocity - lr * grad",
                lambda p, g, v, lr=1e-2, beta=0.9: (p + v - lr * g, v - lr * g)),
    ),
    "rmsprop_step": (
        # Hinton's lecture 6e writes sqrt(MeanSquare + eps) in some transcriptions; Keras once did too
        Mistake("rmsprop-eps-inside", "eps goes OUTSIDE the square root: sqrt(cache') + eps",
                lambda p, g, c, lr=1e-3, alpha=0.9, eps=1e-8: (p - lr * g / np.sqrt(alpha * c + (1 - alpha) * g ** 2
                                                                                    + eps),
                                                              alpha * c + (1 - alpha) * g ** 2)),
        Mistake("rmsprop-old-cache", "update the cache first, then divide by the NEW cache's root",
                lambda p, g, c, lr=1e-3, alpha=0.9, eps=1e-8: (p - lr * g / (np.sqrt(c) + eps),
                                                              alpha * c + (1 - alpha) * g ** 2)),
        Mistake("rmsprop-alpha-swapped", "alpha weighs the OLD cache: cache' = alpha * cache + (1 - alpha) * grad^2",
                lambda p, g, c, lr=1e-3, alpha=0.9, eps=1e-8: (
                    p - lr * g / (np.sqrt((1 - alpha) * c + alpha * g ** 2) + eps), (1 - alpha) * c + alpha * g ** 2)),
        Mistake("rmsprop-no-sqrt", "divide by the ROOT mean square, sqrt(cache') + eps, not by cache' itself",
                lambda p, g, c, lr=1e-3, alpha=0.9, eps=1e-8: (p - lr * g / (alpha * c + (1 - alpha) * g ** 2 + eps),
                                                              alpha * c + (1 - alpha) * g ** 2)),
    ),
    "adam_step": (
        Mistake("adam-no-bias-correction", "divide m' by 1 - beta1^t and v' by 1 - beta2^t before the step: "
                "without it the first steps are far too small (m and v start at 0)",
                lambda *a, **k: _adam(*a, **k, correct=False)),
        # t taken as counted from 0 (a loop's index), so the step's number written t + 1 (d2l forum, chapter 12.10)
        Mistake("adam-t-from-zero", "t is already the number of this step, 1 for the first: the correction "
                "divides by 1 - beta^t, not 1 - beta^(t + 1)", lambda *a, **k: _adam(*a, **k, shift=-1)),
        Mistake("adam-eps-inside", "eps goes OUTSIDE the square root: sqrt(v_hat) + eps",
                lambda *a, **k: _adam(*a, **k, inside=True)),
        Mistake("adam-returns-corrected", "return the moving averages m' and v' themselves: the corrected m_hat "
                "and v_hat are for this step only (the next step corrects again)",
                lambda *a, **k: _adam(*a, **k, corrected_out=True)),
    ),
    "warmup_cosine_lr": (
        # the warm-up off by one: step / warmup_steps gives 0 at step 0 (a learning rate of 0 wastes a step)
        Mistake("schedule-warmup-off-by-one", "during the warm-up the rate is base_lr * (step + 1) / warmup_steps: "
                "step 0 already moves, and step warmup_steps - 1 reaches base_lr",
                lambda *a, **k: _schedule(*a, **k, warm=lambda s, w: s / w)),
        Mistake("schedule-cosine-over-total", "the cosine runs over the decay only: divide step - warmup_steps by "
                "total_steps - warmup_steps, not by total_steps", lambda *a, **k: _schedule(*a, **k, span=lambda w, t: t)),
        Mistake("schedule-min-lr-ignored", "the decay goes from base_lr down to min_lr: min_lr + (base_lr - min_lr) "
                "* (1 + cos(...)) / 2, and min_lr from total_steps on", lambda *a, **k: _schedule(*a, **k, floor=False)),
        Mistake("schedule-no-offset", "the cosine starts where the warm-up ends: its argument is "
                "pi * (step - warmup_steps) / (total_steps - warmup_steps)", lambda *a, **k: _schedule(*a, **k, offset=False)),
        Mistake("schedule-no-end", "from total_steps on the rate stays at min_lr: past the end the cosine would "
                "rise again", lambda *a, **k: _schedule(*a, **k, stop=False)),
    ),
    "optimize_linear": (
        Mistake("optimize-adam-fixed-t", "Adam's t counts the steps, 1, 2, 3, ...: with t = 1 at every step the "
                "bias correction never fades", lambda *a, **k: _optimize(*a, **k, fixed_t=True)),
        Mistake("optimize-state-reset", "the optimizer's state (velocity, cache, m and v) carries over from step "
                "to step: create it once, before the loop", lambda *a, **k: _optimize(*a, **k, reset=True)),
        Mistake("optimize-history-missing-last", "the history has steps + 1 losses: after the loop, append the "
                "loss at the final parameters", lambda *a, **k: _optimize(*a, **k, last=False)),
    ),
}
