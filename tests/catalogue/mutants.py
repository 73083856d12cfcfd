"""Wrong implementations of hw1, one bug each, as students really write them.

Each mutant replaces one function of the reference solution. The grader must
take points from that function and leave every other function at full marks,
except the functions that call the broken one (in the reference), which may
lose points with it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Which reference functions call which: a bug in the key may cost the values points too.
CALLERS: dict[str, frozenset[str]] = {
    "sigmoid": frozenset({"sigmoid_grad", "two_layer_forward", "two_layer_loss_and_grads"}),
    "sigmoid_grad": frozenset({"two_layer_loss_and_grads"}),
    "mse": frozenset({"two_layer_loss_and_grads"}),
    "mse_grad": frozenset({"two_layer_loss_and_grads"}),
}


@dataclass(frozen=True)
class Mutant:
    id: str
    function: str  # the function the bug is in
    source: str  # the complete replacement `def` of that function
    dependents: frozenset[str]  # functions that may legitimately lose points too


def _mutant(id: str, function: str, source: str) -> Mutant:
    return Mutant(id, function, source, CALLERS.get(function, frozenset()))


MUTANTS: tuple[Mutant, ...] = (
    # ----------------------------------------------------------- sigmoid ---
    _mutant("sigmoid-sign-error", "sigmoid", '''
        def sigmoid(z):
            return 1.0 / (1.0 + np.exp(z))
    '''),
    _mutant("sigmoid-naive-exp", "sigmoid", '''
        def sigmoid(z):
            return 1.0 / (1.0 + np.exp(-z))
    '''),
    _mutant("sigmoid-where-both-branches", "sigmoid", '''
        def sigmoid(z):
            return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
    '''),
    _mutant("sigmoid-branches-swapped", "sigmoid", '''
        def sigmoid(z):
            out = np.empty_like(z)
            pos = z >= 0
            e = np.exp(z[pos])
            out[pos] = e / (1.0 + e)
            out[~pos] = 1.0 / (1.0 + np.exp(-z[~pos]))
            return out
    '''),
    _mutant("sigmoid-tanh-without-half", "sigmoid", '''
        def sigmoid(z):
            return 0.5 * (1.0 + np.tanh(z))
    '''),
    _mutant("sigmoid-float64-for-float32", "sigmoid", '''
        def sigmoid(z):
            z = np.asarray(z, dtype=np.float64)
            return np.exp(-np.logaddexp(0.0, -z))
    '''),
    _mutant("sigmoid-zeros-output-float64", "sigmoid", '''
        def sigmoid(z):
            out = np.zeros(np.shape(z))
            pos = z >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
            e = np.exp(z[~pos])
            out[~pos] = e / (1.0 + e)
            return out
    '''),
    _mutant("sigmoid-modifies-z-in-place", "sigmoid", '''
        def sigmoid(z):
            pos = z >= 0
            e = np.exp(z[~pos])
            z[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
            z[~pos] = e / (1.0 + e)
            return z
    '''),
    _mutant("sigmoid-numerator-exp-minus-z", "sigmoid", '''
        def sigmoid(z):
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
    '''),
    # ------------------------------------------------------ sigmoid_grad ---
    _mutant("sigmoid_grad-of-z-itself", "sigmoid_grad", '''
        def sigmoid_grad(z):
            return z * (1.0 - z)
    '''),
    _mutant("sigmoid_grad-sigma-twice", "sigmoid_grad", '''
        def sigmoid_grad(z):
            s = sigmoid(sigmoid(z))
            return s * (1.0 - s)
    '''),
    _mutant("sigmoid_grad-plus-instead-of-minus", "sigmoid_grad", '''
        def sigmoid_grad(z):
            s = sigmoid(z)
            return s * (1.0 + s)
    '''),
    _mutant("sigmoid_grad-missing-minus-chain-rule", "sigmoid_grad", '''
        def sigmoid_grad(z):
            s = sigmoid(z)
            return -s * (1.0 - s)
    '''),
    # --------------------------------------------------------------- mse ---
    _mutant("mse-sum-not-mean", "mse", '''
        def mse(y_pred, y_true):
            return float(np.sum((y_pred - y_true) ** 2))
    '''),
    _mutant("mse-divide-by-rows", "mse", '''
        def mse(y_pred, y_true):
            return float(np.sum((y_pred - y_true) ** 2) / y_pred.shape[0])
    '''),
    _mutant("mse-half-factor", "mse", '''
        def mse(y_pred, y_true):
            return float(0.5 * np.mean((y_pred - y_true) ** 2))
    '''),
    _mutant("mse-no-square", "mse", '''
        def mse(y_pred, y_true):
            return float(np.mean(np.abs(y_pred - y_true)))
    '''),
    _mutant("mse-sqrt", "mse", '''
        def mse(y_pred, y_true):
            return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))
    '''),
    _mutant("mse-half-sum", "mse", '''
        def mse(y_pred, y_true):
            return float(0.5 * np.sum((y_pred - y_true) ** 2))
    '''),
    _mutant("mse-array-of-shape-1", "mse", '''
        def mse(y_pred, y_true):
            return np.atleast_1d(np.mean((y_pred - y_true) ** 2))
    '''),
    # ---------------------------------------------------------- mse_grad ---
    _mutant("mse_grad-missing-2", "mse_grad", '''
        def mse_grad(y_pred, y_true):
            return (y_pred - y_true) / y_pred.size
    '''),
    _mutant("mse_grad-divide-by-rows", "mse_grad", '''
        def mse_grad(y_pred, y_true):
            return 2.0 * (y_pred - y_true) / y_pred.shape[0]
    '''),
    _mutant("mse_grad-difference-only", "mse_grad", '''
        def mse_grad(y_pred, y_true):
            return y_pred - y_true
    '''),
    _mutant("mse_grad-sign", "mse_grad", '''
        def mse_grad(y_pred, y_true):
            return 2.0 * (y_true - y_pred) / y_pred.size
    '''),
    _mutant("mse_grad-no-mean", "mse_grad", '''
        def mse_grad(y_pred, y_true):
            return 2.0 * (y_pred - y_true)
    '''),
    # ------------------------------------------------- two_layer_forward ---
    _mutant("forward-missing-b1", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = sigmoid(X @ params["W1"])
            return h @ params["W2"] + params["b2"]
    '''),
    _mutant("forward-missing-b2", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = sigmoid(X @ params["W1"] + params["b1"])
            return h @ params["W2"]
    '''),
    _mutant("forward-no-sigmoid", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = X @ params["W1"] + params["b1"]
            return h @ params["W2"] + params["b2"]
    '''),
    _mutant("forward-W1-transposed", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = sigmoid(X @ params["W1"].T + params["b1"])
            return h @ params["W2"] + params["b2"]
    '''),
    _mutant("forward-output-transposed", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = sigmoid(params["W1"].T @ X.T + params["b1"][:, None])
            return params["W2"].T @ h + params["b2"][:, None]
    '''),
    _mutant("forward-sigmoid-on-output", "two_layer_forward", '''
        def two_layer_forward(params, X):
            h = sigmoid(X @ params["W1"] + params["b1"])
            return sigmoid(h @ params["W2"] + params["b2"])
    '''),
    # ------------------------------------------ two_layer_loss_and_grads ---
    _mutant("net-dz-sigma-prime-of-h", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = (dy @ W2.T) * sigmoid_grad(h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-missing-sigmoid-derivative", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = dy @ W2.T
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-dy-missing-2", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = np.mean((y_pred - Y) ** 2)
            dy = (y_pred - Y) / y_pred.size
            dz = (dy @ W2.T) * h * (1 - h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-dy-divided-by-N", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            N = X.shape[0]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = 2 * (y_pred - Y) / N
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-bias-grads-mean", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"W1": X.T @ dz, "b1": dz.mean(axis=0), "W2": h.T @ dy, "b2": dy.mean(axis=0)}
            return loss, grads
    '''),
    _mutant("net-dW2-transposed", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": dy.T @ h, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-grads-wrong-key-names", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"dW1": X.T @ dz, "db1": dz.sum(axis=0), "dW2": h.T @ dy, "db2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-dW1-skips-sigmoid-derivative", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dh = dy @ W2.T
            dz = dh * sigmoid_grad(z)
            grads = {"W1": X.T @ dh, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-half-loss-consistent-grads", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = 0.5 * np.mean((y_pred - Y) ** 2)
            dy = (y_pred - Y) / y_pred.size
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant("net-updates-params-in-place", "two_layer_loss_and_grads", '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = mse(y_pred, Y)
            dy = mse_grad(y_pred, Y)
            dz = (dy @ W2.T) * sigmoid_grad(z)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            for key in params:
                params[key] -= 1e-3 * grads[key]
            return loss, grads
    '''),
    _mutant('net-dy-difference-only', 'two_layer_loss_and_grads', '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = np.mean((y_pred - Y) ** 2)
            dy = y_pred - Y
            dz = (dy @ W2.T) * h * (1 - h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant('net-dy-no-mean', 'two_layer_loss_and_grads', '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = np.mean((y_pred - Y) ** 2)
            dy = 2 * (y_pred - Y)
            dz = (dy @ W2.T) * h * (1 - h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant('net-loss-summed', 'two_layer_loss_and_grads', '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = np.sum((y_pred - Y) ** 2)
            dy = 2 * (y_pred - Y) / y_pred.size
            dz = (dy @ W2.T) * h * (1 - h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    _mutant('net-loss-halved', 'two_layer_loss_and_grads', '''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            z = X @ W1 + b1
            h = sigmoid(z)
            y_pred = h @ W2 + b2
            loss = 0.5 * np.mean((y_pred - Y) ** 2)
            dy = 2 * (y_pred - Y) / y_pred.size
            dz = (dy @ W2.T) * h * (1 - h)
            grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
            return loss, grads
    '''),
    # ------------------------------------------------------ adagrad_step ---
    _mutant("adagrad-eps-inside-sqrt", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            return param - lr * grad / np.sqrt(new_cache + eps), new_cache
    '''),
    _mutant("adagrad-no-accumulation", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = grad**2
            return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache
    '''),
    _mutant("adagrad-old-cache-in-update", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_param = param - lr * grad / (np.sqrt(cache) + eps)
            return new_param, cache + grad**2
    '''),
    _mutant("adagrad-param-in-place", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            param -= lr * grad / (np.sqrt(new_cache) + eps)
            return param, new_cache
    '''),
    _mutant("adagrad-cache-in-place", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            cache += grad**2
            return param - lr * grad / (np.sqrt(cache) + eps), cache
    '''),
    _mutant("adagrad-sign", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            return param + lr * grad / (np.sqrt(new_cache) + eps), new_cache
    '''),
    _mutant("adagrad-missing-sqrt", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            return param - lr * grad / (new_cache + eps), new_cache
    '''),
    _mutant("adagrad-eps-argument-ignored", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            return param - lr * grad / (np.sqrt(new_cache) + 1e-8), new_cache
    '''),
    _mutant("adagrad-lr-argument-ignored", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache + grad**2
            return param - 0.01 * grad / (np.sqrt(new_cache) + eps), new_cache
    '''),
    _mutant("adagrad-wrong-default-lr", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-3, eps=1e-8):
            new_cache = cache + grad**2
            return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache
    '''),
    _mutant("adagrad-wrong-default-eps", "adagrad_step", '''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-7):
            new_cache = cache + grad**2
            return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache
    '''),
    # --------------------------------------------------- dropout_forward ---
    _mutant("dropout-p-as-keep-probability", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = rng.random(x.shape) < p
            return x * mask / p, mask
    '''),
    _mutant("dropout-no-scaling", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask, mask
    '''),
    _mutant("dropout-global-np-random", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = np.random.rand(*x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-own-default-rng", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            rng = np.random.default_rng(0)
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-accepts-p-1", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if p < 0 or p > 1:
                raise ValueError("p must be in [0, 1]")
            if not train:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-accepts-negative-p", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if p >= 1:
                raise ValueError("p must be below 1")
            if not train:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-assert-not-valueerror", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            assert 0 <= p < 1, "p must be in [0, 1)"
            if not train:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-rejects-p-0", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 < p < 1:
                raise ValueError("p must be in (0, 1)")
            if not train:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-p-0-returns-no-mask", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train or p == 0:
                return x, None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-eval-scales-by-keep-probability", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x * (1 - p), None
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-eval-still-drops", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            mask = rng.random(x.shape) >= p
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-mask-float", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = (rng.random(x.shape) >= p).astype(x.dtype)
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-mask-int", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = rng.binomial(1, 1 - p, size=x.shape)
            return x * mask / (1 - p), mask
    '''),
    _mutant("dropout-mask-inverted", "dropout_forward", '''
        def dropout_forward(x, p, rng, train=True):
            if not 0 <= p < 1:
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = rng.random(x.shape) < p  # the dropped ones
            out = x / (1 - p)
            out[mask] = 0
            return out, mask
    '''),
    # -------------------------------------------------- dropout_backward ---
    _mutant("dropout_backward-missing-scaling", "dropout_backward", '''
        def dropout_backward(dout, mask, p):
            return dout * mask
    '''),
    _mutant("dropout_backward-times-keep-probability", "dropout_backward", '''
        def dropout_backward(dout, mask, p):
            return dout * mask * (1 - p)
    '''),
    _mutant("dropout_backward-ignores-mask", "dropout_backward", '''
        def dropout_backward(dout, mask, p):
            return dout / (1 - p)
    '''),
    _mutant("dropout_backward-divides-by-p", "dropout_backward", '''
        def dropout_backward(dout, mask, p):
            return dout * mask / p
    '''),
)
