"""A second, independently written catalogue of hw4 mistakes, for review.

Written from issue 14's contract alone, by a reviewer who had not seen hw4's reference, grader,
first catalogue or known mistakes (solutions/hw4/mistakes.py); the lead added the `# plants:`
lines afterwards, where the grader's hint fits the mistake (39 of them, each hint read against
the entry). Each entry has one bug that the
contract forbids; its first comment line says where the mistake comes from (recalled from those
courses, libraries and forums, not linked to a thread), the next why it is wrong by the contract.
Entries call the homework's other functions by their contract names (the reference's are
installed) and define no helper of their own.

Not mutants, because the contract allows them (most are in review_alternatives.py):
- batchnorm at test time returning the very same running arrays or copies of them (the contract
  says either); the running averages written r + (1 - momentum) (stat - r); var as E[x^2] - mu^2
  (exact enough on the contract's inputs, whose offsets are small relative to the spread);
  computing in np.longdouble and casting back to float64;
- batchnorm's backward in any exact form: CS231n's compact one, the staged computational graph,
  the textbook dmu without dvar * mean(-2 (x - mu)) (that term is exactly 0), a per-feature
  Jacobian;
- dropout's keep mask as rng.random >= p, rng.random < 1 - p, rng.uniform or rng.binomial(1, p) == 0
  (the same law, another draw: the contract does not pin the draw); the output by x * mask,
  np.where(mask, x, 0) or a copy with the dropped entries zeroed; float64 inside, cast back;
  a nan check by p != p, math.isnan or a comparison chain that is False for nan;
- maxout with the winner found by np.argmax, a strict > loop, put_along_axis, np.add.at scatters
  or one-hot rows of np.eye(k) (float64 inputs, so no upcast);
- l2_penalty's penalty as a Python float or a numpy float scalar; its gradients as new arrays in a
  new dict; np.vdot, the squared Frobenius norm or math.fsum for the sum of squares;
- early_stopping stopping at i - best_epoch == patience (the same count), seeding the best with
  epoch 0's loss and looping from 1, a vectorized form over np.minimum.accumulate, best_epoch as a
  numpy integer; Keras' EarlyStopping is no source of a mutant here: its rule (wait >= patience,
  np.less with min_delta = 0, best starting at +inf) is the contract's; only the 1-based epoch it
  prints is (review-es-one-based-stop).
Left out as arguable:
- batchnorm computed in float32 and cast back to float64: a real loss of precision (about 1e-7
  relative), yet whether the grader's tolerance should catch it is a choice of tolerance;
- a keep mask drawn as rng.random(shape, dtype=np.float32) >= p: the keep probability is off by
  less than 2^-24, invisible to any statistic;
- dropout drawing from rng at test time too (the generator advances; the contract does not say);
  dropout at p = 0 returning x itself at test time (x * 1.0 is equal);
- l2_penalty returning W itself as the gradient when lam == 1 (equal values, but aliased to the
  input: not a modification, so the contract does not forbid it);
- early_stopping given a numpy integer patience (np.int64(2)): "an int" may or may not include it;
  the alternatives differ on purpose (review-alt-es-since-best and review-alt-es-operator-index
  accept it, the others raise ValueError), so the grader should not judge that input;
- a penalty returned as a 0-d array (np.asarray(np.sum(...))), as in hw3;
- l2_penalty's zeros for a non-weight parameter made as np.zeros(v.shape) (float64) rather than of
  the parameter's dtype (the lead took this mutant out: the contract makes weight decay's float
  arrays float64, so only a non-float parameter, an integer step counter, could tell them apart).
Mutants that only some inputs catch, which the grader must therefore use: a momentum other than
0.5 (review-bnf-torch-momentum-convention); a drop probability other than 0.5
(review-dfs-keep-probability-p, review-dfs-test-times-p; review-dfs-mask-true-dropped too, unless
out is checked against the mask: x where True, 0 elsewhere); the wrong defaults
(review-bnf-torch-default-momentum, review-bnf-keras-default-eps: called with the defaults);
the eps ones (review-bnf-eps-outside-sqrt, review-bnf-running-var-with-eps, review-bnf-eval-no-eps,
review-bnb-no-eps: a relative error near eps / var, about 1e-5 at unit spread and nothing at a
spread of 100: a small spread such as 0.01, or a non-default eps such as 1e-3, catches them
clearly); the dtype ones (review-dfs-where-zeros-upcast, review-dfs-test-scale-array-upcast,
review-dbs-float64-mask: float32 inputs); the ValueError clauses (review-dfs-allows-one: p = 1
exactly; review-dfs-negative-allowed: p < 0; review-dfs-nan-passes: nan; review-dfs-check-train-only:
a bad p with train=False; review-es-bool-patience: True; review-es-float-patience and
review-es-int-coerced: 2.5 or 2.0; review-es-patience-zero-allowed: 0; review-es-empty-allowed:
an empty list or array); the statistical ones (review-dfs-mask-per-row and -per-column: a test of
independence across rows and columns; review-dfs-fixed-count: only the spread of the kept count over
several draws, since its keep fraction is exactly 1 - p every time; review-dfs-fresh-generator:
two generators must give different masks, or one generator two different masks;
review-dfs-global-random: the mask must not change with np.random's state, nor use it);
ties (review-mb-last-on-ties, review-mb-all-ties: small-integer maxout inputs; review-es-non-strict,
review-es-best-last-tie, review-es-window-min: a tie with the best loss); review-es-min-delta
(improvements smaller than 1e-4); review-es-best-over-whole-run (a lower loss after the stop);
review-es-never-stop-length (a run that never stops); review-es-sliding-window (a patience larger
than the run);
review-es-truthiness-empty-check, review-es-list-methods and review-es-rounds-array-inplace
(an array of losses, not round to 6 decimals for the last), review-es-array-methods (a list);
review-l2-lowercase-w ("w_out"), review-l2-w-anywhere ("gamma_W"),
review-l2-penalty-overwritten (two or more "W" keys).
"""

import numpy as np  # the reference imports it; the entries below use it


# ---------------------------------------------------- batchnorm_forward ---

# mutant: review-bnf-unbiased-var
# plants: bn-unbiased-var
# source: np.var(x, axis=0, ddof=1) / torch.var's default (unbiased), seen in d2l forum answers
# divides by N - 1: the contract's batch variance is biased (divide by N), for x_hat and the running var
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-torch-running-var-unbiased
# plants: bn-running-var-unbiased
# source: PyTorch's BatchNorm1d (normalizes with the biased variance, stores the unbiased one in running_var)
# new_running_var must blend the biased var, not var * N / (N - 1)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var * n / (n - 1))


# mutant: review-bnf-torch-momentum-convention
# plants: bn-momentum-swapped
# source: PyTorch's BatchNorm (running = (1 - momentum) * running + momentum * batch, momentum=0.1)
# the weights swapped: momentum weighs the batch statistic (caught by any momentum but 0.5)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, (1 - momentum) * running_mean + momentum * mu,
            (1 - momentum) * running_var + momentum * var)


# mutant: review-bnf-torch-default-momentum
# source: PyTorch's BatchNorm1d(momentum=0.1), its default copied with the contract's formula
# the contract's default momentum is 0.9 (caught only by a call that leaves momentum to its default)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.1, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-keras-default-eps
# source: Keras' BatchNormalization(epsilon=1e-3)
# the contract's default eps is 1e-5 (caught only by a call with the default eps; clearest on a small spread)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-3):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-eps-outside-sqrt
# source: CS231n forum posts ((x - mu) / (np.sqrt(var) + eps), as Adam's denominator)
# x_hat must divide by sqrt(var + eps) (a relative error eps / sqrt(var): clearest on a small spread)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / (np.sqrt(var) + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-no-sqrt
# source: Coursera DLS forum (dividing by the variance instead of the standard deviation)
# x_hat = (x - mu) / (var + eps)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / (var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-layernorm-axis
# source: d2l.ai forums (mean and var over axis=1, keepdims=True: layer normalization)
# the statistics must be over the batch (axis 0), per feature
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu.mean(),
            momentum * running_var + (1 - momentum) * var.mean())


# mutant: review-bnf-eval-batch-stats
# plants: bn-eval-batch-stats
# source: CS231n assignment 2 forum posts (the test branch copied from the train branch)
# at test time x must be normalized by the running statistics, not the batch's
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    if not train:
        return gamma * x_hat + beta, running_mean, running_var
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-eval-updates-running
# plants: bn-eval-updates-running
# source: my reasoning (the running averages updated before the branch on train, so at test time too)
# with train=False the running statistics must come back unchanged
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    new_mean = momentum * running_mean + (1 - momentum) * mu
    new_var = momentum * running_var + (1 - momentum) * var
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, new_mean, new_var
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, new_mean, new_var


# mutant: review-bnf-running-inplace
# source: CS231n assignment 2 (bn_param['running_mean'] updated and stored back; here with *= and +=)
# modifies running_mean and running_var (the contract: running statistics are returned, never
# updated in place)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    running_mean *= momentum
    running_mean += (1 - momentum) * mu
    running_var *= momentum
    running_var += (1 - momentum) * var
    return gamma * x_hat + beta, running_mean, running_var


# mutant: review-bnf-centers-x-inplace
# source: my reasoning (x -= mu to save a copy, as in CS231n's memory-saving tips)
# modifies x
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    x -= mu
    var = (x ** 2).mean(axis=0)
    x_hat = x / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-running-std
# source: Coursera DLS forum posts (the running average kept of the standard deviation, as some tutorials do)
# new_running_var must blend the variance, not sqrt(var + eps)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) / std
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * std)


# mutant: review-bnf-running-var-with-eps
# source: my reasoning (var = np.var(x, 0) + eps computed once and reused for the running average)
# new_running_var blends var + eps, not var (off by (1 - momentum) eps: clearest on a small spread)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0) + eps
    x_hat = (x - mu) / np.sqrt(var)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-running-var-not-updated
# source: Coursera DLS forum posts (only the running mean tracked)
# new_running_var is the old one in training
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu, running_var


# mutant: review-bnf-eval-no-eps
# plants: bn-eval-no-eps
# source: my reasoning (running_var is "already smoothed", so the test branch drops eps)
# at test time x_hat divides by sqrt(running_var + eps) (clearest with a small running_var)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-eval-no-affine
# source: CS231n forum posts (the test branch returns x_hat, the scale and shift forgotten)
# at test time out = gamma * x_hat + beta
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return (x - running_mean) / np.sqrt(running_var + eps), running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-gamma-beta-swapped
# plants: bn-affine-swapped
# source: my reasoning (the pair unpacked in the wrong order: beta, gamma = params)
# out = beta * x_hat + gamma
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return beta * x_hat + gamma, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (beta * x_hat + gamma, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-eval-flag-inverted
# source: my reasoning (if train: ... written for the test-time branch, a mode flag read backwards)
# train=True uses the running statistics and train=False the batch's
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean, running_var
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# mutant: review-bnf-eval-none-stats
# source: CS231n assignment 2 habits (the test branch leaves bn_param alone, so "there is nothing to return")
# at test time the running statistics come back unchanged, not as None
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, None, None
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return (gamma * x_hat + beta, momentum * running_mean + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


# --------------------------------------------------- batchnorm_backward ---

# mutant: review-bnb-stats-constant
# plants: bnb-ignores-statistics
# source: CS231n assignment 2's most common batchnorm backward mistake (mu and var treated as constants)
# dx = gamma dout / sqrt(var + eps) ignores how the batch statistics move with x
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * dout / np.sqrt(var + eps), np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-mean-path-only
# plants: bnb-ignores-var
# source: CS231n forum posts (the path through mu kept, the path through var dropped)
# dx misses the term - x_hat * mean(dxhat * x_hat)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv * (dxhat - dxhat.mean(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-var-path-only
# plants: bnb-ignores-mean
# source: my reasoning (the path through mu dropped "because sum(x - mu) = 0", applied to the wrong term)
# dx misses the term - mean(dxhat)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv * (dxhat - x_hat * (dxhat * x_hat).mean(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-no-gamma
# plants: bnb-no-gamma
# source: CS231n forum posts (the compact formula written with dout where it needs dxhat = gamma dout)
# dx misses the factor gamma
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dx = inv / n * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dgamma-is-dbeta
# source: my reasoning (the dbeta line copied for dgamma)
# dgamma = sum of dout, not of dout * x_hat
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dgamma-uses-x
# plants: bnb-dgamma-of-x
# source: Coursera DLS forum posts (dgamma = sum(dout * x), the layer input taken for x_hat)
# dgamma must be sum(dout * x_hat)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dbeta-mean
# plants: bnb-dbeta-mean
# source: my reasoning (the loss is a mean over the batch, so "the gradients are averaged too")
# dbeta = mean of dout: N times too small
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.mean(dout, axis=0)


# mutant: review-bnb-keepdims
# source: Coursera DLS (db = np.sum(dZ, axis=1, keepdims=True), kept for every parameter gradient)
# dgamma and dbeta of shape (1, D), not (D,)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0, keepdims=True), np.sum(dout, axis=0, keepdims=True)


# mutant: review-bnb-unbiased-backward
# plants: bnb-unbiased-var
# source: PyTorch habit (x.var() unbiased) carried into a hand-written backward
# the statistics recomputed with ddof=1: not the gradient of the contract's (biased) forward
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dvar-exponent
# source: CS231n forum posts (d/dvar of (var + eps)^(-1/2) written -0.5 (var + eps)^(-1/2))
# the staged backward with the exponent -1/2 where it is -3/2
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    xc = x - mu
    x_hat = xc / np.sqrt(var + eps)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -0.5
    dmu = np.sum(-dxhat / np.sqrt(var + eps), axis=0) + dvar * np.mean(-2 * xc, axis=0)
    dx = dxhat / np.sqrt(var + eps) + dvar * 2 * xc / n + dmu / n
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dvar-factor-two-lost
# source: CS231n forum posts (d var / d x_i = 2 (x_i - mu) / N, the 2 dropped)
# the staged backward with dvar * xc / N
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    xc = x - mu
    x_hat = xc / np.sqrt(var + eps)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = np.sum(-dxhat / np.sqrt(var + eps), axis=0)
    dx = dxhat / np.sqrt(var + eps) + dvar * xc / n + dmu / n
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-var-term-sign
# source: my reasoning (the compact formula's last term added instead of subtracted)
# dx = inv / N (N dxhat - sum dxhat + x_hat sum(dxhat x_hat))
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) + x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-no-eps
# source: my reasoning (the backward's 1 / sqrt(var) written without eps, "it only guards a division")
# not the gradient of the forward with eps (a relative error about eps / (2 var): clearest on a small spread)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dout-inplace
# source: CS231n memory tips (dout -= dout.mean(axis=0), centering the upstream gradient in place)
# modifies dout
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dout *= gamma
    dout -= dout.mean(axis=0) + x_hat * (dout * x_hat).mean(axis=0)
    return inv * dout, dgamma, dbeta


# mutant: review-bnb-sum-over-features
# source: my reasoning (axis=1 in the sums, as for a row-wise softmax's backward)
# the statistics' terms summed over the features instead of the batch
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=1, keepdims=True)
                    - x_hat * (dxhat * x_hat).sum(axis=1, keepdims=True))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


# mutant: review-bnb-dgamma-dbeta-swapped
# source: my reasoning (return dx, dbeta, dgamma: the forward's order, gamma before beta, lost)
# the contract returns (dx, dgamma, dbeta)
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - x_hat * (dxhat * x_hat).sum(axis=0))
    return dx, np.sum(dout, axis=0), np.sum(dout * x_hat, axis=0)


# ----------------------------------------------- dropout_forward_scaled ---

# mutant: review-dfs-inverted
# source: hw1 and CS231n's inverted dropout (kept elements scaled by 1 / (1 - p))
# the kept elements must pass unchanged in training
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


# mutant: review-dfs-inverted-test-identity
# plants: dropout-test-unscaled
# source: CS231n and Keras (inverted dropout's test time does nothing)
# at test time every element must be multiplied by (1 - p)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x.copy(), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-test-times-p
# plants: dropout-test-scaled-by-p
# source: Srivastava et al. state the rule with the RETAIN probability p; read with the contract's drop p
# at test time x * (1 - p), not x * p
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * p, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-keep-probability-p
# plants: dropout-keeps-p
# source: Coursera DLS (keep_prob: mask = np.random.rand(...) < keep_prob), with p put in for keep_prob
# each element kept with probability p instead of dropped with it (the keep fraction is p)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) < p
    return x * mask, mask


# mutant: review-dfs-mask-true-dropped
# plants: dropout-mask-dropped
# source: my reasoning (the mask named "dropped", as the contract's p is a drop probability)
# out is right, but the returned mask is True where dropped (the contract: True = kept)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    dropped = rng.random(x.shape) < p
    return np.where(dropped, 0, x), dropped


# mutant: review-dfs-global-random
# source: Coursera DLS (np.random.rand(*A.shape) < keep_prob)
# the mask drawn from np.random's global state, not rng
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = np.random.rand(*x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-fresh-generator
# source: my reasoning (np.random.default_rng() "to be safe", or a fixed seed for reproducibility)
# the mask drawn from a new generator seeded 0, not the one given (the same mask for every rng)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = np.random.default_rng(0).random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-mask-per-column
# source: d2l.ai forums (rng.random(x.shape[1]) >= p: one draw per unit, shared by the batch)
# elements must be dropped independently, not one decision per column
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = np.broadcast_to(rng.random(x.shape[1]) >= p, x.shape).copy()
    return x * mask, mask


# mutant: review-dfs-mask-per-row
# source: my reasoning (rng.random((N, 1)) >= p: one draw per example, as for DropConnect-by-sample)
# elements must be dropped independently, not one decision per row
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = np.broadcast_to(rng.random((x.shape[0], 1)) >= p, x.shape).copy()
    return x * mask, mask


# mutant: review-dfs-fixed-count
# source: my reasoning (exactly round(p * size) elements dropped, by a permutation, "to match p exactly")
# elements are not dropped independently: the kept count never varies (only a test of its spread catches it)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    flat = np.ones(x.size, dtype=bool)
    flat[rng.permutation(x.size)[:int(round(p * x.size))]] = False
    mask = flat.reshape(x.shape)
    return x * mask, mask


# mutant: review-dfs-check-train-only
# source: hw1's dropout habits (the check placed after the test-time return)
# p must be checked in both modes: train=False with p = 1 must raise ValueError
def dropout_forward_scaled(x, p, rng, train=True):
    if not train:
        return x * (1 - p), None
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-allows-one
# source: my reasoning (0 <= p <= 1, "dropping everything is a valid probability")
# p = 1 must raise ValueError
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-negative-allowed
# source: my reasoning (only the upper bound checked: if p >= 1)
# a negative p must raise ValueError
def dropout_forward_scaled(x, p, rng, train=True):
    if p >= 1:
        raise ValueError("p must be below 1")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-nan-passes
# source: my reasoning (the check written as the two failing cases: p < 0 or p >= 1; both are False for nan)
# a nan p must raise ValueError, in both modes
def dropout_forward_scaled(x, p, rng, train=True):
    if p < 0 or p >= 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-assert
# source: CS231n's starter code style (assert 0 <= p < 1)
# an AssertionError, not a ValueError
def dropout_forward_scaled(x, p, rng, train=True):
    assert 0 <= p < 1, "p must be in [0, 1)"
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-float-mask-upcast
# source: Coursera DLS (the mask as a float array: (np.random.rand(...) < keep_prob).astype(float))
# a float32 x gives a float64 out, and the mask is not boolean
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = (rng.random(x.shape) >= p).astype(np.float64)
    return x * mask, mask


# mutant: review-dfs-where-zeros-upcast
# source: my reasoning (np.where(mask, x, np.zeros(x.shape)): the zeros are float64)
# a float32 x gives a float64 out in training (caught only with float32 input)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return np.where(mask, x, np.zeros(x.shape)), mask


# mutant: review-dfs-test-scale-array-upcast
# source: my reasoning (the scale kept as np.array(1 - p): a 0-d float64 array is not a weak scalar)
# a float32 x gives a float64 test output (caught only with float32 input at test time)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * np.array(1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-test-mask-ones
# source: my reasoning (a mask of ones at test time "so that the backward pass still works")
# the test time returns (x * (1 - p), None)
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# mutant: review-dfs-inplace
# source: CS231n memory tips (x *= mask)
# modifies x
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    x *= mask
    return x, mask


# mutant: review-dfs-test-inplace
# source: my reasoning (x *= 1 - p at test time, "the layer's input is not needed after")
# modifies x at test time
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        x *= 1 - p
        return x, None
    mask = rng.random(x.shape) >= p
    return x * mask, mask


# ---------------------------------------------- dropout_backward_scaled ---

# mutant: review-dbs-ignores-mask
# plants: dropout-back-unmasked
# source: my reasoning ("the weights are only scaled at test time, so the gradient passes unchanged")
# the dropped elements must get no gradient
def dropout_backward_scaled(dout, mask):
    return dout.copy()


# mutant: review-dbs-mask-read-as-dropped
# plants: dropout-back-mask-inverted
# source: my reasoning (dout * ~mask, the mask read as True = dropped)
# the gradient flows through the dropped elements instead of the kept ones
def dropout_backward_scaled(dout, mask):
    return dout * ~mask


# mutant: review-dbs-inverted-rescale
# source: hw1's inverted dropout backward (dout * mask / (1 - p)), with 1 - p estimated as mask.mean()
# the kept elements' gradient must pass unchanged, not divided by the keep fraction
def dropout_backward_scaled(dout, mask):
    return dout * mask / mask.mean()


# mutant: review-dbs-float64-mask
# source: Coursera DLS (the mask cast to float before multiplying)
# a float32 dout gives a float64 dx (caught only with float32 input)
def dropout_backward_scaled(dout, mask):
    return dout * mask.astype(np.float64)


# mutant: review-dbs-inplace
# source: CS231n memory tips (dout *= mask)
# modifies dout
def dropout_backward_scaled(dout, mask):
    dout *= mask
    return dout


# ------------------------------------------------------- maxout_forward ---

# mutant: review-mf-min
# source: my reasoning (np.min for np.max, a slip)
# out is the max over the pieces, not the min
def maxout_forward(x, W, b):
    return (np.einsum("nd,dhk->nhk", x, W) + b).min(axis=2)


# mutant: review-mf-no-bias
# plants: maxout-no-bias
# source: my reasoning (b forgotten in z)
# z = x W + b
def maxout_forward(x, W, b):
    return np.einsum("nd,dhk->nhk", x, W).max(axis=2)


# mutant: review-mf-max-over-units
# plants: maxout-wrong-axis
# source: my reasoning (max over axis 1, the axis of H, as the "feature" axis)
# the max must be over the k pieces (axis 2): here out has shape (N, k)
def maxout_forward(x, W, b):
    return (np.einsum("nd,dhk->nhk", x, W) + b).max(axis=1)


# mutant: review-mf-pieces-strided
# plants: maxout-reshape-order
# source: Keras 1's MaxoutDense (W of shape (k, D, H): pieces outermost), read into the contract's W
# x @ W.reshape(D, H * k) regrouped as (N, k, H): the pieces of different units mixed
def maxout_forward(x, W, b):
    D, H, k = W.shape
    z = x @ W.reshape(D, H * k) + b.reshape(H * k)
    return z.reshape(x.shape[0], k, H).max(axis=1)


# mutant: review-mf-relu-floor
# source: my reasoning (maxout read as "ReLU is maxout with a zero piece", and the zero kept)
# out = max(0, max over j of z): negative maxima become 0
def maxout_forward(x, W, b):
    return np.maximum(0, (np.einsum("nd,dhk->nhk", x, W) + b).max(axis=2))


# mutant: review-mf-mean-pieces
# source: my reasoning (the pieces averaged, as average pooling)
# out is the max over the pieces, not their mean
def maxout_forward(x, W, b):
    return (np.einsum("nd,dhk->nhk", x, W) + b).mean(axis=2)


# mutant: review-mf-bias-first-piece
# source: my reasoning (a bias per unit, b[:, 0] added after the max, as a dense layer's)
# each piece has its own bias, added before the max
def maxout_forward(x, W, b):
    return np.einsum("nd,dhk->nhk", x, W).max(axis=2) + b[:, 0]


# ------------------------------------------------------ maxout_backward ---

# mutant: review-mb-last-on-ties
# plants: maxoutb-last-on-ties
# source: my reasoning (a loop keeping the piece with z >= the best so far)
# ties must go to the first j, as np.argmax (caught only on ties: small-integer inputs)
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    idx = k - 1 - np.argmax(z[:, :, ::-1], axis=2)
    dz = (np.arange(k) == idx[..., None]) * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: review-mb-all-ties
# plants: maxoutb-every-tie
# source: CS231n forum posts on max pooling's backward (mask = (z == z.max(...)))
# every tied piece gets the gradient; only the first must (caught only on ties: small-integer inputs)
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    dz = (z == z.max(axis=2, keepdims=True)) * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: review-mb-argmax-without-bias
# source: my reasoning (the winning piece found from x W, b "does not depend on x")
# the piece that is the maximum of z = x W + b, not of x W
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W)
    k = W.shape[2]
    dz = (np.arange(k) == z.argmax(axis=2)[..., None]) * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: review-mb-dx-every-piece
# source: my reasoning (dx = dout @ sum over the pieces of W)
# dx must take only the winning piece's weights
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    dz = (np.arange(k) == z.argmax(axis=2)[..., None]) * dout[..., None]
    return dout @ W.sum(axis=2).T, np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: review-mb-db-unmasked
# source: my reasoning (db = dout summed over the batch, broadcast to every piece, as a dense layer's)
# db[h, j] only gets the examples where piece j wins
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    dz = (np.arange(k) == z.argmax(axis=2)[..., None]) * dout[..., None]
    db = np.repeat(dout.sum(axis=0)[:, None], k, axis=1)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), db


# mutant: review-mb-argmin
# source: my reasoning (the min piece, a slip copied from a min-pooling example)
# the gradient flows through the maximum piece
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    dz = (np.arange(k) == z.argmin(axis=2)[..., None]) * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# mutant: review-mb-fancy-index-no-accumulate
# source: numpy's best-known pitfall (db[h, idx] += dout adds once per repeated index; np.add.at is needed)
# examples that pick the same piece overwrite each other in db instead of adding up
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    N, H = dout.shape
    k = W.shape[2]
    idx = z.argmax(axis=2)
    dz = (np.arange(k) == idx[..., None]) * dout[..., None]
    db = np.zeros_like(b)
    db[np.broadcast_to(np.arange(H), (N, H)), idx] += dout
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), db


# mutant: review-mb-db-mean
# plants: maxoutb-db-mean
# source: my reasoning (gradients averaged over the batch)
# db must sum over the batch: here N times too small
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    dz = (np.arange(k) == z.argmax(axis=2)[..., None]) * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.mean(axis=0)


# mutant: review-mb-dW-no-mask
# source: my reasoning (dW[:, h, j] = x.T @ dout[:, h] for every piece, as a dense layer's)
# dW[:, h, j] only gets the examples where piece j wins
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    k = W.shape[2]
    dz = (np.arange(k) == z.argmax(axis=2)[..., None]) * dout[..., None]
    dW = np.repeat((x.T @ dout)[:, :, None], k, axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), dW, dz.sum(axis=0)


# ----------------------------------------------------------- l2_penalty ---

# mutant: review-l2-no-half
# plants: l2-no-half
# source: Coursera DLS (the L2 cost lambd / (2 m) sum W^2, the 2 lost), and Keras' l2 (no 1/2)
# penalty = lam * sum W^2, not (lam / 2) * sum W^2
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    grads = {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}
    return lam * penalty, grads


# mutant: review-l2-grad-two-lam
# plants: l2-grad-double
# source: Keras' l2 regularizer (loss lam * sum W^2, gradient 2 lam W) mixed with the contract's penalty
# the gradient of (lam / 2) sum W^2 is lam W, not 2 lam W
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    grads = {k: 2 * lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}
    return lam / 2 * penalty, grads


# mutant: review-l2-decays-everything
# plants: l2-biases-too
# source: PyTorch's SGD(weight_decay=...) (every parameter decayed, biases included)
# only the keys that start with "W" are decayed
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for v in params.values())
    return lam / 2 * penalty, {k: lam * v for k, v in params.items()}


# mutant: review-l2-lowercase-w
# plants: l2-lowercase-w
# source: my reasoning (k.lower().startswith("w"), "to be forgiving")
# a key starting with a lowercase "w" is not a weight (caught only with such a key, e.g. "w_out")
def l2_penalty(params, lam):
    is_w = {k: k.lower().startswith("w") for k in params}
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if is_w[k])
    grads = {k: lam * v if is_w[k] else np.zeros_like(v) for k, v in params.items()}
    return lam / 2 * penalty, grads


# mutant: review-l2-w-anywhere
# plants: l2-contains-w
# source: my reasoning ("W" in key)
# only keys that START with "W" are weights (caught only with a key holding a W elsewhere, e.g. "gamma_W")
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if "W" in k)
    grads = {k: lam * v if "W" in k else np.zeros_like(v) for k, v in params.items()}
    return lam / 2 * penalty, grads


# mutant: review-l2-weights-only-in-grads
# plants: l2-missing-keys
# source: CS231n's two-layer net (reg gradients added to grads['W1'] and grads['W2'] only)
# grads must hold every key of params, zeros for the others
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    return lam / 2 * penalty, {k: lam * v for k, v in params.items() if k.startswith("W")}


# mutant: review-l2-scales-params-inplace
# source: my reasoning (grads[k] = params[k]; grads[k] *= lam, an alias, not a copy)
# modifies the weight matrices of params
def l2_penalty(params, lam):
    penalty = 0.0
    grads = {}
    for k, v in params.items():
        if k.startswith("W"):
            penalty += float(np.sum(v ** 2))
            grads[k] = v
            grads[k] *= lam
        else:
            grads[k] = np.zeros_like(v)
    return lam / 2 * penalty, grads


# mutant: review-l2-grads-into-params
# source: my reasoning (grads = params, then every entry replaced: the caller's dict rewritten)
# modifies the params dict (its values replaced by the gradients)
def l2_penalty(params, lam):
    penalty = sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    grads = params
    for k in list(grads):
        grads[k] = lam * grads[k] if k.startswith("W") else np.zeros_like(grads[k])
    return lam / 2 * penalty, grads


# mutant: review-l2-penalty-overwritten
# source: my reasoning (penalty = ... inside the loop where += was meant)
# the penalty counts only the last weight matrix (caught with two or more "W" keys)
def l2_penalty(params, lam):
    penalty = 0.0
    grads = {}
    for k, v in params.items():
        if k.startswith("W"):
            penalty = lam / 2 * float(np.sum(v ** 2))
            grads[k] = lam * v
        else:
            grads[k] = np.zeros_like(v)
    return penalty, grads


# mutant: review-l2-norm-not-squared
# source: my reasoning (np.linalg.norm(W) taken for the sum of squares)
# penalty = (lam / 2) * sum of the squares, not of the Frobenius norms
def l2_penalty(params, lam):
    penalty = sum(float(np.linalg.norm(v)) for k, v in params.items() if k.startswith("W"))
    grads = {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}
    return lam / 2 * penalty, grads


# mutant: review-l2-mean-of-squares
# source: my reasoning (np.mean(W ** 2), as for a loss)
# the squares are summed, not averaged
def l2_penalty(params, lam):
    penalty = sum(float(np.mean(v ** 2)) for k, v in params.items() if k.startswith("W"))
    grads = {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}
    return lam / 2 * penalty, grads


# -------------------------------------------------------- early_stopping ---

# mutant: review-es-non-strict
# plants: es-ties-improve
# source: my reasoning (if loss <= best: an equal loss counted as an improvement)
# a tie is no strict improvement: the counter must not reset, and best_epoch is the first of the tied
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss <= best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-one-based-stop
# source: Keras' EarlyStopping ("Epoch 00012: early stopping" prints stopped_epoch + 1)
# stop_epoch is the index of the stopping epoch (0-based)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i + 1
    return best_epoch, len(val_losses) - 1


# mutant: review-es-never-stop-length
# plants: es-never-stops-len
# source: my reasoning (stop = len(val_losses) when the loop ends, "the number of epochs run")
# if training never stops, stop_epoch is len(val_losses) - 1
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses)


# mutant: review-es-wait-greater
# plants: es-patience-off-by-one
# source: my reasoning (if wait > patience: one epoch too many)
# training stops at the epoch that ends `patience` epochs without improvement, not patience + 1
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait > patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-counts-best-epoch
# source: my reasoning (the counter set to 1 at an improvement, "the best epoch is the first of the wait")
# stops after patience - 1 epochs without improvement (with patience 1, at epoch 0)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 1
        else:
            wait += 1
        if wait >= patience:
            return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-best-over-whole-run
# plants: es-best-after-stop
# source: my reasoning (best_epoch = np.argmin(val_losses), over every epoch given)
# best_epoch is the lowest loss among epochs 0..stop_epoch (caught by a lower loss after the stop)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, wait, stop = np.inf, 0, len(val_losses) - 1
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = i
                break
    return int(np.argmin(val_losses)), stop


# mutant: review-es-best-last-tie
# plants: es-best-last-on-ties
# source: my reasoning (len(v) - 1 - np.argmin(v[::-1]), "the latest best checkpoint")
# on ties best_epoch is the first (caught only by a tie for the lowest loss)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, wait, stop = np.inf, 0, len(val_losses) - 1
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = i
                break
    seen = np.asarray(val_losses[:stop + 1], dtype=float)
    return stop - int(np.argmin(seen[::-1])), stop


# mutant: review-es-versus-previous
# plants: es-compare-previous
# source: d2l.ai forum answers (if val_loss > previous_val_loss: counter += 1)
# an improvement is on the best loss so far, not on the previous epoch's loss
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    previous, wait, stop = np.inf, 0, len(val_losses) - 1
    for i, loss in enumerate(val_losses):
        if loss < previous:
            wait = 0
        else:
            wait += 1
            if wait == patience:
                stop = i
                break
        previous = loss
    seen = list(val_losses[:stop + 1])
    return seen.index(min(seen)), stop


# mutant: review-es-counter-not-reset
# plants: es-counter-not-reset
# source: my reasoning (the counter counts every non-improving epoch, never reset)
# the epochs without improvement must be consecutive
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, i
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-epoch0-not-improvement
# source: my reasoning (best = val_losses[0], then the loop from epoch 0: epoch 0 does not beat itself)
# epoch 0 is always an improvement (the best starts at +infinity)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = val_losses[0], 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-min-delta
# source: tutorials' EarlyStopping classes (improvement when loss < best - min_delta, min_delta = 1e-4)
# any strict improvement counts (caught only by improvements smaller than 1e-4)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best - 1e-4:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-bool-patience
# source: my reasoning (isinstance(patience, int), and bool is a subclass of int)
# patience True must raise ValueError
def early_stopping(val_losses, patience):
    if not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-float-patience
# source: my reasoning (only the range checked: if patience < 1)
# patience 2.5 must raise ValueError (here it stops after 3 epochs)
def early_stopping(val_losses, patience):
    if patience < 1:
        raise ValueError("patience must be at least 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait >= patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-type-error
# source: Python's convention (TypeError for a wrong type, ValueError for a wrong value)
# a non-integer patience (2.5, True) must raise ValueError, not TypeError
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int):
        raise TypeError("patience must be an int")
    if patience < 1:
        raise ValueError("patience must be at least 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-int-coerced
# source: my reasoning (patience = int(patience), "to accept 2.0 and 2.5")
# patience 2.5 (and True) must raise ValueError, not be truncated to 2 (and 1)
def early_stopping(val_losses, patience):
    patience = int(patience)
    if patience < 1:
        raise ValueError("patience must be at least 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-patience-zero-allowed
# source: my reasoning (the check written patience < 0, "patience cannot be negative")
# patience 0 must raise ValueError
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
        raise ValueError("patience must be a non-negative int")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-empty-allowed
# source: my reasoning (no check on the losses: an empty run "stops at once")
# an empty val_losses must raise ValueError
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, max(len(val_losses) - 1, 0)


# mutant: review-es-truthiness-empty-check
# source: PEP 8's "if not seq:" for emptiness, which numpy arrays refuse
# a non-empty array of losses raises ValueError (ambiguous truth value), or with one element 0.0
# is taken as empty
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if not val_losses:
        raise ValueError("val_losses must not be empty")
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(val_losses) - 1


# mutant: review-es-list-methods
# source: my reasoning (val_losses.index(min(val_losses[:stop + 1])): list methods only)
# an array of losses has no .index: val_losses may be a list or an array
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, wait, stop = np.inf, 0, len(val_losses) - 1
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = i
                break
    return val_losses.index(min(val_losses[:stop + 1])), stop


# mutant: review-es-window-min
# source: tutorials that stop when min(v[-patience:]) > min(v[:-patience]) (a window of the last epochs)
# a loss equal to the best is no strict improvement, yet here a tie inside the window keeps training going
# (caught only by a tie with the best loss)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    v = list(val_losses)
    for i in range(patience, len(v)):
        if min(v[i - patience + 1:i + 1]) > min(v[:i - patience + 1]):
            seen = v[:i + 1]
            return seen.index(min(seen)), i
    return v.index(min(v)), len(v) - 1


# mutant: review-es-array-methods
# source: my reasoning (val_losses[:stop + 1].argmin(): array methods only)
# a list of losses has no .argmin: val_losses may be a list or an array
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    best, wait, stop = np.inf, 0, len(val_losses) - 1
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = i
                break
    return int(val_losses[:stop + 1].argmin()), stop


# mutant: review-es-rounds-array-inplace
# source: my reasoning (np.round(v, 6, out=v) "so that float noise does not break ties";
# np.asarray does not copy an array)
# modifies an array val_losses (a list is copied by np.asarray, so only an array input shows it)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    v = np.asarray(val_losses, dtype=np.float64)
    if v.size == 0:
        raise ValueError("val_losses must not be empty")
    np.round(v, 6, out=v)
    best, best_epoch, wait = np.inf, 0, 0
    for i, loss in enumerate(v):
        if loss < best:
            best, best_epoch, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(v) - 1


# mutant: review-es-sliding-window
# source: my reasoning (a vectorized form: sliding_window_view over the "no improvement" flags)
# right on every run as long as the patience, but np.lib.stride_tricks.sliding_window_view raises
# ValueError when patience > len(val_losses) (caught only by a patience larger than the run)
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    v = np.asarray(val_losses, dtype=np.float64)
    best_before = np.minimum.accumulate(np.concatenate([[np.inf], v]))[:-1]
    windows = np.lib.stride_tricks.sliding_window_view(v >= best_before, patience)
    full = np.flatnonzero(windows.all(axis=1))
    stop = int(full[0]) + patience - 1 if full.size else len(v) - 1
    return int(np.argmin(v[:stop + 1])), stop
