"""Correct forms of hw4 written in review, from issue 14's contract alone, by a reviewer who had
not seen hw4's reference, grader or first catalogue. Each is right by the contract in another
way than the obvious one, the way a different student would write it; a comment says why where
it is not plain. Entries define no helper at module level (helpers live inside the function), so
none can replace one of the reference's; they call the homework's other functions only by their
contract names.
"""

import numpy as np  # the reference imports it; the entries below use it


# ---------------------------------------------------- batchnorm_forward ---

# alternative: review-alt-bnf-feature-loop
# one feature at a time, with Python floats; eval returns the very same running arrays
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean, running_var
    n, d = x.shape
    out = np.empty_like(x)
    new_mean = np.empty(d)
    new_var = np.empty(d)
    for j in range(d):
        column = x[:, j]
        mu = sum(column) / n
        var = sum((c - mu) ** 2 for c in column) / n
        out[:, j] = gamma[j] * (column - mu) / np.sqrt(var + eps) + beta[j]
        new_mean[j] = momentum * running_mean[j] + (1 - momentum) * mu
        new_var[j] = momentum * running_var[j] + (1 - momentum) * var
    return out, new_mean, new_var


# alternative: review-alt-bnf-moments
# var = E[x^2] - mu^2 (fine here: the contract's inputs have offsets small relative to the spread);
# the running averages written as a step towards the batch statistic
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        mu = np.mean(x, axis=0)
        var = np.mean(x * x, axis=0) - mu * mu
        running_mean = running_mean + (1 - momentum) * (mu - running_mean)
        running_var = running_var + (1 - momentum) * (var - running_var)
    else:
        mu, var = running_mean, running_var
        running_mean, running_var = running_mean.copy(), running_var.copy()
    return gamma * ((x - mu) * (var + eps) ** -0.5) + beta, running_mean, running_var


# alternative: review-alt-bnf-einsum-scale-shift
# the affine map folded into one scale and one shift per feature: out = x * s + (beta - mu * s)
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    n = x.shape[0]
    if train:
        mu = np.einsum("nd->d", x) / n
        xc = x - mu
        var = np.einsum("nd,nd->d", xc, xc) / n
    else:
        mu, var = running_mean, running_var
    s = gamma / np.sqrt(var + eps)
    out = x * s + (beta - mu * s)
    if not train:
        return out, np.array(running_mean), np.array(running_var)
    new_mean = np.add(momentum * running_mean, (1 - momentum) * mu)
    return out, new_mean, momentum * running_var + (1 - momentum) * var


# alternative: review-alt-bnf-np-var-std
# np.var (ddof=0 by default) and np.std; running statistics from np.average with weights
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        return x_hat * gamma + beta, np.copy(running_mean), np.copy(running_var)
    mu = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    x_hat = (x - mu) / np.sqrt(np.std(x, axis=0) ** 2 + eps)
    weights = [momentum, 1 - momentum]
    new_mean = np.average(np.stack([running_mean, mu]), axis=0, weights=weights)
    new_var = np.average(np.stack([running_var, var]), axis=0, weights=weights)
    return x_hat * gamma + beta, new_mean, new_var


# alternative: review-alt-bnf-float-momentum-cast
# hyperparameters cast with float() and the statistics kept in (1, D) rows, flattened at the end
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    momentum, eps = float(momentum), float(eps)
    if train:
        mu = x.mean(axis=0, keepdims=True)
        var = ((x - mu) ** 2).mean(axis=0, keepdims=True)
    else:
        mu, var = running_mean[None, :], running_var[None, :]
    out = gamma[None, :] * (x - mu) / np.sqrt(var + eps) + beta[None, :]
    if not train:
        return out, running_mean, running_var
    return (out, (momentum * running_mean[None, :] + (1 - momentum) * mu).ravel(),
            (momentum * running_var[None, :] + (1 - momentum) * var).ravel())


# alternative: review-alt-bnf-longdouble
# computed in np.longdouble (extended precision where the platform has it) and cast back to float64
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    wide = x.astype(np.longdouble)
    if train:
        mu = wide.mean(axis=0)
        var = ((wide - mu) ** 2).mean(axis=0)
    else:
        mu, var = running_mean.astype(np.longdouble), running_var.astype(np.longdouble)
    out = (gamma * (wide - mu) / np.sqrt(var + eps) + beta).astype(np.float64)
    if not train:
        return out, running_mean, running_var
    new_mean = (momentum * running_mean + (1 - momentum) * mu).astype(np.float64)
    new_var = (momentum * running_var + (1 - momentum) * var).astype(np.float64)
    return out, new_mean, new_var


# --------------------------------------------------- batchnorm_backward ---

# alternative: review-alt-bnb-cs231n-compact
# CS231n's one-line form: dx = (1 / N) gamma (var + eps)^(-1/2) (N dout - sum dout - x_hat sum(dout x_hat))
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N = dout.shape[0]
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(x_hat * dout, axis=0)
    dx = (1.0 / N) * gamma * (x.var(axis=0) + eps) ** (-0.5) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


# alternative: review-alt-bnb-computational-graph
# the staged backward through the graph mu -> xc -> var -> std -> x_hat, every node's gradient
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N = x.shape[0]
    mu = np.sum(x, axis=0) / N
    xc = x - mu
    sq = xc ** 2
    var = np.sum(sq, axis=0) / N
    std = np.sqrt(var + eps)
    istd = 1.0 / std
    x_hat = xc * istd
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    distd = np.sum(dx_hat * xc, axis=0)
    dxc = dx_hat * istd
    dstd = -distd / std ** 2
    dvar = 0.5 * dstd / std
    dsq = np.ones_like(x) * dvar / N
    dxc = dxc + 2 * xc * dsq
    dmu = -np.sum(dxc, axis=0)
    dx = dxc + np.ones_like(x) * dmu / N
    return dx, dgamma, dbeta


# alternative: review-alt-bnb-dmu-without-vanishing-term
# the textbook dmu drops dvar * mean(-2 (x - mu)), which is 0 because the centered x sums to 0
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N = x.shape[0]
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dxhat, axis=0) / np.sqrt(var + eps)
    dx = dxhat / np.sqrt(var + eps) + dvar * 2 * xc / N + dmu / N
    return dx, np.sum(dout * xc / np.sqrt(var + eps), axis=0), np.sum(dout, axis=0)


# alternative: review-alt-bnb-jacobian-loop
# one feature at a time: the (N, N) Jacobian of x_hat[:, d] with respect to x[:, d], transposed onto dout
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N, D = x.shape
    dx = np.zeros_like(x)
    dgamma = np.zeros(D)
    dbeta = np.zeros(D)
    for d in range(D):
        xc = x[:, d] - x[:, d].mean()
        std = np.sqrt(np.mean(xc ** 2) + eps)
        x_hat = xc / std
        jac = (np.eye(N) - 1.0 / N - np.outer(x_hat, x_hat) / N) / std
        dx[:, d] = gamma[d] * jac.T @ dout[:, d]
        dgamma[d] = dout[:, d] @ x_hat
        dbeta[d] = dout[:, d].sum()
    return dx, dgamma, dbeta


# alternative: review-alt-bnb-einsum-means
# the two batch means of the compact form as einsums over n
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    N = x.shape[0]
    inv = (x.var(axis=0) + eps) ** -0.5
    x_hat = (x - x.mean(axis=0)) * inv
    g = dout * gamma
    dx = inv * (g - np.einsum("nd->d", g) / N - x_hat * np.einsum("nd,nd->d", g, x_hat) / N)
    return dx, np.einsum("nd,nd->d", dout, x_hat), np.einsum("nd->d", dout)


# ----------------------------------------------- dropout_forward_scaled ---

# alternative: review-alt-dfs-where-drop-first
# the mask built as the negation of "dropped", the output with np.where (its 0 is a weak scalar)
def dropout_forward_scaled(x, p, rng, train=True):
    if p != p or p < 0 or p >= 1:  # p != p is True only for nan
        raise ValueError(f"p must be in [0, 1), got {p}")
    if not train:
        return x * (1.0 - p), None
    dropped = rng.random(size=x.shape) < p
    keep = ~dropped
    return np.where(keep, x, 0), keep


# alternative: review-alt-dfs-binomial
# the dropped elements drawn as Bernoulli(p) successes of the given generator
import math


def dropout_forward_scaled(x, p, rng, train=True):
    if math.isnan(p) or not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if train:
        keep = rng.binomial(1, p, size=x.shape) == 0
        return x * keep, keep
    return (1 - p) * x, None


# alternative: review-alt-dfs-float64-inside
# computed in float64 and cast back to x's dtype, in both modes
def dropout_forward_scaled(x, p, rng, train=True):
    if not (0 <= p < 1):
        raise ValueError("the drop probability p must satisfy 0 <= p < 1")
    wide = x.astype(np.float64)
    if not train:
        return (wide * (1 - p)).astype(x.dtype), None
    keep = rng.uniform(0.0, 1.0, size=x.shape) >= p
    return (wide * keep).astype(x.dtype), keep


# alternative: review-alt-dfs-multiply-dtype
# np.multiply with dtype=x.dtype, and an explicit copy then zeroing of the dropped elements
def dropout_forward_scaled(x, p, rng, train=True):
    valid = 0 <= p < 1
    if not valid:
        raise ValueError("p out of range: use 0 <= p < 1")
    if not train:
        return np.multiply(x, 1 - p, dtype=x.dtype), None
    mask = np.asarray(rng.random(x.shape) >= p, dtype=bool)
    out = x.copy()
    out[~mask] = 0
    return out, mask


# alternative: review-alt-dfs-keep-below
# kept when the uniform draw is below 1 - p: P(u < 1 - p) = 1 - p, the same law as u >= p
def dropout_forward_scaled(x, p, rng, train=True):
    if not (p >= 0 and p < 1):  # False for nan, as every comparison with nan is
        raise ValueError("dropout needs 0 <= p < 1")
    if not train:
        return x * (1 - p), None
    kept = rng.random(x.shape) < 1 - p
    return x * kept, kept


# ---------------------------------------------- dropout_backward_scaled ---

# alternative: review-alt-dbs-where
def dropout_backward_scaled(dout, mask):
    return np.where(mask, dout, 0)


# alternative: review-alt-dbs-cast-mask
# the mask cast to dout's own dtype before multiplying
def dropout_backward_scaled(dout, mask):
    return dout * mask.astype(dout.dtype)


# alternative: review-alt-dbs-copy-and-zero
def dropout_backward_scaled(dout, mask):
    dx = dout.copy()
    dx[np.logical_not(mask)] = 0.0
    return dx


# ------------------------------------------------------- maxout_forward ---

# alternative: review-alt-mf-reshape-matmul
# one matrix product with W flattened to (D, H k) in C order, then regrouped as (N, H, k)
def maxout_forward(x, W, b):
    D, H, k = W.shape
    z = x @ W.reshape(D, H * k) + b.reshape(-1)
    return z.reshape(-1, H, k).max(axis=-1)


# alternative: review-alt-mf-piece-loop
# a running np.maximum over the k pieces
def maxout_forward(x, W, b):
    out = x @ W[:, :, 0] + b[:, 0]
    for j in range(1, W.shape[2]):
        out = np.maximum(out, x @ W[:, :, j] + b[:, j])
    return out


# alternative: review-alt-mf-tensordot
def maxout_forward(x, W, b):
    return np.max(np.tensordot(x, W, axes=([1], [0])) + b[None, :, :], axis=2)


# alternative: review-alt-mf-triple-loop
# explicit loops, as a first from-scratch attempt
def maxout_forward(x, W, b):
    N, D = x.shape
    _, H, k = W.shape
    out = np.empty((N, H))
    for n in range(N):
        for h in range(H):
            out[n, h] = max(float(x[n] @ W[:, h, j]) + b[h, j] for j in range(k))
    return out


# ------------------------------------------------------ maxout_backward ---

# alternative: review-alt-mb-add-at
# the winning pieces' gradients scattered with np.add.at (repeated indices add up)
def maxout_backward(dout, x, W, b):
    N, H = dout.shape
    z = np.einsum("nd,dhk->nhk", x, W) + b
    idx = np.argmax(z, axis=2)
    hs = np.broadcast_to(np.arange(H), (N, H))
    db = np.zeros_like(b)
    np.add.at(db, (hs, idx), dout)
    dW = np.zeros_like(W)
    for n in range(N):
        np.add.at(dW, (slice(None), hs[n], idx[n]), np.outer(x[n], dout[n]))
    dx = np.einsum("nh,dnh->nd", dout, W[:, hs, idx])
    return dx, dW, db


# alternative: review-alt-mb-one-hot-eye
# the winners as one-hot rows of np.eye(k) (float64 here, as every input)
def maxout_backward(dout, x, W, b):
    k = W.shape[2]
    z = np.tensordot(x, W, axes=1) + b
    dz = np.eye(k)[z.argmax(axis=-1)] * dout[:, :, None]
    return np.tensordot(dz, W, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=([0], [0])), dz.sum(axis=0)


# alternative: review-alt-mb-put-along-axis
def maxout_backward(dout, x, W, b):
    D, H, k = W.shape
    z = (x @ W.reshape(D, H * k)).reshape(-1, H, k) + b
    idx = np.argmax(z, axis=2)[:, :, None]
    dz = np.zeros_like(z)
    np.put_along_axis(dz, idx, dout[:, :, None], axis=2)
    dx = dz.reshape(-1, H * k) @ W.reshape(D, H * k).T
    dW = (x.T @ dz.reshape(-1, H * k)).reshape(D, H, k)
    return dx, dW, dz.sum(axis=0)


# alternative: review-alt-mb-loops
# loops with a strict > to find the winner: the first j on ties, as np.argmax
def maxout_backward(dout, x, W, b):
    N, D = x.shape
    _, H, k = W.shape
    dx, dW, db = np.zeros_like(x), np.zeros_like(W), np.zeros_like(b)
    for n in range(N):
        for h in range(H):
            best, best_j = None, 0
            for j in range(k):
                z = x[n] @ W[:, h, j] + b[h, j]
                if best is None or z > best:
                    best, best_j = z, j
            dx[n] += dout[n, h] * W[:, h, best_j]
            dW[:, h, best_j] += dout[n, h] * x[n]
            db[h, best_j] += dout[n, h]
    return dx, dW, db


# alternative: review-alt-mb-calls-forward
# the winner is the piece nearest maxout_forward's output (exact ties: both at distance 0, np.argmin
# takes the first; the distance, not ==, so that another summation order's last bit does not matter)
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    winner = np.argmin(np.abs(z - maxout_forward(x, W, b)[:, :, None]), axis=2)
    dz = np.where(np.arange(W.shape[2]) == winner[:, :, None], dout[:, :, None], 0.0)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# ----------------------------------------------------------- l2_penalty ---

# alternative: review-alt-l2-comprehension-vdot
# np.vdot for the sum of squares; the penalty a numpy float scalar
def l2_penalty(params, lam):
    weights = [k for k in params if k[:1] == "W"]
    penalty = lam / 2 * np.sum([np.vdot(params[k], params[k]) for k in weights])
    grads = {k: (lam * v if k in weights else np.zeros_like(v)) for k, v in params.items()}
    return penalty, grads


# alternative: review-alt-l2-norm-squared
# the Frobenius norm squared; the gradients as W * lam, built in a copied dict
def l2_penalty(params, lam):
    grads = dict(params)
    penalty = 0.0
    for key in sorted(params):
        if key.startswith("W"):
            penalty += np.linalg.norm(params[key]) ** 2
            grads[key] = params[key] * lam
        else:
            grads[key] = np.zeros(params[key].shape, dtype=params[key].dtype)
    return float(lam * penalty / 2), grads


# alternative: review-alt-l2-fsum
# math.fsum over every squared entry (an exactly rounded sum)
import math


def l2_penalty(params, lam):
    squares = [float(w) ** 2 for k, v in params.items() if k.startswith("W") for w in np.ravel(v)]
    grads = {}
    for k, v in params.items():
        grads[k] = np.multiply(lam, v) if k.startswith("W") else np.zeros_like(v)
    return 0.5 * lam * math.fsum(squares), grads


# -------------------------------------------------------- early_stopping ---

# alternative: review-alt-es-since-best
# stops at the first epoch i with i - best_epoch == patience (the same count as a reset counter)
def early_stopping(val_losses, patience):
    if type(patience) is bool or not isinstance(patience, (int, np.integer)) or patience < 1:
        raise ValueError(f"patience must be an int >= 1, got {patience!r}")
    if len(val_losses) < 1:
        raise ValueError("val_losses must hold at least one loss")
    best, best_epoch = float("inf"), 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, i
        elif i - best_epoch == patience:
            return best_epoch, i
    return best_epoch, len(val_losses) - 1


# alternative: review-alt-es-vectorized
# strict improvements from the running minimum of the epochs before; the gaps between them
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be a positive int")
    v = np.asarray(val_losses, dtype=np.float64)
    if v.size == 0:
        raise ValueError("val_losses is empty")
    before = np.concatenate([[np.inf], np.minimum.accumulate(v)[:-1]])
    improved = np.flatnonzero(v < before)
    ends = np.append(improved[1:], v.size) - improved - 1  # non-improving epochs after each
    long = np.flatnonzero(ends >= patience)
    if long.size == 0:
        return int(improved[-1]), v.size - 1
    start = improved[long[0]]
    return int(start), int(start + patience)


# alternative: review-alt-es-first-epoch-seeded
# the best seeded with epoch 0's loss and the loop from epoch 1: the same as starting at +infinity
def early_stopping(val_losses, patience):
    if patience is True or patience is False or not isinstance(patience, int) or patience <= 0:
        raise ValueError("patience must be an integer of at least 1")
    losses = [float(v) for v in val_losses]
    if not losses:
        raise ValueError("no validation losses")
    best, best_epoch, wait = losses[0], 0, 0
    for i in range(1, len(losses)):
        if losses[i] < best:
            best, best_epoch, wait = losses[i], i, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, i
    return best_epoch, len(losses) - 1


# alternative: review-alt-es-argmin-prefix
# the stop found first; then the first lowest loss of the prefix by np.argmin (first on ties)
def early_stopping(val_losses, patience):
    if not isinstance(patience, int) or isinstance(patience, bool) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if np.size(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    stop, wait, best = len(val_losses) - 1, 0, np.inf
    for i in range(len(val_losses)):
        wait = 0 if val_losses[i] < best else wait + 1
        best = min(best, val_losses[i])
        if wait == patience:
            stop = i
            break
    return np.argmin(np.asarray(val_losses)[:stop + 1]), stop


# alternative: review-alt-es-operator-index
# patience checked with operator.index (which takes any integer type, bool aside, and refuses 2.5)
import operator


def early_stopping(val_losses, patience):
    try:
        whole = operator.index(patience)
    except TypeError:
        raise ValueError(f"patience must be an int, not {patience!r}") from None
    if isinstance(patience, bool) or whole < 1:
        raise ValueError(f"patience must be an int >= 1, not {patience!r}")
    if len(val_losses) == 0:
        raise ValueError("val_losses must not be empty")
    losses = np.asarray(val_losses, dtype=float)
    best_epoch, wait = 0, 0
    for i in range(1, len(losses)):
        if losses[i] < losses[best_epoch]:
            best_epoch, wait = i, 0
        else:
            wait += 1
            if wait == whole:
                return best_epoch, i
    return best_epoch, len(losses) - 1
