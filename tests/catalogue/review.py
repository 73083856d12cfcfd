"""A second, independently written catalogue: mistakes and correct forms found in review.

Written by a reviewer who had not seen the first catalogue, as a stand-in for the
catalogues the grader is judged by. Each mutant notes why it is wrong by the contract.
Left out on purpose: adding float32 eps to mse (within float32 rounding), and a
complex-step sigmoid_grad, which is exact except that it returns nan at |z| = 1e4.
"""

from __future__ import annotations

from catalogue.alternatives import Alternative
from catalogue.mutants import Mutant, _mutant

REVIEW_MUTANTS: tuple[Mutant, ...] = (
    # sigma(-40) returns 9.4e-14 instead of 4.2e-18: ~850 float64 ulps of 1, not exact in float64
    _mutant('review-sig-clip-30', 'sigmoid', '\ndef sigmoid(z):\n    z = np.clip(z, -30, 30)          # "avoid overflow"\n    out = np.empty_like(z)\n    pos = z >= 0\n    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n    e = np.exp(z[~pos])\n    out[~pos] = e / (1.0 + e)\n    return out\n'),
    # overflow warning for a 0-d z = -1e4 (contract: no overflow warning for any finite z, any shape)
    _mutant('review-sig-0d-naive-branch', 'sigmoid', '\ndef sigmoid(z):\n    z = np.asarray(z)\n    if z.ndim == 0:                      # a single number: the simple formula\n        return 1.0 / (1.0 + np.exp(-z))\n    out = np.empty_like(z)\n    pos = z >= 0\n    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n    e = np.exp(z[~pos])\n    out[~pos] = e / (1.0 + e)\n    return out\n'),
    # raises OverflowError for a 0-d z <= -710
    _mutant('review-sig-0d-math-exp', 'sigmoid', '\nimport math\n\n\ndef sigmoid(z):\n    z = np.asarray(z)\n    if z.ndim == 0:\n        return np.asarray(1.0 / (1.0 + math.exp(-float(z))), dtype=z.dtype)\n    out = np.empty_like(z)\n    pos = z >= 0\n    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n    e = np.exp(z[~pos])\n    out[~pos] = e / (1.0 + e)\n    return out\n'),
    # float16 precision (5e-4) for float32/float64 inputs
    _mutant('review-sig-float16-compute', 'sigmoid', '\ndef sigmoid(z):\n    h = z.astype(np.float16)                 # save memory\n    out = np.exp(-np.logaddexp(np.float16(0), -h))\n    return out.astype(z.dtype)\n'),
    # nan for large positive z (inf/inf)
    _mutant('review-sig-exp-form-everywhere-errstate', 'sigmoid', '\ndef sigmoid(z):\n    with np.errstate(over="ignore", invalid="ignore"):\n        e = np.exp(z)\n        return e / (1.0 + e)\n'),
    # modifies float64 inputs in place (copy=False is a no-op for float64); float64 for float32
    _mutant('review-sig-astype-copy-false-inplace', 'sigmoid', '\ndef sigmoid(z):\n    z = z.astype(np.float64, copy=False)\n    dtype_in = z.dtype\n    pos = z >= 0\n    neg = ~pos\n    e = np.exp(z[neg])\n    z[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n    z[neg] = e / (1.0 + e)\n    return z\n'),
    # nan for z < -709 (inf/inf); true value is 0
    _mutant('review-sg-direct-formula-no-abs', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    e = np.exp(-z)\n    return e / (1.0 + e) ** 2\n'),
    # approximation, error ~1e-11 absolute, not an exact formula
    _mutant('review-sg-finite-difference-1e-5', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    h = 1e-5\n    return (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)\n'),
    # approximation
    _mutant('review-sg-finite-difference-1e-4', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    h = 1e-4\n    return (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)\n'),
    # sigma'(20.5) = 1.2e-9 replaced by 0: 1000x the float64 tolerance
    _mutant('review-sg-zero-beyond-20', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    s = sigmoid(z)\n    # saturated units: the gradient vanishes anyway\n    return np.where(np.abs(z) > 20, 0.0, s * (1.0 - s))\n'),
    # float32 precision for float64 input
    _mutant('review-sg-float32-always', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    s = sigmoid(np.asarray(z, dtype=np.float32))\n    return s * (1 - s)\n'),
    # rounds a float64 loss to float32
    _mutant('review-mse-float32-cast-early', 'mse', '\ndef mse(y_pred, y_true):\n    return np.float32(np.mean((y_pred - y_true) ** 2))\n'),
    # float16 differences
    _mutant('review-mse-float16-diff', 'mse', '\ndef mse(y_pred, y_true):\n    d = (y_pred - y_true).astype(np.float16)\n    return float(np.mean(d.astype(np.float64) ** 2))\n'),
    # crashes on 0-d inputs (any shape allowed)
    _mutant('review-mse-mean-of-last-axis-means', 'mse', '\ndef mse(y_pred, y_true):\n    return float(np.mean(np.mean((y_pred - y_true) ** 2, axis=-1)))\n'),
    # wrong divisor for 1-D and 3-D, crash on 0-d
    _mutant('review-mse-first-times-last-dim', 'mse', '\ndef mse(y_pred, y_true):\n    d = y_pred - y_true\n    return float(np.sum(d ** 2) / (d.shape[0] * d.shape[-1]))\n'),
    # (mean |d|)^2 is not mean d^2 (equal only for a constant shift)
    _mutant('review-mse-square-of-mean-abs', 'mse', '\ndef mse(y_pred, y_true):\n    return float(np.mean(np.abs(y_pred - y_true)) ** 2)\n'),
    # wrong divisor for 1-D (n^2) and most 3-D shapes
    _mutant('review-mseg-first-times-last-dim', 'mse_grad', '\ndef mse_grad(y_pred, y_true):\n    return 2.0 * (y_pred - y_true) / (y_pred.shape[0] * y_pred.shape[-1])\n'),
    # float32 result for float64 input
    _mutant('review-mseg-float32', 'mse_grad', '\ndef mse_grad(y_pred, y_true):\n    return (2.0 * (y_pred - y_true) / y_pred.size).astype(np.float32)\n'),
    # modifies y_pred in place
    _mutant('review-mseg-inplace-y_pred', 'mse_grad', '\ndef mse_grad(y_pred, y_true):\n    y_pred -= y_true\n    return 2.0 * y_pred / y_pred.size\n'),
    # shape (C,) instead of (1, C) when N = 1
    _mutant('review-fwd-squeeze', 'two_layer_forward', '\ndef two_layer_forward(params, X):\n    h = sigmoid(X @ params["W1"] + params["b1"])\n    return np.squeeze(h @ params["W2"] + params["b2"])\n'),
    # float32 precision
    _mutant('review-fwd-float32', 'two_layer_forward', '\ndef two_layer_forward(params, X):\n    X = X.astype(np.float32)\n    W1, W2 = params["W1"].astype(np.float32), params["W2"].astype(np.float32)\n    h = sigmoid(X @ W1 + params["b1"].astype(np.float32))\n    return h @ W2 + params["b2"].astype(np.float32)\n'),
    # b1 added after the sigmoid
    _mutant('review-fwd-bias-after-sigmoid', 'two_layer_forward', '\ndef two_layer_forward(params, X):\n    h = sigmoid(X @ params["W1"]) + params["b1"]\n    return h @ params["W2"] + params["b2"]\n'),
    # adds an L2 penalty not in the contract (grads consistent with it)
    _mutant('review-net-l2-reg', 'two_layer_loss_and_grads', '\ndef two_layer_loss_and_grads(params, X, Y, reg=1e-6):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    loss = mse(y_pred, Y) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))\n    dy = mse_grad(y_pred, Y)\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    grads = {"W1": X.T @ dz + 2 * reg * W1, "b1": dz.sum(axis=0),\n             "W2": h.T @ dy + 2 * reg * W2, "b2": dy.sum(axis=0)}\n    return loss, grads\n'),
    # bias grads of shape (1, H) and (1, C), not the params' shapes
    _mutant('review-net-bias-keepdims', 'two_layer_loss_and_grads', '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    loss = mse(y_pred, Y)\n    dy = mse_grad(y_pred, Y)\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0, keepdims=True),\n             "W2": h.T @ dy, "b2": dy.sum(axis=0, keepdims=True)}\n    return loss, grads\n'),
    # N = 1 or H = 1: squeeze drops the wrong axis, bias grads become scalars
    _mutant('review-net-squeeze-then-sum', 'two_layer_loss_and_grads', '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    loss = mse(y_pred, Y)\n    dy = mse_grad(y_pred, Y)\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    grads = {"W1": X.T @ dz, "b1": np.squeeze(dz).sum(axis=0),\n             "W2": h.T @ dy, "b2": np.squeeze(dy).sum(axis=0)}\n    return loss, grads\n'),
    # loss accumulated in float32
    _mutant('review-net-loss-float32', 'two_layer_loss_and_grads', '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    loss = float(np.mean(np.square(y_pred - Y), dtype=np.float32))\n    dy = mse_grad(y_pred, Y)\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}\n    return loss, grads\n'),
    # all gradients negated
    _mutant('review-net-grad-ascent', 'two_layer_loss_and_grads', '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    loss = mse(y_pred, Y)\n    dy = 2.0 * (Y - y_pred) / Y.size\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}\n    return loss, grads\n'),
    # adagrad_step(p, g, c, 0.1) uses eps = 0.1 and lr = 0.01: signature order differs from the contract
    _mutant('review-ada-lr-eps-swapped-signature', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, eps=1e-8, lr=1e-2):\n    new_cache = cache + grad**2\n    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache\n'),
    # (debatable) adagrad_step(p, g, c, 0.1) raises TypeError
    _mutant('review-ada-keyword-only', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, *, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache\n'),
    # cache off by eps each step
    _mutant('review-ada-eps-added-to-cache', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2 + eps\n    return param - lr * grad / np.sqrt(new_cache), new_cache\n'),
    # lr applied twice
    _mutant('review-ada-lr-twice', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    step = lr * grad / (np.sqrt(new_cache) + eps)\n    return param - lr * step, new_cache\n'),
    # eps inside the sqrt (squared): docstring says outside
    _mutant('review-ada-eps-squared-inside', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    return param - lr * grad / np.sqrt(new_cache + eps**2), new_cache\n'),
    # float32 for float64 inputs
    _mutant('review-ada-float32', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    p, g, c = (np.asarray(a, dtype=np.float32) for a in (param, grad, cache))\n    new_cache = c + g * g\n    return p - np.float32(lr) * g / (np.sqrt(new_cache) + np.float32(eps)), new_cache\n'),
    # tuple order
    _mutant('review-ada-returns-swapped', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    return new_cache, param - lr * grad / (np.sqrt(new_cache) + eps)\n'),
    # clips gradients
    _mutant('review-ada-grad-clip', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    grad = np.clip(grad, -5.0, 5.0)\n    new_cache = cache + grad**2\n    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache\n'),
    # elements are not dropped independently: whole columns
    _mutant('review-drop-column-shared-mask', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    # one mask per feature, shared by the whole batch\n    mask = np.broadcast_to(rng.random(x.shape[1:]) >= p, x.shape).copy()\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # whole rows dropped together
    _mutant('review-drop-row-shared-mask', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    keep_row = rng.random((x.shape[0],) + (1,) * (x.ndim - 1)) >= p\n    mask = np.broadcast_to(keep_row, x.shape).copy()\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # one draw for the whole mask
    _mutant('review-drop-scalar-draw', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = np.full(x.shape, rng.random() >= p)\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # keeps with probability p
    _mutant('review-drop-gt-one-minus-p', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.random(x.shape) > 1 - p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # never advances rng: every call with the same generator gives the same mask (frozen dropout)
    _mutant('review-drop-deepcopy-rng', 'dropout_forward', '\nimport copy\n\n\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    local = copy.deepcopy(rng)        # "no function may modify its inputs"\n    mask = local.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # keep probability round((1-p) n)/n != 1-p for small n (size 3, p=.5 keeps 2/3): E[out] != x
    _mutant('review-drop-exact-count-round', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    keep = int(round((1 - p) * x.size))\n    flat = np.zeros(x.size, dtype=bool)\n    flat[rng.permutation(x.size)[:keep]] = True\n    mask = flat.reshape(x.shape)\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # scales by the empirical keep fraction, not 1/(1-p)
    _mutant('review-drop-empirical-scale', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.random(x.shape) >= p\n    return x * mask * (mask.size / max(mask.sum(), 1)), mask\n'),
    # (minor) p = nan is not rejected: returns all zeros
    _mutant('review-drop-accepts-nan', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if p < 0 or p >= 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # (ambiguous) dropout_forward(x, 1.5, rng, train=False) does not raise
    _mutant('review-drop-eval-skips-validation', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not train:\n        return x, None\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    mask = rng.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # mask not boolean
    _mutant('review-drop-mask-uint8', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = (rng.random(x.shape) >= p).astype(np.uint8)\n    return x * mask / (1 - p), mask\n'),
    # x*mask - p
    _mutant('review-drop-precedence', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.random(x.shape) >= p\n    return x * mask / 1 - p, mask\n'),
    # float16
    _mutant('review-dback-float16', 'dropout_backward', '\ndef dropout_backward(dout, mask, p):\n    return (dout * mask / (1 - p)).astype(np.float16)\n'),
    # empirical keep fraction
    _mutant('review-dback-mask-mean-scale', 'dropout_backward', '\ndef dropout_backward(dout, mask, p):\n    return dout * mask / mask.mean()\n'),
    # gradient through the dropped elements
    _mutant('review-dback-inverted-mask', 'dropout_backward', '\ndef dropout_backward(dout, mask, p):\n    return dout * ~mask / (1 - p)\n'),
    # modifies dout in place
    _mutant('review-dback-inplace-dout', 'dropout_backward', '\ndef dropout_backward(dout, mask, p):\n    dout[~mask] = 0\n    dout /= 1 - p\n    return dout\n'),
    # raises TypeError for 0-d inputs
    _mutant('review-ada-add-out-0d-crash', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = np.empty_like(cache)\n    np.add(cache, np.square(grad), out=new_cache)\n    denom = np.sqrt(new_cache)            # a numpy scalar for 0-d input\n    np.add(denom, eps, out=denom)\n    new_param = np.empty_like(param)\n    np.subtract(param, lr * grad / denom, out=new_param)\n    return new_param, new_cache\n'),
    # nan where grad = 0 and cache = 0 (0 * inf); eps is there to keep that finite
    _mutant('review-ada-rsqrt-nan-at-zero', 'adagrad_step', '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    with np.errstate(divide="ignore", invalid="ignore"):\n        r = new_cache ** -0.5                     # 1 / sqrt(cache)\n        step = lr * grad * r / (1.0 + eps * r)    # = lr grad / (sqrt(cache) + eps)\n    return param - step, new_cache\n'),
    # shape (1, n) for 1-D and (1, 1) for 0-d
    _mutant('review-sg-atleast2d', 'sigmoid_grad', '\ndef sigmoid_grad(z):\n    z = np.atleast_2d(z)\n    s = sigmoid(z)\n    return s * (1.0 - s)\n'),
    # for 1-D x of shape (n,), out and mask have shape (1, n)
    _mutant('review-drop-atleast2d', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    x = np.atleast_2d(x)                       # "handle vectors too"\n    mask = rng.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
    # IndexError for 1-D x
    _mutant('review-drop-1d-crash', 'dropout_forward', '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    n, d = x.shape[0], x.shape[1]\n    mask = (rng.random((n, d) + x.shape[2:]) >= p)\n    return np.where(mask, x / (1 - p), 0.0), mask\n'),
)

REVIEW_ALTERNATIVES: tuple[Alternative, ...] = (
    Alternative('review-alt-sig-frompyfunc-math', {'sigmoid': '\nimport math\n\n\ndef _stable(t):\n    if t >= 0:\n        return 1.0 / (1.0 + math.exp(-t))\n    e = math.exp(t)\n    return e / (1.0 + e)\n\n\n_vsig = np.frompyfunc(_stable, 1, 1)\n\n\ndef sigmoid(z):\n    return np.asarray(_vsig(z), dtype=z.dtype)\n'}),
    # README: silencing warnings is accepted; values exact (1/(1+inf) = 0)
    Alternative('review-alt-sig-naive-errstate', {'sigmoid': '\ndef sigmoid(z):\n    with np.errstate(over="ignore"):\n        return 1.0 / (1.0 + np.exp(-z))\n'}),
    Alternative('review-alt-sig-divide-where-out', {'sigmoid': '\ndef sigmoid(z):\n    out = np.empty_like(z)\n    e = np.exp(-np.abs(z))\n    neg = z < 0\n    np.divide(1.0, 1.0 + e, out=out, where=~neg)\n    np.divide(e, 1.0 + e, out=out, where=neg)\n    return out\n'}),
    Alternative('review-alt-sig-exp-z-minus-logaddexp', {'sigmoid': '\ndef sigmoid(z):\n    return np.exp(z - np.logaddexp(0, z))\n'}),
    # sigma(-t) = 1 - sigma(t): absolute error below one ulp of 1
    Alternative('review-alt-sig-one-minus-mirror', {'sigmoid': '\ndef sigmoid(z):\n    s = 1.0 / (1.0 + np.exp(-np.abs(z)))      # sigma(|z|), never overflows\n    return np.where(z >= 0, s, 1 - s).astype(z.dtype, copy=False)\n'}),
    Alternative('review-alt-sig-vectorize', {'sigmoid': '\nimport math\n\n\ndef sigmoid(z):\n    f = np.vectorize(lambda t: math.exp(-math.log1p(math.exp(-t))) if t >= 0\n                     else math.exp(t - math.log1p(math.exp(t))), otypes=[z.dtype])\n    return f(z)\n'}),
    # error < 2e-22 absolute (below float eps of the output scale) -- like every tanh form
    Alternative('review-alt-sig-clip-50', {'sigmoid': '\ndef sigmoid(z):\n    return 0.5 * (1.0 + np.tanh(0.5 * np.clip(z, -50, 50)))\n'}),
    # sigma'(z) = 1 / (4 cosh^2(z/2))
    Alternative('review-alt-sg-sech2', {'sigmoid_grad': '\ndef sigmoid_grad(z):\n    with np.errstate(over="ignore"):\n        return 0.25 / np.cosh(0.5 * z) ** 2\n'}),
    # log sigma(z) + log sigma(-z)
    Alternative('review-alt-sg-logaddexp', {'sigmoid_grad': '\ndef sigmoid_grad(z):\n    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))\n'}),
    # 1 - sigma(z) = sigma(-z)
    Alternative('review-alt-sg-product-mirror', {'sigmoid_grad': '\ndef sigmoid_grad(z):\n    return sigmoid(z) * sigmoid(-z)\n'}),
    Alternative('review-alt-mse-reduce', {'mse': '\nimport functools\nimport operator\n\n\ndef mse(y_pred, y_true):\n    d = np.ravel(y_pred - y_true)\n    return functools.reduce(operator.add, (float(v) * float(v) for v in d), 0.0) / d.size\n'}),
    Alternative('review-alt-mse-fsum', {'mse': '\nimport math\n\n\ndef mse(y_pred, y_true):\n    d = np.ravel(np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64))\n    return math.fsum(d * d) / d.size\n'}),
    Alternative('review-alt-mse-vdot', {'mse': '\ndef mse(y_pred, y_true):\n    d = y_pred - y_true\n    return np.vdot(d, d) / d.size\n'}),
    Alternative('review-alt-mse-average-weights', {'mse': '\ndef mse(y_pred, y_true):\n    sq = np.square(np.subtract(y_pred, y_true))\n    return float(np.average(sq, weights=np.ones_like(sq)))\n'}),
    Alternative('review-alt-mse-norm', {'mse': '\ndef mse(y_pred, y_true):\n    d = y_pred - y_true\n    return float(np.linalg.norm(d) ** 2 / d.size)\n'}),
    Alternative('review-alt-mse-dtype-scalar', {'mse': '\ndef mse(y_pred, y_true):\n    d = y_pred - y_true\n    return d.dtype.type(np.sum(d * d) / d.size)      # np.float32 for float32 input\n'}),
    Alternative('review-alt-mseg-multiply', {'mse_grad': '\ndef mse_grad(y_pred, y_true):\n    return np.multiply(np.subtract(y_pred, y_true), 2.0 / np.size(y_pred))\n'}),
    Alternative('review-alt-mseg-einsum', {'mse_grad': '\ndef mse_grad(y_pred, y_true):\n    return np.einsum("...,->...", y_pred - y_true, 2.0 / y_pred.size)\n'}),
    # bias as an extra input column
    Alternative('review-alt-fwd-augmented', {'two_layer_forward': '\ndef two_layer_forward(params, X):\n    ones = np.ones((X.shape[0], 1))\n    h = sigmoid(np.hstack([X, ones]) @ np.vstack([params["W1"], params["b1"][None, :]]))\n    return np.hstack([h, ones]) @ np.vstack([params["W2"], params["b2"][None, :]])\n'}),
    Alternative('review-alt-fwd-tensordot', {'two_layer_forward': '\ndef two_layer_forward(params, X):\n    h = sigmoid(np.tensordot(X, params["W1"], axes=1) + params["b1"])\n    return np.tensordot(h, params["W2"], axes=([1], [0])) + params["b2"]\n'}),
    # bias grads as ones^T dz
    Alternative('review-alt-net-dict-comprehension', {'two_layer_loss_and_grads': '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y = h @ W2 + b2\n    dy = 2 * (y - Y) / Y.size\n    dz = dy @ W2.T * (h * (1 - h))\n    parts = {"W1": (X, dz), "b1": (np.ones(len(X)), dz), "W2": (h, dy), "b2": (np.ones(len(X)), dy)}\n    grads = {k: a.T @ b for k, (a, b) in parts.items()}\n    return np.float64(np.mean((y - Y) ** 2)), grads\n'}),
    Alternative('review-alt-net-per-sample-outer', {'two_layer_loss_and_grads': '\ndef two_layer_loss_and_grads(params, X, Y):\n    grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}\n    total = 0.0\n    M = Y.size\n    for x, t in zip(X, Y):\n        z = x @ params["W1"] + params["b1"]\n        h = sigmoid(z)\n        y = h @ params["W2"] + params["b2"]\n        total += np.sum((y - t) ** 2)\n        dy = 2 * (y - t) / M\n        dz = (params["W2"] @ dy) * sigmoid_grad(z)\n        grads["W2"] += np.outer(h, dy)\n        grads["b2"] += dy\n        grads["W1"] += np.outer(x, dz)\n        grads["b1"] += dz\n    return total / M, grads\n'}),
    # (contract says tuple; list unpacks the same)
    Alternative('review-alt-net-returns-list', {'two_layer_loss_and_grads': '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y_pred = h @ W2 + b2\n    dy = mse_grad(y_pred, Y)\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    return [mse(y_pred, Y), {"W1": X.T @ dz, "b1": dz.sum(0), "W2": h.T @ dy, "b2": dy.sum(0)}]\n'}),
    Alternative('review-alt-ada-add-out', {'adagrad_step': '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = np.empty_like(cache)\n    np.add(cache, np.square(grad), out=new_cache)\n    denom = np.sqrt(new_cache, out=np.empty_like(new_cache))\n    np.add(denom, eps, out=denom)\n    new_param = np.empty_like(param)\n    np.subtract(param, lr * grad / denom, out=new_param)\n    return new_param, new_cache\n'}),
    Alternative('review-alt-ada-hypot', {'adagrad_step': '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    root = np.hypot(np.sqrt(cache), grad)        # sqrt(cache + grad^2)\n    return param - lr * grad / (root + eps), cache + grad * grad\n'}),
    # (contract says tuple)
    Alternative('review-alt-ada-returns-list', {'adagrad_step': '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    new_cache = cache + grad**2\n    return [param - lr * grad / (np.sqrt(new_cache) + eps), new_cache]\n'}),
    # exact count, each element kept with probability exactly 1 - p
    Alternative('review-alt-drop-perm-randomized-round', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    target = (1 - p) * x.size\n    keep = int(np.floor(target))\n    keep += int(rng.random() < target - keep)      # E[keep] = (1 - p) n exactly\n    flat = np.zeros(x.size, dtype=bool)\n    flat[rng.permutation(x.size)[:keep]] = True\n    mask = flat.reshape(x.shape)\n    return np.where(mask, x / (1 - p), 0.0), mask\n'}),
    Alternative('review-alt-drop-choice', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.choice(np.array([False, True]), size=x.shape, p=[p, 1 - p])\n    return x * mask / (1 - p), mask\n'}),
    Alternative('review-alt-drop-exponential', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    # P(E >= t) = exp(-t) = 1 - p for t = -log(1 - p)\n    mask = rng.exponential(size=x.shape) >= -np.log1p(-p)\n    return np.where(mask, x / (1 - p), 0), mask\n'}),
    # mask drawn from a generator seeded by rng
    Alternative('review-alt-drop-derived-generator', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    child = np.random.Generator(np.random.PCG64(rng.integers(2**63)))\n    mask = child.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'}),
    Alternative('review-alt-drop-transposed-draw', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = (rng.uniform(size=x.shape[::-1]) > p).T\n    out = x.copy()\n    out[~mask] = 0\n    out[mask] /= 1 - p\n    return out, mask\n'}),
    # (contract says tuple)
    Alternative('review-alt-drop-returns-list', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return [x, None]\n    mask = rng.random(x.shape) >= p\n    return [np.where(mask, x / (1 - p), 0.0), mask]\n'}),
    # with p = 0 the forward keeps everything, so the mask is all True
    Alternative('review-alt-dback-p0-shortcut', {'dropout_backward': '\ndef dropout_backward(dout, mask, p):\n    if p == 0:                  # nothing was dropped\n        return dout.copy()\n    return dout * mask / (1 - p)\n'}),
    Alternative('review-alt-dback-divide-where', {'dropout_backward': '\ndef dropout_backward(dout, mask, p):\n    return np.divide(dout, 1 - p, out=np.zeros_like(dout), where=mask)\n'}),
    Alternative('review-alt-dback-astype', {'dropout_backward': '\ndef dropout_backward(dout, mask, p):\n    return dout * (mask.astype(dout.dtype) * (1.0 / (1.0 - p)))\n'}),
    # every function replaced
    Alternative('review-alt-all-rewritten', {'sigmoid': '\ndef sigmoid(z):\n    out = np.empty_like(z)\n    e = np.exp(-np.abs(z))\n    neg = z < 0\n    np.divide(1.0, 1.0 + e, out=out, where=~neg)\n    np.divide(e, 1.0 + e, out=out, where=neg)\n    return out\n', 'sigmoid_grad': '\ndef sigmoid_grad(z):\n    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))\n', 'mse': '\ndef mse(y_pred, y_true):\n    d = y_pred - y_true\n    return np.vdot(d, d) / d.size\n', 'mse_grad': '\ndef mse_grad(y_pred, y_true):\n    return np.multiply(np.subtract(y_pred, y_true), 2.0 / np.size(y_pred))\n', 'two_layer_forward': '\ndef two_layer_forward(params, X):\n    ones = np.ones((X.shape[0], 1))\n    h = sigmoid(np.hstack([X, ones]) @ np.vstack([params["W1"], params["b1"][None, :]]))\n    return np.hstack([h, ones]) @ np.vstack([params["W2"], params["b2"][None, :]])\n', 'two_layer_loss_and_grads': '\ndef two_layer_loss_and_grads(params, X, Y):\n    grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}\n    total = 0.0\n    M = Y.size\n    for x, t in zip(X, Y):\n        z = x @ params["W1"] + params["b1"]\n        h = sigmoid(z)\n        y = h @ params["W2"] + params["b2"]\n        total += np.sum((y - t) ** 2)\n        dy = 2 * (y - t) / M\n        dz = (params["W2"] @ dy) * sigmoid_grad(z)\n        grads["W2"] += np.outer(h, dy)\n        grads["b2"] += dy\n        grads["W1"] += np.outer(x, dz)\n        grads["b1"] += dz\n    return total / M, grads\n', 'adagrad_step': '\ndef adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n    root = np.hypot(np.sqrt(cache), grad)        # sqrt(cache + grad^2)\n    return param - lr * grad / (root + eps), cache + grad * grad\n', 'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    mask = rng.choice(np.array([False, True]), size=x.shape, p=[p, 1 - p])\n    return x * mask / (1 - p), mask\n', 'dropout_backward': '\ndef dropout_backward(dout, mask, p):\n    return np.divide(dout, 1 - p, out=np.zeros_like(dout), where=mask)\n'}),
    # x86-64 long double: no overflow for |z| <= 1e4
    Alternative('review-alt-sig-longdouble-naive', {'sigmoid': '\ndef sigmoid(z):\n    w = np.asarray(z, dtype=np.longdouble)     # exp(1e4) fits in 80-bit extended precision\n    return (1 / (1 + np.exp(-w))).astype(z.dtype)\n'}),
    # (a - b)^2 = a^2 - 2ab + b^2
    Alternative('review-alt-mse-expanded-square', {'mse': '\ndef mse(y_pred, y_true):\n    return float(np.mean(y_pred * y_pred) - 2 * np.mean(y_pred * y_true) + np.mean(y_true * y_true))\n'}),
    Alternative('review-alt-net-expanded-loss', {'two_layer_loss_and_grads': '\ndef two_layer_loss_and_grads(params, X, Y):\n    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]\n    z = X @ W1 + b1\n    h = sigmoid(z)\n    y = h @ W2 + b2\n    M = Y.size\n    loss = (np.sum(y * y) - 2 * np.sum(y * Y) + np.sum(Y * Y)) / M\n    dy = (2 * y - 2 * Y) / M\n    dz = (dy @ W2.T) * sigmoid_grad(z)\n    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}\n'}),
    # default_rng(generator) returns the same generator
    Alternative('review-alt-drop-default-rng-of-rng', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    rng = np.random.default_rng(rng)      # a Generator is returned unaltered\n    mask = rng.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'}),
    Alternative('review-alt-drop-p0-shortcut', {'dropout_forward': '\ndef dropout_forward(x, p, rng, train=True):\n    if not 0 <= p < 1:\n        raise ValueError("p must be in [0, 1)")\n    if not train:\n        return x, None\n    if p == 0:\n        return x.copy(), np.ones(x.shape, dtype=bool)\n    mask = rng.random(x.shape) >= p\n    return np.where(mask, x / (1 - p), 0.0), mask\n'}),
    Alternative('review-alt-dback-p0-mask-only', {'dropout_backward': '\ndef dropout_backward(dout, mask, p):\n    if p == 0:\n        return np.where(mask, dout, 0.0)\n    return np.where(mask, dout / (1.0 - p), 0.0)\n'}),
)
