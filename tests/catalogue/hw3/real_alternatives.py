"""Correct forms of hw3 found in public code (CS231n optim.py solutions, Coursera DLS
"Optimization methods" notebooks, d2l readers' from-scratch optimizers, numpy-from-scratch
repositories, Andrew Ng's ex1 and Hung-yi Lee's PM2.5 homework, nanoGPT-style and DINO-style
learning-rate schedules), each adapted to hw3's contract the way a student would: renamed and
wrapped, keeping the source's formula and style (its bias column, its config-free update, its
precomputed schedule). Every entry is our own short rewrite of the pattern, never the source's
text; a comment names the repository and file where the pattern was seen.
"""

import numpy as np  # the reference imports it; the entries below use it


# alternative: real-alt-predict-pm25-bias-column
# pattern: Hung-yi Lee's ML 2019/2020 homework 1 (PM2.5), e.g. the TA tutorial in
# ntumlta2019/hw1 README.md: x = np.concatenate((np.ones((N, 1)), x), axis=1); x.dot(w), the bias
# folded into w as its first entry. Here theta = [b, w...].
def linear_predict(w, b, X):
    x = np.concatenate((np.ones((X.shape[0], 1)), X), axis=1)
    theta = np.concatenate(([b], w))
    return x.dot(theta)


# alternative: real-alt-predict-per-feature-loop
# pattern: guokai8/DeepLearning Loss/loss.py, the prediction a*X[i] + b written out by hand;
# the student generalises it to one term per feature, summed column by column.
def linear_predict(w, b, X):
    y_hat = np.full(X.shape[0], b, dtype=np.float64)
    for j in range(X.shape[1]):
        y_hat = y_hat + w[j] * X[:, j]
    return y_hat


# alternative: real-alt-mae-nnfs-sample-then-batch
# pattern: the NNFS-style loss classes (nnagibator228/NNFS_DIY losses/Loss_MeanAbsoluteError.py:
# per-sample losses np.mean(np.abs(y_true - y_pred), axis=-1), then Loss.calculate averages
# them), with the n-d reduction over every axis but the first (another such class found by
# search): for a rectangular array the mean of equal-sized row means is the mean.
def mae(y_pred, y_true):
    sample_losses = np.mean(np.abs(y_true - y_pred), axis=tuple(range(1, np.ndim(y_pred))))
    return float(np.mean(sample_losses))


# alternative: real-alt-mae-metric-lambda
# pattern: exclusiveAI/MLProject exclusiveAI/components/Metrics/MAE.py, the metric as a lambda
# np.mean(np.abs(y_pred - y_true)) stored and called
_mae_metric = lambda y_pred, y_true: np.mean(np.abs(y_pred - y_true))  # noqa: E731


def mae(y_pred, y_true):
    return _mae_metric(y_pred, y_true)


# alternative: real-alt-mae-abs-sum-over-size
# pattern: expellialbus/Machine-Learning-Algorithms Losses/MAE.py, np.sum(np.abs(pred - true))
# divided by a count; the student divides by .size, which the contract names as M
def mae(y_pred, y_true):
    result = np.sum(np.abs(y_pred - y_true))
    return result / y_true.size


# alternative: real-alt-lossgrads-ex1-theta
# pattern: Andrew Ng's ex1 in Python (ai-source-code/ML code/coursera/python/week-1/
# computeCost.py and the gradientDescent beside it): a ones column, theta = [b, w], the error
# X.theta - y; the student drops ex1's 1/2 as the contract says, which doubles the gradient.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    m = len(y)
    Xb = np.hstack([np.ones((m, 1)), X])
    theta = np.concatenate(([b], w))
    err = Xb.dot(theta) - y
    if loss == "mse":
        J = (1.0 / m) * np.sum(err ** 2)
        grad = (2.0 / m) * Xb.T.dot(err)
    elif loss == "mae":
        J = (1.0 / m) * np.sum(np.abs(err))
        grad = (1.0 / m) * Xb.T.dot(np.sign(err))
    else:
        raise ValueError("loss must be 'mse' or 'mae'")
    return float(J), grad[1:], float(grad[0])


# alternative: real-alt-lossgrads-pm25-minus-two
# pattern: the PM2.5 homework's gradient = (-2) * x^T (y - x w) (ntumlta2019/hw1 README.md),
# divided by the number of rows as the mean needs; MAE through the NNFS backward pass
# (nnagibator228/NNFS_DIY losses/Loss_MeanAbsoluteError.py: np.sign(y_true - y_pred) / samples)
# with the minus sign the chain rule puts in front of it, d|y - y_hat|/dy_hat = -sign(y - y_hat)
# (the source leaves it out: see real-lossgrads-nnfs-mae-sign)
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(f"unknown loss {loss}")
    n = X.shape[0]
    y_hat = X.dot(w) + b
    if loss == "mse":
        L = np.sum((y - y_hat) ** 2) / n
        dw = (-2) * np.transpose(X).dot(y - y_hat) / n
        db = (-2) * np.sum(y - y_hat) / n
    else:
        L = np.sum(np.abs(y - y_hat)) / n
        dinputs = -np.sign(y - y_hat) / n
        dw = X.T.dot(dinputs)
        db = np.sum(dinputs)
    return float(L), dw, float(db)


# alternative: real-alt-gd-ex1-theta-vector
# pattern: charleseagle/Machine-Learning-Coursera-Python Week2/gradientDescent.py: one theta
# vector updated at once (theta = theta - alpha * grad) and J_history filled in the loop; the
# student records the cost before each update and once after the last, as the contract asks.
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    theta = np.concatenate((np.asarray(w0, dtype=np.float64), [b0]))
    J_history = np.zeros(steps + 1)
    for it in range(steps):
        J, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        J_history[it] = J
        theta = theta - lr * np.append(dw, db)
    J_history[steps] = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0]
    return theta[:-1], float(theta[-1]), J_history


# alternative: real-alt-gd-pm25-loop-temps
# pattern: the ex1 Octave solutions' temp1/temp2 (e.g. xasm83/machine-learning
# machine-learning-ex1/ex1/gradientDescent.m, newtheta computed whole, then assigned): both
# gradients from the old point, then w and b replaced together
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0, b0
    losses = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        losses.append(L)
        new_w = w - lr * dw
        new_b = b - lr * db
        w, b = new_w, new_b
    losses.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, float(b), np.array(losses, dtype=np.float64)


# alternative: real-alt-classify-numdifftools-tol
# pattern: the is_saddle / is_minimum / is_maximum helpers found by code search (numdifftools
# Hessian, np.linalg.eigvals, np.all(eigenvalues > 0), np.any(...) and np.any(...)), with the
# contract's tol in place of their 0 and the fourth answer added
def classify_critical_point(hessian, tol=1e-8):
    eigenvalues = np.linalg.eigvalsh(hessian)
    if np.all(eigenvalues > tol):
        return "local minimum"
    if np.all(eigenvalues < -tol):
        return "local maximum"
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle point"
    return "unknown"


# alternative: real-alt-classify-count-signs
# pattern: escorciav/amcs211 hw3/hw3_2a.py counts the eigenvalues of one sign and compares the
# count with the number of eigenvalues; here both counts, each against tol
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    positive = int(np.sum(lam > tol))
    negative = int(np.sum(lam < -tol))
    if positive == len(lam):
        return "local minimum"
    if negative == len(lam):
        return "local maximum"
    if positive > 0 and negative > 0:
        return "saddle point"
    return "unknown"


# alternative: real-alt-classify-general-eig-real
# pattern: amazonprog/progmatvol1 C041.py characterize_cp: the general eigen-solver (scipy's
# la.eig there, np.linalg.eig here) and np.greater / np.less against zeros, with tol; a real
# symmetric matrix's eigenvalues are real, .real drops a complex dtype if one comes back
def classify_critical_point(hessian, tol=1e-8):
    l, v = np.linalg.eig(hessian)
    l = np.real(l)
    if np.all(np.greater(l, tol)):
        return "local minimum"
    elif np.all(np.less(l, -tol)):
        return "local maximum"
    elif np.any(np.greater(l, tol)) and np.any(np.less(l, -tol)):
        return "saddle point"
    else:
        return "unknown"


# alternative: real-alt-escape-eigh-first-column
# pattern: the lecture's recipe as students' notes give it (MitsuhideAkechi/Siriusuna
# content/Deep_Learnging/When_Gradient_is_Small.md: find the negative eigenvalue's eigenvector and
# move along it), with np.linalg.eigh's ascending order: column 0
def escape_direction(hessian):
    eigvals, eigvecs = np.linalg.eigh(hessian)
    return eigvecs[:, 0]


# alternative: real-alt-escape-eig-argmin-normalised
# pattern: the general solver of amazonprog/progmatvol1 C041.py, unsorted, so the student
# picks the column of the smallest eigenvalue with argmin and normalises it (it already is)
def escape_direction(hessian):
    vals, vecs = np.linalg.eig(hessian)
    vals, vecs = np.real(vals), np.real(vecs)
    u = vecs[:, np.argmin(vals)]
    return u / np.linalg.norm(u)


# alternative: real-alt-escape-eigh-sign-flip
# pattern: scikit-learn's _deterministic_vector_sign_flip (as vendored in Ace1928/eidosian_forge
# archive_forge/code/func__deterministic_vector_sign_flip.py): each vector's sign chosen so that
# its largest-magnitude entry is positive, for reproducible output. Either sign is right.
def escape_direction(hessian):
    w, v = np.linalg.eigh(hessian)
    u = v[:, 0].copy()
    max_abs = np.argmax(np.abs(u))
    u *= np.sign(u[max_abs])
    return u


# alternative: real-alt-escape-xgcode-sorted-pairs
# pattern: argriffing/xgcode EigUtil.py eigh(): the (eigenvalue, eigenvector) pairs of
# np.linalg.eigh sorted by decreasing eigenvalue, the vectors as lists; the student takes the
# last pair. Where the smallest eigenvalue is repeated, the sort breaks the tie by the vectors
# themselves, so it may pick another vector of the eigenspace than eigh's first column: right.
def escape_direction(hessian):
    w, vt = np.linalg.eigh(hessian)
    ws, vs = w.tolist(), vt.T.tolist()
    sorted_pairs = list(reversed(sorted(zip(ws, vs))))
    return np.array(sorted_pairs[-1][1])


# alternative: real-alt-momentum-cs231n-next-v
# pattern: CS231n's sgd_momentum as solved in achyudh/espalier optimizers.py:
# next_v = momentum * v - learning_rate * dw; next_w = w + next_v (config dict dropped)
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    next_v = beta * velocity - lr * grad
    next_w = param + next_v
    return next_w, next_v


# alternative: real-alt-momentum-dlcourse-out-of-place
# pattern: selekzioner/dlcourse assignment2/optim.py MomentumSGD.update (velocity = momentum *
# velocity - learning_rate * d_w), with its `w += velocity` written as a new array, since the
# contract forbids changing the caller's param
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    velocity = beta * velocity - lr * grad
    return param + velocity, velocity


# alternative: real-alt-rmsprop-cs231n-out-of-place
# pattern: guptazi/deep-learning-python optimizers/RMSprop.py (rho * cache + (1 - rho) * g**2;
# weights += -lr * g / (np.sqrt(cache) + epsilon)), the += written as a new array
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    new_cache = alpha * cache + (1 - alpha) * grad ** 2
    return param + -lr * grad / (np.sqrt(new_cache) + eps), new_cache


# alternative: real-alt-rmsprop-cpp-eps-first
# pattern: koderkushy/digit-recognizer Optimizers.h (C++ RMSProp: mean_square = decay *
# mean_square + (1 - decay) * G * G; W += -rate * G / (eps + sqrt(mean_square))), in numpy
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    mean_square = cache * alpha + (1 - alpha) * grad * grad
    return param - lr * grad / (eps + np.sqrt(mean_square)), mean_square


# alternative: real-alt-adam-asebo-update
# pattern: jparkerholder/ASEBO asebo/optimizers.py Adam(dx, m, v, learning_rate, t, ...), which
# returns the update (lr * mt / (sqrt(vt) + eps)) and the moments; the student subtracts it
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t is the step number, starting at 1")
    m = beta1 * m + (1 - beta1) * grad
    mt = m / (1 - beta1 ** t)
    v = beta2 * v + (1 - beta2) * (grad ** 2)
    vt = v / (1 - beta2 ** t)
    update = lr * mt / (np.sqrt(vt) + eps)
    return param - update, m, v


# alternative: real-alt-adam-dls-corrected
# pattern: Coursera DLS update_parameters_with_adam (v, s, v_corrected, s_corrected, as in
# DeepakSridhar/Deep-Learning-Coursera Course-2/Optimization/update_adam.py) for one array, eps
# outside the root as the notebook has it; its 1 - np.power(beta1, t) written 1 - beta1 ** t, a
# Python float (np.power gives a numpy float64 scalar, which turns float32 arrays into float64:
# see real-adam-cs231n-np-power-upcast)
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if not t >= 1:
        raise ValueError("t must be >= 1")
    v_new = beta1 * m + (1 - beta1) * grad
    s_new = beta2 * v + (1 - beta2) * np.square(grad)
    v_corrected = v_new / (1 - beta1 ** t)
    s_corrected = s_new / (1 - beta2 ** t)
    new_param = param - lr * v_corrected / (np.sqrt(s_corrected) + eps)
    return new_param, v_new, s_new


# alternative: real-alt-warmup-build-nanogpt
# pattern: NoeFlandre/GPT2-From-Scratch src/utils/scheduler.py (the build-nanogpt get_lr):
# max_lr * (it + 1) / warmup_steps; min_lr past max_steps; cosine in between. At it == max_steps
# the cosine gives min_lr exactly, so `>` or `>=` are the same. Checks added for the contract.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("need 0 <= warmup_steps < total_steps and step >= 0")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    decay_ratio = (step - warmup_steps) / (total_steps - warmup_steps)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (base_lr - min_lr)


# alternative: real-alt-warmup-dino-array
# pattern: DINO's cosine_scheduler (copied in momoyrz/bacteria_classification utils/
# lr_factory.py): the whole schedule built as an array, np.linspace for the warm-up and
# final + 0.5 (base - final)(1 + cos(pi t / len(iters))) after it. The student starts the
# linspace at base / warmup (DINO's start_warmup_value) so that it ends at base on step
# warmup - 1, and indexes it; past the end, min_lr.
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or warmup_steps >= total_steps or step < 0:
        raise ValueError("bad schedule arguments")
    warmup_schedule = np.array([])
    if warmup_steps > 0:
        warmup_schedule = np.linspace(base_lr / warmup_steps, base_lr, warmup_steps)
    iters = np.arange(total_steps - warmup_steps)
    schedule = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * iters / len(iters)))
    schedule = np.concatenate((warmup_schedule, schedule))
    if step >= total_steps:
        return float(min_lr)
    return float(schedule[step])


# alternative: real-alt-optimize-pm25-bias-first
# pattern: the PM2.5 homework's layout (ntumlta2019/hw1 README.md: the ones column first, so the
# bias is theta[0]) with this file's steps; every optimizer acts entry by entry, so where b sits
# in theta does not matter
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError("optimizer must be one of sgd, momentum, rmsprop, adam")
    dim = X.shape[1] + 1
    theta = np.zeros(dim)
    state1 = np.zeros(dim)
    state2 = np.zeros(dim)
    history = np.zeros(steps + 1)
    for T in range(steps):
        L, dw, db = linear_loss_and_grads(theta[1:], theta[0], X, y, loss)
        history[T] = L
        gradient = np.concatenate(([db], dw))
        if optimizer == "sgd":
            theta = theta - lr * gradient
        elif optimizer == "momentum":
            theta, state1 = momentum_step(theta, gradient, state1, lr)
        elif optimizer == "rmsprop":
            theta, state1 = rmsprop_step(theta, gradient, state1, lr)
        else:
            theta, state1, state2 = adam_step(theta, gradient, state1, state2, T + 1, lr)
    history[steps] = linear_loss_and_grads(theta[1:], theta[0], X, y, loss)[0]
    return history


# alternative: real-alt-optimize-solver-dispatch
# pattern: CS231n's Solver (update_rule looked up by name, `raise ValueError('Invalid
# update_rule "%s"')` in its constructor, before any step) and its per-parameter configs
# holding each rule's state
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    def sgd(w, dw, config):
        return w - lr * dw, config

    def momentum(w, dw, config):
        w, config["velocity"] = momentum_step(w, dw, config.get("velocity", np.zeros_like(w)), lr)
        return w, config

    def rmsprop(w, dw, config):
        w, config["cache"] = rmsprop_step(w, dw, config.get("cache", np.zeros_like(w)), lr)
        return w, config

    def adam(w, dw, config):
        config["t"] = config.get("t", 0) + 1
        w, config["m"], config["v"] = adam_step(w, dw, config.get("m", np.zeros_like(w)),
                                                config.get("v", np.zeros_like(w)), config["t"], lr)
        return w, config

    rules = {"sgd": sgd, "momentum": momentum, "rmsprop": rmsprop, "adam": adam}
    if optimizer not in rules:
        raise ValueError('Invalid update_rule "%s"' % optimizer)
    update_rule = rules[optimizer]
    config = {}
    theta = np.zeros(X.shape[1] + 1)
    loss_history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        loss_history.append(L)
        theta, config = update_rule(theta, np.append(dw, db), config)
    loss_history.append(linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0])
    return np.array(loss_history, dtype=np.float64)


# alternative: real-alt-optimize-separate-w-b-states
# pattern: gaoxam123/Deep_Learning DNN/Adam.py AdamOptim.update(t, w, b, dw, db): separate
# moments for w and for b (m_dw, m_db, v_dw, v_db); with this file's steps each part is
# updated on its own, which is the same as updating theta = [w, b] entry by entry
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer: {optimizer}")
    w = np.zeros(X.shape[1])
    b = np.zeros(1)
    m_dw, v_dw = np.zeros_like(w), np.zeros_like(w)
    m_db, v_db = np.zeros_like(b), np.zeros_like(b)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(w, b[0], X, y, loss)
        history.append(L)
        db = np.array([db])
        if optimizer == "sgd":
            w, b = w - lr * dw, b - lr * db
        elif optimizer == "momentum":
            w, m_dw = momentum_step(w, dw, m_dw, lr)
            b, m_db = momentum_step(b, db, m_db, lr)
        elif optimizer == "rmsprop":
            w, v_dw = rmsprop_step(w, dw, v_dw, lr)
            b, v_db = rmsprop_step(b, db, v_db, lr)
        else:
            w, m_dw, v_dw = adam_step(w, dw, m_dw, v_dw, t, lr)
            b, m_db, v_db = adam_step(b, db, m_db, v_db, t, lr)
    history.append(linear_loss_and_grads(w, b[0], X, y, loss)[0])
    return np.array(history)


# alternative: real-alt-adam-labml-unoptimized
# pattern: labmlai/annotated_deep_learning_paper_implementations labml_nn/optimizers/adam.py,
# adam_update with optimized_update=False: denominator sqrt(v) / sqrt(1 - beta2^t) + eps, step
# size lr / (1 - beta1^t), in numpy and out of place (the bias corrections as Python floats)
import math


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be at least 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    bias_correction1 = 1 - beta1 ** t
    bias_correction2 = 1 - beta2 ** t
    denominator = np.sqrt(v) / math.sqrt(bias_correction2) + eps
    step_size = lr / bias_correction1
    return param - step_size * m / denominator, m, v


# alternative: real-alt-adam-labml-optimized-eps-hat
# pattern: the same file's optimized_update=True (step size lr sqrt(1 - beta2^t) / (1 - beta1^t),
# denominator sqrt(v) + eps_hat), with eps_hat = eps sqrt(1 - beta2^t), the value that makes it
# equal to the contract's sqrt(v_hat) + eps (multiply through by sqrt(1 - beta2^t))
import math


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be at least 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    bias_correction1 = 1 - beta1 ** t
    bias_correction2 = 1 - beta2 ** t
    eps_hat = eps * math.sqrt(bias_correction2)
    step_size = lr * math.sqrt(bias_correction2) / bias_correction1
    return param - step_size * m / (np.sqrt(v) + eps_hat), m, v


# alternative: real-alt-optimize-sgd-is-gradient-descent
# pattern: the PM2.5 homework's plain gradient-descent loop reused: for "sgd" the student calls
# this file's gradient_descent from w = 0, b = 0 (the same updates, the same history), and the
# step functions for the others
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError("unknown optimizer " + repr(optimizer))
    if optimizer == "sgd":
        return gradient_descent(np.zeros(X.shape[1]), 0.0, X, y, lr, steps, loss)[2]
    theta = np.zeros(X.shape[1] + 1)
    s1, s2 = np.zeros_like(theta), np.zeros_like(theta)
    history = []
    for t in range(1, steps + 1):
        L, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        history.append(L)
        g = np.append(dw, db)
        if optimizer == "momentum":
            theta, s1 = momentum_step(theta, g, s1, lr)
        elif optimizer == "rmsprop":
            theta, s1 = rmsprop_step(theta, g, s1, lr)
        else:
            theta, s1, s2 = adam_step(theta, g, s1, s2, t, lr)
    history.append(linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0])
    return np.array(history, dtype=np.float64)
