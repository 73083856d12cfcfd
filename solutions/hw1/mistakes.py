"""The known mistakes of hw1: a model of each wrong implementation and the hint it earns.

When a student's output equals a model's on the failing input, the grader shows
the hint. The models are nearly solutions, so this file lives beside the
reference and never ships to students (the release leaves solutions/ out).
"""

import numpy as np

from grader.exercise import Mistake


def _sig(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _net(params, X, Y, *, dz_rule=None, dy_scale=None, bias_sum=np.sum, loss_of=np.mean):
    z = X @ params["W1"] + params["b1"]
    h = _sig(z)
    y = h @ params["W2"] + params["b2"]
    loss = float(loss_of((y - Y) ** 2))
    dy = (dy_scale or (lambda d: 2 * d / d.size))(y - Y)
    dz = (dy @ params["W2"].T) * (dz_rule or (lambda z, h: h * (1 - h)))(z, h)
    return loss, {"W1": X.T @ dz, "b1": bias_sum(dz, axis=0), "W2": h.T @ dy, "b2": bias_sum(dy, axis=0)}


def _adagrad(p, g, c, lr, eps, *, cache=None, root=np.sqrt, sign=-1.0):
    new = c + g**2 if cache is None else cache(c, g)
    return p + sign * lr * g / (root(new) + eps), new


SIGMOID_MISTAKES = (
    Mistake("sigmoid-sign", "sign error: 1 / (1 + exp(z)) is sigma(-z); the exponent is -z", lambda z: _sig(-z)),
    Mistake("sigmoid-tanh-without-half", "the tanh form needs z / 2: sigma(z) = (1 + tanh(z / 2)) / 2", lambda z: (1 + np.tanh(z)) / 2),
)

SIGMOID_GRAD_MISTAKES = (
    Mistake("sigmoid_grad-of-z", "the derivative formula was applied to the pre-activation itself: use sigma(z) * (1 - sigma(z)), "
            "not z * (1 - z)", lambda z: z * (1 - z)),
    Mistake("sigmoid_grad-sigma-twice", "sigma was applied twice: sigmoid_grad takes the pre-activation z, so compute s = sigma(z) once "
            "and return s * (1 - s)", lambda z: _sig(_sig(z)) * (1 - _sig(_sig(z)))),
    Mistake("sigmoid_grad-returns-sigma", "this returns sigma(z) itself; the derivative is sigma(z) * (1 - sigma(z))", lambda z: _sig(z)),
    Mistake("sigmoid_grad-plus", "sign slip: the derivative is sigma(z) * (1 - sigma(z)), not sigma(z) * (1 + sigma(z))",
            lambda z: _sig(z) * (1 + _sig(z))),
)

MSE_MISTAKES = (
    Mistake("mse-sum", "this is the sum of squares: divide by the number of elements",
            lambda p, t: float(np.sum((p - t) ** 2))),
    Mistake("mse-rows", "divided by N (the rows) instead of N*C (all elements): use .mean() or divide by y_pred.size",
            lambda p, t: float(np.sum((p - t) ** 2) / p.shape[0])),
    Mistake("mse-half", "a factor 1/2 crept in: this mse has no 1/2", lambda p, t: float(np.mean((p - t) ** 2) / 2)),
    Mistake("mse-abs", "the differences are not squared", lambda p, t: float(np.mean(np.abs(p - t)))),
    Mistake("mse-not-squared", "the differences are not squared", lambda p, t: float(np.mean(p - t))),
    Mistake("mse-rmse", "this is the root mean squared error: drop the square root", lambda p, t: float(np.sqrt(np.mean((p - t) ** 2)))),
    Mistake("mse-half-sum", "this is half the sum of squares (a loss some books use): the mse is the mean, "
            "with no 1/2", lambda p, t: float(np.sum((p - t) ** 2) / 2)),
)

MSE_GRAD_MISTAKES = (
    Mistake("mse_grad-missing-2", "missing factor 2: d/dy (y - t)^2 = 2 (y - t)", lambda p, t: (p - t) / p.size),
    Mistake("mse_grad-rows", "divided by N (the rows) instead of N*C (all elements): divide by y_pred.size",
            lambda p, t: 2 * (p - t) / p.shape[0]),
    Mistake("mse_grad-sign", "sign error: the gradient with respect to y_pred is 2 (y_pred - y_true) / M",
            lambda p, t: 2 * (t - p) / p.size),
    Mistake("mse_grad-no-mean", "no division by the number of elements M: the loss is a mean", lambda p, t: 2 * (p - t)),
    Mistake("mse_grad-difference-only", "this is y_pred - y_true alone, the gradient of half a sum of squares: "
            "the mse's gradient is 2 (y_pred - y_true) / M", lambda p, t: p - t),
)

FORWARD_MISTAKES = (
    Mistake("forward-missing-b2", "b2 is missing: y_pred = h W2 + b2", lambda P, X: _sig(X @ P["W1"] + P["b1"]) @ P["W2"]),
    Mistake("forward-missing-b1", "b1 is missing: h = sigma(X W1 + b1)", lambda P, X: _sig(X @ P["W1"]) @ P["W2"] + P["b2"]),
    Mistake("forward-no-sigmoid", "the hidden layer needs the sigmoid: h = sigma(X W1 + b1)",
            lambda P, X: (X @ P["W1"] + P["b1"]) @ P["W2"] + P["b2"]),
    Mistake("forward-sigmoid-on-output", "the output layer is linear here: no sigmoid on h W2 + b2",
            lambda P, X: _sig(_sig(X @ P["W1"] + P["b1"]) @ P["W2"] + P["b2"])),
)

NETWORK_MISTAKES = (
    Mistake("net-dz-at-h", "dz uses sigma'(h), the derivative at the activation: use sigma'(z) = h * (1 - h) at the "
            "pre-activation z", lambda P, X, Y: _net(P, X, Y, dz_rule=lambda z, h: _sig(h) * (1 - _sig(h)))),
    Mistake("net-dz-of-z", "dz applies the derivative formula to the pre-activation itself (z * (1 - z)): use h * (1 - h)",
            lambda P, X, Y: _net(P, X, Y, dz_rule=lambda z, h: z * (1 - z))),
    Mistake("net-dz-missing", "dz is missing the sigmoid's derivative: dz = (dy W2^T) * h * (1 - h)",
            lambda P, X, Y: _net(P, X, Y, dz_rule=lambda z, h: 1.0)),
    Mistake("net-dy-missing-2", "missing factor 2 in dL/dy_pred = 2 (y_pred - Y) / (N C)",
            lambda P, X, Y: _net(P, X, Y, dy_scale=lambda d: d / d.size)),
    Mistake("net-dy-rows", "dL/dy_pred divided by N instead of N*C: the loss averages over all N*C elements",
            lambda P, X, Y: _net(P, X, Y, dy_scale=lambda d: 2 * d / d.shape[0])),
    Mistake("net-bias-mean", "the bias gradients average over the rows; they should sum (the 1/(N C) is already in dy)",
            lambda P, X, Y: _net(P, X, Y, bias_sum=np.mean)),
    Mistake("net-dy-difference-only", "every gradient is N*C/2 times too large: dL/dy_pred = y_pred - Y is the "
            "gradient of half a sum, the mse's is 2 (y_pred - Y) / (N C)",
            lambda P, X, Y: _net(P, X, Y, dy_scale=lambda d: d)),
    Mistake("net-dy-no-mean", "every gradient is N*C times too large: the loss is a mean, so dL/dy_pred = "
            "2 (y_pred - Y) / (N C)", lambda P, X, Y: _net(P, X, Y, dy_scale=lambda d: 2 * d)),
    Mistake("net-grads-sign", "every gradient has the wrong sign: dL/dy_pred = 2 (y_pred - Y) / (N C), not (Y - y_pred)",
            lambda P, X, Y: _net(P, X, Y, dy_scale=lambda d: -2 * d / d.size)),
    Mistake("net-loss-half", "the loss is half the mse: loss = mean((y_pred - Y)^2), with no 1/2",
            lambda P, X, Y: _net(P, X, Y, loss_of=lambda e: np.mean(e) / 2)),
    Mistake("net-loss-sum", "the loss is the sum of the squared errors: take their mean",
            lambda P, X, Y: _net(P, X, Y, loss_of=np.sum)),
)

ADAGRAD_MISTAKES = (
    Mistake("adagrad-eps-inside-sqrt", "eps is inside the square root: use sqrt(cache) + eps",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, 0.0, root=lambda v: np.sqrt(v + eps))),
    Mistake("adagrad-no-accumulation", "the cache must accumulate: new_cache = cache + grad^2, not grad^2",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, eps, cache=lambda c, g: g**2)),
    Mistake("adagrad-old-cache", "the update must use the new cache (cache + grad^2), not the old one",
            lambda p, g, c, lr=1e-2, eps=1e-8: (_adagrad(p, g, c, lr, eps, cache=lambda c, g: c)[0], c + g**2)),
    Mistake("adagrad-missing-sqrt", "the square root is missing: divide by sqrt(new_cache) + eps",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, eps, root=lambda v: v)),
    Mistake("adagrad-sign", "sign error: Adagrad steps against the gradient, theta - eta * ...",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, eps, sign=1.0)),
    Mistake("adagrad-eps-ignored", "the eps argument is ignored: divide by sqrt(new_cache) + eps with the eps "
            "you are given, not a constant of your own",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, 1e-8)),
    Mistake("adagrad-eps-ignored", "the eps argument is ignored: divide by sqrt(new_cache) + eps with the eps "
            "you are given, not a constant of your own",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, lr, 0.0)),
    Mistake("adagrad-lr-ignored", "the lr argument is ignored: step by the lr you are given",
            lambda p, g, c, lr=1e-2, eps=1e-8: _adagrad(p, g, c, 1e-2, eps)),
)

DROPOUT_BACKWARD_MISTAKES = (
    Mistake("dropout_backward-unscaled", "the 1 / (1 - p) scaling of the forward pass is missing in the backward pass",
            lambda d, m, p: np.where(m, d, 0.0)),
    Mistake("dropout_backward-times-keep", "multiply by 1 / (1 - p), not by (1 - p)", lambda d, m, p: np.where(m, d * (1 - p), 0.0)),
    Mistake("dropout_backward-divides-by-p", "p is the DROP probability: scale by 1 / (1 - p), not 1 / p",
            lambda d, m, p: np.where(m, d / p, 0.0)),
    Mistake("dropout_backward-no-mask", "the mask is missing: dropped elements get no gradient", lambda d, m, p: d / (1 - p)),
)


MISTAKES = {
    "sigmoid": SIGMOID_MISTAKES,
    "sigmoid_grad": SIGMOID_GRAD_MISTAKES,
    "mse": MSE_MISTAKES,
    "mse_grad": MSE_GRAD_MISTAKES,
    "two_layer_forward": FORWARD_MISTAKES,
    "two_layer_loss_and_grads": NETWORK_MISTAKES,
    "adagrad_step": ADAGRAD_MISTAKES,
    "dropout_backward": DROPOUT_BACKWARD_MISTAKES,
}
