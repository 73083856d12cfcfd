"""hw2's hand-written checks: the properties its declaration cannot derive. Stability at the
extreme logits the contract names, conventions at relu's kink, the rules of minibatches and of
training that need no reference. Judges take (args, got) and raise Fail; properties take the
Context. None of them needs the reference: each runs in the student release too, and the
truth at extreme inputs is computed here, in float64, from the contract's formulas."""

from __future__ import annotations

import numpy as np

from grader.checks import Call, Context, Rng, require_value_errors
from grader.compare import as_float, compare, describe, show
from grader.exercise import Fail
from grader.homeworks.hw2 import bounds
from grader.homeworks.hw2.inputs import VALID_BATCHES

# ------------------------------------------------------------------- helpers ---

_WARNINGS = ("overflow", "divide by zero", "invalid value")


def _require_form(expected: object, got: object, dtype: np.dtype) -> None:
    """Fail unless `got` has the form (type, shape, keys) of `expected`."""
    form = compare(expected, got, dtype, check_values=False)
    if form:
        raise Fail(form.what, expected=form.expected, got=form.got, hint=form.hint, kind=form.kind)


def _no_warning(ctx: Context, call: Call, outcome: object, hint: str) -> None:
    """Fail if the call warned of an overflow, a division by zero or an invalid value (nan)."""
    warned = [w for w in getattr(outcome, "warnings", []) if any(word in w for word in _WARNINGS)]
    if warned:
        raise Fail(f"warned: {warned[0]}", input=ctx.show_call(call), hint=hint)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """The truth, in float64, from the contract's formula with the row maximum subtracted."""
    z = np.asarray(logits, dtype=np.float64)
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _loss_mismatch(expected: float, got: object, dtype: np.dtype, scale: float) -> str | None:
    """What is wrong with a loss `got` where `expected` is right, judged relative to the size of
    the logits (`scale`, their largest magnitude): bounds.EXTREME_LOSS_TOLERANCES."""
    value = as_float(got)
    if np.isnan(value) and not isinstance(got, (float, np.floating)):
        return f"expected a float, got {describe(got)}"
    rtol, atol = bounds.EXTREME_LOSS_TOLERANCES[np.dtype(dtype)]
    if np.isfinite(value) and abs(value - expected) <= rtol * abs(expected) + atol * max(1.0, scale):
        return None
    return f"expected {expected:.10g}, got {value:.10g}"


# ------------------------------------------------------- relu, hard_sigmoid ---

def relu_keeps_positives(args: dict, got: object) -> None:
    """z where z > 0, 0 elsewhere, exactly: the rule of relu, which needs no reference (and lets
    relu_grad's gradient check differentiate the student's own relu in the release)."""
    z = args["z"]
    _require_form(z, got, z.dtype)
    expected = np.where(z > 0, z, 0).astype(np.float64)
    wrong = np.argwhere(np.asarray(got, dtype=np.float64) != expected)
    if len(wrong):
        at = tuple(int(i) for i in wrong[0])
        raise Fail(f"relu(z) must be z where z > 0 and 0 elsewhere: wrong at {list(at)}, where z is {z[at]:g}",
                   got=f"{float(np.asarray(got)[at]):g}", expected=f"{expected[at]:g}",
                   hint="max(z, 0), entry by entry: np.maximum (not np.max, which reduces)")


def relu_grad_is_float(args: dict, got: object) -> None:
    """0.0s and 1.0s of z's dtype: a boolean mask is not a float array."""
    z = args["z"]
    dtype = getattr(got, "dtype", None)
    if dtype is None or dtype.kind != "f":
        raise Fail(f"expected a float array of 0.0s and 1.0s, got {describe(got)}", kind="wrong form",
                   expected=f"{z.dtype} array", got=str(dtype or type(got).__name__),
                   hint="a comparison such as z > 0 gives booleans: convert them with .astype(z.dtype)")


def relu_grad_at_zero(ctx: Context) -> None:
    """relu'(0) = 0, the contract's convention, at exact zeros among other values, and alone."""
    calls = [Call((np.array(values, dtype=dtype),)) for dtype in (np.float64, np.float32)
             for values in ([-2.0, 0.0, 3.0, 0.0, -0.0], 0.0, [[0.0, 1.0], [-1.0, 0.0]])]
    for call, got in zip(calls, ctx.values(calls)):
        z = call.args[0]
        values = np.asarray(got, dtype=np.float64) if isinstance(got, (np.ndarray, np.generic)) else None
        if values is None or values.shape != z.shape:
            raise Fail(f"expected an array of shape {z.shape}, got {describe(got)}", input=ctx.show_call(call),
                       kind="wrong form")
        expected = (z > 0).astype(np.float64)
        if not np.array_equal(values, expected):
            zero = bool(np.any(values[z == 0] != 0))
            raise Fail("relu_grad(0) must be 0: at the kink the contract takes the derivative as 0" if zero else
                       "relu_grad must be 1 where z > 0 and 0 where z < 0", input=ctx.show_call(call),
                       expected=show(expected), got=show(got), **ctx.hinted(
                           call, got, fallback="z > 0, not z >= 0: the derivative at the kink is taken as 0"
                           if zero else None))


def hard_sigmoid_rule(args: dict, got: object) -> None:
    """0 for z <= -1, (z + 1) / 2 in between, 1 for z >= 1: the contract's rule."""
    z = args["z"]
    _require_form(z, got, z.dtype)
    expected = np.clip((z.astype(np.float64) + 1) / 2, 0.0, 1.0)
    mismatch = compare(expected, got, z.dtype)
    if mismatch:
        raise Fail(f"hard_sigmoid(z) is 0 for z <= -1, (z + 1) / 2 in between, 1 for z >= 1: {mismatch.what}",
                   expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                   hint="(relu(z + 1) - relu(z - 1)) / 2: mind both shifts and the division by 2")


# --------------------------------------------------------------- softmax ---

def rows_are_distributions(args: dict, got: object) -> None:
    """Each row of softmax is a probability distribution: entries in [0, 1], summing to 1."""
    logits = args["logits"]
    _require_form(logits, got, logits.dtype)
    out = np.asarray(got, dtype=np.float64)
    sums = out.sum(axis=1)
    slack = 1e-5 if logits.dtype == np.float32 else 1e-12
    if not np.all(np.isfinite(out)) or np.any(out < -slack) or np.any(out > 1 + slack) \
            or not np.allclose(sums, 1, rtol=0, atol=slack * logits.shape[1]):
        raise Fail("the rows are not probability distributions (entries in [0, 1], each row summing to 1)",
                   got=f"row sums {np.array2string(sums, precision=8)}",
                   hint="normalize each row by its own sum: np.sum(e, axis=1, keepdims=True)")


# Rows of the extreme logits the contract names: equal huge values, one huge among tiny ones,
# huge of both signs, and 89 (exp(89) overflows float32, exp(710) float64). All are exact in float32.
EXTREME_ROWS = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4], [1e4, 9999.0, -1e4],
                         [-1e4, -9999.0, -9998.0], [0.0, 0.0, 1e4], [1e4, 1e-3, -1e-3], [89.0, 0.0, -89.0],
                         [800.0, 799.0, -800.0], [-800.0, -799.0, 0.0]])
EXTREME_LABELS = np.array([2, 0, 1, 1, 0, 0, 1, 0, 2, 1])  # confidently wrong and confidently right


def _extreme_logit_calls(with_labels: bool) -> list[Call]:
    """The extreme rows as one matrix and one row at a time, in float64 and float32."""
    calls = []
    for dtype in (np.float64, np.float32):
        logits = EXTREME_ROWS.astype(dtype)
        parts = [(logits, EXTREME_LABELS)] + [(logits[i:i + 1], EXTREME_LABELS[i:i + 1]) for i in (0, 1, 5, 7)]
        calls.extend(Call((z, y) if with_labels else (z,)) for z, y in parts)
    return calls


SOFTMAX_HINT = ("exp overflows beyond about 709 (88 in float32): subtract each row's maximum first, which leaves "
                "the softmax unchanged and makes every exponent <= 0")


def _require_stable_array(ctx: Context, call: Call, outcome: object, expected: np.ndarray, hint: str) -> None:
    got = ctx.value_of(outcome, call)
    _no_warning(ctx, call, outcome, hint)
    dtype = call.args[0].dtype
    mismatch = compare(expected, got, dtype, tolerances=bounds.STABLE_TOLERANCES)
    if mismatch:
        values = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else None
        unstable = values is not None and values.shape == expected.shape and not np.isfinite(values).all()
        raise Fail(f"{'not stable' if unstable else 'wrong'} for large logits: {mismatch.what}",
                   input=ctx.show_call(call), expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                   hint=hint if unstable else mismatch.hint)


def softmax_is_stable(ctx: Context) -> None:
    """Right for |logits| up to 1e4, with no overflow warning, no nan or inf."""
    calls = _extreme_logit_calls(with_labels=False)
    for call, outcome in zip(calls, ctx.call(calls)):
        _require_stable_array(ctx, call, outcome, np.exp(_log_softmax(call.args[0])), SOFTMAX_HINT)


# ---------------------------------------------------------- cross-entropy ---

LOSS_HINT = ("compute the loss from the logits with the log-sum-exp trick: log softmax = (z - m) - log sum exp(z - m) "
             "with m the row maximum; log(softmax(z)) is log(0) = -inf for a confidently wrong prediction")


def cross_entropy_is_stable(ctx: Context) -> None:
    """Finite, warning-free and right for |logits| up to 1e4: a confidently wrong prediction
    costs a large finite loss (2e4), not inf."""
    calls = _extreme_logit_calls(with_labels=True)
    for call, outcome in zip(calls, ctx.call(calls)):
        got = ctx.value_of(outcome, call)
        _no_warning(ctx, call, outcome, LOSS_HINT)
        logits, y = call.args
        expected = float(-np.mean(_log_softmax(logits)[np.arange(len(y)), y]))
        wrong = _loss_mismatch(expected, got, logits.dtype, float(np.max(np.abs(logits))))
        if wrong:
            finite = np.isfinite(as_float(got))
            raise Fail(f"{'wrong' if finite else 'not stable'} for large logits: {wrong}", input=ctx.show_call(call),
                       expected=f"{expected:.10g}", got=show(got), kind="wrong value",
                       **ctx.hinted(call, got, fallback=None if finite else LOSS_HINT))


def cross_entropy_rules(ctx: Context) -> None:
    """Rules that need no reference: equal logits give log C whatever the labels; adding a
    constant to a row changes nothing; a loss is never negative."""
    rng = np.random.default_rng(21)
    base = rng.standard_normal((4, 5))
    y = np.array([0, 4, 2, 2])
    cases = [(Call((np.full((3, 4), 2.5), np.array([0, 3, 1]))), np.log(4), "with all logits equal, the loss is log C"),
             (Call((np.zeros((2, 6)), np.array([5, 5]))), np.log(6), "with all logits equal, the loss is log C")]
    reference = Call((base, y))
    shifted = Call((base + np.array([[3.0], [-7.0], [0.5], [40.0]]), y))
    got_base, got_shifted, *gots = ctx.values([reference, shifted] + [call for call, _, _ in cases])
    for (call, expected, rule), got in zip(cases, gots):
        if _loss_mismatch(expected, got, np.float64, 1.0):
            raise Fail(f"{rule} (log {call.args[0].shape[1]} = {expected:.6g})", input=ctx.show_call(call),
                       expected=f"{expected:.10g}", got=show(got), **ctx.hinted(call, got))
    if not (as_float(got_base) >= 0) or _loss_mismatch(as_float(got_base), got_shifted, np.float64, 40.0):
        raise Fail("adding a constant to a row of logits must leave the loss unchanged, and a loss is >= 0",
                   input=f"{ctx.show_call(reference)} and {ctx.show_call(shifted)}",
                   got=f"{show(got_base)} and {show(got_shifted)}", **ctx.hinted(reference, got_base))


def cross_entropy_grad_is_stable(ctx: Context) -> None:
    """(softmax - onehot) / N right for |logits| up to 1e4, with no warning, no nan or inf."""
    calls = _extreme_logit_calls(with_labels=True)
    for call, outcome in zip(calls, ctx.call(calls)):
        logits, y = call.args
        expected = np.exp(_log_softmax(logits))
        expected[np.arange(len(y)), y] -= 1
        _require_stable_array(ctx, call, outcome, expected / len(y), SOFTMAX_HINT)


def binary_cross_entropy_is_stable(ctx: Context) -> None:
    """Finite, warning-free and right for |z| up to 1e4, labels as integers or floats."""
    z = np.array([1e4, -1e4, 1e4, -1e4, 800.0, -800.0, 89.0, -89.0, 0.0, 50.0])
    y = np.array([0, 1, 1, 0, 0, 1, 1, 0, 1, 0])
    calls = [Call((z.astype(dtype), labels)) for dtype in (np.float64, np.float32)
             for labels in (y, y.astype(dtype))]
    calls += [Call((z[i:i + 1].astype(dtype), y[i:i + 1])) for dtype in (np.float64, np.float32) for i in (0, 1)]
    for call, outcome in zip(calls, ctx.call(calls)):
        got = ctx.value_of(outcome, call)
        hint = ("log sigma(z) = -log(1 + exp(-z)) and log(1 - sigma(z)) = -log(1 + exp(z)): each term is "
                "log(1 + exp(z)) - y z, and np.logaddexp(0, z) computes log(1 + exp(z)) without overflow")
        _no_warning(ctx, call, outcome, hint)
        zs, labels = call.args
        z64 = zs.astype(np.float64)
        expected = float(np.mean(np.logaddexp(0.0, z64) - labels * z64))
        wrong = _loss_mismatch(expected, got, zs.dtype, float(np.max(np.abs(z64))))
        if wrong:
            finite = np.isfinite(as_float(got))
            raise Fail(f"{'wrong' if finite else 'not stable'} for large |z|: {wrong}", input=ctx.show_call(call),
                       expected=f"{expected:.10g}", got=show(got), kind="wrong value",
                       **ctx.hinted(call, got, fallback=None if finite else hint))


# ---------------------------------------------------------------- network ---

def forward_of_special_weights(ctx: Context) -> None:
    """With W1 = 0 every hidden unit is relu(b1): with b1 < 0 each row of logits is b2, with b1 > 0
    it is b1 W2 + b2. Rows of X that are equal give equal rows. No reference needed."""
    rng = np.random.default_rng(22)
    n, d, h, c = 3, 4, 5, 2
    W2, b2, X = rng.standard_normal((h, c)), rng.standard_normal(c), rng.standard_normal((n, d))
    b1 = np.abs(rng.standard_normal(h)) + 0.5
    cases = [({"W1": np.zeros((d, h)), "b1": -b1, "W2": W2, "b2": b2}, b2, "b1 < 0: every hidden unit is off"),
             ({"W1": np.zeros((d, h)), "b1": b1, "W2": W2, "b2": b2}, b1 @ W2 + b2, "b1 > 0: hidden units are b1")]
    calls = [Call((params, X)) for params, _, _ in cases]
    for call, got, (_, row, what) in zip(calls, ctx.values(calls), cases):
        mismatch = compare(np.tile(row, (n, 1)), got, np.float64)
        if mismatch:
            raise Fail(f"with W1 = 0 and {what}: {mismatch.what}", input=ctx.show_call(call),
                       expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                       **ctx.hinted(call, got, fallback="logits = relu(X W1 + b1) W2 + b2"))


def relu_grad_is_zero_at_zero_in_the_network(ctx: Context) -> None:
    """A hidden unit whose pre-activation is exactly 0 for every example passes no gradient
    (relu'(0) = 0): its column of dW1 and its entry of db1 are 0."""
    rng = np.random.default_rng(23)
    W1 = rng.standard_normal((2, 4))
    W1[:, 1] = 0.0
    b1 = rng.standard_normal(4)
    b1[1] = 0.0
    params = {"W1": W1, "b1": b1, "W2": rng.standard_normal((4, 3)), "b2": rng.standard_normal(3)}
    call = Call((params, rng.standard_normal((5, 2)), np.array([0, 2, 1, 1, 0])))
    (got,) = ctx.values([call])
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[1], dict)):
        raise Fail(f"expected a tuple (loss, grads), got {describe(got)}", input=ctx.show_call(call),
                   kind="wrong form")
    grads = got[1]
    try:
        dW1, db1 = np.asarray(grads["W1"], dtype=np.float64), np.asarray(grads["b1"], dtype=np.float64)
        at_kink = np.concatenate([dW1[:, 1], np.atleast_1d(db1[1])])
    except (KeyError, IndexError, TypeError, ValueError):
        raise Fail(f"expected grads with W1 of shape (2, 4) and b1 of shape (4,), got {show(grads, 200)}",
                   input=ctx.show_call(call), kind="wrong form") from None
    if np.any(np.abs(at_kink) > 1e-12):
        raise Fail("hidden unit 1 has pre-activation exactly 0 for every example, so relu'(0) = 0 stops its "
                   "gradient: dW1[:, 1] and db1[1] must be 0", input=ctx.show_call(call),
                   expected="dW1[:, 1] = [0, 0], db1[1] = 0",
                   got=f"dW1[:, 1] = {show(dW1[:, 1])}, db1[1] = {db1[1]:.6g}",
                   hint="multiply by relu'(z) = (z > 0), not (z >= 0): the derivative at the kink is taken as 0")


# ----------------------------------------------------------- minibatches ---

def batches_partition(args: dict, got: object) -> None:
    """A list of 1-d integer arrays: batch_size indices each but a smaller, non-empty last one,
    together each of 0 .. n - 1 exactly once."""
    n, size = args["n"], args["batch_size"]
    if not isinstance(got, list):
        raise Fail(f"expected a list of index arrays, got {describe(got)}", kind="wrong form",
                   hint="return a list (not a generator, not a 2-d array): batches may differ in size")
    for i, batch in enumerate(got):
        if not (isinstance(batch, np.ndarray) and batch.ndim == 1 and batch.dtype.kind in "iu"):
            raise Fail(f"batch {i} must be a 1-d integer array, got {describe(batch)}", kind="wrong form")
    sizes = [len(b) for b in got]
    full, rest = divmod(n, size)
    expected = [size] * full + ([rest] if rest else [])
    if sizes != expected:
        raise Fail(f"expected batches of sizes {expected}, got {sizes}", expected=str(expected), got=str(sizes),
                   hint="consecutive chunks of batch_size; the last holds the remainder (never empty, never dropped)")
    together = np.sort(np.concatenate(got)) if got else np.array([], dtype=int)
    if not np.array_equal(together, np.arange(n)):
        raise Fail("together the batches must hold each of 0 .. n - 1 exactly once", got=show(got),
                   hint="shuffle once with rng.permutation(n), then cut the permutation into chunks")


def minibatches_raise_for_bad_sizes(ctx: Context) -> None:
    """ValueError unless n >= 1 and batch_size >= 1; and valid sizes are answered."""
    calls = [Call((n, size, Rng(i))) for i, (n, size) in enumerate(((5, 0), (10, -1), (0, 3), (0, 0), (-2, 4)))]
    require_value_errors(ctx, calls, "n < 1 or batch_size < 1",
                         "check n and batch_size first, and raise ValueError unless both are at least 1",
                         valid=VALID_BATCHES)


def minibatches_come_from_the_generator(ctx: Context) -> None:
    """The same seed gives the same batches, whatever numpy's global RNG does; another seed others."""
    same = Call((16, 5, Rng(ctx.seed(31))))
    first, again = (ctx.values([same], global_seed=g)[0] for g in (1, 2))
    other = ctx.values([Call((16, 5, Rng(ctx.seed(31) + 1)))], global_seed=1)[0]

    def as_lists(batches: object) -> list | None:
        try:
            return [np.asarray(b).tolist() for b in batches]
        except TypeError:
            return None

    if as_lists(first) is None or as_lists(first) != as_lists(again):
        raise Fail("the same generator seed gave different batches", input=f"{ctx.show_call(same)}, twice",
                   got=f"{show(first, 200)} and {show(again, 200)}",
                   hint="draw the permutation from the rng argument (rng.permutation), never from np.random.*")
    if as_lists(first) == as_lists(other):
        raise Fail("generators with different seeds gave the same batches", input=ctx.show_call(same),
                   hint="draw the permutation from the rng you are given, not from a generator of your own")


# --------------------------------------------------------------- sgd_step ---

def sgd_rule(args: dict, got: object) -> None:
    """params[k] - lr * grads[k] for every key of params: the contract's rule, needing no reference."""
    params, grads, lr = args["params"], args["grads"], args["lr"]
    dtype = next(iter(params.values())).dtype
    expected = {k: params[k].astype(np.float64) - lr * grads[k].astype(np.float64) for k in params}
    mismatch = compare(expected, got, dtype)
    if mismatch:
        raise Fail(f"sgd_step must return params[k] - lr * grads[k] for every key: {mismatch.what}",
                   expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                   hint=mismatch.hint or "gradient descent steps against the gradient, scaled by the learning rate")


# ------------------------------------------------------------ train_epoch ---

def _blobs() -> tuple[dict, np.ndarray, np.ndarray]:
    """A learnable toy problem: three well-separated blobs in 2-d, 60 points, and a small network."""
    rng = np.random.default_rng(24)
    centres = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    y = np.repeat(np.arange(3), 20)
    X = centres[y] + 0.4 * rng.standard_normal((60, 2))
    params = {"W1": 0.5 * rng.standard_normal((2, 8)), "b1": np.zeros(8),
              "W2": 0.5 * rng.standard_normal((8, 3)), "b2": np.zeros(3)}
    return params, X, y


def losses_are_float64(args: dict, got: object) -> None:
    """losses: a float64 array, one entry per minibatch."""
    batches = -(-len(args["X"]) // args["batch_size"])
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        raise Fail(f"expected a tuple (new_params, losses), got {describe(got)}", kind="wrong form")
    losses = got[1]
    if not (isinstance(losses, np.ndarray) and losses.dtype == np.float64 and losses.shape == (batches,)):
        raise Fail(f"losses must be a float64 array of shape ({batches},), one entry per minibatch, got "
                   f"{describe(losses)}", kind="wrong form",
                   hint="collect the losses in a list and return np.array(losses, dtype=np.float64)")


def train_epoch_learns(ctx: Context) -> None:
    """Five epochs on three blobs, each from the parameters the last one returned: the mean
    minibatch loss falls (bounds.LEARNS_FACTOR); the arrays passed in are never changed."""
    params, X, y = _blobs()
    first_mean = None
    for epoch in range(5):
        kept = {k: v.copy() for k, v in params.items()}
        call = Call((params, X, y, 0.5, 10, Rng(ctx.seed(40) + epoch)))
        (got,) = ctx.values([call])
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[0], dict)):
            raise Fail(f"expected a tuple (new_params, losses), got {describe(got)}", input=ctx.show_call(call),
                       kind="wrong form")
        new, losses = got
        _require_form(params, new, np.float64)
        mean = float(np.mean(np.asarray(losses, dtype=np.float64)))
        if not np.isfinite(mean) or np.size(losses) != 6:
            raise Fail(f"expected 6 finite losses (60 examples in batches of 10), got {show(losses)}",
                       input=ctx.show_call(call))
        if any(not np.array_equal(kept[k], params[k]) for k in params):
            raise Fail("train_epoch changed the params it was given", input=ctx.show_call(call),
                       hint="sgd_step returns a new dict of new arrays: never update params[k] in place")
        first_mean = mean if first_mean is None else first_mean
        params = new
    if not mean < bounds.LEARNS_FACTOR * first_mean:
        raise Fail(f"the loss does not fall on an easy problem: mean minibatch loss {first_mean:.4g} in the "
                   f"first epoch, {mean:.4g} in the fifth", input="three separated blobs in 2-d, 60 points, "
                   "lr = 0.5, batch_size = 10, five epochs each from the last one's params",
                   hint="each step is params - lr * grads, with the gradients of that minibatch's loss")


# --------------------------------------------------------------- accuracy ---

def accuracy_of_known_predictions(ctx: Context) -> None:
    """1.0 where every label is the row's argmax, 0.0 where none is, ties going to the first index."""
    rng = np.random.default_rng(25)
    logits = rng.standard_normal((7, 4))
    best = np.argmax(logits, axis=1)
    ties = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [5.0, 5.0, 5.0]])
    cases = [(Call((logits, best)), 1.0), (Call((logits, (best + 1) % 4)), 0.0),
             (Call((logits, np.where(np.arange(7) < 3, best, (best + 2) % 4))), 3 / 7),
             (Call((ties, np.array([0, 1, 0]))), 1.0), (Call((ties, np.array([1, 2, 2]))), 0.0)]
    calls = [call for call, _ in cases]
    for (call, expected), got in zip(cases, ctx.values(calls)):
        value = as_float(got)
        if not (isinstance(got, (float, np.floating)) or np.ndim(got) == 0) or not abs(value - expected) < 1e-12:
            raise Fail(f"expected an accuracy of {expected:.6g}, got {show(got)}", input=ctx.show_call(call),
                       expected=f"{expected:.6g}", got=show(got),
                       **ctx.hinted(call, got, fallback="the predicted class is np.argmax(logits, axis=1) (the "
                                                         "first index on ties); the accuracy is the mean of "
                                                         "(predicted == y)"))
