"""hw1's hand-written checks: the properties its declaration cannot derive (stability at
extreme inputs, dropout statistics, rules that need no reference) and its gradient checks.
Each is a function of the Context that raises Fail."""

from __future__ import annotations

import numpy as np

from grader import settings
from grader.checks import Call, Context, Rng, ahead, require_masks_from_the_generator, require_value_errors
from grader.compare import Mismatch, as_float, compare, describe, show
from grader.exercise import Fail
from grader.gradcheck import numerical_gradient
from grader.gradient import require_gradients
from grader.homeworks.hw1 import bounds

# ------------------------------------------------------------------- helpers ---


def _problems(seed: int, count: int = settings.GRADCHECK_PROBLEMS) -> list[np.random.Generator]:
    return [np.random.default_rng([seed, i]) for i in range(count)]


def _shape(rng: np.random.Generator) -> tuple[int, int]:
    n, c = rng.choice(np.arange(2, 7), size=2, replace=False)
    return int(n), int(c)  # distinct, C > 1


def _require_gradient(ctx: Context, call: Call, got: object, analytic: object, numeric: dict, scale: float) -> None:
    """Fail unless `analytic` (from the student's result `got`) matches the numerical gradient."""
    form = compare(numeric, analytic, np.float64, "gradient", check_values=False)
    if form:
        raise Fail(f"gradient of the wrong form: {form.what}", input=ctx.show_call(call),
                   expected=form.expected, got=form.got, hint=form.hint, kind=form.kind)
    require_gradients(ctx, call, got, analytic, numeric, scale)


# ----------------------------------------------------------------- sigmoid ---

EXTREMES = np.array([-1e4, -1e3, -745.0, -100.0, -89.0, -50.0, -20.0, -1e-8, 0.0,
                     1e-8, 20.0, 50.0, 89.0, 100.0, 745.0, 1e3, 1e4])


def _extreme_calls() -> list[Call]:
    """EXTREMES as one array, and each as a 0-d array (code may branch on z.ndim), in both precisions."""
    return [Call((z,)) for dtype in (np.float64, np.float32)
            for z in [EXTREMES.astype(dtype)] + [np.array(v, dtype=dtype) for v in EXTREMES]]


def _extreme_mismatch(ctx: Context, z: np.ndarray, got: object, upper: float,
                      tolerances: dict | None = None) -> Mismatch | None:
    """How the exercise's output at extreme z differs from the reference's; in a student
    release, which has no reference, whether it has z's form and lies in [0, upper]."""
    if ctx.reference is not None:
        return compare(ctx.reference_function()(z.astype(np.float64)), got, z.dtype, tolerances=tolerances)
    mismatch = compare(z, got, z.dtype, check_values=False)
    if mismatch is None and not ((np.asarray(got, dtype=np.float64) >= 0) & (np.asarray(got) <= upper)).all():
        mismatch = Mismatch("result", f"wrong value: outside [0, {upper:g}] (or nan)", f"values in [0, {upper:g}]",
                            show(got), kind="wrong value")
    return mismatch


def sigmoid_is_stable(ctx: Context) -> None:
    """Right at |z| up to 1e4, with no overflow warning and no nan or inf on the way."""
    calls = _extreme_calls()
    for call, outcome in zip(calls, ctx.call(calls)):
        got = ctx.value_of(outcome, call)
        overflow = [w for w in outcome.warnings if "overflow" in w]
        if overflow:
            raise Fail(
                f"warned: {overflow[0]}",
                input=ctx.show_call(call),
                hint="exp overflows for large |z| (exp(-z) for very negative z, exp(z) for very positive z): "
                     "compute each form only on the elements where it cannot overflow (boolean indexing; "
                     "np.where would still evaluate both forms everywhere), or build it from np.logaddexp",
            )
        z = call.args[0]
        mismatch = _extreme_mismatch(ctx, z, got, 1.0, settings.NEAR_TOLERANCES)  # stability, not precision
        if mismatch is None:
            continue
        values = np.asarray(got, dtype=np.float64) if isinstance(got, (np.ndarray, np.generic)) else None
        if values is not None and values.shape == z.shape and not np.isfinite(values).all():
            at = np.unravel_index(int(np.argmax(~np.isfinite(values))), z.shape)
            raise Fail(f"not stable: sigma({z[at]:g}) gave {values[at]:g}", input=ctx.show_call(call),
                       expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief,
                       hint="for z < 0 use the equal form exp(z) / (1 + exp(z)), which cannot overflow")
        raise Fail(f"wrong for large |z|: {mismatch.what}", input=ctx.show_call(call), kind=mismatch.kind,
                   expected=mismatch.expected,
                   got=mismatch.got, brief=mismatch.brief, **ctx.hinted(call, got, fallback=mismatch.hint))


# ------------------------------------------------------------ sigmoid_grad ---

def sigmoid_grad_at_extremes(ctx: Context) -> None:
    """sigma'(z) is tiny, not nan, for |z| up to 1e4 (warnings are allowed here)."""
    calls = _extreme_calls()
    for call, got in zip(calls, ctx.values(calls)):
        z = call.args[0]
        mismatch = _extreme_mismatch(ctx, z, got, 0.25, settings.NEAR_TOLERANCES)
        if mismatch is None:
            continue
        values = np.asarray(got, dtype=np.float64) if isinstance(got, (np.ndarray, np.generic, float)) else None
        if values is not None and values.shape == z.shape and np.isnan(values).any():
            at = np.unravel_index(int(np.argmax(np.isnan(values))), z.shape)
            raise Fail(f"not stable: sigma'({z[at]:g}) gave nan", input=ctx.show_call(call),
                       expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief,
                       hint="a formula like exp(-z) / (1 + exp(-z))^2 is inf / inf = nan at extreme z: "
                            "compute s = sigma(z) stably first, then s * (1 - s)")
        raise Fail(f"wrong for large |z|: {mismatch.what}", input=ctx.show_call(call),
                   expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief,
                   **ctx.hinted(call, got, fallback=mismatch.hint))


# --------------------------------------------------------------------- mse ---

def mse_of_a_constant_shift(ctx: Context) -> None:
    """mse(y + c, y) = c^2 and mse(y, y) = 0, whatever the shape: no reference needed."""
    rng = np.random.default_rng(11)
    cases = [(shape, c) for shape in ((2, 3), (4,), (3, 1, 2), (5, 2)) for c in (2.0, -0.5, 0.0)]
    # The differences are +c or -c, at random: (y_pred - y_true)^2 = c^2 everywhere all the same.
    calls = [Call((y + c * rng.choice([-1.0, 1.0], size=shape), y))
             for (shape, c) in cases for y in [rng.standard_normal(shape)]]
    outputs = ctx.values(calls)
    for call, got, (shape, c) in zip(calls, outputs, cases):
        mismatch = compare(c * c, got, np.float64, tolerances=settings.NEAR_TOLERANCES)
        if mismatch is None:
            continue
        mistake, hint = _explain_shifts(cases, [as_float(v) for v in outputs])
        raise Fail(f"mse(y + s, y) must be {c * c:g} when every s is +{abs(c):g} or -{abs(c):g}: {mismatch.what}",
                   input=ctx.show_call(call), expected=f"{c * c:g}", got=mismatch.got, hint=hint, mistake=mistake,
                   kind=mismatch.kind)


# What some wrong mse gives for a shift by +-c of an array of `shape`, with the hint it earns.
SHIFT_MISTAKES = (
    ("mse-sum", "this is the sum of the squared differences: divide by the number of elements",
     lambda shape, c: c * c * np.prod(shape)),
    ("mse-rows", "this divides by N (the rows) only: divide by the number of elements, y_pred.size",
     lambda shape, c: c * c * np.prod(shape) / shape[0]),
    ("mse-half", "a factor 1/2 crept in: this mse has none", lambda shape, c: c * c / 2),
    ("mse-half-sum", "this is half the sum of the squared differences: the mse is their mean, with no 1/2",
     lambda shape, c: c * c * np.prod(shape) / 2),
    ("mse-abs-or-rmse", "this gives |c|, as the mean of the absolute differences or the root of the mse would: "
     "square the differences, and take no root", lambda shape, c: abs(c)),
)


def _explain_shifts(cases: list, values: list[float]) -> tuple[str | None, str | None]:
    """(id, hint) of the one wrong mse that gives every one of `values`; (None, None) if not exactly one."""
    fitting = [(id, hint) for id, hint, model in SHIFT_MISTAKES
               if all(np.isclose(value, model(shape, c)) for (shape, c), value in zip(cases, values))]
    return fitting[0] if len(fitting) == 1 else (None, None)


# ------------------------------------------------------- two_layer_forward ---

def forward_of_special_weights(ctx: Context) -> None:
    """With W1 = 0 and b1 = 0 every hidden unit is sigma(0) = 1/2, so each row of y_pred is
    0.5 * (the column sums of W2) + b2; with W2 = 0 too, it is b2. No reference needed."""
    rng = np.random.default_rng(12)
    n, d, h, c = 3, 4, 5, 2
    W2, b2, X = rng.standard_normal((h, c)), rng.standard_normal(c), rng.standard_normal((n, d))
    zeros = {"W1": np.zeros((d, h)), "b1": np.zeros(h)}
    cases = [({**zeros, "W2": W2, "b2": b2}, 0.5 * W2.sum(axis=0) + b2), ({**zeros, "W2": 0 * W2, "b2": b2}, b2)]
    varied = Call(({"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h), "W2": W2, "b2": b2},
                   np.stack([X[0], X[1], X[0]])))
    same_rows, *_ = ctx.values([varied])
    rows = np.asarray(same_rows, dtype=np.float64) if isinstance(same_rows, np.ndarray) else None
    if rows is None or rows.shape != (3, c) or not np.allclose(rows[0], rows[2]) or np.allclose(rows[0], rows[1]):
        raise Fail("each row of y_pred must come from the same row of X: equal rows of X give equal rows, "
                   "different rows different ones", input=ctx.show_call(varied), got=show(same_rows),
                   hint="y_pred = sigma(X W1 + b1) W2 + b2, one row per example")
    calls = [Call((params, X)) for params, _ in cases]
    for call, got, (params, row) in zip(calls, ctx.values(calls), cases):
        expected = np.tile(row, (n, 1))
        mismatch = compare(expected, got, np.float64, tolerances=settings.NEAR_TOLERANCES)
        if mismatch is None:
            continue
        hint, mistake = mismatch.hint, None
        if compare(expected - b2, got, np.float64) is None:
            hint, mistake = "b2 is missing: y_pred = h W2 + b2", "forward-missing-b2"
        elif compare(np.tile(b2, (n, 1)), got, np.float64) is None and row is not b2:
            hint = "the hidden layer needs the sigmoid: with W1 = 0, b1 = 0 every hidden unit is sigma(0) = 1/2"
            mistake = "forward-no-sigmoid"
        raise Fail(f"with W1 = 0 and b1 = 0: {mismatch.what}", input=ctx.show_call(call),
                   expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief, hint=hint, mistake=mistake)


# ---------------------------------------------------- two_layer_loss_and_grads ---

def network_problem(rng: np.random.Generator) -> Call:
    # Small (every entry is perturbed twice) but N, D, H, C still distinct, C > 1.
    n, d, h, c = (int(v) for v in rng.choice(np.arange(1, 5), size=4, replace=False))
    if c == 1:
        n, c = c, n
    params = {"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h),
              "W2": rng.standard_normal((h, c)), "b2": rng.standard_normal(c)}
    return Call((params, rng.standard_normal((n, d)), rng.standard_normal((n, c))))


def two_layer_grads_match_finite_differences(ctx: Context) -> None:
    """The returned grads are the derivatives of the loss, and of the returned loss (the student's own).

    With the reference installed, the finite differences that judge the gradients are the
    reference's loss's, computed here: differences of the student's loss come from a process
    that can remember the point it gave gradients at and answer each step from them, so they
    can only take points away (a loss whose own differences disagree with right gradients).
    """
    calls = [network_problem(rng) for rng in _problems(ctx.seed(3))]
    # The reference's side of a problem (its loss, the finite differences of its loss) is computed
    # while the student's process answers the ask before it: the two cores work at once, and the
    # student's code is asked the same calls in the same order as if it were computed in turn.
    truths: list[tuple] = []

    def reference_side() -> None:
        if ctx.reference is None or len(truths) == len(calls):
            return
        reference, (params, X, Y) = ctx.reference_function(), calls[len(truths)].args
        truths.append((ahead(lambda: reference(params, X, Y)[0]),
                       ahead(lambda: numerical_gradient(lambda perturbed: [reference(p, X, Y)[0] for p in perturbed],
                                                        params))))

    for number, call in enumerate(calls):
        params, X, Y = call.args
        (result,) = ctx.values([call], meanwhile=reference_side if number == 0 else None)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise Fail(f"expected a tuple (loss, grads), got {describe(result)}", input=ctx.show_call(call))
        loss, grads = result
        if not np.isfinite(as_float(loss)):
            raise Fail(f"the loss must be a finite float scalar to check gradients against it, got {show(loss, 80)}",
                       input=ctx.show_call(call))
        if ctx.reference is not None:
            while len(truths) <= number:  # not computed meanwhile
                reference_side()
            reference_loss, truth = truths[number]
            if compare(reference_loss(), loss, np.float64, tolerances=settings.NEAR_TOLERANCES):
                raise Fail("the gradient check needs the loss to be right first (see the loss check): the "
                           "gradients of a wrong loss prove nothing", input=ctx.show_call(call))
            _require_gradient(ctx, call, result, grads, truth(), as_float(loss))

        def losses(perturbed: list[dict]) -> list[float]:
            # meanwhile, the reference's side of the next problem
            return [as_float(v) for v in ctx.values([Call((p, X, Y)) for p in perturbed], pick=0,
                                                     meanwhile=reference_side)]

        numeric = numerical_gradient(losses, params)
        if max(float(np.max(np.abs(g), initial=0.0)) for g in numeric.values()) < 1e-12:
            raise Fail("your loss does not change when the parameters do, so there is no gradient to check",
                       input=ctx.show_call(call), hint="the loss is the mse of the forward pass with these params")
        try:
            _require_gradient(ctx, call, result, grads, numeric, as_float(loss))
        except Fail as failure:
            if failure.hint is None and ctx.reference is not None:  # the gradients passed the reference's check
                failure.hint = ("your gradients are right, but your loss is not (is it the mse of your forward "
                                "pass, computed in float64?): this check differentiates your own loss")
            raise


# ------------------------------------------------------------- adagrad_step ---

def adagrad_accumulates(ctx: Context) -> None:
    """Five steps from a zero cache, feeding each step the student's own output.

    Needs no reference: the docstring's rule says the cache is the running sum of
    the squared gradients, and each step moves theta by eta * grad / (sqrt(sum) + eps).
    """
    lr, eps = 0.1, 1e-8
    for rng in _problems(ctx.seed(4), 3):
        shape = _shape(rng)
        param, cache = rng.standard_normal(shape), np.zeros(shape)
        squares = np.zeros(shape)  # what the cache must hold: every squared gradient so far
        for step in range(5):
            grad = rng.standard_normal(shape) * (0.1 if step % 2 else 1.0)
            call = Call((param, grad, cache), {"lr": lr})
            (result,) = ctx.values([call])
            squares = squares + grad * grad
            moved = param - lr * grad / (np.sqrt(squares) + eps)
            # This check is of the accumulation: a near miss in the step (eps inside the square
            # root, a float32 step) loses the points of the check of one step only.
            mismatch = compare((moved, squares), result, np.float64, tolerances=settings.NEAR_TOLERANCES)
            if mismatch:
                cache_right = (isinstance(result, (tuple, list)) and len(result) == 2
                               and compare(squares, result[1], np.float64) is None)
                fact = ("the cache is right, but the step is not: theta - lr * grad / (sqrt(new cache) + eps)"
                        if cache_right else "the cache must be the running sum of ALL squared gradients so far")
                raise Fail(
                    f"after {step + 1} step{'s' if step else ''} from a zero cache: {mismatch.what}",
                    input=f"step {step + 1}: {ctx.show_call(call)}",
                    expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                    brief=f"after {step + 1} step{'s' if step else ''} from a zero cache: {mismatch.brief}",
                    **ctx.hinted(call, result, fallback=fact),
                )
            param, cache = result


# ---------------------------------------------------------- dropout_forward ---

def dropout_rejects_bad_p(ctx: Context) -> None:
    """ValueError unless 0 <= p < 1: for p < 0, p = 1, p > 1 and nan, in training and evaluation;
    and a valid p is answered."""
    x = np.ones((3, 4))
    valid = Call((x, 0.5, Rng(0)))
    outside = [Call((x, p, Rng(0))) for p in (-0.1, 1.0, 1.5)] + [Call((x, 1.5, Rng(0)), {"train": False})]
    require_value_errors(ctx, outside, "a drop probability outside [0, 1)",
                         "check the range of p first, and raise ValueError when it is outside [0, 1)", valid)
    require_value_errors(ctx, [Call((x, float("nan"), Rng(0)))], "a drop probability of nan",
                         "a nan p must raise too: every comparison with nan is False, so test that p is inside "
                         "[0, 1), not that it is outside", valid)


def dropout_eval_is_identity(ctx: Context) -> None:
    rng = np.random.default_rng(5)
    calls = [Call((rng.standard_normal((4, 3)), p, Rng(1)), {"train": False}) for p in (0.5, 0.2)]
    for call, result in zip(calls, ctx.values(calls)):
        mismatch = compare((call.args[0], None), result, np.float64)
        if mismatch:
            raise Fail(f"with train=False: {mismatch.what}", input=ctx.show_call(call),
                       expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief,
                       hint="in evaluation mode dropout does nothing: return (x, None)")


def _training_results(ctx: Context, calls: list[Call], global_seed: int | None = None) -> list[tuple]:
    """(out, mask) of each call, failing unless the mask is a boolean array of x's shape."""
    results = []
    for call, result in zip(calls, ctx.values(calls, global_seed=global_seed)):
        x = call.args[0]
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise Fail(f"expected a tuple (out, mask), got {describe(result)}", input=ctx.show_call(call))
        out, mask = result
        if not (isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.shape == x.shape):
            raise Fail(f"mask must be a boolean array of shape {x.shape}, got {show(mask, 80)}", kind="wrong form",
                       input=ctx.show_call(call), hint="the mask says, for each element of x, whether it is kept")
        results.append((out, mask))
    return results


def dropout_output_matches_mask(ctx: Context) -> None:
    rng = np.random.default_rng(6)
    calls = [Call((rng.standard_normal(shape).astype(dtype), p, Rng(10 + i)))
             for i, (shape, dtype, p) in enumerate([((5,), np.float64, 0.5), ((4, 3), np.float64, 0.5),
                                                    ((5, 2), np.float32, 0.2), ((3, 7), np.float64, 0.75),
                                                    ((2, 3, 4), np.float64, 0.0)])]
    for call, (out, mask) in zip(calls, _training_results(ctx, calls)):
        x, p = call.args[0], call.args[1]
        expected = np.where(mask, x.astype(np.float64) / (1 - p), 0.0)
        mismatch = compare(expected, out, x.dtype, "out")
        if mismatch:
            unscaled = compare(np.where(mask, x, 0.0), out, x.dtype) is None
            raise Fail(
                mismatch.what,
                input=ctx.show_call(call), expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief,
                hint="inverted dropout scales the kept values by 1 / (1 - p)" if unscaled else None,
            )


def dropout_statistics(ctx: Context) -> None:
    """Keep fraction 1 - p and mean output = mean input, on large arrays (element by element,
    not whole rows or columns at once) and over many small ones (no bias from rounding)."""
    x = np.full((200, 50), 2.0)
    calls = [Call((x, p, Rng(20 + i))) for i, p in enumerate((0.2, 0.5, 0.7))]
    for call, (out, mask) in zip(calls, _training_results(ctx, calls)):
        _require_unbiased(ctx, call, call.args[1], mask, out, 2.0)
        rows = np.mean(mask.all(axis=1) | ~mask.any(axis=1))
        columns = np.mean(mask.all(axis=0) | ~mask.any(axis=0))
        if max(rows, columns) > 0.1:  # a fair per-element draw makes a constant row of 50 a 1e-5 event
            which = "rows" if rows >= columns else "columns"
            raise Fail(f"the mask keeps or drops whole {which} together ({max(rows, columns):.0%} of them)",
                       input=ctx.show_call(call), hint="draw one keep decision per element, of x's whole shape")
    small = [Call((np.ones(3), p, Rng(1000 + i))) for p in (0.5, 0.2) for i in range(300)]
    results = _training_results(ctx, small)
    for p, chunk in ((0.5, results[:300]), (0.2, results[300:])):
        masks = np.concatenate([np.ravel(mask) for _, mask in chunk])
        outs = np.concatenate([np.ravel(np.asarray(out, dtype=np.float64)) for out, _ in chunk])
        shown = f"dropout_forward(x=np.ones(3), p={p}, rng=np.random.default_rng(seed)) for 300 seeds"
        _require_unbiased(ctx, Call((np.ones(3), p, Rng(1000))), p, masks, outs, 1.0, shown)


def _require_unbiased(ctx: Context, call: Call, p: float, mask: np.ndarray, out: object, mean_x: float,
                      shown: str | None = None) -> None:
    """Fail unless about 1 - p of the mask is kept and the mean output is the mean input."""
    kept = float(np.mean(mask))
    sigma = np.sqrt(p * (1 - p) / mask.size)
    bound = bounds.DROPOUT_SIGMAS * sigma
    if abs(kept - (1 - p)) > bound:
        raise Fail(f"with p = {p} the mask kept {kept:.3f} of the elements; expected about {1 - p:.3f}",
                   input=shown or ctx.show_call(call),
                   hint="p is the probability of DROPPING an element, so about 1 - p of them are kept"
                        if abs(kept - p) < bound else
                        "each element is kept with probability 1 - p, independently (no fixed count, no rounding)")
    mean = float(np.mean(np.asarray(out, dtype=np.float64)))
    if abs(mean - mean_x) > mean_x * bound / (1 - p):
        raise Fail(f"the mean output is {mean:.3f}, but inverted dropout keeps it at the mean input, {mean_x:g}",
                   input=shown or ctx.show_call(call), hint="scale the kept values by 1 / (1 - p)")


def _masks(ctx: Context, calls: list[Call], global_seed: int | None = None) -> list[np.ndarray]:
    return [mask for _, mask in _training_results(ctx, calls, global_seed)]


def dropout_uses_given_rng(ctx: Context) -> None:
    """Same seed, same mask (whatever numpy's global RNG does, in this process or a fresh one);
    another seed, or the same generator used again, another mask."""
    x = np.ones((20, 30))
    require_masks_from_the_generator(ctx, x, _masks)
