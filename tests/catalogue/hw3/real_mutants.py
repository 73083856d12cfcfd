"""Wrong forms of hw3 found in public code, adapted to hw3's contract the way a student would
(renamed and wrapped, the source's formula kept), each wrong by the contract. Every entry is our
own short rewrite of the pattern, never the source's text; a comment names the repository and
file where it was seen and says why it is wrong here.
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: real-predict-pm25-column-w
# pattern: the PM2.5 homework keeps w as a column, w = np.zeros([dim, 1]) (ntumlta2019/hw1
# README.md); the student reshapes w the same way, so X.dot(w) is (N, 1) and the prediction
# (N, 1), not the contract's (N,).
def linear_predict(w, b, X):
    w = w.reshape(-1, 1)
    return X.dot(w) + b


# mutant: real-predict-ex1-matrix-star
# pattern: ex1 ports written for np.matrix, X*theta (charleseagle/Machine-Learning-Coursera-Python
# Week2/computeCost.py); with ndarrays `*` is element-wise: X * w broadcasts to (N, D) instead of
# the matrix product.
def linear_predict(w, b, X):
    return b + X * w


# mutant: real-mae-nnfs-per-sample
# pattern: nnagibator228/NNFS_DIY losses/Loss_MeanAbsoluteError.py forward:
# np.mean(np.abs(y_true - y_pred), axis=-1), the per-sample losses, returned as the answer. Right
# on 1-d arrays; on (N, K) arrays it returns N numbers, not the mean over all elements.
def mae(y_pred, y_true):
    return np.mean(np.abs(y_true - y_pred), axis=-1)


# mutant: real-mae-divide-by-rows
# plants: mae-len
# pattern: expellialbus/Machine-Learning-Algorithms Losses/MAE.py: np.sum(np.abs(...)) /
# true_labels.shape[0]. Right on 1-d arrays; on (N, K) arrays it is K times the mean, since the
# contract divides by M = y_pred.size.
def mae(y_pred, y_true):
    result = np.sum(np.abs(y_pred - y_true))
    return result / y_true.shape[0]


# mutant: real-lossgrads-ex1-half
# plants: llg-mse-half
# pattern: Andrew Ng's ex1 cost J = 1/(2m) sum((X theta - y)^2) and its gradient (1/m) X^T e
# (ai-source-code/ML code/coursera/python/week-1/computeCost.py), kept as is: the contract's MSE
# has no 1/2 (as hw1), so the loss and both gradients are half of what it asks.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    m = len(y)
    err = X.dot(w) + b - y
    if loss == "mse":
        J = (1.0 / (2 * m)) * np.sum(err ** 2)
        return float(J), X.T.dot(err) / m, float(np.sum(err) / m)
    if loss == "mae":
        return float(np.mean(np.abs(err))), X.T.dot(np.sign(err)) / m, float(np.sum(np.sign(err)) / m)
    raise ValueError("unknown loss")


# mutant: real-lossgrads-pm25-sum-not-mean
# pattern: the PM2.5 homework's gradient = (-2) * x^T (y - x w) (ntumlta2019/hw1 README.md) with
# no division by the number of rows: the tutorial folds the 1/N into its learning rate. The
# contract's loss is a mean, so dw and db are N times too large.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    y_hat = X.dot(w) + b
    n = len(y)
    if loss == "mse":
        L = np.sum((y_hat - y) ** 2) / n
        dw = (-2) * np.transpose(X).dot(y - y_hat)
        db = (-2) * np.sum(y - y_hat)
    else:
        L = np.sum(np.abs(y_hat - y)) / n
        dw = np.transpose(X).dot(np.sign(y_hat - y))
        db = np.sum(np.sign(y_hat - y))
    return float(L), dw, float(db)


# mutant: real-lossgrads-pm25-rmse-loss
# pattern: the PM2.5 homework prints and reports the RMSE, np.sqrt(np.sum((x w - y)^2) / N)
# (ntumlta2019/hw1 README.md's loss line); the student returns it as L. The contract's "mse" loss
# is the mean of squares, without the root (the gradients here are the MSE's, right).
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    e = X.dot(w) + b - y
    n = X.shape[0]
    if loss == "mse":
        return float(np.sqrt(np.sum(e ** 2) / n)), 2 * X.T.dot(e) / n, float(2 * np.sum(e) / n)
    return float(np.mean(np.abs(e))), X.T.dot(np.sign(e)) / n, float(np.sum(np.sign(e)) / n)


# mutant: real-lossgrads-mae-ratio-sign
# pattern: guokai8/DeepLearning Loss/loss.py update_weights_MAE: the derivative of |y - (ax + b)|
# written (y - pred) / abs(y - pred). At a zero residual that is 0 / 0 = nan; the contract takes
# sign(0) = 0.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    N = len(y)
    pred = X.dot(w) + b
    if loss == "mse":
        return float(np.mean((y - pred) ** 2)), -2 * X.T.dot(y - pred) / N, float(-2 * np.sum(y - pred) / N)
    ratio = -(y - pred) / np.abs(y - pred)
    return float(np.mean(np.abs(y - pred))), X.T.dot(ratio) / N, float(np.sum(ratio) / N)


# mutant: real-lossgrads-mae-where-sign
# plants: llg-mae-sign-zero
# pattern: MAbdullahAhmad/ai-student .../src/losses/MeanAbsoluteError.py derivative:
# np.where(y_true > y_pred, -1, 1), which gives +1 where the residual is exactly 0; the
# contract's subgradient is sign(0) = 0.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    y_pred = X.dot(w) + b
    n = len(y)
    if loss == "mse":
        e = y_pred - y
        return float(np.mean(e ** 2)), 2 * X.T.dot(e) / n, float(2 * np.sum(e) / n)
    d = np.where(y > y_pred, -1, 1) / n
    return float(np.mean(np.abs(y - y_pred))), X.T.dot(d), float(np.sum(d))


# mutant: real-lossgrads-nnfs-mae-sign
# pattern: the NNFS MAE backward pass as the book's readers copy it (nnagibator228/NNFS_DIY,
# Jonatanprepuk/ML-from-scratch ml/losses/mean_absolute_error.py, alexxxmf/neural-networks
# Loss/MeanAbsoluteError.py): dinputs = np.sign(y_true - y_pred) / samples. The derivative of
# |y - y_hat| with respect to y_hat is -sign(y - y_hat): the MAE gradients point uphill.
def linear_loss_and_grads(w, b, X, y, loss="mse"):
    if loss not in ("mse", "mae"):
        raise ValueError(loss)
    y_pred = X.dot(w) + b
    samples = len(y)
    if loss == "mse":
        dinputs = -2 * (y - y_pred) / samples
        return float(np.mean((y - y_pred) ** 2)), X.T.dot(dinputs), float(np.sum(dinputs))
    dinputs = np.sign(y - y_pred) / samples
    return float(np.mean(np.abs(y - y_pred))), X.T.dot(dinputs), float(np.sum(dinputs))


# mutant: real-gd-ex1-history-after-update
# pattern: ex1's gradientDescent (charleseagle/Machine-Learning-Coursera-Python
# Week2/gradientDescent.py): J_history = np.zeros(num_iters), J_history[iter] computed after
# each update. The history has `steps` entries, without the starting loss; the contract wants
# steps + 1, the loss before each update and after the last.
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0.copy(), float(b0)
    J_history = np.zeros(steps)
    for it in range(steps):
        _, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        w, b = w - lr * dw, b - lr * db
        J_history[it] = linear_loss_and_grads(w, b, X, y, loss)[0]
    return w, b, J_history


# mutant: real-gd-sequential-update
# plants: gd-sequential
# pattern: the non-simultaneous update the ex1 instructions warn about, as in guokai8/DeepLearning
# Loss/loss.py update_weights_MSE, where `a` is changed inside the loop while b's gradient is
# still being summed with a * X[i] + b: b's gradient is taken at a point w has already left. Here
# b's gradient is taken at the new w, not at the point where w's was taken.
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
    return w, b, np.array(history)


# mutant: real-gd-inplace-w0
# pattern: d2l's from-scratch sgd (param -= lr * param.grad / batch_size, e.g. yzj2019/learn-d2l
# d2l/Linear.py) turned into w -= lr * dw on the array passed in: the caller's w0 is changed, which the
# contract forbids ("no function may modify its inputs").
def gradient_descent(w0, b0, X, y, lr, steps, loss="mse"):
    w, b = w0, b0
    history = []
    for _ in range(steps):
        L, dw, db = linear_loss_and_grads(w, b, X, y, loss)
        history.append(L)
        w -= lr * dw
        b -= lr * db
    history.append(linear_loss_and_grads(w, b, X, y, loss)[0])
    return w, float(b), np.array(history, dtype=np.float64)


# mutant: real-classify-no-tol
# plants: classify-ignores-tol
# pattern: amazonprog/progmatvol1 C041.py characterize_cp: np.all(l > 0) "minimum",
# np.all(l < 0) "maximum", anything else "saddle". No tol and no fourth answer: eigenvalues in
# (0, tol] count as positive, and a singular hessian (a zero eigenvalue) is called a saddle
# instead of "unknown".
def classify_critical_point(hessian, tol=1e-8):
    l, v = np.linalg.eigh(hessian)
    if np.all(np.greater(l, np.zeros(1))):
        return "local minimum"
    elif np.all(np.less(l, np.zeros(1))):
        return "local maximum"
    else:
        return "saddle point"


# mutant: real-classify-count-nonpositive
# plants: classify-ignores-tol
# pattern: escorciav/amcs211 hw3/hw3_2a.py: count the eigenvalues <= 0; none: minimum; all:
# maximum; else saddle. A zero eigenvalue counts as negative, so [1, 0] is a "saddle point" and
# [0, 0] a "local maximum", where the contract says "unknown"; tol is ignored.
def classify_critical_point(hessian, tol=1e-8):
    lam = np.linalg.eigvalsh(hessian)
    count = 0
    for value in lam:
        if value <= 0:
            count += 1
    if count == 0:
        return "local minimum"
    elif count == len(lam):
        return "local maximum"
    else:
        return "saddle point"


# mutant: real-classify-numdifftools-fixed-eps
# plants: classify-ignores-tol
# pattern: the is_saddle / is_mininmum / is_maximum helpers found by code search: minimum if all
# eigenvalues > 0 + 1e-10, maximum if all < 0, saddle if any > 0 and any < 0. The tolerance is
# their fixed 1e-10 on one side and 0 on the others, never the caller's tol.
def classify_critical_point(hessian, tol=1e-8):
    eigenvalues = np.linalg.eigvals(hessian).real
    if np.all(eigenvalues > 0 + 1e-10):
        return "local minimum"
    if np.all(eigenvalues < 0):
        return "local maximum"
    if np.any(eigenvalues > 0) and np.any(eigenvalues < 0):
        return "saddle point"
    return "unknown"


# mutant: real-escape-eig-first-column
# plants: escape-eig-unsorted
# pattern: np.linalg.eig / scipy.linalg.eig used as in amazonprog/progmatvol1 C041.py, then the
# first column taken as if sorted: the general solver returns the eigenvalues in no particular
# order, so column 0 is often not the smallest eigenvalue's eigenvector.
def escape_direction(hessian):
    vals, vecs = np.linalg.eig(hessian)
    return np.real(vecs[:, 0])


# mutant: real-escape-eigh-row
# plants: escape-row
# pattern: `direction = eigenvectors[0]`, right for cv2.PCACompute and sklearn's
# pca.components_, which give eigenvectors as rows (many hits by find_string), carried over to
# np.linalg.eigh, whose eigenvectors are the columns: the first row is not an eigenvector unless
# the eigenvector matrix happens to be symmetric (diagonal hessians).
def escape_direction(hessian):
    eigvals, eigvecs = np.linalg.eigh(hessian)
    return eigvecs[0]


# mutant: real-escape-inverse-iteration-shift
# pattern: tiantian0347/Tian code/Numerial-linear-algebra/part4/Inverse.py: inverse iteration
# with the shift l = 0.1, which converges to the eigenvalue nearest 0.1, not to the smallest one.
def escape_direction(hessian):
    n = hessian.shape[0]
    x = np.ones(n) / np.sqrt(n)
    shifted_inv = np.linalg.inv(hessian - 0.1 * np.identity(n))
    for _ in range(200):
        t = shifted_inv @ x
        x = t / np.linalg.norm(t, ord=2)
    return x


# mutant: real-escape-power-iteration-dominant
# pattern: AnneHartebrodt/federated-pca-simulation python/PCA/pi_fun.py power_iteration_2:
# repeated A b / ||A b||. Applied to the hessian it finds the eigenvalue of largest magnitude,
# which is the smallest only when the most negative eigenvalue also has the largest |lam|.
def escape_direction(hessian):
    b_k = np.ones(hessian.shape[1])
    for _ in range(500):
        b_k1 = np.dot(hessian, b_k)
        b_k = b_k1 / np.linalg.norm(b_k1)
    return b_k


# mutant: real-escape-svd-last-row
# pattern: the SVD null-space recipe (petercorke/robotics-toolbox-python
# roboticstoolbox/tools/null.py: u, s, vh = np.linalg.svd(A); the rows of vh with the smallest
# singular values). For a symmetric hessian the singular values are |lam|, so vh[-1] belongs to
# the eigenvalue nearest zero, not to the smallest (most negative) one.
def escape_direction(hessian):
    u, s, vh = np.linalg.svd(hessian)
    return vh[-1]


# mutant: real-momentum-dls-ema
# pattern: Coursera DLS update_parameters_with_momentum (DeepakSridhar/Deep-Learning-Coursera
# Course-2/Optimization/update_momentum.py; Srijan2001/Backpropagation-Algorithm Momentum.py):
# v = beta v + (1 - beta) grad; W = W - lr v. The contract's momentum is the lecture's
# m = beta * velocity - lr * grad, new_param = param + m: both the step and the state differ.
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    v = beta * velocity + (1 - beta) * grad
    return param - lr * v, v


# mutant: real-momentum-sum-of-grads
# plants: momentum-pytorch-form
# pattern: htang7415/Code-Lab modules/ml/optimization/sgd-momentum (v = mu v + grad;
# w = w - lr v, the PyTorch convention, also in a torch sgd_momentum_old found by search). The
# state returned is the sum of gradients, not the movement m; fed back as velocity it makes the
# next step differ from the contract's beta * velocity - lr * grad.
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    v = beta * velocity + grad
    return param - lr * v, v


# mutant: real-momentum-dlcourse-inplace
# pattern: selekzioner/dlcourse assignment2/optim.py MomentumSGD.update: velocity = momentum *
# velocity - learning_rate * d_w; w += velocity. The += changes the caller's param, which the
# contract forbids; the returned array is the input itself.
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    velocity = beta * velocity - lr * grad
    param += velocity
    return param, velocity


# mutant: real-rmsprop-d2l-eps-in-sqrt
# plants: rmsprop-eps-inside
# pattern: d2l's rmsprop from scratch (whatYnext/Optimization-Algorithms RMSProp_gradient.py:
# p[:] -= lr * p.grad / (s + eps).sqrt()): eps inside the root. The contract puts it outside,
# sqrt(cache') + eps; the two differ most for small gradients (sqrt(1e-8) = 1e-4 >> 1e-8).
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    s = alpha * cache + (1 - alpha) * np.square(grad)
    return param - lr * grad / np.sqrt(s + eps), s


# mutant: real-rmsprop-dlfs-inplace
# pattern: KyoyaTokikawa/deep-learning-from-scratch mine_2/OptimizationAlgorithm/RMSprop.py
# (the book's RMSprop): h *= decay_rate; h += (1 - decay_rate) g g; params -= lr g / (sqrt(h) +
# 1e-7). The in-place updates change the caller's cache and param.
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    h = cache
    h *= alpha
    h += (1 - alpha) * grad * grad
    param -= lr * grad / (np.sqrt(h) + eps)
    return param, h


# mutant: real-rmsprop-dlfs-fixed-eps
# pattern: the same book's constant 1e-7 (KyoyaTokikawa/deep-learning-from-scratch
# mine_2/OptimizationAlgorithm/RMSprop.py), written out of place: the caller's eps is ignored, so
# the step is wrong for small gradients and for any eps but 1e-7.
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    h = alpha * cache + (1 - alpha) * grad * grad
    return param - lr * grad / (np.sqrt(h) + 1e-7), h


# mutant: real-rmsprop-pm25-adagrad-sum
# pattern: the PM2.5 homework's Adagrad, adagrad_sum += gradient ** 2 (ntumlta2019/hw1
# README.md), reused for RMSProp: the cache is a plain sum, not the contract's leaky average
# alpha * cache + (1 - alpha) * grad^2.
def rmsprop_step(param, grad, cache, lr=1e-3, alpha=0.9, eps=1e-8):
    adagrad_sum = cache + grad ** 2
    return param - lr * grad / (np.sqrt(adagrad_sum) + eps), adagrad_sum


# mutant: real-adam-dls-eps-in-sqrt
# plants: adam-eps-inside
# pattern: Coursera DLS update_parameters_with_adam as many learners wrote it (several copies
# found by find_string: ... / np.sqrt(s_corrected["dW" + str(l+1)] + epsilon)): eps inside the
# root. The contract wants sqrt(v_hat) + eps; at t = 1 with small gradients the two differ.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    v_new = beta1 * m + (1 - beta1) * grad
    s_new = beta2 * v + (1 - beta2) * grad ** 2
    v_corrected = v_new / (1 - beta1 ** t)
    s_corrected = s_new / (1 - beta2 ** t)
    return param - lr * v_corrected / np.sqrt(s_corrected + eps), v_new, s_new


# mutant: real-adam-cs231n-np-power-upcast
# pattern: shunyaoxu/Stanford_CS229_Final_Project Baseline/optim.py (CS231n adam), and the DLS
# notebook itself (DeepakSridhar/Deep-Learning-Coursera Course-2/Optimization/update_adam.py): bias
# correction 1 - np.power(beta1, t). np.power of Python numbers returns a numpy float64 scalar,
# and under NumPy 2's promotion a float32 array divided by it becomes float64: the contract keeps
# the input's dtype. The formula is right.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    first_unbias = m / (1 - np.power(beta1, t))
    second_unbias = v / (1 - np.power(beta2, t))
    next_w = param - lr * first_unbias / (np.sqrt(second_unbias) + eps)
    return next_w, m, v


# mutant: real-adam-cs231n-t-incremented
# plants: adam-t-from-zero
# pattern: CS231n adam solutions increment the counter first (config['t'] += 1, e.g.
# shunyaoxu/Stanford_CS229_Final_Project Baseline/optim.py), because their t is the number of
# steps done so far. Carried over, t + 1 is used where the contract's t already is this step's
# number: the bias correction is one step late.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    t += 1
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    mt = m / (1 - beta1 ** t)
    vt = v / (1 - beta2 ** t)
    return param - lr * mt / (np.sqrt(vt) + eps), m, v


# mutant: real-adam-kingma-efficient-eps
# pattern: FortiLeiZhang/cs231n code/cs231n/assignment3/cs231n/optim.py (the paper's "efficient"
# ordering): alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t); x - alpha m / (sqrt(v) + eps). This
# adds eps to the uncorrected sqrt(v), i.e. eps / sqrt(1 - beta2^t) relative to the contract's
# sqrt(v_hat) + eps: at t = 1 that is about 32 eps, visible with small gradients. The source's
# np.sqrt(1 - beta2 ** t) is also a numpy float64 scalar, which turns float32 arrays into float64.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * (grad * grad)
    alpha = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return param - alpha * (m / (np.sqrt(v) + eps)), m, v


# mutant: real-adam-d2l-slice-assign
# pattern: d2l's mxnet Adam from scratch as in wuxmax/dtw-mean-optimization
# app/optimizing/methods/adam.py: v[:] = beta1 v + ..., sqr[:] = ..., param[:] = param - div.
# The slice assignments write into the caller's m, v and param.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m[:] = beta1 * m + (1. - beta1) * grad
    v[:] = beta2 * v + (1. - beta2) * np.square(grad)
    m_bias_corr = m / (1. - beta1 ** t)
    v_bias_corr = v / (1. - beta2 ** t)
    param[:] = param - lr * m_bias_corr / (np.sqrt(v_bias_corr) + eps)
    return param, m, v


# mutant: real-adam-bias-grad-not-squared
# pattern: gaoxam123/Deep_Learning DNN/Adam.py: its bias line v_db = beta2 v_db + (1 - beta2) *
# (db), the square forgotten. The second moment is then an average of gradients, which can be
# negative (sqrt of it nan) and is not the contract's average of grad^2.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * (grad)
    m_corr = m / (1 - beta1 ** t)
    v_corr = v / (1 - beta2 ** t)
    return param - lr * (m_corr / (np.sqrt(v_corr) + eps)), m, v


# mutant: real-adam-dls-no-t-check
# pattern: Coursera DLS update_parameters_with_adam takes t from model(), whose counter starts at
# t = 0 and is incremented before the call; the function itself never checks it. At t = 0 it
# divides by 1 - beta^0 = 0 (inf / nan and a warning) where the contract raises ValueError.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    v_new = beta1 * m + (1 - beta1) * grad
    s_new = beta2 * v + (1 - beta2) * grad ** 2
    v_corrected = v_new / (1 - beta1 ** t)
    s_corrected = s_new / (1 - beta2 ** t)
    return param - lr * v_corrected / (np.sqrt(s_corrected) + eps), v_new, s_new


# mutant: real-adam-labml-eps-hat-docstring
# pattern: labmlai/annotated_deep_learning_paper_implementations labml_nn/optimizers/adam.py,
# optimized_update=True, with eps_hat = (1 - beta2^t) eps as that file's docstring says. The
# rearrangement needs eps_hat = sqrt(1 - beta2^t) eps to equal the contract's sqrt(v_hat) + eps;
# at t = 1 the two differ by a factor of about 32, visible with small gradients.
import math


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    bias_correction1 = 1 - beta1 ** t
    bias_correction2 = 1 - beta2 ** t
    eps_hat = (1 - beta2 ** t) * eps
    step_size = lr * math.sqrt(bias_correction2) / bias_correction1
    return param - step_size * m / (np.sqrt(v) + eps_hat), m, v


# mutant: real-adam-divide-by-beta-power
# pattern: an Adam class found by find_string (step(self, g, t): m = m_prev * (1 / beta1 ** t),
# v = v_prev * (1 / beta2 ** t)): the bias correction divides by beta^t instead of 1 - beta^t.
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t >= 1")
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * np.multiply(grad, grad)
    m_hat = m_new * (1 / beta1 ** t)
    v_hat = v_new * (1 / beta2 ** t)
    return param - lr * np.divide(m_hat, np.power(v_hat, 0.5) + eps), m_new, v_new


# mutant: real-warmup-nanogpt-old-from-zero
# plants: schedule-warmup-off-by-one
# pattern: nanoGPT's get_lr in the form learning_rate * it / warmup_iters (a stored version of
# karpathy/nanoGPT train.py; tuanlda78202/nlps23 utils/util.py; kimoyerr/provarun
# train_utils.py): step 0 gets lr 0 and the warm-up peaks one
# step late. The contract's warm-up is base_lr * (step + 1) / warmup_steps.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    decay_ratio = (step - warmup_steps) / (total_steps - warmup_steps)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (base_lr - min_lr)


# mutant: real-warmup-nanogpt-plus-one-denominator
# pattern: nanoGPT's later get_lr, learning_rate * (it + 1) / (warmup_iters + 1) (train.py
# copies, ten hits by find_string): the warm-up never reaches base_lr, step warmup - 1 gives
# base_lr * warmup / (warmup + 1), where the contract's (step + 1) / warmup_steps gives base_lr.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return base_lr * (step + 1) / (warmup_steps + 1)
    if step > total_steps:
        return min_lr
    decay_ratio = (step - warmup_steps) / (total_steps - warmup_steps)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (base_lr - min_lr)


# mutant: real-warmup-hf-lambda
# pattern: the Hugging Face get_cosine_schedule_with_warmup lr_lambda, as copied in
# omasakun/concat-vc engine/fragment_vc/utils.py: current_step / max(1, num_warmup_steps), then
# max(0, 0.5 (1 + cos(pi * num_cycles * 2 * progress))) times base_lr. Warm-up off by one, no
# min_lr (it decays to 0), and past total_steps the cosine climbs back up instead of staying at
# min_lr.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    num_cycles = 0.5
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return base_lr * float(step) / float(max(1, warmup_steps))
    progress = float(step - warmup_steps) / float(max(1, total_steps - warmup_steps))
    return base_lr * max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


# mutant: real-warmup-uva-multiplied
# pattern: SampsonML/dynamicalTransformer model/schedulers.py (the UvA DL tutorial's
# CosineWarmupScheduler): lr_factor = 0.5 (1 + cos(pi * it / max_iters)), multiplied by
# it / warmup while it <= warmup. The cosine runs over the whole schedule from step 0, not from
# the end of the warm-up, and the warm-up is off by one.
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    if step >= total_steps:
        return min_lr
    lr_factor = 0.5 * (1 + np.cos(np.pi * step / total_steps))
    if step <= warmup_steps:
        lr_factor *= step * 1.0 / warmup_steps
    return min_lr + (base_lr - min_lr) * lr_factor


# mutant: real-warmup-lastepoch-plus-one
# pattern: Precioux/Neuro4M ViT/final/schedulers.py WarmupCosineLR.get_lr: step = last_epoch + 1,
# then step / warmup_steps while step < warmup_steps, else the cosine of (step - warmup) / (max -
# warmup). With the contract's 0-based step shifted by one, the warm-up is right but the cosine
# starts one step early: step warmup_steps already gets a decayed rate, not base_lr.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    s = step + 1
    if s < warmup_steps:
        return base_lr * s / max(1, warmup_steps)
    if s > total_steps:
        return min_lr
    progress = (s - warmup_steps) / max(1, total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))


# mutant: real-warmup-dino-linspace-from-zero
# pattern: DINO's cosine_scheduler (momoyrz/bacteria_classification utils/lr_factory.py) with its
# default start_warmup_value = 0: np.linspace(0, base, warmup_iters) starts the warm-up at 0 and
# reaches base one step early in spacing, base * step / (warmup - 1), not base * (step + 1) /
# warmup_steps.
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if not 0 <= warmup_steps < total_steps or step < 0:
        raise ValueError("bad schedule")
    warmup_schedule = np.array([])
    if warmup_steps > 0:
        warmup_schedule = np.linspace(0, base_lr, warmup_steps)
    iters = np.arange(total_steps - warmup_steps)
    schedule = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * iters / len(iters)))
    schedule = np.concatenate((warmup_schedule, schedule))
    if step >= total_steps:
        return float(min_lr)
    return float(schedule[step])


# mutant: real-warmup-nanogpt-no-checks
# pattern: NoeFlandre/GPT2-From-Scratch src/utils/scheduler.py as it is, without the contract's
# checks: it returns a number (or divides by zero) where the contract raises ValueError, e.g.
# for warmup_steps >= total_steps or a negative step.
import math


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return min_lr
    decay_ratio = (step - warmup_steps) / (total_steps - warmup_steps)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (base_lr - min_lr)


# mutant: real-optimize-dls-unknown-name-silent
# pattern: Coursera DLS model(..., optimizer): `if optimizer == "gd": ... elif "momentum" ...
# elif "adam"` with no else, both where the state is initialised and in the loop. An unknown
# name then trains nothing and returns a flat history; the contract raises ValueError, also
# when steps is 0.
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    theta = np.zeros(X.shape[1] + 1)
    if optimizer == "momentum":
        v = np.zeros_like(theta)
    elif optimizer == "rmsprop":
        s = np.zeros_like(theta)
    elif optimizer == "adam":
        v, s = np.zeros_like(theta), np.zeros_like(theta)
    t = 0
    costs = []
    for _ in range(steps):
        cost, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        costs.append(cost)
        grads = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grads
        elif optimizer == "momentum":
            theta, v = momentum_step(theta, grads, v, lr)
        elif optimizer == "rmsprop":
            theta, s = rmsprop_step(theta, grads, s, lr)
        elif optimizer == "adam":
            t = t + 1
            theta, v, s = adam_step(theta, grads, v, s, t, lr)
    costs.append(linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0])
    return np.array(costs)


# mutant: real-optimize-dls-counter-after
# pattern: the DLS model()'s Adam counter (t = 0 before the loop, t = t + 1 before each call)
# with the increment moved after the call: the first Adam step gets t = 0, which the contract's
# adam_step rejects with ValueError, so "adam" fails at once.
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    theta = np.zeros(X.shape[1] + 1)
    v, s = np.zeros_like(theta), np.zeros_like(theta)
    t = 0
    costs = []
    for _ in range(steps):
        cost, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        costs.append(cost)
        grads = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grads
        elif optimizer == "momentum":
            theta, v = momentum_step(theta, grads, v, lr)
        elif optimizer == "rmsprop":
            theta, s = rmsprop_step(theta, grads, s, lr)
        else:
            theta, v, s = adam_step(theta, grads, v, s, t, lr)
            t = t + 1
    costs.append(linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0])
    return np.array(costs)


# mutant: real-optimize-dls-momentum-inline
# pattern: the student writes the momentum update inline from the DLS notebook
# (update_parameters_with_momentum: v = beta v + (1 - beta) dW; W = W - lr v) instead of calling
# momentum_step: "momentum" then follows another trajectory than the contract's (the lecture's
# m = beta m - lr g).
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    theta = np.zeros(X.shape[1] + 1)
    v, s = np.zeros_like(theta), np.zeros_like(theta)
    costs = []
    for t in range(1, steps + 1):
        cost, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        costs.append(cost)
        grads = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grads
        elif optimizer == "momentum":
            v = 0.9 * v + (1 - 0.9) * grads
            theta = theta - lr * v
        elif optimizer == "rmsprop":
            theta, s = rmsprop_step(theta, grads, s, lr)
        else:
            theta, v, s = adam_step(theta, grads, v, s, t, lr)
    costs.append(linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0])
    return np.array(costs)


# mutant: real-optimize-history-after-update
# pattern: ex1's J_history (charleseagle/Machine-Learning-Coursera-Python
# Week2/gradientDescent.py), the cost stored after each update, carried into optimize_linear:
# `steps` losses without the starting one, where the contract wants steps + 1.
def optimize_linear(X, y, optimizer, lr, steps, loss="mse"):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(optimizer)
    theta = np.zeros(X.shape[1] + 1)
    v, s = np.zeros_like(theta), np.zeros_like(theta)
    J_history = np.zeros(steps)
    for i in range(steps):
        _, dw, db = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)
        grads = np.append(dw, db)
        if optimizer == "sgd":
            theta = theta - lr * grads
        elif optimizer == "momentum":
            theta, v = momentum_step(theta, grads, v, lr)
        elif optimizer == "rmsprop":
            theta, s = rmsprop_step(theta, grads, s, lr)
        else:
            theta, v, s = adam_step(theta, grads, v, s, i + 1, lr)
        J_history[i] = linear_loss_and_grads(theta[:-1], theta[-1], X, y, loss)[0]
    return J_history
