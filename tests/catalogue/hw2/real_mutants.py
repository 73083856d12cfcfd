"""Wrong forms of hw2 found in public code, adapted to hw2's contract the way a student would
(renamed and wrapped, the source's formula kept), each wrong by the contract. Every entry is our
own short rewrite of the pattern, never the source's text; a comment names the repository and
file where it was seen and says why it is wrong here.
"""

import numpy as np  # the reference imports it; the entries below use it


# mutant: real-relu-grad-tutorial-lt-zero
# plants: relu_grad-at-zero
# pattern: the numpy warm-up of the PyTorch tutorial (e.g. xinzheshen/dl_practice
# src/pytorch_test/base/04_nn_by_np.py): grad_h = grad_h_relu.copy(); grad_h[h < 0] = 0.
# Zeroing only where z < 0 leaves relu'(0) = 1; the contract takes 0.
def relu_grad(z):
    grad = np.ones_like(z)
    grad[z < 0] = 0
    return grad


# mutant: real-relu-grad-where-int
# pattern: MrCadagon/py_proj intel_code/.../Relu.py relu_backward, np.where(x > 0, dout, 0),
# with the upstream gradient written as the literal 1: the result is an integer array, not
# z's float dtype.
def relu_grad(z):
    return np.where(z > 0, 1, 0)


# mutant: real-softmax-d2l-no-shift
# pattern: d2l's first softmax (X_exp = exp(X); X_exp / X_exp.sum(1, keepdims=True)), e.g.
# jasonmeverett/ml-playground src/jevml/utils.py: without the row max subtracted, exp
# overflows for logits of a few hundred (inf / inf = nan).
def softmax(logits):
    X_exp = np.exp(logits)
    partition = X_exp.sum(1, keepdims=True)
    return X_exp / partition


# mutant: real-softmax-murphy-float-cast
# pattern: gregclinton/murphy softmax.py kept whole: np.array(x, dtype=float) first, which turns
# float32 logits into float64 probabilities; the contract keeps the input's dtype.
def softmax(logits):
    x = np.array(logits, dtype=float)
    x = x.T - np.max(x, axis=1)
    e = np.exp(x)
    return (e / np.sum(e, axis=0)).T


# mutant: real-ce-cs231n-log-of-probs
# pattern: CS231n softmax_loss_vectorized as most solutions write it (e.g. the vectorized
# softmax found by search: scores -= max; probs = exp / sum; -log(probs[range(N), y])). Shifted,
# so no overflow, but the label's probability underflows to 0 for a confidently wrong row at
# logits of 1e4, and log(0) = -inf: the loss is inf and numpy warns.
def cross_entropy(logits, y):
    num_train = logits.shape[0]
    scores = logits - np.max(logits, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    correct_class_probs = probs[np.arange(num_train), y]
    return float(np.sum(-np.log(correct_class_probs)) / num_train)


# mutant: real-ce-cs231n-inplace-shift
# pattern: the same CS231n solutions' `scores -= np.max(scores, axis=1).reshape(N, 1)`: there
# scores was a fresh X.dot(W); with the logits passed in, the student's in-place shift changes
# the caller's array, which the contract forbids.
def cross_entropy(logits, y):
    num_train = logits.shape[0]
    scores = logits
    scores -= np.max(scores, axis=1).reshape(num_train, 1)
    log_sum = np.log(np.sum(np.exp(scores), axis=1))
    return float(np.mean(log_sum - scores[np.arange(num_train), y]))


# mutant: real-ce-cs231n-dummy-epsilon
# pattern: a CS231n softmax_loss_vectorized found by search adds dummy = 1e-14 inside the log
# "to avoid dividing by zero": finite, but a confidently wrong prediction then costs
# -log(1e-14) = 32 instead of its true size (about the logit gap, up to 2e4).
def cross_entropy(logits, y):
    adjusted = logits - np.max(logits, axis=1, keepdims=True)
    probs = np.exp(adjusted) / np.sum(np.exp(adjusted), axis=1, keepdims=True)
    dummy = 1e-14
    num_train = logits.shape[0]
    return float(-np.sum(np.log(probs[np.arange(num_train), y] + dummy)) / num_train)


# mutant: real-ce-clip-onehot
# pattern: machinelearning-maverick/deep-learning-challenge .../day_08/
# cross_entropy_multi_class_classification_numpy.py: stable softmax, then
# np.clip(p, 1e-15, 1 - 1e-15) and -mean(sum(onehot * log p)). The clip caps the loss of a
# confidently wrong row at 34.5, and bends every loss whose p is within 1e-15 of 1.
def cross_entropy(logits, y):
    exps = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    y_pred = exps / np.sum(exps, axis=1, keepdims=True)
    y_pred = np.clip(y_pred, 1e-15, 1 - 1e-15)
    y_true = np.eye(logits.shape[1])[y]
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))


# mutant: real-ce-unshifted-exp
# pattern: fabien102/DlaD_lab2 Softmax/softmax.py softmax_loss_vectorized: exp of the raw
# scores, no shift: overflow (inf / inf = nan) for logits of a few hundred.
def cross_entropy(logits, y):
    num_train = logits.shape[0]
    exp_scores = np.exp(logits)
    prob_scores = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    correct_log_probs = -np.log(prob_scores[range(num_train), y])
    return float(np.sum(correct_log_probs) / num_train)


# mutant: real-ce-pycuda-column-index
# pattern: xs2445/CNN-PyCUDA-EECS4750-Project utils/Lossfunctions.py softmax_loss: the label
# term written loss -= np.sum(x[:, y]) (the right form, x[range(N), y], is commented out beside
# it): x[:, y] is N x N, every row's logit at every example's label.
def cross_entropy(logits, y):
    num_train = logits.shape[0]
    x = logits - np.max(logits, axis=1, keepdims=True)
    x_exp = np.exp(x)
    loss = -np.sum(x[:, y])
    loss += np.sum(np.log(np.sum(x_exp, axis=1)))
    return float(loss / num_train)


# mutant: real-ce-numpygpt-eps-in-log
# pattern: codiceSpaghetti/numpyGPT numpyGPT/nn/functional.py cross_entropy_loss: the log-sum-exp
# trick, but with eps = 1e-7 added to the sum inside the log. The sum is at least 1, so the loss
# is off by up to 1e-7 (about 1e-7 / sum): a bias far above float64's rounding.
def cross_entropy(logits, y):
    N = y.shape[0]
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True) + 1e-7)
    return float(np.mean(-log_softmax[np.arange(N), y]))


# mutant: real-ceg-unshifted-exp
# pattern: the softmax_loss(scores, y) found by search (scores = np.exp(scores), "normalized"
# in a comment but never shifted; dX = prob_out.copy(); dX[arange, y] -= 1; dX /= N): overflow
# for logits of a few hundred.
def cross_entropy_grad(logits, y):
    num_train = logits.shape[0]
    scores = np.exp(logits)
    prob_out = scores / np.sum(scores, axis=1).reshape(-1, 1)
    dX = prob_out.copy()
    dX[np.arange(num_train), y] -= 1
    dX /= num_train
    return dX


# mutant: real-ceg-eye-onehot-upcast
# pattern: the one-hot built as np.eye(C)[y] (gregclinton/murphy softmax.py's one-hot labels,
# machinelearning-maverick's y_true): float64, so float32 logits get a float64 gradient.
def cross_entropy_grad(logits, y):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    return (p - np.eye(logits.shape[1])[y]) / logits.shape[0]


# mutant: real-bce-sigmoid-then-log
# pattern: huangyingw/fastai_fastbook exercise/binary_cross_entropy.py: sigmoid first, then
# -where(y == 1, s, 1 - s).log().mean(): sigma(z) rounds to 0 or 1 for |z| of a few dozen, and
# log(0) = -inf.
def binary_cross_entropy(z, y):
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(np.log(np.where(y == 1, s, 1 - s))))


# mutant: real-bce-log-of-labels
# pattern: sayush2807/Neural_Networks_from_scratch losses/bce.py: mean(-y log(y) - (1 - y_hat)
# log(1 - y_hat)): the first log is of the labels, not of the prediction (log(0) for y = 0).
def binary_cross_entropy(z, y):
    y_hat = 1 / (1 + np.exp(-z))
    return float(np.mean(-y * np.log(y) - (1 - y_hat) * np.log(1 - y_hat)))


# mutant: real-mlg-tutorial-lt-zero
# plants: mlg-relu-at-zero
# pattern: the PyTorch tutorial's numpy two-layer net (e.g. xinzheshen/dl_practice
# src/pytorch_test/base/04_nn_by_np.py) backpropagates with grad_h[h < 0] = 0, h the
# pre-activation: the gradient passes where z == 0 too, where the contract takes relu'(0) = 0.
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h = X.dot(W1) + b1
    h_relu = np.maximum(h, 0)
    logits = h_relu.dot(W2) + b2
    loss = cross_entropy(logits, y)
    grad_logits = cross_entropy_grad(logits, y)
    grad_h_relu = grad_logits.dot(W2.T)
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grads = {"W1": X.T.dot(grad_h), "b1": grad_h.sum(axis=0),
             "W2": h_relu.T.dot(grad_logits), "b2": grad_logits.sum(axis=0)}
    return loss, grads


# mutant: real-batches-drop-remainder
# plants: batches-drop-last
# pattern: krysxin/Image-Recognition Kadai4/minibatch.py shuffle_batches: num_minibatches =
# int(data_num / batch_size), so the remainder is dropped.
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    index = np.arange(n)
    rng.shuffle(index)
    num_minibatches = int(n / batch_size)
    return [index[k * batch_size:(k + 1) * batch_size] for k in range(num_minibatches)]


# mutant: real-batches-dls-list-permutation
# pattern: Coursera DLS random_mini_batches' permutation = list(np.random.permutation(m)) kept:
# slicing a list gives lists of numpy integers, not the 1-d integer arrays the contract returns.
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    permutation = list(rng.permutation(n))
    return [permutation[k:k + batch_size] for k in range(0, n, batch_size)]


# mutant: real-batches-no-check
# pattern: every random_mini_batches / mk_batches found (DLS, JiaMauJian/gradient-descent
# 3_mk_batches.py) has no argument check: with batch_size 0, range(0, n, 0) raises ValueError
# only after the permutation was drawn, and n = 0 returns an empty list.
def minibatches(n, batch_size, rng):
    indices = rng.permutation(n)
    return [indices[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: real-sgd-d2l-inplace
# pattern: d2l's sgd(params, lr, batch_size): param -= lr * param.grad (in place, under
# torch.no_grad); the student's numpy version changes the caller's arrays and returns them.
def sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return params


# mutant: real-batches-d2l-yield
# pattern: d2l's data_iter kept as a generator (jasper-cell/python 动手学深度学习/d2lzh_pytorch/
# data_iter.py, Gandolfkill996/ML-begin CNN/utils.py): yield indices[i:min(i + bs, n)]. The
# contract asks for a list; and a generator checks nothing until it is iterated.
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    indices = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield indices[i:min(i + batch_size, n)]


# mutant: real-train-epoch-random-choice
# pattern: Shribotics/ese5831-assignments assignment-6/train.py (and CS231n's Solver._step):
# each step samples batch_mask = np.random.choice(train_size, batch_size), with replacement,
# instead of one permutation cut into batches; n // batch_size steps.
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for _ in range(max(len(X) // batch_size, 1)):
        batch_mask = rng.choice(len(X), batch_size)
        loss, grads = mlp_loss_and_grads(params, X[batch_mask], y[batch_mask])
        losses.append(loss)
        params = sgd_step(params, grads, lr)
    return params, np.array(losses)


# mutant: real-train-epoch-unshuffled-slices
# pattern: kartiksrinivas007/Epoch-Project-2022 Solver.py: the j-th slice of the data as it
# comes, for j in range(N // batch_size): no shuffle, and the remainder dropped.
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for j in range(X.shape[0] // batch_size):
        X_batch = X[j * batch_size:(j + 1) * batch_size]
        y_batch = y[j * batch_size:(j + 1) * batch_size]
        loss, grads = mlp_loss_and_grads(params, X_batch, y_batch)
        losses.append(loss)
        params = {k: params[k] - lr * grads[k] for k in params}
    return params, np.array(losses)


# mutant: real-train-epoch-inplace-update
# pattern: inuyasha0618/fcnet Trainer.py _step: self.model.params[key] -= learning_rate * grad;
# kept in place, the student's epoch changes the caller's params.
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        losses.append(loss)
        for param_key, grad in grads.items():
            params[param_key] -= lr * grad
    return params, np.array(losses, dtype=np.float64)


# mutant: real-bce-eps-in-logs
# pattern: a DLS-style compute_cost found by search: eps = 1e-8 inside both logs,
# -(1/m) sum((1 - Y) log(1 - A + eps) + Y log(A + eps)), A = sigmoid(z). Finite, but a
# confidently wrong prediction costs -log(1e-8) = 18.4 instead of |z|, and every loss is biased.
def binary_cross_entropy(z, y):
    A = 1 / (1 + np.exp(-z))
    eps = 1e-8
    m = z.shape[0]
    return float(np.sum(-(1 / m) * ((1 - y) * np.log(1 - A + eps) + y * np.log(A + eps))))


# mutant: real-bce-clipped-logits
# pattern: a logistic-regression cost found by search whose sigmoid first clips z to [-10, 10]
# (z = np.clip(z, -10, 10)) to avoid overflow: the loss is then wrong for every |z| > 10.
def binary_cross_entropy(z, y):
    h = 1 / (1 + np.exp(-np.clip(z, -10, 10)))
    return float(np.mean(-y * np.log(h) - (1 - y) * np.log(1 - h)))
