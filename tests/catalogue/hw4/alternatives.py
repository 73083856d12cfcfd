"""Right implementations of hw4, written otherwise than the reference: loops, einsum, masks,
np.var and E[x^2] - mu^2, CS231n's one-line batch-normalization backward and the staged
computational graph, np.maximum.reduce, fancy indexing, other ways to draw the mask from the
given generator, other return types the contract allows. Each must score 100."""

import numbers

import numpy as np


# alternative: bn-np-var
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if train:
        mu, var = np.mean(x, axis=0), np.var(x, axis=0)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    return gamma * ((x - mu) / np.sqrt(var + eps)) + beta, running_mean, running_var


# alternative: bn-second-moment-copies
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    if not train:
        inv = 1.0 / np.sqrt(running_var + eps)
        return (x - running_mean) * (gamma * inv) + beta, running_mean.copy(), running_var.copy()
    n = x.shape[0]
    mu = x.sum(axis=0) / n
    var = (x * x).sum(axis=0) / n - mu * mu  # E[x^2] - mu^2: exact enough when offsets are of the spread's size
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, running_mean + (1 - momentum) * (mu - running_mean), running_var + (1 - momentum) * (var - running_var)


# alternative: bn-column-loop
def batchnorm_forward(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5):
    n, d = x.shape
    out = np.empty_like(x)
    new_mean, new_var = np.array(running_mean, dtype=float), np.array(running_var, dtype=float)
    for j in range(d):
        column = x[:, j]
        if train:
            mu = sum(column) / n
            var = sum((v - mu) ** 2 for v in column) / n
            new_mean[j] = momentum * running_mean[j] + (1 - momentum) * mu
            new_var[j] = momentum * running_var[j] + (1 - momentum) * var
        else:
            mu, var = running_mean[j], running_var[j]
        out[:, j] = gamma[j] * (column - mu) / (var + eps) ** 0.5 + beta[j]
    return out, new_mean, new_var


# alternative: bnb-cs231n-simplified
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    ivar = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) * ivar
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (gamma * ivar / n) * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


# alternative: bnb-staged-graph
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = 1.0 / n * np.sum(x, axis=0)
    xmu = x - mu
    sq = xmu ** 2
    var = 1.0 / n * np.sum(sq, axis=0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1.0 / (sqrtvar ** 2) * divar
    dvar = 0.5 * 1.0 / np.sqrt(var + eps) * dsqrtvar
    dsq = 1.0 / n * np.ones_like(dout) * dvar
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    dx2 = 1.0 / n * np.ones_like(dout) * dmu
    return dx1 + dx2, dgamma, dbeta


# alternative: bnb-jacobian-per-column
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n, d = x.shape
    dx = np.empty_like(x)
    x_hat = np.empty_like(x)
    for j in range(d):
        column = x[:, j]
        mu = column.mean()
        std = np.sqrt(((column - mu) ** 2).mean() + eps)
        x_hat[:, j] = (column - mu) / std
        # d x_hat_i / d x_k = (delta_ik - 1/n - x_hat_i x_hat_k / n) / std
        jacobian = (np.eye(n) - 1.0 / n - np.outer(x_hat[:, j], x_hat[:, j]) / n) / std
        dx[:, j] = jacobian.T @ (dout[:, j] * gamma[j])
    return dx, np.einsum("nd,nd->d", dout, x_hat), np.einsum("nd->d", dout)


# alternative: dropout-uniform-compare
def dropout_forward_scaled(x, p, rng, train=True):
    if not (p >= 0 and p < 1):  # nan fails both comparisons
        raise ValueError("p must be in [0, 1)")
    if train:
        keep = rng.uniform(size=x.shape) >= p
        return np.where(keep, x, np.zeros_like(x)), keep
    return x * (1.0 - p), None


# alternative: dropout-binomial
def dropout_forward_scaled(x, p, rng, train=True):
    if np.isnan(p) or p < 0 or p >= 1:
        raise ValueError(f"p = {p} is outside [0, 1)")
    if not train:
        return (1 - p) * x, None
    mask = rng.binomial(1, 1 - p, size=x.shape).astype(bool)
    out = x.copy()
    out[~mask] = 0
    return out, mask


# alternative: dropout-float32-draws
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0.0 <= p < 1.0:
        raise ValueError("drop probability outside [0, 1)")
    if not train:
        return np.multiply(x, 1 - p, dtype=x.dtype), None
    mask = rng.random(x.shape, dtype=np.float32) < np.float32(1 - p)
    return np.multiply(x, mask, dtype=x.dtype), mask


# alternative: dropout-back-where
def dropout_backward_scaled(dout, mask):
    return np.where(mask, dout, 0).astype(dout.dtype)


# alternative: dropout-back-copy-and-zero
def dropout_backward_scaled(dout, mask):
    dx = dout.copy()
    dx[np.logical_not(mask)] = 0.0
    return dx


# alternative: maxout-maximum-reduce
def maxout_forward(x, W, b):
    pieces = [x @ W[:, :, j] + b[:, j] for j in range(W.shape[2])]
    return np.maximum.reduce(pieces)


# alternative: maxout-tensordot-loops
def maxout_forward(x, W, b):
    n, (d, h, k) = x.shape[0], W.shape
    z = np.tensordot(x, W, axes=([1], [0])) + b  # (N, H, k)
    out = np.empty((n, h))
    for i in range(n):
        for u in range(h):
            out[i, u] = max(z[i, u, :])
    return out


# alternative: maxout-flat-reshape
def maxout_forward(x, W, b):
    d, h, k = W.shape
    z = x @ W.reshape(d, h * k) + b.reshape(-1)
    return z.reshape(len(x), h, k).max(axis=-1)


# alternative: maxoutb-fancy-indexing
def maxout_backward(dout, x, W, b):
    n, (d, h, k) = x.shape[0], W.shape
    z = np.einsum("nd,dhk->nhk", x, W) + b
    winner = np.argmax(z, axis=2)
    dz = np.zeros((n, h, k))
    rows, units = np.meshgrid(np.arange(n), np.arange(h), indexing="ij")
    dz[rows, units, winner] = dout
    dx = np.tensordot(dz, W, axes=([1, 2], [1, 2]))
    dW = np.tensordot(x, dz, axes=([0], [0]))
    return dx, dW, dz.sum(axis=0)


# alternative: maxoutb-loops
def maxout_backward(dout, x, W, b):
    n, (d, h, k) = x.shape[0], W.shape
    dx, dW, db = np.zeros((n, d)), np.zeros((d, h, k)), np.zeros((h, k))
    for i in range(n):
        for u in range(h):
            z = x[i] @ W[:, u, :] + b[u]
            j = 0
            for c in range(1, k):
                if z[c] > z[j]:  # strictly larger: the first piece keeps a tie
                    j = c
            dx[i] += dout[i, u] * W[:, u, j]
            dW[:, u, j] += dout[i, u] * x[i]
            db[u, j] += dout[i, u]
    return dx, dW, db


# alternative: maxoutb-one-hot
def maxout_backward(dout, x, W, b):
    z = np.einsum("nd,dhk->nhk", x, W) + b
    one_hot = np.eye(W.shape[2])[np.argmax(z, axis=-1)]  # (N, H, k)
    dz = one_hot * dout[..., None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), np.einsum("nhk->hk", dz)


# alternative: l2-vdot-loop
def l2_penalty(params, lam):
    total = 0.0
    grads = {}
    for name in params:
        value = params[name]
        if name[:1] == "W":
            total += np.vdot(value, value)
            grads[name] = value * lam
        else:
            grads[name] = np.zeros(value.shape, dtype=value.dtype)
    return 0.5 * lam * total, grads


# alternative: l2-norms
def l2_penalty(params, lam):
    weights = [k for k in params if k.startswith("W")]
    penalty = lam * sum(np.linalg.norm(params[k].ravel()) ** 2 for k in weights) / 2
    grads = {k: (lam * params[k] if k in weights else 0 * params[k]) for k in params}
    return float(penalty), grads


# alternative: es-counter-loop
def early_stopping(val_losses, patience):
    if type(patience) is not int or patience < 1:
        raise ValueError("patience must be a positive int")
    losses = list(val_losses)
    if not losses:
        raise ValueError("no losses")
    best_epoch, bad = 0, 0
    for epoch in range(1, len(losses)):
        if losses[epoch] < losses[best_epoch]:
            best_epoch, bad = epoch, 0
        else:
            bad += 1
        if bad >= patience:
            return best_epoch, epoch
    # epoch 0 is always an improvement; with patience >= 1 it cannot end a run alone
    return best_epoch, len(losses) - 1


# alternative: es-numpy-running-min
def early_stopping(val_losses, patience):
    if isinstance(patience, (bool, np.bool_)) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    losses = np.asarray(val_losses, dtype=np.float64)
    if losses.size == 0:
        raise ValueError("val_losses is empty")
    best_before = np.concatenate(([np.inf], np.minimum.accumulate(losses)[:-1]))
    improved = losses < best_before
    last = np.maximum.accumulate(np.where(improved, np.arange(losses.size), 0))
    stopped = np.flatnonzero(np.arange(losses.size) - last >= patience)
    stop = int(stopped[0]) if stopped.size else losses.size - 1
    return int(np.argmin(losses[:stop + 1])), stop


# alternative: es-epochs-since-best
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError(f"bad patience {patience!r}")
    if len(val_losses) < 1:
        raise ValueError("empty")
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = float(loss), epoch
        elif epoch - best_epoch == patience:
            return np.int64(best_epoch), np.int64(epoch)
    return best_epoch, len(val_losses) - 1
