"""The known mistakes of hw4: a model of each wrong implementation and the hint it earns.

When a student's output equals a model's on the failing input (and on the exercise's probes),
the grader shows the hint. The models are nearly solutions, so this file lives beside the
reference and never ships to students. Where each mistake comes from is said beside it.
Dropout's models draw their masks as the reference does (rng.random(x.shape)): a hint is
named only for code that draws the same way.
"""

import numpy as np

from grader.exercise import Mistake

# ------------------------------------------------------------ batch normalization ---


def _bn(x, gamma, beta, running_mean, running_var, train=True, momentum=0.9, eps=1e-5, *, ddof=0, swap=False,
        running_ddof=0, eps_outside=False, no_sqrt=False, eval_batch=False, eval_no_eps=False, eval_updates=False,
        swap_affine=False):
    """batchnorm_forward with one switch thrown: the models of its mistakes."""
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=ddof)
    if train or eval_batch or eval_updates:
        running = x.var(axis=0, ddof=running_ddof) if running_ddof else var
        old, new = (1 - momentum, momentum) if swap else (momentum, 1 - momentum)
        new_mean, new_var = old * running_mean + new * mu, old * running_var + new * running
    if train or eval_batch:
        centre, spread = mu, var
    else:
        centre, spread = running_mean, running_var
    with np.errstate(all="ignore"):
        if no_sqrt:
            x_hat = (x - centre) / (spread + eps)
        elif eps_outside:
            x_hat = (x - centre) / (np.sqrt(spread) + eps)
        elif not train and eval_no_eps:
            x_hat = (x - centre) / np.sqrt(spread)
        else:
            x_hat = (x - centre) / np.sqrt(spread + eps)
    out = beta * x_hat + gamma if swap_affine else gamma * x_hat + beta
    if train or eval_updates:
        return out, new_mean, new_var
    return out, running_mean, running_var


def _bn_backward(dout, x, gamma, eps=1e-5, *, through_mean=True, through_var=True, ddof=0, dgamma_axis=0,
                 dgamma_of_x=False, use_gamma=True, dbeta_mean=False):
    """batchnorm_backward with one switch thrown."""
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    x_hat = (x - mu) / std
    g = dout * gamma if use_gamma else dout
    dx = g.copy()
    if through_mean:
        dx = dx - g.mean(axis=0)
    if through_var:
        dx = dx - x_hat * (g * x_hat).mean(axis=0)
    dgamma = (dout * (x if dgamma_of_x else x_hat)).sum(axis=dgamma_axis)
    dbeta = dout.mean(axis=0) if dbeta_mean else dout.sum(axis=0)
    return dx / std, dgamma, dbeta


# -------------------------------------------------------------------- dropout ---


def _dropout(x, p, rng, train=True, *, inverted=False, test_factor=lambda p: 1 - p, keep_p=False,
             mask_dropped=False):
    """dropout_forward_scaled with one switch thrown, drawing as the reference does."""
    if not 0 <= p < 1:
        raise ValueError(p)
    if not train:
        return (x * test_factor(p)).astype(x.dtype, copy=False), None
    draw = rng.random(x.shape)
    kept = draw < p if keep_p else draw >= p
    out = x * kept
    if inverted:
        out = (out / (1 - p)).astype(x.dtype, copy=False)
    return out, ~kept if mask_dropped else kept


# --------------------------------------------------------------------- maxout ---


def _pieces(x, W, b):
    return np.einsum("nd,dhk->nhk", x, W) + b


def _maxout_backward(dout, x, W, b, *, route="first", db_mean=False):
    """maxout_backward with one switch thrown: where the gradient goes among the pieces."""
    z = _pieces(x, W, b)
    k = z.shape[2]
    if route == "all":
        dz = np.repeat(dout[:, :, None], k, axis=2)
    elif route == "ties":
        dz = np.where(z == z.max(axis=2, keepdims=True), dout[:, :, None], 0.0)
    else:
        last = k - 1 - np.argmax(z[:, :, ::-1], axis=2)
        winner = np.argmax(z, axis=2) if route == "first" else last
        dz = np.where(np.arange(k) == winner[:, :, None], dout[:, :, None], 0.0)
    db = dz.mean(axis=0) if db_mean else dz.sum(axis=0)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), db


def _maxout_reshaped(x, W, b):
    """A dense layer of H * k units, reshaped to (N, k, H) where the units are laid out (H, k)."""
    n, (d, h, k) = len(x), W.shape
    z = x @ W.reshape(d, h * k) + b.reshape(h * k)
    return z.reshape(n, k, h).max(axis=1)


# ---------------------------------------------------------------- weight decay ---


def _l2(params, lam, *, is_weight=lambda key: key.startswith("W"), half=True, grad_factor=1.0, squared=True,
        all_keys=True):
    total = sum(float(np.sum(v ** 2)) for k, v in params.items() if is_weight(k))
    penalty = (lam / 2 if half else lam) * (total if squared else np.sqrt(total))
    grads = {k: grad_factor * lam * v if is_weight(k) else np.zeros_like(v) for k, v in params.items()
             if all_keys or is_weight(k)}
    return float(penalty), grads


# -------------------------------------------------------------- early stopping ---


def _early(val_losses, patience, *, improves=lambda loss, best: loss < best, stops=lambda waited, p: waited == p,
           reset=True, previous=False, best_last=False, best_overall=False, end=-1):
    if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or patience < 1:
        raise ValueError(patience)
    if len(val_losses) == 0:
        raise ValueError("empty")
    losses = [float(v) for v in val_losses]
    best, waited, stop = float("inf"), 0, len(losses) + end
    for epoch, loss in enumerate(losses):
        reference = losses[epoch - 1] if previous and epoch else best
        if improves(loss, reference):
            best = min(best, loss) if previous else loss
            waited = 0 if reset else waited
        else:
            waited += 1
        if previous:
            best = min(best, loss)
        if stops(waited, patience):
            stop = epoch
            break
    seen = losses if best_overall else losses[:stop + 1]
    lowest = min(seen)
    best_epoch = max(i for i, v in enumerate(seen) if v == lowest) if best_last else seen.index(lowest)
    return best_epoch, stop


MISTAKES = {
    "batchnorm_forward": (
        # np.var's ddof=1 (or torch.var's default, unbiased) where the contract's batch variance divides by N
        Mistake("bn-unbiased-var", "the batch variance divides by N (np.var's default, ddof=0), not by N - 1",
                lambda *a, **k: _bn(*a, **k, ddof=1)),
        # CS231n assignment 2 forum threads: running = momentum * batch + (1 - momentum) * running
        Mistake("bn-momentum-swapped", "momentum weighs the OLD running average: momentum * running_mean + "
                "(1 - momentum) * mu (with momentum 0.9 the average moves by a tenth of the way)",
                lambda *a, **k: _bn(*a, **k, swap=True)),
        # PyTorch's BatchNorm stores the unbiased variance in running_var; the contract keeps the biased one
        Mistake("bn-running-var-unbiased", "the running variance averages the same biased variance (divided by N) "
                "that normalizes the batch, not the unbiased N - 1 one (that is PyTorch's convention, not ours)",
                lambda *a, **k: _bn(*a, **k, running_ddof=1)),
        Mistake("bn-eps-outside", "eps goes INSIDE the square root: (x - mu) / sqrt(var + eps)",
                lambda *a, **k: _bn(*a, **k, eps_outside=True)),
        Mistake("bn-no-sqrt", "divide by the standard deviation sqrt(var + eps), not by the variance",
                lambda *a, **k: _bn(*a, **k, no_sqrt=True)),
        # d2l forum (batch-norm chapter): test-time code that still normalizes with the batch's statistics
        Mistake("bn-eval-batch-stats", "with train=False normalize with running_mean and running_var, not the "
                "batch's own statistics: a test example's output must not depend on the rest of its batch",
                lambda *a, **k: _bn(*a, **k, eval_batch=True)),
        Mistake("bn-eval-no-eps", "at test time too, x_hat = (x - running_mean) / sqrt(running_var + eps)",
                lambda *a, **k: _bn(*a, **k, eval_no_eps=True)),
        Mistake("bn-eval-updates-running", "with train=False the running statistics come back unchanged: only "
                "training updates them", lambda *a, **k: _bn(*a, **k, eval_updates=True)),
        Mistake("bn-affine-swapped", "out = gamma * x_hat + beta: gamma scales, beta shifts",
                lambda *a, **k: _bn(*a, **k, swap_affine=True)),
    ),
    "batchnorm_backward": (
        # the most common batch-norm backward bug (CS231n assignment 2, Kratzert's blog on the computational graph)
        Mistake("bnb-ignores-statistics", "in training mu and var depend on every x of the column: dx is not "
                "dout * gamma / std; subtract the mean of g = dout * gamma and x_hat times the mean of g * x_hat",
                lambda *a, **k: _bn_backward(*a, **k, through_mean=False, through_var=False)),
        Mistake("bnb-ignores-var", "var depends on x too: dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std "
                "with g = dout * gamma; the x_hat term is missing", lambda *a, **k: _bn_backward(
                    *a, **k, through_var=False)),
        Mistake("bnb-ignores-mean", "mu depends on x too: dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std "
                "with g = dout * gamma; the mean(g) term is missing", lambda *a, **k: _bn_backward(
                    *a, **k, through_mean=False)),
        Mistake("bnb-unbiased-var", "recompute the forward's biased variance (divided by N) for std and x_hat",
                lambda *a, **k: _bn_backward(*a, **k, ddof=1)),
        Mistake("bnb-dgamma-of-x", "out = gamma * x_hat + beta, so dgamma = sum over the batch of dout * x_hat, "
                "not dout * x", lambda *a, **k: _bn_backward(*a, **k, dgamma_of_x=True)),
        Mistake("bnb-no-gamma", "dL/dx_hat = dout * gamma: gamma scales the gradient that reaches x",
                lambda *a, **k: _bn_backward(*a, **k, use_gamma=False)),
        Mistake("bnb-dbeta-mean", "dbeta is a SUM over the batch (each example adds its dout), not a mean",
                lambda *a, **k: _bn_backward(*a, **k, dbeta_mean=True)),
        Mistake("bnb-dgamma-axis", "sum over the batch, axis 0, to get one dgamma per feature (D,), not axis 1",
                lambda *a, **k: _bn_backward(*a, **k, dgamma_axis=1)),
    ),
    "dropout_forward_scaled": (
        # hw1's inverted dropout, and every framework's (PyTorch, Keras), where the lecture's original is asked
        Mistake("dropout-inverted", "this is inverted dropout (hw1): the original keeps the kept values unchanged "
                "in training, and scales by (1 - p) at test time instead",
                lambda *a, **k: _dropout(*a, **k, inverted=True, test_factor=lambda p: 1.0)),
        Mistake("dropout-test-unscaled", "at test time every element is multiplied by (1 - p), so that it equals "
                "the expected training output", lambda *a, **k: _dropout(*a, **k, test_factor=lambda p: 1.0)),
        # Srivastava et al. write the retention probability p: scaling by p reads their p as ours
        Mistake("dropout-test-scaled-by-p", "p is the DROP probability: the expected training output is "
                "(1 - p) x, not p x (the paper's p is the probability of keeping)",
                lambda *a, **k: _dropout(*a, **k, test_factor=lambda p: p)),
        Mistake("dropout-keeps-p", "p is the probability of DROPPING an element: keep it where the draw is "
                ">= p, which happens with probability 1 - p", lambda *a, **k: _dropout(*a, **k, keep_p=True)),
        Mistake("dropout-mask-dropped", "the mask is True where the element is KEPT", lambda *a, **k: _dropout(
            *a, **k, mask_dropped=True)),
    ),
    "dropout_backward_scaled": (
        Mistake("dropout-back-unmasked", "a dropped element did not reach the output: its gradient is 0 "
                "(multiply dout by the mask)", lambda dout, mask: dout.copy()),
        Mistake("dropout-back-mask-inverted", "the mask is True where the element was KEPT: the gradient flows "
                "there, and is 0 where it was dropped", lambda dout, mask: dout * ~mask),
    ),
    "maxout_forward": (
        Mistake("maxout-wrong-axis", "the maximum is over the k pieces of each unit, the LAST axis of z "
                "(N, H, k), not over the units", lambda x, W, b: _pieces(x, W, b).max(axis=1)),
        Mistake("maxout-no-bias", "each piece is x W[:, h, j] + b[h, j]: add the bias before the maximum",
                lambda x, W, b: np.einsum("nd,dhk->nhk", x, W).max(axis=2)),
        # maxout written as a dense layer of H * k units then reshaped (Goodfellow et al.'s pylearn2 layout is (k, H))
        Mistake("maxout-reshape-order", "W is (D, H, k): after flattening to H * k units, reshape to (N, H, k), "
                "not (N, k, H), or the pieces of one unit get mixed with other units'", _maxout_reshaped),
    ),
    "maxout_backward": (
        Mistake("maxoutb-all-pieces", "only the piece that is the maximum reached the output: the others get a "
                "zero gradient", lambda *a: _maxout_backward(*a, route="all")),
        Mistake("maxoutb-last-on-ties", "on ties the gradient goes to the FIRST maximal piece, as np.argmax picks it",
                lambda *a: _maxout_backward(*a, route="last")),
        Mistake("maxoutb-every-tie", "on ties the gradient goes to ONE piece, the first maximal one (np.argmax): "
                "z == z.max() marks every tied piece", lambda *a: _maxout_backward(*a, route="ties")),
        Mistake("maxoutb-db-mean", "db sums dz over the batch (each example adds its gradient), not a mean",
                lambda *a: _maxout_backward(*a, db_mean=True)),
    ),
    "l2_penalty": (
        # CS231n and the Deep Learning book penalize weights only: biases are left out
        Mistake("l2-biases-too", "weight decay applies to the weight matrices only (keys that start with 'W'): "
                "biases and other parameters get no penalty and a zero gradient",
                lambda p, lam: _l2(p, lam, is_weight=lambda key: True)),
        Mistake("l2-no-half", "the penalty is (lam / 2) * sum of squares: the 1/2 makes its gradient lam * W",
                lambda p, lam: _l2(p, lam, half=False)),
        Mistake("l2-grad-double", "the derivative of (lam / 2) * W^2 is lam * W, not 2 * lam * W",
                lambda p, lam: _l2(p, lam, grad_factor=2.0)),
        Mistake("l2-lowercase-w", "only keys that start with a capital 'W' are weights: 'weights' is not one",
                lambda p, lam: _l2(p, lam, is_weight=lambda key: key.lower().startswith("w"))),
        Mistake("l2-contains-w", "a weight's key STARTS with 'W' (key.startswith('W')): 'bW' contains a W and is not "
                "one", lambda p, lam: _l2(p, lam, is_weight=lambda key: "W" in key)),
        Mistake("l2-missing-keys", "grads has every key of params: zeros for the parameters that are not weights",
                lambda p, lam: _l2(p, lam, all_keys=False)),
        Mistake("l2-norm-not-squared", "the penalty is the sum of the SQUARED entries (the squared norm), not the "
                "norm itself", lambda p, lam: _l2(p, lam, squared=False)),
    ),
    "early_stopping": (
        Mistake("es-ties-improve", "an improvement is a loss STRICTLY below the best so far: a tie is no "
                "improvement (and the best epoch stays the first of the tied ones)",
                lambda v, p: _early(v, p, improves=lambda loss, best: loss <= best, best_last=True)),
        # "stop after patience epochs" read as "once more than patience epochs have passed" (Keras' patience is ours)
        Mistake("es-patience-off-by-one", "stop at the epoch that ENDS the patience-th epoch without improvement: "
                "waited == patience, not waited > patience", lambda v, p: _early(
                    v, p, stops=lambda waited, patience: waited > patience)),
        Mistake("es-best-last-on-ties", "the best epoch is the FIRST one with the lowest loss",
                lambda v, p: _early(v, p, best_last=True)),
        Mistake("es-best-after-stop", "the best epoch is chosen among epochs 0..stop_epoch: training never saw the "
                "later ones", lambda v, p: _early(v, p, best_overall=True)),
        Mistake("es-never-stops-len", "when training never stops, it ends at the last epoch, len(val_losses) - 1 "
                "(an index), not len(val_losses)", lambda v, p: _early(v, p, end=0)),
        Mistake("es-counter-not-reset", "an improvement starts the count of epochs without improvement again "
                "from 0", lambda v, p: _early(v, p, reset=False)),
        Mistake("es-compare-previous", "compare each loss with the BEST so far, not with the previous epoch's",
                lambda v, p: _early(v, p, previous=True)),
    ),
}
