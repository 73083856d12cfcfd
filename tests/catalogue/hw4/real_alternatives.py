"""Correct forms of hw4 found in public code (CS231n assignment 2 solutions, Kratzert's and
Thorey's batch-norm derivations, d2l's from-scratch layers, Keras and fastai callbacks,
pylearn2's and thinc's maxout, "Deep Learning from Scratch"'s dropout, the Coursera Deep
Learning Specialization's regularization notebook), each adapted to hw4's contract the way a
student would: renamed and wrapped, keeping the source's formula and style (its staged graph,
its flat detector layer, its wait counter). Every entry is our own short rewrite of the
pattern, never the source's text; a `# source:` line names where the pattern was seen.
"""

import numbers  # the reference imports it; the entries below use it

import numpy as np  # the reference imports it; the entries below use it


# ------------------------------------------------------------ batchnorm_forward ---

# alternative: real-alt-bnf-cs231n-centered-stdinv
# source: zlotus/cs231n assignment2/cs231n/layers.py batchnorm_forward (after
# costapt.github.io/2016/06/26/batch-norm): xcentered, xcentered**2 averaged, std, stdinv,
# xhat = xcentered * stdinv; the running averages as CS231n's docstring gives them. The
# bn_param dict becomes the contract's arguments, and new arrays are returned.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        sample_mean = np.mean(x, axis=0)
        xcentered = x - sample_mean
        sample_var = np.mean(xcentered ** 2, axis=0)
        std = np.sqrt(sample_var + eps)
        stdinv = 1 / std
        xhat = xcentered * stdinv
        out = gamma * xhat + beta
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
    else:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_hat + beta
    return out, running_mean, running_var


# alternative: real-alt-bnf-kratzert-nine-steps
# source: kratzert.github.io 2016/02/12 "Understanding the backward pass through Batch
# Normalization Layer" batchnorm_forward, as copied in ForrestPi/ObjectDetection
# syncbn/batchNorm.md: mu = 1./N * sum, xmu, sq, var = 1./N * sum(sq), sqrtvar, ivar, xhat,
# gammax, out; the student adds the running averages and the test branch.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * ((x - running_mean) / np.sqrt(running_var + eps)) + beta, running_mean.copy(), \
            running_var.copy()
    N, D = x.shape
    mu = 1. / N * np.sum(x, axis=0)
    xmu = x - mu
    sq = xmu ** 2
    var = 1. / N * np.sum(sq, axis=0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1. / sqrtvar
    xhat = xmu * ivar
    gammax = gamma * xhat
    out = gammax + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


# alternative: real-alt-bnf-d2l-moving
# source: d2l.ai chapter "Batch Normalization" from scratch, batch_norm(X, gamma, beta,
# moving_mean, moving_var, eps, momentum) (as in righterTY/d2l demo7_5.py): the 2-d case,
# mean and ((X - mean) ** 2).mean(); the mode comes as the train flag instead of
# torch.is_grad_enabled(); Y = gamma * X_hat + beta.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    moving_mean, moving_var = running_mean, running_var
    if not train:
        X_hat = (x - moving_mean) / np.sqrt(moving_var + eps)
    else:
        mean = x.mean(axis=0)
        var = ((x - mean) ** 2).mean(axis=0)
        X_hat = (x - mean) / np.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var


# alternative: real-alt-bnf-npvar-running-first
# source: hannawong/MLE-interview 编程语言基础/pytorch/BN实现.md MyBN.batch_norm: x.mean(axis=0),
# x.var(axis=0) (numpy's default ddof=0 is the biased variance), the running averages written
# (1 - momentum) * batch + momentum * running (the same convention, terms swapped); the
# student adds the test branch the note leaves out.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    x_mean = x.mean(axis=0)
    x_var = x.var(axis=0)
    new_mean = (1 - momentum) * x_mean + momentum * running_mean
    new_var = (1 - momentum) * x_var + momentum * running_var
    x_hat = (x - x_mean) / np.sqrt(x_var + eps)
    return gamma * x_hat + beta, new_mean, new_var


# alternative: real-alt-bnf-keras-assign-moving-average
# source: Keras BatchNormalization (keras/layers/normalization/batch_normalization.py,
# _assign_moving_average): variable - (variable - value) * (1 - momentum), the same average
# as momentum * variable + (1 - momentum) * value; the batch moments as tf.nn.moments gives
# them (mean, then the mean of the squared deviations).
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    def assign_moving_average(variable, value):
        return variable - (variable - value) * (1.0 - momentum)

    if train:
        mean = np.mean(x, axis=0)
        variance = np.mean(np.square(x - mean), axis=0)
        new_mean, new_var = assign_moving_average(running_mean, mean), assign_moving_average(running_var, variance)
    else:
        mean, variance = running_mean, running_var
        new_mean, new_var = running_mean, running_var
    inv = 1.0 / np.sqrt(variance + eps)
    return (x - mean) * inv * gamma + beta, new_mean, new_var


# ----------------------------------------------------------- batchnorm_backward ---

# alternative: real-alt-bnb-kratzert-graph
# source: kratzert.github.io 2016/02/12 batchnorm_backward (ForrestPi/ObjectDetection
# syncbn/batchNorm.md): step 9 back to step 0 through dbeta, dgamma, dxhat, divar, dxmu1,
# dsqrtvar, dvar, dsq, dxmu2, dmu, dx2. The cache is recomputed from x.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    mu = 1. / N * np.sum(x, axis=0)
    xmu = x - mu
    var = 1. / N * np.sum(xmu ** 2, axis=0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1. / sqrtvar
    xhat = xmu * ivar
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1. / (sqrtvar ** 2) * divar
    dvar = 0.5 * 1. / np.sqrt(var + eps) * dsqrtvar
    dsq = 1. / N * np.ones((N, D)) * dvar
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    dx2 = 1. / N * np.ones((N, D)) * dmu
    return dx1 + dx2, dgamma, dbeta


# alternative: real-alt-bnb-cs231n-alt-one-line
# source: zlotus/cs231n assignment2/cs231n/layers.py batchnorm_backward_alt (after
# costapt.github.io/2016/07/09/batch-norm-alt): dx = (gamma * stdinv / N) * (N * dout -
# sum(dout * xcentered) * xcentered * stdinv**2 - sum(dout)).
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    xcentered = x - np.mean(x, axis=0)
    std = np.sqrt(np.mean(xcentered ** 2, axis=0) + eps)
    stdinv = 1 / std
    xhat = xcentered * stdinv
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(xhat * dout, axis=0)
    dx = (gamma * stdinv / N) * (N * dout - np.sum(dout * xcentered, axis=0) * xcentered * stdinv ** 2
                                 - np.sum(dout, axis=0))
    return dx, dgamma, dbeta


# alternative: real-alt-bnb-cs231n-analytic-with-dmean-term
# source: zlotus/cs231n assignment2/cs231n/layers.py batchnorm_backward, the student's own
# "more analytical" version kept in comments: dout_dvar, dvar_dx = 2/N (x - mean), and the
# dmean term that includes dvar_dmean = -2/N sum(x - mean) (zero in exact arithmetic, kept).
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    x_hat = (x - mean) / np.sqrt(var + eps)
    dgamma = np.sum(x_hat * dout, axis=0)
    dbeta = np.sum(dout, axis=0)
    dout_dxhat = gamma * dout
    dout_dx = dout_dxhat * (1 / np.sqrt(var + eps))
    dout_dvar = np.sum(dout_dxhat * (x - mean) * (-0.5) * (var + eps) ** (-1.5), axis=0)
    dvar_dx = 2. / N * (x - mean)
    dvar_dmean = -2. / N * np.sum(x - mean, axis=0)
    dout_dmean = np.sum(dout_dxhat * (1 / np.sqrt(var + eps)) * (-1), axis=0)
    dout_dmean += dout_dvar * dvar_dmean
    dmean_dx = 1. / N * np.ones([N, D])
    dx = dout_dx + dout_dmean * dmean_dx + dout_dvar * dvar_dx
    return dx, dgamma, dbeta


# alternative: real-alt-bnb-hinton-three-terms
# source: hmchen47/DataScience ML/MLNN-Hinton/src/batchnorm_forward.py batchnorm_backward:
# dx = gamma / s * dout - gamma / (N s) sum(dout) - gamma / (N s^3) xm sum(dout xm); there s is
# np.std(x) without eps, here s = sqrt(var + eps) as the contract's forward normalizes.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    m = np.mean(x, axis=0)
    s = np.sqrt(np.var(x, axis=0) + eps)
    xm = x - m
    dx = gamma / s * dout \
        - gamma / (N * s) * np.sum(dout, axis=0) \
        - gamma / (N * s ** 3) * xm * np.sum(dout * xm, axis=0)
    dgamma = np.sum(dout * xm / s, axis=0)
    dbeta = np.sum(dout, axis=0)
    return dx, dgamma, dbeta


# alternative: real-alt-bnb-staged-dinvvar
# source: a CS231n batchnorm_backward found by search (code corpus, cache = x_hat, batch_var,
# eps, gamma, xmu): dxmu_1 = dxhat * inv_var, dinvvar = sum(dxhat * xmu), dvar = 0.5 * dinvvar
# * (-1) / sqrtvar**3, dxmu_2, then dx2 from the mean; the cache recomputed from x.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = x.shape
    xmu = x - x.mean(axis=0)
    batch_var = np.mean(xmu ** 2, axis=0)
    sqrtvar = np.sqrt(batch_var + eps)
    inv_var = 1. / sqrtvar
    x_hat = xmu * inv_var
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dxhat = dout * gamma
    dxmu_1 = dxhat * inv_var
    dinvvar = np.sum(dxhat * xmu, axis=0)
    dvar = 0.5 * dinvvar * (-1.) / (sqrtvar ** 3)
    dxmu_2 = 2 * xmu * (1. / N) * np.ones((N, D)) * dvar
    dx2 = (1. / N) * np.ones((N, D)) * (-1) * np.sum(dxmu_1 + dxmu_2, axis=0)
    return dxmu_1 + dxmu_2 + dx2, dgamma, dbeta


# ------------------------------------------------------- dropout_forward_scaled ---

# alternative: real-alt-dof-dlfs-dropout-class
# source: oreilly-japan/deep-learning-from-scratch common/layers.py class Dropout: training
# self.mask = np.random.rand(*x.shape) > self.dropout_ratio, return x * self.mask; test
# x * (1.0 - self.dropout_ratio) (the original dropout exactly). The draw comes from rng, and
# the contract's ValueError is added.
def dropout_forward_scaled(x, p, rng, train=True):
    dropout_ratio = p
    if not (0 <= dropout_ratio < 1):
        raise ValueError("dropout_ratio must be in [0, 1)")
    if train:
        mask = rng.random(x.shape) > dropout_ratio
        return x * mask, mask
    return x * (1.0 - dropout_ratio), None


# alternative: real-alt-dof-holberton-binomial-bool
# source: Merhbene/holbertonschool-machine_learning supervised_learning/0x05-regularization/
# 4-dropout_forward_prop.py: the mask np.random.binomial(1, keep_prob, A.shape); here from rng,
# turned to booleans as the contract asks, without Holberton's / keep_prob (that is inverted
# dropout), and the test-time weight scaling added.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    keep_prob = 1 - p
    if not train:
        return x * keep_prob, None
    D = rng.binomial(1, keep_prob, x.shape).astype(bool)
    return x * D, D


# alternative: real-alt-dof-coursera-rand-lt-keep
# source: Coursera Deep Learning Specialization, Improving Deep Neural Networks week 1,
# forward_propagation_with_dropout (as in TimVan1596/ACM-ICPC python/deep_learning/test.py):
# D1 = np.random.rand(A1.shape[0], A1.shape[1]); D1 = D1 < keep_prob; A1 = A1 * D1, with the
# student leaving out A1 / keep_prob since the lecture's original dropout scales at test time.
def dropout_forward_scaled(x, p, rng, train=True):
    if np.isnan(p) or p < 0 or p >= 1:
        raise ValueError(f"p={p} is not a probability in [0, 1)")
    keep_prob = 1.0 - p
    if train:
        D1 = rng.random((x.shape[0], x.shape[1]))
        D1 = D1 < keep_prob
        A1 = x * D1
        return A1, D1
    return x * keep_prob, None


# alternative: real-alt-dof-epynn-uniform
# source: Synthasoft EpyNN epynn/dropout/forward.py (the fixed version): D =
# layer.np_rng.uniform(0, 1, shape), D = (D < keep), A = X * D, the rng a numpy Generator as
# EpyNN's np_rng is; EpyNN then divides by keep (inverted), which the original dropout does
# not, and scales at test time instead.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("the drop probability p must satisfy 0 <= p < 1")
    k = 1 - p
    if not train:
        return x * k, None
    D = rng.uniform(0, 1, x.shape)
    D = D < k
    return np.multiply(x, D), D


# alternative: real-alt-dof-tf-keep-mask-cast
# source: TensorFlow tf.nn.dropout (tensorflow/python/ops/nn_ops.py _dropout):
# random_tensor = uniform(shape); keep_mask = random_tensor >= rate; ret = x * scale *
# cast(keep_mask, x.dtype); without TensorFlow's scale = 1 / (1 - rate), as the original
# dropout keeps the kept values unchanged, and x * (1 - rate) at test time.
def dropout_forward_scaled(x, p, rng, train=True):
    rate = p
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be a scalar in [0, 1), got {rate}")
    if not train:
        return x * (1 - rate), None
    random_tensor = rng.random(x.shape)
    keep_mask = random_tensor >= rate
    return x * keep_mask.astype(x.dtype), keep_mask


# alternative: real-alt-dof-d2l-where
# source: d2l.ai "Dropout" from scratch, dropout_layer (as in yhwlp0711/DL MLP/dropOut.py):
# mask = (torch.rand(X.shape) > dropout); here np.where keeps or zeroes (keeps x's dtype), no
# / (1.0 - dropout), and d2l's assert becomes the contract's ValueError.
def dropout_forward_scaled(x, p, rng, train=True):
    if not (0 <= p < 1):
        raise ValueError("dropout must be in [0, 1)")
    if not train:
        return x * (1.0 - p), None
    mask = rng.random(x.shape) > p
    return np.where(mask, x, 0), mask


# ------------------------------------------------------ dropout_backward_scaled ---

# alternative: real-alt-dob-dlfs-dout-times-mask
# source: oreilly-japan/deep-learning-from-scratch common/layers.py Dropout.backward:
# return dout * self.mask
def dropout_backward_scaled(dout, mask):
    return dout * mask


# alternative: real-alt-dob-relu-style-copy
# source: CS231n relu_backward as written with a copy (ReLU_backward in a from-scratch CNN
# found by search: dout = din.copy(); dout[x <= 0] = 0): the dropped elements zeroed in a copy
def dropout_backward_scaled(dout, mask):
    dx = dout.copy()
    dx[~mask] = 0
    return dx


# alternative: real-alt-dob-tf-cast-mask
# source: TensorFlow's dropout gradient, the upstream gradient times the cast keep mask
# (tensorflow/python/ops/nn_ops.py: x * cast(keep_mask, x.dtype)), without the scale
def dropout_backward_scaled(dout, mask):
    return dout * mask.astype(dout.dtype)


# alternative: real-alt-dob-where
# source: the np.where(mask, grad, 0) form of masked backward passes (CS231n relu_backward
# variants, np.where(x > 0, dout, 0)): the gradient flows where the mask kept
def dropout_backward_scaled(dout, mask):
    return np.where(mask, dout, 0)


# --------------------------------------------------------------- maxout_forward ---

# alternative: real-alt-mof-thinc-tensordot
# source: explosion/thinc thinc/neural/_classes/maxout.py Maxout.predict: X__BOP =
# xp.tensordot(X__BI, W, axes=[[1], [-1]]) + b, then the piece picked by argmax over the last
# axis; thinc's W is (nO, nP, nI), the contract's (D, H, k), so the contraction is on axis 0.
def maxout_forward(x, W, b):
    X__BOP = np.tensordot(x, W, axes=[[1], [0]])
    X__BOP = X__BOP + b
    which__BO = np.argmax(X__BOP, axis=-1)
    return np.take_along_axis(X__BOP, which__BO[..., None], axis=-1)[..., 0]


# alternative: real-alt-mof-pylearn2-strided-pieces
# source: lisa-lab/pylearn2 pylearn2/models/maxout.py Maxout.fprop: z = the flat detector layer
# (num_units * num_pieces) + b, then for i in range(pool_size): cur = z[:, i:last_start+i+1:
# pool_stride], p = maximum(cur, p). With W flattened in C order a unit's pieces are
# contiguous, so piece i of every unit is the stride-k slice starting at i.
def maxout_forward(x, W, b):
    D, H, k = W.shape
    z = x.dot(W.reshape(D, H * k)) + b.reshape(H * k)
    last_start = H * k - k
    p = None
    for i in range(k):
        cur = z[:, i:last_start + i + 1:k]
        p = cur if p is None else np.maximum(cur, p)
    return p


# alternative: real-alt-mof-fc-list-stack
# source: a PyTorch Maxout found by search (code corpus: self.fc_list = nn.ModuleList of
# num_pieces nn.Linear(in_features, out_features)): one linear layer per piece, stacked, the
# maximum over the stack
def maxout_forward(x, W, b):
    pieces = [x @ W[:, :, j] + b[:, j] for j in range(W.shape[2])]
    return np.stack(pieces).max(axis=0)


# alternative: real-alt-mof-view-unit-major
# source: federicobergamin/Variational-Inference-with-Normalizing-Flows maxout.py: x.view(...,
# C // pool_size, pool_size).max(-1), the pool as the last axis of a unit-major layout: the
# flat linear output (N, H * k) viewed as (N, H, k)
def maxout_forward(x, W, b):
    N = x.shape[0]
    D, H, k = W.shape
    lin = x @ W.reshape(D, -1) + b.reshape(-1)
    return lin.reshape(N, H, k).max(-1)


# alternative: real-alt-mof-gan-piece-major-reordered
# source: minhrongcon2000/gan_experiment utils/maxout.py: linear(X).view(-1, num_piece,
# num_unit).max(dim=1), a piece-major layout; the student reorders W to (D, k, H) before
# flattening so that the flat columns are piece-major too.
def maxout_forward(x, W, b):
    D, H, k = W.shape
    weight = W.transpose(0, 2, 1).reshape(D, k * H)
    bias = b.T.reshape(k * H)
    return (x @ weight + bias).reshape(-1, k, H).max(axis=1)


# alternative: real-alt-mof-keras1-maxoutdense
# source: Keras 1.x keras/layers/core.py MaxoutDense: W of shape (nb_feature, input_dim,
# output_dim), output = K.max(K.dot(X, W) + b, axis=1); the contract's W moved to that layout
def maxout_forward(x, W, b):
    Wk = np.transpose(W, (2, 0, 1))  # (k, D, H)
    bk = b.T  # (k, H)
    output = np.dot(x, Wk) + bk  # (N, k, H)
    return np.max(output, axis=1)


# -------------------------------------------------------------- maxout_backward ---

# alternative: real-alt-mob-thinc-which-onehot
# source: explosion/thinc Maxout's backprop: the gradient of each output goes to the piece
# `which` chose (argmax), then dX = tensordot(dZ, W), dW = tensordot(dZ, X), db = dZ.sum(0);
# the scatter written with a one-hot of `which`.
def maxout_backward(dout, x, W, b):
    Z = np.tensordot(x, W, axes=[[1], [0]]) + b
    which = np.argmax(Z, axis=-1)
    dZ = np.eye(W.shape[2])[which] * dout[..., None]
    dX = np.tensordot(dZ, W, axes=[[1, 2], [1, 2]])
    dW = np.tensordot(x, dZ, axes=[[0], [0]])
    db = dZ.sum(axis=0)
    return dX, dW, db


# alternative: real-alt-mob-pylearn2-flat-detector
# source: lisa-lab/pylearn2 pylearn2/models/maxout.py: the flat detector layer z = x W_flat +
# b (unit-major), the gradient reaching one detector column per unit: column h * k + argmax;
# then the linear layer's gradients on the flat layer, reshaped back.
def maxout_backward(dout, x, W, b):
    N = x.shape[0]
    D, H, k = W.shape
    z = x @ W.reshape(D, H * k) + b.reshape(H * k)
    cols = np.arange(H) * k + z.reshape(N, H, k).argmax(axis=2)
    dz = np.zeros((N, H * k))
    dz[np.arange(N)[:, None], cols] = dout
    dx = dz @ W.reshape(D, H * k).T
    dW = (x.T @ dz).reshape(D, H, k)
    db = dz.sum(axis=0).reshape(H, k)
    return dx, dW, db


# alternative: real-alt-mob-fc-list-per-piece
# source: the PyTorch fc_list Maxout found by search (one nn.Linear per piece): each piece's
# linear layer gets the gradient of the outputs it won (argmax == j), and its own dW, db, dx
def maxout_backward(dout, x, W, b):
    k = W.shape[2]
    z = np.stack([x @ W[:, :, j] + b[:, j] for j in range(k)], axis=2)
    winner = z.argmax(axis=2)
    dx = np.zeros_like(x)
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    for j in range(k):
        g = dout * (winner == j)
        dW[:, :, j] = x.T @ g
        db[:, j] = g.sum(axis=0)
        dx += g @ W[:, :, j].T
    return dx, dW, db


# alternative: real-alt-mob-autodiff-argmax-loops
# source: an autodiff Maxout node found by search (autodiff/node Maxout: eval_op records
# self._max_idx, the backward sends the gradient to that index); written with loops over the
# batch and the units.
def maxout_backward(dout, x, W, b):
    N, D = x.shape
    _, H, k = W.shape
    dx = np.zeros((N, D))
    dW = np.zeros((D, H, k))
    db = np.zeros((H, k))
    for n in range(N):
        for h in range(H):
            z = x[n] @ W[:, h, :] + b[h]
            j = int(np.argmax(z))
            dx[n] += dout[n, h] * W[:, h, j]
            dW[:, h, j] += dout[n, h] * x[n]
            db[h, j] += dout[n, h]
    return dx, dW, db


# ------------------------------------------------------------------- l2_penalty ---

# alternative: real-alt-l2-d2l-half-sum
# source: d2l.ai "Weight Decay" from scratch: def l2_penalty(w): return torch.sum(w.pow(2)) / 2,
# the loss + lambd * l2_penalty(w); autograd's gradient lambd * w written out, one penalty per
# weight matrix, zeros for the others.
def l2_penalty(params, lam):
    def half_sq(w):
        return np.sum(w ** 2) / 2

    penalty = 0.0
    grads = {}
    for name, w in params.items():
        if name.startswith("W"):
            penalty += lam * half_sq(w)
            grads[name] = lam * w
        else:
            grads[name] = np.zeros_like(w)
    return penalty, grads


# alternative: real-alt-l2-coursera-square-sum
# source: Coursera Deep Learning Specialization, Regularization notebook,
# compute_cost_with_regularization: (np.sum(np.square(W1)) + np.sum(np.square(W2)) + ...) *
# (lambd / 2) (* 1/m, the batch size the contract leaves out), and
# backward_propagation_with_regularization's + lambd * W term; every key starting with W.
def l2_penalty(params, lam):
    weights = [k for k in params if k[:1] == "W"]
    L2_regularization_cost = sum(np.sum(np.square(params[k])) for k in weights) * (lam / 2)
    grads = {k: np.zeros(v.shape, dtype=v.dtype) for k, v in params.items()}
    for k in weights:
        grads[k] = lam * params[k]
    return float(L2_regularization_cost), grads


# alternative: real-alt-l2-cs231n-half-reg-w-times-w
# source: CS231n assignment 2 fc_net.py solutions: loss += 0.5 * self.reg * np.sum(W * W) per
# layer, grads['W%d'] += self.reg * W
def l2_penalty(params, lam):
    reg = lam
    loss = 0.0
    grads = {}
    for name in params:
        W = params[name]
        if name.startswith("W"):
            loss += 0.5 * reg * np.sum(W * W)
            grads[name] = reg * W
        else:
            grads[name] = np.zeros_like(W)
    return loss, grads


# alternative: real-alt-l2-holberton-norm-squared
# source: the Holberton l2_reg_cost exercise (enxo7899/holbertonschool-machine_learning
# supervised_learning/regularization/0-l2_reg_cost.py and its peers): the Frobenius norm
# np.linalg.norm(W) of each weight, here squared as the formula asks, times lambtha / 2
def l2_penalty(params, lam):
    total = 0.0
    for key, W in params.items():
        if key.startswith("W"):
            total += np.linalg.norm(W) ** 2
    grads = {key: (lam * W if key.startswith("W") else np.zeros_like(W)) for key, W in params.items()}
    return lam / 2 * total, grads


# --------------------------------------------------------------- early_stopping ---

# alternative: real-alt-es-keras-wait-first
# source: Keras 3 keras/src/callbacks/early_stopping.py on_epoch_end: self.wait += 1; on an
# improvement (monitor_op(current - min_delta, best), np.less with min_delta 0) best, best_epoch
# and wait = 0; if self.wait >= self.patience and epoch > 0: stopped_epoch = epoch. best starts
# at +inf.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    wait, best, best_epoch = 0, np.inf, 0
    for epoch, current in enumerate(val_losses):
        wait += 1
        if np.less(current - 0, best):
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# alternative: real-alt-es-fastai-tracker
# source: fastai TrackerCallback / EarlyStoppingCallback (as subclassed in a callback found by
# search: comp(val, best) sets new_best; if new_best wait = 0 else wait += 1; if wait >=
# patience: stop), best = float('inf') for comp = np.less
def early_stopping(val_losses, patience):
    if type(patience) is not int and not isinstance(patience, np.integer):
        raise ValueError("patience must be an integer")
    if patience < 1 or len(val_losses) == 0:
        raise ValueError("need patience >= 1 and at least one loss")
    comp, best, wait, best_epoch = np.less, float("inf"), 0, 0
    for epoch in range(len(val_losses)):
        val = val_losses[epoch]
        new_best = bool(comp(val, best))
        if new_best:
            best, best_epoch = val, epoch
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# alternative: real-alt-es-min-delta-class
# source: an EarlyStopping class found by search (code corpus: best_loss = float('inf'); if
# val_loss < self.best_loss - self.min_delta: best_loss, counter = 0; else counter += 1; if
# counter >= patience: early_stop), min_delta 0 as the contract has none
def early_stopping(val_losses, patience):
    if not isinstance(patience, numbers.Integral) or isinstance(patience, bool) or patience < 1:
        raise ValueError(f"patience must be a positive int, not {patience!r}")
    if not len(val_losses):
        raise ValueError("no validation losses")

    class EarlyStopping:
        def __init__(self, patience, min_delta=0):
            self.patience, self.min_delta = patience, min_delta
            self.counter, self.best_loss, self.early_stop = 0, float("inf"), False

        def __call__(self, val_loss):
            if val_loss < self.best_loss - self.min_delta:
                self.best_loss = val_loss
                self.counter = 0
                return True
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
            return False

    stopper, best_epoch = EarlyStopping(patience), 0
    for epoch, loss in enumerate(val_losses):
        if stopper(loss):
            best_epoch = epoch
        if stopper.early_stop:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# alternative: real-alt-es-window-min
# source: the windowed check of training loops found by search (code corpus: if epoch >=
# patience and min(val_losses[-patience:]) > min(val_losses[:-patience]): break): stop once the
# last `patience` losses hold no loss strictly below the best before them. With the contract's
# strict improvement a tie in the window is no improvement, so the comparison is >=.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    losses = list(val_losses)
    if not losses:
        raise ValueError("val_losses must not be empty")
    for epoch in range(patience, len(losses)):
        seen = losses[:epoch + 1]
        if min(seen[-patience:]) >= min(seen[:-patience]):
            stop = epoch
            break
    else:
        stop = len(losses) - 1
    return int(np.argmin(losses[:stop + 1])), stop


# alternative: real-alt-es-lightning-wait-count
# source: Lightning's EarlyStopping._evaluate_stopping_criteria: torch.lt(current - min_delta,
# best_score) is an improvement (best_score = current, wait_count = 0), otherwise wait_count +=
# 1 and should_stop = wait_count >= patience; best_score starts at torch.tensor(inf)
def early_stopping(val_losses, patience):
    if not isinstance(patience, (int, np.integer)) or isinstance(patience, bool) or patience < 1:
        raise ValueError("patience should be an int >= 1")
    values = np.asarray(val_losses, dtype=np.float64)
    if values.size == 0:
        raise ValueError("val_losses should not be empty")
    best_score, wait_count, best_epoch = np.inf, 0, 0
    for epoch, current in enumerate(values):
        if np.less(current - 0.0, best_score):
            best_score, wait_count, best_epoch = current, 0, epoch
        else:
            wait_count += 1
            if wait_count >= patience:
                return best_epoch, epoch
    return best_epoch, values.size - 1
