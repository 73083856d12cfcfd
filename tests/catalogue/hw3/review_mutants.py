"""A second, independently written catalogue of hw3 mistakes, for review.

Written from issue 13's contract alone, by a reviewer who had not seen hw3's reference, grader,
first catalogue or known mistakes (solutions/hw3/mistakes.py); the lead added the `# plants:`
lines afterwards, where the grader's hint fits the mistake (31 of them, each hint read against
the entry). Each entry has one bug that the
contract forbids; its first comment line says where the mistake comes from (recalled from those
courses, libraries and forums, not linked to a thread), the next why it is wrong by the contract.
Entries call the homework's other functions by their contract names (the reference's are
installed) and define no helper of their own.

Not mutants, because the contract allows them (most are in review_alternatives.py):
- an escape direction of either sign, or any unit vector of a repeated smallest eigenspace
  (np.linalg.eig's vectors there need not be eigh's);
- eigenvalues by eig, eigvalsh or the SVD of a shifted hessian (the same numbers within rounding);
- optimize_linear with separate optimizer states for w and b (every optimizer is elementwise), or
  "sgd" delegated to gradient_descent;
- an optimizer step computed in float64 and cast back to the input's dtype (more exact, same dtype);
- beta1 ** t or math.pow(beta1, t) (Python floats) in adam_step; momentum's new parameter written
  param - lr * grad + beta * velocity (another rounding of the same formula);
- a "float" returned as np.float64 or a Python float; history built as a list then np.array.
Left out as arguable:
- mae or a loss returned as a 0-d array (np.asarray(np.mean(...))): the contract's "float" is a
  Python float or a numpy float scalar, yet a 0-d float64 array behaves as one almost everywhere;
- optimizer steps on 0-d arrays returning numpy scalars (plain arithmetic does) or 0-d arrays
  (updates on copies do): both have the shape and dtype asked;
- adam_step given t = 0.5 or t = True: the contract says t is the step's number.
Mutants that only some inputs catch, which the grader must therefore use: the wrong defaults
(review-rms-torch-default-alpha, review-adam-keras-default-eps: the steps called with their
defaults), the dtype ones (float32 inputs), eps inside the root (small gradients, t = 1), the
classify ones (eigenvalues exactly tol on a diagonal hessian, inside (0, tol], a zero eigenvalue
beside both signs, a non-default tol), review-lr-negative-warmup-allowed and
review-lr-equal-allowed (each clause of the ValueError condition), review-lr-no-clamp (a step
past total_steps, not only at it: the cosine gives exactly min_lr at total_steps).
"""

import numpy as np  # the reference imports it; the entries below use it


# ------------------------------------------------------- linear_predict ---

# mutant: review-lp-no-bias
# plants: predict-no-bias
# source: Coursera Machine Learning week 2 (the intercept folded into X by a column of ones, then dropped)
# b is left out: predictions are X w
def linear_predict(w, b, X):
    return X @ w


# mutant: review-lp-minus-bias
# source: my reasoning (y = w x - b, the threshold form of perceptron notes)
# subtracts b
def linear_predict(w, b, X):
    return X @ w - b


# mutant: review-lp-mean-not-sum
# source: d2l.ai discussions of linear regression from scratch (np.mean(X * w, axis=1))
# averages the D products instead of adding them: off by a factor D
def linear_predict(w, b, X):
    return b + np.mean(X * w, axis=1)


# mutant: review-lp-column-output
# source: CS231n and Coursera DLS (weights kept as a (D, 1) column, predictions as an (N, 1) column)
# shape (N, 1), not (N,)
def linear_predict(w, b, X):
    return b + X @ w.reshape(-1, 1)


# mutant: review-lp-loop-from-one
# source: Coursera Machine Learning (1-based Octave loops ported to Python: range(1, D))
# the first feature is skipped
def linear_predict(w, b, X):
    out = np.full(X.shape[0], float(b))
    for j in range(1, X.shape[1]):
        out = out + w[j] * X[:, j]
    return out


# mutant: review-lp-elementwise
# source: d2l.ai discussions (X * w, elementwise, taken for the matrix-vector product)
# shape (N, D), not (N,)
def linear_predict(w, b, X):
    return b + X * w


# ------------------------------------------------------------------ mae ---

# mutant: review-mae-squared
# plants: mae-squared
# source: d2l.ai discussions (the squared loss of the chapter reused for the absolute error)
# the mean squared error, not the mean absolute error
def mae(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


# mutant: review-mae-abs-outside
# source: my reasoning (np.abs(np.mean(e)): the absolute value taken after averaging)
# positive and negative residuals cancel
def mae(y_pred, y_true):
    return float(np.abs(np.mean(y_pred - y_true)))


# mutant: review-mae-divide-by-len
# plants: mae-len
# source: my reasoning (1/N with N = len(y), right for 1-d inputs only)
# for a 2-d input len() is the number of rows, not y_pred.size
def mae(y_pred, y_true):
    return float(np.sum(np.abs(y_pred - y_true)) / len(y_pred))


# mutant: review-mae-axis0
# source: my reasoning (np.mean(..., axis=0), as for per-feature statistics)
# a 2-d input gives an array of column means, not one float
def mae(y_pred, y_true):
    return np.mean(np.abs(y_pred - y_true), axis=0)


# mutant: review-mae-matrix-norm
# source: my reasoning (the L1 norm divided by the count, with np.linalg.norm(e, 1))
# for a 2-d input np.linalg.norm(e, 1) is the largest column sum, not the sum of all |e|
def mae(y_pred, y_true):
    e = y_pred - y_true
    return float(np.linalg.norm(e, 1) / e.size)


# mutant: review-mae-rmse
# source: Kaggle and forum posts mixing up MAE and RMSE
# the root of the mean squared error
def mae(y_pred, y_true):
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))


# mutant: review-mae-inplace
# source: CS231n-style buffer reuse (y_pred -= y_true to save an allocation)
# modifies y_pred (the contract: no function may modify its inputs)
def mae(y_pred, y_true):
    y_pred -= y_true
    return float(np.mean(np.abs(y_pred)))


# ------------------------------------------------ linear_loss_and_grads ---

# mutant: review-llg-mse-half
# plants: llg-mse-half
# source: Coursera Machine Learning and CS229 notes (a 1/2 in front of the squared error)
# the loss and gradients of half the mean squared error: hw1's mse has no 1/2
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2) / 2), X.T @ e / n, float(np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mse-grad-no-two
# plants: llg-mse-no-two
# source: Coursera Machine Learning week 2 (the gradient of J = 1/(2m) sum e^2, kept without the 1/2)
# the loss is right, the mse gradients are half of it
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), X.T @ e / n, float(np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-residual-sign
# plants: llg-residual-sign
# source: d2l.ai discussions (e = y - y_hat, then the gradient written as for y_hat - y)
# the gradients point uphill
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = y - linear_predict(w, b, X)
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mse-sum-not-mean
# source: CS231n forums (the gradient summed over the batch, "/ N" forgotten)
# the mse gradients are N times too large
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e, float(2 * np.sum(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mae-sign-zero-plus
# plants: llg-mae-sign-zero
# source: forum answers giving d|e|/de as np.where(e >= 0, 1, -1)
# sign(0) taken as +1: the contract takes 0 for exact-zero residuals
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.where(e >= 0, 1.0, -1.0)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mae-sign-ratio
# source: my reasoning (sign(e) written e / |e|)
# 0 / 0 at an exact-zero residual: nan and an invalid-value warning
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = e / np.abs(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mae-grad-with-two
# source: my reasoning (the mse branch copied and the square replaced, the 2 kept)
# the mae gradients are twice the subgradient
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), 2 * X.T @ s / n, float(2 * np.mean(s))


# mutant: review-llg-mae-db-residual
# source: my reasoning (db copied from the mse branch: the mean residual, not its sign)
# db for "mae" is mean(e), not mean(sign(e))
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(e))


# mutant: review-llg-unknown-is-mse
# source: my reasoning (if loss == "mae": ... else: mse, the usual two-way branch)
# any other name, "MSE" or "l2" included, silently gives mse instead of raising ValueError
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mae":
        s = np.sign(e)
        return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))
    return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))


# mutant: review-llg-case-insensitive
# source: my reasoning (loss.lower() "to be forgiving", as many libraries do)
# "MSE" and "Mae" must raise ValueError: names are case-sensitive
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    loss = loss.lower()
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-db-array
# source: Coursera DLS (db = np.sum(dZ, axis=1, keepdims=True), kept as an array)
# db is an array of shape (1,), not a float
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    g = 2 * e / n if loss == "mse" else np.sign(e) / n
    L = np.mean(e ** 2) if loss == "mse" else np.mean(np.abs(e))
    return float(L), X.T @ g, np.sum(g, keepdims=True)


# mutant: review-llg-inplace-residual
# source: my reasoning (e = y; e -= predictions, "no copy needed")
# e is y itself: the caller's y is overwritten with minus the residuals
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = y
    e -= linear_predict(w, b, X)
    e *= -1
    n = X.shape[0]
    if loss == "mse":
        return float(np.mean(e ** 2)), 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return float(np.mean(np.abs(e))), X.T @ s / n, float(np.mean(s))


# mutant: review-llg-mae-loss-is-mse
# source: my reasoning (the loss computed once, as mse, before the branch on the gradient)
# for "mae" the gradients are right but L is the mean squared error
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', not {loss!r}")
    e = linear_predict(w, b, X) - y
    n = X.shape[0]
    L = float(np.mean(e ** 2))
    if loss == "mse":
        return L, 2 * X.T @ e / n, float(2 * np.mean(e))
    s = np.sign(e)
    return L, X.T @ s / n, float(np.mean(s))


# ----------------------------------------------------- gradient_descent ---

# mutant: review-gd-history-steps
# plants: gd-history-missing-last
# source: d2l.ai's train loops (one loss recorded per update, none after the last)
# history has steps entries, not steps + 1: the loss after the last update is missing
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-history-after-only
# source: my reasoning (history.append placed after the update, and the last loss appended once more)
# history[0] must be the loss at (w0, b0): here it is the loss after the first update
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        _, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        w, b = w - lr * dw, b - lr * db
        history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-sequential
# plants: gd-sequential
# source: textbook errata on "simultaneous update" (Coursera Machine Learning week 1 warns of it)
# b's gradient is taken at the updated w: not a simultaneous update
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, _ = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w = w - lr * dw
        _, _, db = linear_loss_and_grads(w, b, X, y, loss)
        b = b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-inplace-w0
# source: CS231n forums (w = w0 then w -= lr * dw: an alias, not a copy)
# modifies w0 (the contract: no function may modify its inputs)
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0, float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w -= lr * dw
        b -= lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-loss-not-passed
# source: my reasoning (linear_loss_and_grads(w, b, X, y): the loss argument forgotten)
# always fits mse, whatever loss is asked for
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y)[0])
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-ascent
# plants: gd-ascent
# source: my reasoning (w + lr * dw)
# moves up the gradient
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w + lr * dw, b + lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


# mutant: review-gd-history-list
# source: d2l.ai and CS231n solvers (loss_history kept as a Python list)
# history must be a float64 array, not a list
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, history


# mutant: review-gd-loop-from-one
# source: Coursera Machine Learning (1-based Octave loops ported to Python: range(1, steps))
# steps - 1 updates: w, b and the history stop one update early
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    history = []
    for _ in range(1, steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w, b = w - lr * dw, b - lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, b, np.array(history, dtype=np.float64)


# ---------------------------------------------- classify_critical_point ---

# mutant: review-ccp-greater-equal-tol
# plants: classify-ge-tol
# source: my reasoning (lam >= tol for "positive")
# an eigenvalue exactly tol counts as positive: the contract asks lam > tol
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam >= tol):
        return "local minimum"
    if np.all(lam <= -tol):
        return "local maximum"
    if np.any(lam >= tol) and np.any(lam <= -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-ignores-tol
# plants: classify-ignores-tol
# source: calculus textbooks' second-derivative test (lam > 0, lam < 0, no tolerance)
# eigenvalues in (0, tol] make a "local minimum" that the contract calls "unknown"
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > 0):
        return "local minimum"
    if np.all(lam < 0):
        return "local maximum"
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-abs-tol-saddle
# source: my reasoning (the minus sign of -tol dropped in the saddle test)
# "some lam < tol" holds for a zero eigenvalue: [1, 0] is a "saddle point", not "unknown"
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-max-plus-tol
# source: my reasoning (lam < tol for "negative")
# every eigenvalue in (-tol, tol) or below makes a "local maximum": the zero hessian is not one
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-any-negative-saddle
# source: my reasoning ("not a minimum and not a maximum, and something is negative: a saddle")
# [-1, 0] is "unknown" (no positive eigenvalue), not a "saddle point"
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-diagonal
# source: my reasoning (the signs of the second derivatives d2f/dx_i^2 read off the diagonal)
# a rotated hessian's diagonal is not its spectrum
def classify_critical_point(hessian, tol=1e-8):
    lam = np.diag(hessian)
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-det-trace
# source: calculus textbooks (the 2-D test f_xx f_yy - f_xy^2 > 0, then the sign of f_xx), via det and trace
# only right for D = 2: eigenvalues [-1, -1, 2] have det > 0 and trace 0
def classify_critical_point(hessian, tol=1e-8):
    det = np.linalg.det(hessian)
    tr = np.trace(hessian)
    if det > tol and tr > tol:
        return "local minimum"
    if det > tol and tr < -tol:
        return "local maximum"
    if det < -tol:
        return "saddle point"
    return "unknown"


# mutant: review-ccp-cholesky
# plants: classify-ignores-tol
# source: Numerical Recipes and forum answers (definiteness tested by trying a Cholesky factorisation)
# Cholesky ignores tol: eigenvalues in (0, tol] make a "local minimum", not "unknown"
def classify_critical_point(hessian, tol=1e-8):
    try:
        np.linalg.cholesky(hessian)
        return "local minimum"
    except np.linalg.LinAlgError:
        pass
    try:
        np.linalg.cholesky(-hessian)
        return "local maximum"
    except np.linalg.LinAlgError:
        pass
    lam = np.linalg.eigvalsh(hessian)
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-short-labels
# source: my reasoning (the labels shortened to "minimum", "maximum", "saddle")
# the contract's strings are "local minimum", "local maximum", "saddle point"
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    return "unknown"


# mutant: review-ccp-relative-tol
# source: numpy's matrix_rank (a tolerance relative to the largest singular value)
# tol scaled by max |lam|: a different threshold whenever max |lam| != 1
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    tol = tol * np.max(np.abs(lam))
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle point"
    return "unknown"


# mutant: review-ccp-zero-eigenvalue-inconclusive
# source: calculus textbooks' 2-D test ("if det H = 0 the test is inconclusive"), carried over to eigenvalues
# a zero eigenvalue beside a positive and a negative one is still a "saddle point"
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    if np.any(np.abs(lam) <= tol):
        return "unknown"
    if np.all(lam > tol):
        return "local minimum"
    if np.all(lam < -tol):
        return "local maximum"
    return "saddle point"


# ----------------------------------------------------- escape_direction ---

# mutant: review-esc-eig-unsorted
# plants: escape-eig-unsorted
# source: numpy's documentation of np.linalg.eig ("not necessarily ordered"), a classic forum question
# eig's first vector is not the smallest eigenvalue's
def escape_direction(hessian):
    _, vecs = np.linalg.eig(hessian)
    return np.real(vecs[:, 0])


# mutant: review-esc-row
# plants: escape-row
# source: numpy forums (the eigenvectors are the columns; vecs[0] is a row)
# a row of the eigenvector matrix, not an eigenvector
def escape_direction(hessian):
    _, vecs = np.linalg.eigh(hessian)
    return vecs[0]


# mutant: review-esc-largest
# plants: escape-largest
# source: my reasoning (eigh's order taken as descending, as for np.linalg.svd)
# the eigenvector of the largest eigenvalue
def escape_direction(hessian):
    _, vecs = np.linalg.eigh(hessian)
    return vecs[:, -1]


# mutant: review-esc-smallest-magnitude
# source: my reasoning (argmin of |lam|, "the smallest eigenvalue")
# the eigenvalue nearest zero, not the most negative one
def escape_direction(hessian):
    vals, vecs = np.linalg.eigh(hessian)
    return vecs[:, np.argmin(np.abs(vals))]


# mutant: review-esc-svd-last
# source: my reasoning (the last singular vector of the SVD as "the smallest direction")
# singular values are |lam|: the vector of the eigenvalue nearest zero
def escape_direction(hessian):
    u, _, _ = np.linalg.svd(hessian)
    return u[:, -1]


# mutant: review-esc-max-norm
# source: Burden and Faires' power method (vectors scaled so the largest entry is 1)
# infinity-norm scaling: not unit length
def escape_direction(hessian):
    _, vecs = np.linalg.eigh(hessian)
    u = vecs[:, 0]
    return u / np.max(np.abs(u))


# mutant: review-esc-column
# source: my reasoning (a boolean mask on the columns keeps them 2-d)
# shape (D, 1), or (D, k) for a repeated eigenvalue, not (D,)
def escape_direction(hessian):
    vals, vecs = np.linalg.eigh(hessian)
    return vecs[:, vals == vals.min()]


# mutant: review-esc-scaled-by-eigenvalue
# source: my reasoning (the step lam * u returned as "the direction to move")
# |lam_min| times a unit vector: not unit norm
def escape_direction(hessian):
    vals, vecs = np.linalg.eigh(hessian)
    return vals[0] * vecs[:, 0]


# -------------------------------------------------------- momentum_step ---

# mutant: review-mom-dls-ema
# source: Coursera DLS week 2 (v = beta v + (1 - beta) dW, then W -= lr v)
# an exponential average of gradients, not the lecture's m = beta velocity - lr grad
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity + (1 - beta) * grad
    return param - lr * m, m


# mutant: review-mom-pytorch
# plants: momentum-pytorch-form
# source: PyTorch's SGD with momentum (buf = beta buf + grad; p -= lr buf)
# the returned velocity is the gradient buffer, not the movement
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity + grad
    return param - lr * m, m


# mutant: review-mom-returned-sign
# plants: momentum-sign
# source: CS231n notes' v = mu v - lr dx, written instead as v = mu v + lr dx; x -= v
# the new parameter is right for a zero velocity, the returned movement has the wrong sign
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity + lr * grad
    return param - m, m


# mutant: review-mom-old-velocity
# source: my reasoning (the parameter moved by the last movement before the new one is computed)
# new_param = param + velocity, not param + m
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity - lr * grad
    return param + velocity, m


# mutant: review-mom-inplace
# source: CS231n assignment 2 optim.py habits (v *= mu; v -= lr * dw; w += v)
# modifies param and velocity
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    velocity *= beta
    velocity -= lr * grad
    param += velocity
    return param, velocity


# mutant: review-mom-float64-param
# source: my reasoning (np.array(param, dtype=float) "to be safe")
# float32 in, float64 out: the contract keeps the dtype
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    param = np.array(param, dtype=float)
    m = beta * velocity - lr * grad
    return param + m, m


# mutant: review-mom-nesterov
# source: CS231n notes (Nesterov's form x += -mu * v_prev + (1 + mu) * v, next to plain momentum)
# the look-ahead update of Nesterov momentum, not the lecture's param + m
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    m = beta * velocity - lr * grad
    return param - beta * velocity + (1 + beta) * m, m


# --------------------------------------------------------- rmsprop_step ---

# mutant: review-rms-eps-inside
# plants: rmsprop-eps-inside
# source: Keras and TensorFlow forums (tf's RMSprop once had eps inside the root)
# sqrt(cache' + eps): eps outside the root by the contract; differs for small gradients
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = alpha * cache + (1 - alpha) * grad ** 2
    return param - lr * grad / np.sqrt(cache + eps), cache


# mutant: review-rms-old-cache
# plants: rmsprop-old-cache
# source: my reasoning (the division by the cache that came in, updated after)
# divides by sqrt(cache), not sqrt(cache'): a zero cache divides by eps
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_param = param - lr * grad / (np.sqrt(cache) + eps)
    return new_param, alpha * cache + (1 - alpha) * grad ** 2


# mutant: review-rms-swapped-weights
# plants: rmsprop-alpha-swapped
# source: my reasoning (cache' = (1 - alpha) cache + alpha grad^2, the weights swapped)
# the new gradient weighs alpha, not 1 - alpha
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = (1 - alpha) * cache + alpha * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: review-rms-no-sqrt
# plants: rmsprop-no-sqrt
# source: my reasoning (dividing by the mean square, not its root)
# grad / (cache' + eps)
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = alpha * cache + (1 - alpha) * grad ** 2
    return param - lr * grad / (cache + eps), cache


# mutant: review-rms-adagrad
# source: CS231n notes (Adagrad's cache += dx**2, just above RMSProp's)
# the squares are summed, not averaged with alpha
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = cache + grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: review-rms-inplace-cache
# source: CS231n assignment 2 optim.py habits (config['cache'] updated in place)
# modifies cache
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache *= alpha
    cache += (1 - alpha) * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: review-rms-float64-cache
# source: my reasoning (np.asarray(cache, dtype=np.float64) "in case it is a list")
# float32 in, float64 out
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    cache = alpha * np.asarray(cache, dtype=np.float64) + (1 - alpha) * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: review-rms-torch-default-alpha
# source: PyTorch's RMSprop (alpha=0.99 by default)
# the contract's default alpha is 0.9
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.99, eps=1e-8):
    cache = alpha * cache + (1 - alpha) * grad ** 2
    return param - lr * grad / (np.sqrt(cache) + eps), cache


# mutant: review-rms-loop-zeros
# source: CS231n-style loops over entries into a np.zeros buffer
# np.zeros is float64: float32 in, float64 out
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_param, new_cache = np.zeros(param.shape), np.zeros(cache.shape)
    for i in np.ndindex(param.shape):
        new_cache[i] = alpha * cache[i] + (1 - alpha) * grad[i] ** 2
        new_param[i] = param[i] - lr * grad[i] / (np.sqrt(new_cache[i]) + eps)
    return new_param, new_cache


# ------------------------------------------------------------ adam_step ---

# mutant: review-adam-no-bias-correction
# plants: adam-no-bias-correction
# source: Coursera DLS week 2 forums (m and v used directly, bias correction skipped)
# m' / (sqrt(v') + eps): at t = 1 the step is about sqrt(1 - beta2) / (1 - beta1) = 0.32 of the right one
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * m / (np.sqrt(v) + eps), m, v


# mutant: review-adam-bias-t-minus-one
# source: my reasoning (t counted from 0 in the correction: 1 - beta1 ** (t - 1))
# t = 1 divides by zero: inf and nan
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** (t - 1))
    v_hat = v / (1 - beta2 ** (t - 1))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-bias-t-plus-one
# plants: adam-t-from-zero
# source: CS231n assignment 2 (config['t'] += 1 before use, applied to a t that already counts from 1)
# 1 - beta ** (t + 1): the correction of the next step
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-beta-times-t
# source: my reasoning (beta1^t read as beta1 * t)
# 1 - beta1 * t: right at t = 1 only
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 * t)
    v_hat = v / (1 - beta2 * t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-eps-inside
# plants: adam-eps-inside
# source: my reasoning (eps moved inside the root, as TensorFlow 1's RMSPropOptimizer had it)
# sqrt(v_hat + eps): shows with small gradients
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / np.sqrt(v_hat + eps), m, v


# mutant: review-adam-paper-efficient-form
# source: Kingma and Ba, section 2, and TensorFlow 1's Adam (lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t))
# eps added before the bias correction: in effect eps / sqrt(1 - beta2^t), 32 times eps at t = 1
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return param - lr_t * m / (np.sqrt(v) + eps), m, v


# mutant: review-adam-returns-hat
# plants: adam-returns-corrected
# source: my reasoning (the corrected moments stored back as the optimizer's state)
# returns the bias-corrected m_hat and v_hat, not m' and v'
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat


# mutant: review-adam-inplace
# source: CS231n assignment 2 optim.py habits (config['m'] and config['v'] updated in place)
# modifies m and v
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-t-zero-allowed
# source: my reasoning (the check written t < 0, "t must not be negative")
# t = 0 must raise ValueError; here it divides by zero
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-np-power-upcast
# source: the contract's own example (np.power(beta1, t): a float64 numpy scalar, which upcasts in numpy 2)
# float32 in, float64 out
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - np.power(beta1, t))
    v_hat = v / (1 - np.power(beta2, t))
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-v-beta1-copy-paste
# source: my reasoning (the m line copied for v, beta1 left in the weight of grad^2)
# v' = beta2 v + (1 - beta1) grad^2
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta1) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-v-correction-beta1
# source: my reasoning (the m_hat line copied for v_hat)
# v_hat = v' / (1 - beta1^t)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta1 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-keras-default-eps
# source: Keras' Adam (epsilon=1e-7 by default)
# the contract's default eps is 1e-8
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# mutant: review-adam-v-uncorrected
# source: my reasoning (the bias correction applied to the first moment only)
# v_hat = v' is not corrected: at t = 1 the step is about sqrt(1 - beta2) = 0.03 of the right one
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t counts steps from 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    return param - lr * m_hat / (np.sqrt(v) + eps), m, v


# ----------------------------------------------------- warmup_cosine_lr ---

# mutant: review-lr-warmup-from-zero
# plants: schedule-warmup-off-by-one
# source: Hugging Face's get_cosine_schedule_with_warmup and PyTorch LambdaLR recipes (step / warmup_steps)
# step 0 gives 0 and step warmup_steps - 1 gives less than base_lr: the contract uses step + 1
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-warmup-inclusive
# source: my reasoning (step <= warmup_steps for the warm-up)
# step warmup_steps gives base_lr (warmup_steps + 1) / warmup_steps, above base_lr
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step <= warmup_steps and warmup_steps > 0:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-cosine-from-zero
# source: my reasoning (the cosine of a schedule without warm-up kept when warm-up is added)
# cos(pi step / total_steps): the decay does not start at base_lr
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * step / total_steps)) / 2
    return min_lr


# mutant: review-lr-cosine-full-period
# source: my reasoning (cos(2 pi x): a whole period, as for a cyclic schedule)
# the rate falls and rises back to base_lr by total_steps
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(2 * math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-cosine-period-minus-one
# source: my reasoning (the decay "reaches min_lr at the last step", total_steps - 1)
# the cosine's period is total_steps - warmup_steps - 1, not total_steps - warmup_steps
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        span = max(total_steps - warmup_steps - 1, 1)
        progress = (step - warmup_steps) / span
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-zero-after-total
# source: my reasoning (the schedule "ends" at total_steps: 0 afterwards)
# from total_steps on the rate is min_lr, not 0
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return 0.0


# mutant: review-lr-no-clamp
# plants: schedule-no-end
# source: my reasoning (the cosine branch used for every step after warm-up)
# past total_steps the cosine rises again instead of staying at min_lr
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


# mutant: review-lr-min-lr-added
# source: my reasoning (min_lr added to the plain cosine)
# min_lr + base_lr (1 + cos) / 2: starts at base_lr + min_lr
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + base_lr * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-warmup-from-min
# source: timm's warmup_lr_init (the warm-up ramps from a starting rate, here min_lr)
# the warm-up is min_lr + (base_lr - min_lr)(step + 1) / warmup_steps, not base_lr (step + 1) / warmup_steps
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return min_lr + (base_lr - min_lr) * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-equal-allowed
# source: my reasoning (the check written warmup_steps > total_steps)
# warmup_steps == total_steps must raise ValueError
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if warmup_steps < 0 or warmup_steps > total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-negative-step-allowed
# source: my reasoning (only the step counts validated, not the step)
# a negative step must raise ValueError; here it gets a warm-up rate of 0 or less
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if not 0 <= warmup_steps < total_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# mutant: review-lr-negative-warmup-allowed
# source: my reasoning (only warmup_steps < total_steps checked)
# a negative warmup_steps must raise ValueError
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    import math
    if warmup_steps >= total_steps or step < 0:
        raise ValueError("need warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step < total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2
    return min_lr


# ------------------------------------------------------ optimize_linear ---

# mutant: review-opt-check-in-loop
# source: my reasoning (the name dispatched inside the loop, with else: raise)
# an unknown name raises only once a step is taken: steps = 0 must raise too
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        elif optimizer == "adam":
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
        else:
            raise ValueError(f"unknown optimizer {optimizer!r}")
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-case-insensitive
# source: my reasoning (optimizer.lower(), as Keras accepts "Adam" and "adam")
# "Adam" must raise ValueError: names are case-sensitive
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    optimizer = optimizer.lower()
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-adam-t-fixed
# plants: optimize-adam-fixed-t
# source: Coursera DLS forums (t never incremented: the bias correction of step 1 at every step)
# adam_step is called with t = 1 every time: wrong from the second step on
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, 1, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-adam-t-from-zero
# source: my reasoning (for t in range(steps): the loop index passed as the step number)
# the first adam_step gets t = 0, which raises ValueError
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(steps):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-state-discarded
# plants: optimize-state-reset
# source: my reasoning (theta, _ = momentum_step(...): the new state thrown away)
# velocity, cache, m and v stay at zero: every step is the first one
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, _ = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, _ = rmsprop_step(theta, g, s1, lr)
        else:
            theta, _, _ = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-history-steps
# plants: optimize-history-missing-last
# source: d2l.ai's train loops (one loss per step, none after the last)
# history has steps entries, not steps + 1
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    return np.array(history, dtype=np.float64)


# mutant: review-opt-loss-not-passed
# source: my reasoning (linear_loss_and_grads called without the loss argument)
# always minimises mse, whatever loss is asked for
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-bias-not-updated
# source: my reasoning (only w handed to the optimizer, b left at 0)
# theta is [w..., b]: b must move too
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    w, b, s1, s2 = np.zeros(d), 0.0, np.zeros(d), np.zeros(d)
    history = []
    for t in range(1, steps + 1):
        L, dw, _ = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        if optimizer == "sgd":
            w = w - lr * dw
        elif optimizer == "momentum":
            w, s1 = momentum_step(w, dw, s1, lr)
        elif optimizer == "rmsprop":
            w, s1 = rmsprop_step(w, dw, s1, lr)
        else:
            w, s1, s2 = adam_step(w, dw, s1, s2, t, lr)
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-inline-adam-no-correction
# source: Coursera DLS week 2 forums (Adam written out by hand, bias correction left out)
# written without the step functions, and Adam's m and v are used uncorrected
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            s1 = 0.9 * s1 - lr * g
            theta = theta + s1
        elif optimizer == "rmsprop":
            s1 = 0.9 * s1 + 0.1 * g ** 2
            theta = theta - lr * g / (np.sqrt(s1) + 1e-8)
        else:
            s1 = 0.9 * s1 + 0.1 * g
            s2 = 0.999 * s2 + 0.001 * g ** 2
            theta = theta - lr * s1 / (np.sqrt(s2) + 1e-8)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-returns-params
# source: my reasoning (gradient_descent's return copied: (w, b, history))
# the contract returns the loss history alone
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return theta[:d], float(theta[d]), np.array(history, dtype=np.float64)


# mutant: review-opt-bias-starts-at-mean
# source: my reasoning (b initialised to mean(y), a common trick to speed up the fit)
# the contract starts from w = 0, b = 0
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    theta[d] = np.mean(y)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-momentum-reset
# source: my reasoning (velocity = np.zeros(...) written inside the loop)
# the velocity restarts at zero every step: plain gradient descent
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            velocity = np.zeros(d + 1)
            theta, velocity = momentum_step(theta, g, velocity, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)


# mutant: review-opt-default-lr
# source: my reasoning (momentum_step(theta, g, velocity): lr left at the step's default)
# the step functions run with their own default lr (1e-2, 1e-3), not optimize_linear's lr
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}")
    d = X.shape[1]
    theta, s1, s2 = np.zeros(d + 1), np.zeros(d + 1), np.zeros(d + 1)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:d], theta[d], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t)
    history.append(linear_loss_and_grads(theta[:d], theta[d], X, y, loss)[0])
    return np.array(history, dtype=np.float64)
