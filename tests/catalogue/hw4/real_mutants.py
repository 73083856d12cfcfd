"""Wrong forms of hw4 found in public code, adapted to hw4's contract the way a student would
(renamed and wrapped, the source's formula and convention kept), each wrong by the contract:
PyTorch's momentum and unbiased running variance, CS231n's inverted dropout and in-place
habits, Keras 1's patience counting, pytorchtools' ties, sklearn's `>`, TensorFlow's split
gradient on ties, weight decay without the 1/2 or on every parameter. Every entry is our own
short rewrite of the pattern, never the source's text; a `# source:` line names where the
pattern was seen and the comment says why it is wrong here.
"""

import numbers  # the reference imports it; the entries below use it

import numpy as np  # the reference imports it; the entries below use it


# ------------------------------------------------------------ batchnorm_forward ---

# mutant: real-bnf-torch-momentum-convention
# plants: bn-momentum-swapped
# source: bilgekul/custom-GAN- CustomBN.py (momentum=0.1, PyTorch's convention):
# running_mean = (1 - momentum) * running_mean + momentum * mean. The contract's momentum
# weighs the OLD average (0.9 keeps 90% of it); with momentum 0.9 this keeps 10%.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var
    return gamma * ((x - mean) / np.sqrt(var + eps)) + beta, new_mean, new_var


# mutant: real-bnf-torch-unbiased-running-var
# plants: bn-running-var-unbiased
# source: PyTorch nn.BatchNorm1d (its docs: the running variance is updated with the unbiased
# estimator while the batch is normalized with the biased one), ported to numpy as the
# from-scratch BatchNorm1d classes that are "tested against PyTorch's" do. The contract's
# running variance averages the same biased var (divided by N).
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    unbiased = x.var(axis=0, ddof=1)
    out = gamma * (x - mean) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mean, momentum * running_var + (1 - momentum) * unbiased


# mutant: real-bnf-kratzert-ddof-one
# plants: bn-unbiased-var
# source: a port of Kratzert's batchnorm_forward found by search (code corpus: ddof = 1 if
# N > 1 else 0; var = 1. / (N - ddof) * np.sum(sq, axis=0)): the batch variance divided by
# N - 1, where the contract's batch normalization divides by N.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    N, D = x.shape
    ddof = 1 if N > 1 else 0
    mu = 1. / N * np.sum(x, axis=0)
    xmu = x - mu
    sq = xmu ** 2
    var = 1. / (N - ddof) * np.sum(sq, axis=0)
    xhat = xmu / np.sqrt(var + eps)
    return gamma * xhat + beta, momentum * running_mean + (1 - momentum) * mu, \
        momentum * running_var + (1 - momentum) * var


# mutant: real-bnf-hinton-running-std
# source: hmchen47/DataScience ML/MLNN-Hinton/src/batchnorm_forward.py: s = np.std(x, axis=0)
# (no eps), out = gamma * (x - m) / s + beta, and a running STANDARD DEVIATION
# (running_std = momentum * running_std + (1 - momentum) * s) used as the test-time divisor.
# Put in the contract's running_var slot, it averages std, not var, and drops eps.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        m = np.mean(x, axis=0)
        s = np.std(x, axis=0)
        out = gamma * (x - m) / s + beta
        running_mean = momentum * running_mean + (1 - momentum) * m
        running_var = momentum * running_var + (1 - momentum) * s
    else:
        out = gamma * (x - running_mean) / running_var + beta
    return out, running_mean, running_var


# mutant: real-bnf-cs231n-updates-in-place
# source: CS231n batchnorm_forward writes the updated running averages back into the caller's
# bn_param dict ("Store the updated running means back into bn_param", zlotus/cs231n
# assignment2/cs231n/layers.py); the student keeps that habit on the arrays themselves,
# running_mean *= momentum; running_mean += ..., which changes the caller's arrays. The
# contract returns new running statistics and modifies no input.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        sample_mean = x.mean(axis=0)
        sample_var = x.var(axis=0)
        out = gamma * (x - sample_mean) / np.sqrt(sample_var + eps) + beta
        running_mean *= momentum
        running_mean += (1 - momentum) * sample_mean
        running_var *= momentum
        running_var += (1 - momentum) * sample_var
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    return out, running_mean, running_var


# mutant: real-bnf-no-test-branch
# source: hannawong/MLE-interview 编程语言基础/pytorch/BN实现.md MyBN.batch_norm: one code path,
# the batch statistics and the running update always, whatever the mode. With train=False the
# contract normalizes with the running statistics and returns them unchanged.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    x_mean = x.mean(axis=0)
    x_var = x.var(axis=0)
    new_mean = (1 - momentum) * x_mean + momentum * running_mean
    new_var = (1 - momentum) * x_var + momentum * running_var
    x_hat = (x - x_mean) / np.sqrt(x_var + eps)
    return gamma * x_hat + beta, new_mean, new_var


# mutant: real-bnf-cs231n-std-plus-eps
# source: a CS231n assignment 2 batchnorm_forward found by search (code corpus: xscaled =
# (x - np.mean(x, axis=0)) / (np.std(x, axis=0) + eps)): eps added to the standard deviation,
# where the contract adds it to the variance, inside the square root.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    sample_mean = x.mean(axis=0)
    sample_var = x.var(axis=0)
    xscaled = (x - np.mean(x, axis=0)) / (np.std(x, axis=0) + eps)
    out = gamma * xscaled + beta
    return out, momentum * running_mean + (1 - momentum) * sample_mean, \
        momentum * running_var + (1 - momentum) * sample_var


# mutant: real-bnf-cs231n-test-without-eps
# plants: bn-eval-no-eps
# source: several CS231n assignment 2 solutions found by search (code corpus, test mode:
# x = (x - running_mean) / np.sqrt(running_var); out = x * gamma + beta): eps left out at test
# time, where the contract divides by sqrt(running_var + eps) in both modes.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        mu = np.mean(x, axis=0)
        var = np.var(x, axis=0)
        out = gamma * (x - mu) / np.sqrt(var + eps) + beta
        return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var
    x = (x - running_mean) / np.sqrt(running_var)
    out = x * gamma + beta
    return out, running_mean, running_var


# mutant: real-bnf-features-by-batch-layout
# source: a numpy Batchnorm class found by search (code corpus: gamma, beta of shape (size, 1),
# batch_mean = np.mean(x, axis=1).reshape(-1, 1)): written for the (features, batch) layout of
# the Coursera courses. On the contract's (N, D) batch, axis 1 averages each EXAMPLE's features
# (a layer norm), not each feature over the batch.
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    batch_mean = np.mean(x, axis=1).reshape(-1, 1)
    batch_var = np.var(x, axis=1).reshape(-1, 1)
    std = np.sqrt(batch_var + eps)
    xhat = (x - batch_mean) / std
    new_mean = momentum * running_mean + (1 - momentum) * batch_mean.mean()
    new_var = momentum * running_var + (1 - momentum) * batch_var.mean()
    return gamma * xhat + beta, new_mean, new_var


# ----------------------------------------------------------- batchnorm_backward ---

# mutant: real-bnb-hinton-std-without-eps
# source: hmchen47/DataScience ML/MLNN-Hinton/src/batchnorm_forward.py batchnorm_backward: the
# three-term formula with s = np.std(x, axis=0), the forward's divisor there, without eps. The
# contract's forward divides by sqrt(var + eps): with eps = 0.1 the gradient is off.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    m = np.mean(x, axis=0)
    s = np.std(x, axis=0)
    xm = x - m
    dx = gamma / s * dout \
        - gamma / (N * s) * np.sum(dout, axis=0) \
        - gamma / (N * s ** 3) * xm * np.sum(dout * xm, axis=0)
    dgamma = np.sum(dout * xm / s, axis=0)
    dbeta = np.sum(dout, axis=0)
    return dx, dgamma, dbeta


# mutant: real-bnb-kratzert-graph-unbiased
# source: the ddof port of Kratzert's batch norm found by search (var = 1. / (N - ddof) *
# sum(sq), ddof = 1), differentiated through its own graph (dsq = 1. / (N - ddof) * dvar): the
# gradient of a forward that divides the variance by N - 1, not the contract's N.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = dout.shape
    ddof = 1
    mu = 1. / N * np.sum(x, axis=0)
    xmu = x - mu
    var = 1. / (N - ddof) * np.sum(xmu ** 2, axis=0)
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
    dsq = 1. / (N - ddof) * np.ones((N, D)) * dvar
    dxmu2 = 2 * xmu * dsq
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    return dxmu1 + dxmu2 + 1. / N * np.ones((N, D)) * dmu, dgamma, dbeta


# mutant: real-bnb-cs231n-layernorm-reused
# source: CS231n assignment 2's layernorm_backward (the same graph with the statistics over
# each example, axis 1), reused for batch norm: the statistics of x_hat taken per example.
# Batch normalization's statistics are per feature over the batch, axis 0.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    D = x.shape[1]
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx_hat = dout * gamma
    dx = (1. / D) / std * (D * dx_hat - np.sum(dx_hat, axis=1, keepdims=True)
                           - x_hat * np.sum(dx_hat * x_hat, axis=1, keepdims=True))
    return dx, dgamma, dbeta


# mutant: real-bnb-coursera-one-over-m
# source: Coursera Deep Learning Specialization, "Building your Deep Neural Network: Step by
# Step", linear_backward: dW = 1./m * dZ A_prev.T, db = 1./m * np.sum(dZ); the student keeps
# the 1/m habit for dgamma and dbeta. Here dout is already the gradient of the loss: dgamma and
# dbeta are SUMS over the batch.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    m = dout.shape[0]
    mu = np.mean(x, axis=0)
    var = np.mean((x - mu) ** 2, axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    dx_hat = dout * gamma
    dx = (1. / m) / np.sqrt(var + eps) * (m * dx_hat - np.sum(dx_hat, axis=0)
                                          - x_hat * np.sum(dx_hat * x_hat, axis=0))
    dgamma = 1. / m * np.sum(dout * x_hat, axis=0)
    dbeta = 1. / m * np.sum(dout, axis=0)
    return dx, dgamma, dbeta


# mutant: real-bnb-affine-style-constant-stats
# plants: bnb-ignores-statistics
# source: CS231n's affine_backward pattern applied to batch norm (x_hat treated as a fixed
# scaling of x, dx = dout * gamma / std), the test-mode gradient that the assignment's
# batchnorm_backward exists to avoid: in training mu and var depend on every x of the column.
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mean = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mean) / std
    dx = dout * gamma / std
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = np.sum(dout, axis=0)
    return dx, dgamma, dbeta


# ------------------------------------------------------- dropout_forward_scaled ---

# mutant: real-dof-cs231n-inverted
# source: CS231n assignment 2 dropout_forward (inverted dropout): mask = (np.random.rand(*x.shape)
# < p) / p with p the KEEP probability, out = x at test time; adapted to the contract's drop
# probability and generator. The original dropout keeps the kept values unchanged in training
# and scales by (1 - p) at test time. (It keeps where the draw is < 1 - p, not >= p as the
# reference draws, so no hint, which compares masks drawn the reference's way, names it.)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    keep = 1 - p
    mask = rng.random(x.shape) < keep
    return (x * mask / keep).astype(x.dtype), mask


# mutant: real-dof-zlotus-p-as-keep
# plants: dropout-keeps-p
# source: zlotus/cs231n assignment2/cs231n/layers.py dropout_forward: the docstring says "We
# drop each neuron output with probability p" and the code keeps where np.random.rand < p.
# The student keeps the code's comparison: an element is KEPT with probability p, where the
# contract drops it with probability p.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) < p
    return x * mask, mask


# mutant: real-dof-srivastava-test-times-p
# plants: dropout-test-scaled-by-p
# source: Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
# Overfitting" (JMLR 2014), where p is the RETAIN probability and "the outgoing weights are
# multiplied by p at test time"; with the contract's drop probability the test output must be
# x * (1 - p).
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * p, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: real-dof-cs231n-global-random
# source: CS231n assignment 2 dropout_forward: if 'seed' in dropout_param:
# np.random.seed(...); mask from np.random.rand(*x.shape). The student ignores rng and draws
# from numpy's global state, so two generators with the same seed give different masks; the
# contract draws from rng.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = np.random.rand(*x.shape) >= p
    return x * mask, mask


# mutant: real-dof-epynn-standard-normal
# source: Synthasoft EpyNN nnlibs/dropout/forward.py (an early version): D =
# layer.np_rng.standard_normal(shape); D = (D < keep). A normal draw below keep happens with
# probability Phi(keep), not keep: with p = 0.5 about 69% of the elements are kept.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    k = 1 - p
    if not train:
        return x * k, None
    D = rng.standard_normal(x.shape)
    D = D < k
    return x * D, D


# mutant: real-dof-coursera-astype-int
# source: Coursera Deep Learning Specialization, forward_propagation_with_dropout as many
# learners write it (community.deeplearning.ai/t/dropout-regularization-programming-exercise-
# issue/86951: X = (X < keep_prob).astype(int)). The integer mask is
# no boolean mask, and x * an int64 array turns float32 into float64; the contract's mask is
# boolean and the output keeps x's dtype.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    keep_prob = 1 - p
    if not train:
        return x * keep_prob, None
    D1 = (rng.random(x.shape) < keep_prob).astype(int)
    return x * D1, D1


# mutant: real-dof-coursera-mask-per-unit
# source: the Coursera Deep Learning Specialization forum, community.deeplearning.ai/t/
# implementing-dropout-regularization/127785: d3 = np.random.rand(a3.shape[0], 1), one draw per
# neuron broadcast over the batch. In the contract's (N, D) layout that is one draw per column:
# every example of the batch loses the same features, where each ELEMENT is dropped
# independently.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    keep_prob = 1 - p
    if not train:
        return x * keep_prob, None
    d = rng.random((1, x.shape[1])) < keep_prob
    mask = np.broadcast_to(d, x.shape).copy()
    return x * mask, mask


# mutant: real-dof-keras-rate-up-to-one
# source: Keras 3 keras/src/layers/regularization/dropout.py Dropout.__init__: if not
# 0 <= rate <= 1: raise ValueError; a rate of 1 is accepted. The contract raises unless
# 0 <= p < 1: p = 1 keeps nothing and scales the test output to 0.
def dropout_forward_scaled(x, p, rng, train=True):
    rate = p
    if not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                         f"Received: rate={rate}")
    if not train:
        return x * (1 - rate), None
    mask = rng.random(x.shape) >= rate
    return x * mask, mask


# mutant: real-dof-d2l-assert
# source: d2l.ai "Dropout" from scratch, dropout_layer: assert 0 <= dropout <= 1. An assert
# raises AssertionError, not the contract's ValueError, and lets p = 1 through.
def dropout_forward_scaled(x, p, rng, train=True):
    assert 0 <= p <= 1
    if not train:
        return x * (1.0 - p), None
    mask = rng.random(x.shape) > p
    return x * mask, mask


# mutant: real-dof-cs231n-test-identity
# plants: dropout-test-unscaled
# source: CS231n assignment 2 dropout_forward's test branch, out = x (right for inverted
# dropout), kept with the original dropout's training branch: the test output is then not the
# expected training output (1 - p) x.
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if train:
        mask = rng.random(x.shape) >= p
        return x * mask, mask
    return x, None


# ------------------------------------------------------ dropout_backward_scaled ---

# mutant: real-dob-cs231n-test-branch
# plants: dropout-back-unmasked
# source: CS231n assignment 2 dropout_backward: elif mode == 'test': dx = dout. The student
# returns that branch for every call; in training a dropped element did not reach the output
# and its gradient is 0.
def dropout_backward_scaled(dout, mask):
    dx = dout
    return dx


# mutant: real-dob-cs231n-relu-in-place
# source: CS231n relu_backward as many solutions write it (dout[x <= 0] = 0; dx = dout, found
# by search in several assignment-2 layers.py): the dropped elements zeroed IN dout, the
# caller's array. The values are right; the contract modifies no input.
def dropout_backward_scaled(dout, mask):
    dout[~mask] = 0
    dx = dout
    return dx


# mutant: real-dob-coursera-int-mask
# source: Coursera Deep Learning Specialization, backward_propagation_with_dropout with the
# integer mask of D1 = (... < keep_prob).astype(int): dA1 = dA1 * D1. float32 times int64 is
# float64; the contract keeps dout's dtype.
def dropout_backward_scaled(dout, mask):
    D = mask.astype(int)
    return dout * D


# mutant: real-dob-drop-mask-convention
# plants: dropout-back-mask-inverted
# source: from-scratch dropout layers that keep the DROPPED positions (mask = np.random.rand(...)
# < p; out[mask] = 0, as PyTorch's masked_fill idiom does) and in backward zero where the mask
# is True. The contract's mask is True where the element was KEPT.
def dropout_backward_scaled(dout, mask):
    dx = dout.copy()
    dx[mask] = 0
    return dx


# --------------------------------------------------------------- maxout_forward ---

# mutant: real-mof-gan-view-piece-major
# plants: maxout-reshape-order
# source: minhrongcon2000/gan_experiment utils/maxout.py: self.linear(X).view(-1, num_piece,
# num_unit).max(dim=1), a piece-major view. The student flattens the contract's W (D, H, k) in
# C order, which is unit-major (unit h's pieces are columns h*k .. h*k + k - 1), then views it
# piece-major: the maximum runs over columns of different units.
def maxout_forward(x, W, b):
    D, H, k = W.shape
    linear = x @ W.reshape(D, H * k) + b.reshape(H * k)
    return linear.reshape(-1, k, H).max(axis=1)


# mutant: real-mof-max-dim-one
# plants: maxout-wrong-axis
# source: minhrongcon2000/gan_experiment utils/maxout.py's .max(dim=1), kept on the contract's
# z of shape (N, H, k): axis 1 is the units there, so the maximum runs over the H units of each
# piece and the output is (N, k), not (N, H).
def maxout_forward(x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.max(axis=1)


# mutant: real-mof-pylearn2-min-zero
# source: lisa-lab/pylearn2 pylearn2/models/maxout.py Maxout.fprop with min_zero=True: p = 0.
# before the loop over pieces, so the unit is max(0, pieces): a maxout unit followed by a
# ReLU. The contract's maxout is the maximum of its pieces alone, negative or not.
def maxout_forward(x, W, b):
    D, H, k = W.shape
    z = x.dot(W.reshape(D, H * k)) + b.reshape(H * k)
    p = 0.
    for i in range(k):
        cur = z[:, i::k]
        p = np.maximum(cur, p)
    return p


# mutant: real-mof-lightcnn-mfm-halves
# plants: maxout-wrong-axis
# source: AlfredXiangWu/LightCNN light_cnn.py mfm: x = self.filter(x); out = torch.split(x,
# self.out_channels, 1); return torch.max(out[0], out[1]), two pieces as the two halves of the
# flat output. On the contract's W flattened in C order the halves are units 0..H/2 and the
# rest, not the two pieces of each unit, and k is taken to be 2 (with H = 2 it is the maximum over
# the units, piece by piece).
def maxout_forward(x, W, b):
    D, H, k = W.shape
    z = x @ W.reshape(D, H * k) + b.reshape(H * k)
    half = z.shape[1] // 2
    out = np.split(z[:, :2 * half], 2, axis=1)
    return np.maximum(out[0], out[1])


# mutant: real-mof-keras1-bias-reshaped
# source: Keras 1.x keras/layers/core.py MaxoutDense (W of shape (nb_feature, input_dim,
# output_dim), b of shape (nb_feature, output_dim), K.max(K.dot(X, W) + b, axis=1)); the student
# moves W to that layout with a transpose but the bias with a reshape, which pairs each bias
# with the wrong piece and unit.
def maxout_forward(x, W, b):
    D, H, k = W.shape
    Wk = np.transpose(W, (2, 0, 1))
    bk = b.reshape(k, H)
    return np.max(np.dot(x, Wk) + bk, axis=1)


# -------------------------------------------------------------- maxout_backward ---

# mutant: real-mob-cs231n-maxpool-every-tie
# plants: maxoutb-every-tie
# source: CS231n max_pool_backward_naive as Clarence-G/learngit cs231n/assignment2/max-pool.py
# writes it (dx[window] = (window == m) * dout), applied to the k pieces of each unit: on a tie
# every maximal piece gets the gradient; the contract sends it to the first one, as np.argmax.
def maxout_backward(dout, x, W, b):
    N, D = x.shape
    _, H, k = W.shape
    dx, dW, db = np.zeros((N, D)), np.zeros((D, H, k)), np.zeros((H, k))
    for n in range(N):
        for h in range(H):
            window = x[n] @ W[:, h, :] + b[h]
            m = np.max(window)
            dz = (window == m) * dout[n, h]
            dx[n] += W[:, h, :] @ dz
            dW[:, h, :] += np.outer(x[n], dz)
            db[h] += dz
    return dx, dW, db


# mutant: real-mob-theano-max-grad
# plants: maxoutb-every-tie
# source: Keras 1.x MaxoutDense on Theano, K.max(..., axis=1), whose gradient (Theano's
# MaxAndArgmax.grad: eq(x, max) * g) reaches every element equal to the maximum: on a tie
# every maximal piece gets the whole gradient. The contract sends it to the first one.
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dz = (z == z.max(axis=2, keepdims=True)) * dout[:, :, None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: real-mob-tf-reduce-max-split
# source: TensorFlow's gradient of reduce_max (tensorflow/python/ops/math_grad.py
# _MinOrMaxGrad: indicators = equal(y, x), num_selected = reduce_sum(indicators), the gradient
# divided by num_selected): on a tie the gradient is SPLIT among the maximal pieces. The
# contract gives it whole to the first one.
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    indicators = (z == z.max(axis=2, keepdims=True)).astype(np.float64)
    num_selected = indicators.sum(axis=2, keepdims=True)
    dz = indicators / num_selected * dout[:, :, None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: real-mob-coursera-one-over-m
# source: Coursera Deep Learning Specialization, "Building your Deep Neural Network: Step by
# Step", linear_backward: dW = 1./m * np.dot(dZ, A_prev.T), db = 1./m * np.sum(dZ, ...) (the
# cost there is a mean). The student keeps the 1/m after the maxout's argmax routing; dout is
# already the gradient of the loss, so dW and db are sums over the batch.
def maxout_backward(dout, x, W, b):
    m = x.shape[0]
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dZ = np.zeros_like(z)
    np.put_along_axis(dZ, z.argmax(axis=2)[:, :, None], dout[:, :, None], axis=2)
    dW = 1. / m * np.einsum("nd,nhk->dhk", x, dZ)
    db = 1. / m * np.sum(dZ, axis=0)
    dx = np.einsum("nhk,dhk->nd", dZ, W)
    return dx, dW, db


# mutant: real-mob-gan-piece-major-routing
# source: minhrongcon2000/gan_experiment utils/maxout.py's piece-major view (linear(X).view(-1,
# num_piece, num_unit)) carried into the backward pass: the winning piece j of unit h is taken
# to be flat column j * H + h, while the contract's W flattened in C order puts it at h * k + j,
# so the gradient reaches other units' weights.
def maxout_backward(dout, x, W, b):
    N = x.shape[0]
    D, H, k = W.shape
    W_flat = W.reshape(D, H * k)
    linear = x @ W_flat + b.reshape(H * k)
    winner = linear.reshape(N, k, H).argmax(axis=1)
    dlinear = np.zeros((N, H * k))
    dlinear[np.arange(N)[:, None], winner * H + np.arange(H)] = dout
    return dlinear @ W_flat.T, (x.T @ dlinear).reshape(D, H, k), dlinear.sum(axis=0).reshape(H, k)


# ------------------------------------------------------------------- l2_penalty ---

# mutant: real-l2-keras-regularizer-no-half
# source: Keras keras/regularizers.py L2.__call__: self.l2 * sum(square(x)), no 1/2; its
# gradient by autodiff is 2 * l2 * x. The contract's penalty is (lam / 2) * sum W^2 with
# gradient lam * W: both outputs are doubled.
def l2_penalty(params, lam):
    penalty = 0.0
    grads = {}
    for key, w in params.items():
        if key.startswith("W"):
            penalty += lam * np.sum(np.square(w))
            grads[key] = 2 * lam * w
        else:
            grads[key] = np.zeros_like(w)
    return penalty, grads


# mutant: real-l2-pylearn2-weight-decay
# plants: l2-no-half
# source: lisa-lab/pylearn2 pylearn2/models/maxout.py Maxout.get_weight_decay: coeff *
# T.sqr(W).sum(), no 1/2; the student writes the lecture's gradient lam * W beside it. The
# penalty is twice the contract's (lam / 2) * sum W^2.
def l2_penalty(params, lam):
    coeff = lam
    penalty = sum(coeff * np.square(W).sum() for key, W in params.items() if key.startswith("W"))
    grads = {key: (coeff * W if key.startswith("W") else np.zeros_like(W)) for key, W in params.items()}
    return float(penalty), grads


# mutant: real-l2-torch-weight-decay-every-parameter
# plants: l2-biases-too
# source: PyTorch torch.optim.SGD(weight_decay=...), which adds weight_decay * p to the gradient
# of EVERY parameter it is given, biases included (hence the usual "no_decay" parameter groups).
# The contract decays the weight matrices only, the keys that start with "W".
def l2_penalty(params, lam):
    penalty = 0.0
    grads = {}
    for name, p in params.items():
        penalty += 0.5 * lam * np.sum(p * p)
        grads[name] = lam * p
    return penalty, grads


# mutant: real-l2-holberton-norm-not-squared
# source: Holberton l2_reg_cost solutions (code corpus: W_sum += np.linalg.norm(weights['W' +
# str(i)]), then cost + lambtha / (2 * m) * W_sum): the Frobenius norm, not its square, summed.
# The contract sums the squared entries.
def l2_penalty(params, lam):
    W_sum = 0
    for key in params:
        if key.startswith("W"):
            W_sum += np.linalg.norm(params[key])
    grads = {key: lam * v if key.startswith("W") else np.zeros_like(v) for key, v in params.items()}
    return lam / 2 * W_sum, grads


# mutant: real-l2-coursera-numbered-layers
# source: Coursera Deep Learning Specialization, L = len(parameters) // 2 and for l in
# range(1, L + 1): parameters["W" + str(l)] (compute_cost with L2 in the "Step by Step" style,
# as the Holberton l2_reg_cost peers loop too). It assumes the keys are W1, b1, W2, b2 ...; the
# contract decays every key that starts with "W" ("W", "Wout" too) whatever the others are.
def l2_penalty(params, lam):
    L = len(params) // 2
    total = 0.0
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    for l in range(1, L + 1):
        W = params["W" + str(l)]
        total += np.sum(np.square(W))
        grads["W" + str(l)] = lam * W
    return lam / 2 * total, grads


# mutant: real-l2-w-anywhere-in-key
# plants: l2-contains-w
# source: the `if 'W' in k:` test of weights in from-scratch gradient checkers found by search
# (code corpus, "This is for calculating the gradient for the weight"), used to pick the decayed
# keys: "bW" contains a W and is penalized. A weight's key STARTS with "W".
def l2_penalty(params, lam):
    penalty = 0.0
    grads = {}
    for k, v in params.items():
        if 'W' in k:
            penalty += 0.5 * lam * np.sum(v ** 2)
            grads[k] = lam * v
        else:
            grads[k] = np.zeros_like(v)
    return penalty, grads


# mutant: real-l2-torch-weight-names
# plants: l2-lowercase-w
# source: PyTorch's named_parameters() habit, decaying the parameters whose name holds "weight"
# (the no_decay = ["bias", ...] groups of the transformers examples, kept the other way round):
# adapted to this dict as key.lower().startswith("w"), which takes "weights" for a weight
# matrix. Only keys that start with a capital "W" are weights.
def l2_penalty(params, lam):
    decay = [name for name in params if name.lower().startswith("w")]
    penalty = 0.5 * lam * sum(np.sum(params[name] ** 2) for name in decay)
    grads = {name: lam * p if name in decay else np.zeros_like(p) for name, p in params.items()}
    return float(penalty), grads


# --------------------------------------------------------------- early_stopping ---

# mutant: real-es-keras1-wait-checked-first
# plants: es-patience-off-by-one
# source: Keras 1.x keras/callbacks.py EarlyStopping.on_epoch_end: without an improvement,
# if self.wait >= self.patience: stop; THEN self.wait += 1. Training stops one epoch after the
# patience-th epoch without improvement; the contract stops at that epoch.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    best, wait, best_epoch = np.inf, 0, 0
    for epoch, current in enumerate(val_losses):
        if np.less(current, best):
            best, wait, best_epoch = current, 0, epoch
        else:
            if wait >= patience:
                return best_epoch, epoch
            wait += 1
    return best_epoch, len(val_losses) - 1


# mutant: real-es-pytorchtools-ties-improve
# plants: es-ties-improve
# source: Bjarten/early-stopping-pytorch pytorchtools.py EarlyStopping.__call__ (and its copies,
# e.g. CS-433/ml-project-2-teamsas src/early_stopping.py): score = -val_loss; if score <
# best_score + delta: counter += 1 ... else: best_score = score, counter = 0. With delta 0 a
# TIE resets the counter and becomes the best; the contract's improvement is strict.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    best_score, counter, delta, best_epoch = None, 0, 0, 0
    for epoch, val_loss in enumerate(val_losses):
        score = -val_loss
        if best_score is None:
            best_score, best_epoch = score, epoch
        elif score < best_score + delta:
            counter += 1
            if counter >= patience:
                return best_epoch, epoch
        else:
            best_score, best_epoch, counter = score, epoch, 0
    return best_epoch, len(val_losses) - 1


# mutant: real-es-keras-callback-previous-loss
# plants: es-compare-previous
# source: a Keras callback found by search (code corpus: if current_loss >= self.prev_loss:
# self.wait += 1 ... else: self.wait = 0; self.prev_loss = current_loss): each loss compared
# with the PREVIOUS epoch's, not with the best so far, so a rebound below a worse loss counts as
# an improvement.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    prev_loss, wait, stop = None, 0, len(val_losses) - 1
    for epoch, current_loss in enumerate(val_losses):
        if prev_loss is not None:
            if current_loss >= prev_loss:
                wait += 1
                if wait >= patience:
                    stop = epoch
                    break
            else:
                wait = 0
        prev_loss = current_loss
    return int(np.argmin(val_losses[:stop + 1])), stop


# mutant: real-es-img2mol-min-loss-1e5
# source: pratyanshupandey/img2mol early_stopping.py: self.min_loss = 1e5 instead of infinity.
# A first loss at or above 1e5 is then no improvement, where the contract's best starts at
# +infinity so that epoch 0 always improves.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    min_loss, current_count, best_epoch = 1e5, 0, 0
    for epoch, val_loss in enumerate(val_losses):
        if val_loss < min_loss:
            current_count, min_loss, best_epoch = 0, val_loss, epoch
        else:
            current_count += 1
        if current_count >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: real-es-dohlee-default-delta
# source: dohlee/deeplearning-earlystopping earlystopping.py: EarlyStopping(patience=5,
# delta=1e-2), an improvement only when loss < best - delta. Kept at its default, a loss that
# beats the best by less than 0.01 is no improvement; the contract has no min_delta.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    delta, best, counter, best_epoch = 1e-2, np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - delta:
            best, counter, best_epoch = loss, 0, epoch
        else:
            counter += 1
        if counter >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: real-es-sklearn-count-exceeds
# source: scikit-learn sklearn/neural_network/_multilayer_perceptron.py: in
# _update_no_improvement_count, if loss > best_loss_ - tol: count += 1 else: count = 0, then in
# the loop if self._no_improvement_count > self.n_iter_no_change: stop (tol taken as 0 here).
# `>` waits one epoch more than the contract's patience, and a tie resets the count.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    tol, best_loss, no_improvement_count, best_epoch = 0.0, np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss > best_loss - tol:
            no_improvement_count += 1
        else:
            no_improvement_count = 0
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        if no_improvement_count > patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


# mutant: real-es-history-argmin
# plants: es-best-after-stop
# source: the Keras habit best_epoch = np.argmin(history.history['val_loss']) (right there: the
# history holds only the epochs that ran); here the student takes the argmin of every loss
# given, including epochs after the stop that training never saw.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    best, wait, stop = np.inf, 0, len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait >= patience:
                stop = epoch
                break
    return int(np.argmin(val_losses)), stop


# mutant: real-es-window-strictly-greater
# source: a training loop found by search (code corpus: if epoch > patience: min_loss =
# min(val_losses); if min(val_losses[-patience:]) > min_loss: break): the window stops
# training only when its best is strictly worse than the best before it, so a loss that TIES
# the best counts as an improvement; the contract's improvement is strict.
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    losses = list(val_losses)
    if not losses:
        raise ValueError("val_losses is empty")
    stop = len(losses) - 1
    for epoch in range(len(losses)):
        seen = losses[:epoch + 1]
        if len(seen) > patience:
            min_loss = min(seen)
            if min(seen[-patience:]) > min_loss:
                stop = epoch
                break
    return int(np.argmin(losses[:stop + 1])), stop


# mutant: real-es-isinstance-int-accepts-true
# source: the parameter checks found by search (code corpus: if not isinstance(patience, int)
# or patience < 1: raise ValueError(...)): bool is a subclass of int, so patience=True passes
# as 1. The contract raises ValueError for True.
def early_stopping(val_losses, patience):
    if not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an integer >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    best, wait, best_epoch = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, wait, best_epoch = loss, 0, epoch
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
