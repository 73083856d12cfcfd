"""hw3's hand-written checks: the properties its declaration cannot derive. The rules of each
formula and optimizer that need no reference (so that they run in the student release too),
conventions at the edges (sign(0), +-tol, the warm-up's last step), the names that must raise,
and the comparison of trajectories with a tolerance of their data's scale. Judges take (args,
got) and raise Fail; properties take the Context. The truth here is computed in float64 from
the contract's formulas, never taken from the reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from grader.checks import Call, Context, MatchesReference, require_value_errors
from grader.compare import as_float, compare, describe, show
from grader.exercise import Fail
from grader.homeworks.hw3 import bounds
from grader.homeworks.hw3.inputs import rotated

F64 = np.dtype(np.float64)

# ------------------------------------------------------------------- helpers ---


def _require_form(expected: object, got: object, dtype: np.dtype) -> None:
    """Fail unless `got` has the form (type, shape, keys) of `expected`."""
    form = compare(expected, got, dtype, check_values=False)
    if form:
        raise Fail(form.what, expected=form.expected, got=form.got, hint=form.hint, kind=form.kind)


def _require_values(expected: object, got: object, dtype: np.dtype, rule: str, hint: str,
                    tolerances: dict | None = None) -> None:
    """Fail, saying `rule`, unless `got` equals `expected` (computed here from the contract)."""
    mismatch = compare(expected, got, dtype, tolerances=tolerances)
    if mismatch:
        raise Fail(f"{rule}: {mismatch.what}", expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                   hint=mismatch.hint or hint)


def _f64(value: object) -> object:
    return np.asarray(value, dtype=np.float64)


def _residuals(w, b, X, y) -> np.ndarray:
    return _f64(X) @ _f64(w) + float(b) - _f64(y)


def _loss_at(w, b, X, y, loss: str) -> float:
    e = _residuals(w, b, X, y)
    return float(np.mean(e ** 2) if loss == "mse" else np.mean(np.abs(e)))


# ------------------------------------------------------------- linear model ---

def linear_predict_rule(args: dict, got: object) -> None:
    """b + X w, row by row: the model's rule, which needs no reference."""
    expected = _f64(args["X"]) @ _f64(args["w"]) + args["b"]
    _require_values(expected, got, F64, "linear_predict must return b + X w, one prediction per row of X",
                    "each prediction is b + sum_j w_j x_j: the matrix product X @ w, plus b")


def mae_rules(ctx: Context) -> None:
    """mae(y + s, y) = c when every entry of s is +c or -c, for arrays of one to three dimensions
    (the mean over every element); mae(y, y) = 0."""
    rng = np.random.default_rng(31)
    cases = []
    for shape in ((5,), (3, 4), (2, 3, 2)):
        y = rng.standard_normal(shape)
        signs = np.where(rng.random(shape) < 0.5, -1.0, 1.0)
        cases += [(Call((y + 0.75 * signs, y)), 0.75), (Call((y, y.copy())), 0.0)]
    calls = [call for call, _ in cases]
    for (call, expected), got in zip(cases, ctx.values(calls)):
        value = as_float(got)
        if not abs(value - expected) <= 1e-12 + 1e-12 * abs(expected):
            raise Fail(f"mae(y + s, y) must be {expected:g} when every entry of s is +-{expected:g}",
                       input=ctx.show_call(call), expected=f"{expected:.10g}", got=show(got), **ctx.hinted(
                           call, got, fallback="the mean over all M = y_pred.size elements of |y_pred - y_true|"))


def linear_loss_rejects_unknown_names(ctx: Context) -> None:
    """Any loss name other than "mse" and "mae" (case-sensitive) raises ValueError."""
    w, X, y = np.array([1.0, -2.0]), np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]]), np.array([1.0, 0.0, 2.0])
    calls = [Call((w, 0.5, X, y, name)) for name in ("MSE", "l2", "Mae", "mean", "")]
    require_value_errors(ctx, calls, "an unknown loss name", "compare the name with 'mse' and 'mae' exactly, and "
                         "raise ValueError for anything else (a silent default hides a typo)",
                         Call((w, 0.5, X, y, "mse")))


# ---------------------------------------------------------- gradient descent ---

@dataclass(frozen=True)
class MatchesTrajectory(MatchesReference):
    """A trajectory (parameters and losses after steps of an optimizer) matches the reference's,
    with a tolerance of the scale of its data (bounds.trajectory_tolerances): a sum in another
    order rounds each step's residuals X w + b - y by about eps * (|X w| + |b| + |y|)."""

    def _judge(self, ctx, call, outcome, reference=None):
        answer = reference() if reference is not None else ctx.reference_outcomes([call])[0]
        scale = _data_scale(ctx, call, getattr(answer, "value", None))
        scaled = replace(self, tolerances=bounds.trajectory_tolerances(scale))
        return MatchesReference._judge(scaled, ctx, call, outcome, lambda: answer)


def _data_scale(ctx: Context, call: Call, result: object) -> float:
    """|X w| + |b| + |y| at their largest, at the start (w0, b0, or 0) and at the reference's end."""
    args = dict(zip(ctx.exercise.arg_names, call.args), **call.kwargs)
    X, y = _f64(args["X"]), _f64(args["y"])
    scale = float(np.max(np.abs(y), initial=0.0))
    if "w0" in args:
        ends = [(args["w0"], args["b0"])] + ([result[:2]] if isinstance(result, tuple) else [])
        scale += max(float(np.max(np.abs(X @ _f64(w)), initial=0.0)) + abs(float(b)) for w, b in ends)
    else:  # optimize_linear: a model between 0 and a fit of y, of y's scale
        scale *= 2
    return scale


def descent_history_form(args: dict, got: object) -> None:
    """(w, b, history): w of w0's shape, b a float, history a float64 array of steps + 1 losses,
    the first the loss at (w0, b0)."""
    w0, steps = args["w0"], args["steps"]
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        raise Fail(f"expected a tuple (w, b, history), got {describe(got)}", kind="wrong form")
    w, b, history = got
    _require_form(w0, w, F64)
    if np.isnan(as_float(b)):
        raise Fail(f"b must be a float, got {describe(b)}", kind="wrong form",
                   hint="keep b a number: float(...) of a 0-d result, not an array of shape (1,)")
    if not (isinstance(history, np.ndarray) and history.dtype == np.float64 and history.shape == (steps + 1,)):
        raise Fail(f"history must be a float64 array of shape ({steps + 1},), steps + 1 losses, got "
                   f"{describe(history)}", kind="wrong form",
                   hint="the loss before each of the steps updates, then the loss after the last one")
    first = _loss_at(w0, args["b0"], args["X"], args["y"], args.get("loss", "mse"))
    _require_values(first, history[0], F64, "history[0] must be the loss at (w0, b0), before any update",
                    "append the loss of each step before its update")


def _convex_problem() -> tuple:
    rng = np.random.default_rng(32)
    X = np.clip(rng.standard_normal((12, 3)), -1, 1)
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.standard_normal(12)
    return X, y


def descent_lowers_the_loss(ctx: Context) -> None:
    """On a convex problem (the MSE of a linear model) with a small learning rate, every step lowers
    the loss: history falls at each step, and ends well below where it starts."""
    X, y = _convex_problem()
    calls = [Call((np.zeros(3), 0.0, X, y, 0.05, 30)), Call((np.zeros(3), 0.0, X, y, 0.05, 30, "mae"))]
    for call, got, loss in zip(calls, ctx.values(calls), ("mse", "mae")):
        history = got[2] if isinstance(got, (tuple, list)) and len(got) == 3 else None
        values = np.asarray(history, dtype=np.float64) if isinstance(history, np.ndarray) else None
        if values is None or values.shape != (31,) or not np.all(np.isfinite(values)):
            raise Fail(f"expected (w, b, history) with 31 finite losses, got {show(got, 200)}",
                       input=ctx.show_call(call), kind="wrong form")
        falls = np.all(np.diff(values) <= 1e-12) if loss == "mse" else values[-1] < values[0]
        if not falls or not values[-1] < bounds.DESCENT_FACTOR * values[0]:
            raise Fail(f"gradient descent on the {loss} of a linear model with lr = 0.05 must lower the loss",
                       input=ctx.show_call(call), got=f"history {show(values, 300)}", **ctx.hinted(
                           call, got, fallback="step against the gradient: w - lr * dw and b - lr * db, both "
                                               "with the gradients of the same point"))


def descent_rejects_unknown_losses(ctx: Context) -> None:
    """An unknown loss name raises ValueError, also when steps is 0 (the first loss needs it)."""
    X, y = _convex_problem()
    calls = [Call((np.zeros(3), 0.0, X, y, 0.1, steps, name)) for steps, name in ((0, "MSE"), (3, "l1"), (0, "mean"))]
    require_value_errors(ctx, calls, "an unknown loss name, even with steps = 0",
                         "history starts with the loss at (w0, b0): compute it through linear_loss_and_grads, "
                         "which raises for an unknown name, or check the name first",
                         Call((np.zeros(3), 0.0, X, y, 0.1, 2)))


# ----------------------------------------------------------- critical points ---

TOL = 1e-8
# (eigenvalues, tol or None for the default, the answer): exact boundaries at +-tol, on diagonals.
DIAGONAL_CASES = (
    ((2.0, 1.0, 0.5), None, "local minimum"),
    ((-2.0, -1.0, -0.5, -3.0), None, "local maximum"),
    ((2.0, -1.0, 0.5), None, "saddle point"),
    ((2.0, 0.0, 0.5), None, "unknown"),
    ((-2.0, 0.0, -0.5), None, "unknown"),
    ((2.0, 0.0, -0.5), None, "saddle point"),  # singular, and still indefinite
    ((3.0, TOL, 1.0), None, "unknown"),  # exactly tol is not > tol
    ((-3.0, -TOL, -1.0), None, "unknown"),
    ((3.0, 2 * TOL, 1.0), None, "local minimum"),
    ((3.0, TOL / 2, 1.0), None, "unknown"),  # inside (0, tol]
    ((3.0, -TOL, 1.0), None, "unknown"),  # a +-tol eigenvalue makes no saddle
    ((0.05, 2.0, 1.0), 0.1, "unknown"),  # a tol given
    ((0.05, 2.0, 1.0), 0.01, "local minimum"),
    ((0.1, -2.0, -1.0), 0.1, "unknown"),
    ((0.2, -2.0, 0.0), 0.1, "saddle point"),
    ((0.0, 0.0, 0.0), None, "unknown"),
    ((-1.0,), None, "local maximum"),
    ((4.0, -1e-9), None, "unknown"),
)

# Rotated (non-diagonal) Hessians of known eigenvalues, none near +-tol relative to rounding.
ROTATED_CASES = (
    ((3.0, 1.0, 0.5, 2.0), None, "local minimum"),
    ((-3.0, -1.0, -0.5), None, "local maximum"),
    ((3.0, -1.0, 0.5, 2.0, 1.5), None, "saddle point"),
    ((3.0, 0.0, -2.0, 1.0), None, "saddle point"),
    ((3.0, 5e-9, 1.0, 2.0), None, "unknown"),
    ((-3.0, -5e-9, -1.0), None, "unknown"),
    ((3.0, 0.0, 1.0), None, "unknown"),
    ((3.0, 0.04, 1.0, 0.5), 0.1, "unknown"),
    ((-3.0, -0.04, 1.0), 0.1, "saddle point"),
    ((3.0, 0.3, 1.0), 0.1, "local minimum"),
)


def _classify_calls(cases: tuple, diagonal: bool) -> list[Call]:
    rng = np.random.default_rng(33)
    calls = []
    for lam, tol, _ in cases:
        hessian = np.diag(lam) if diagonal else rotated(np.array(lam), rng)
        calls.append(Call((hessian,)) if tol is None else Call((hessian,), {"tol": tol}))
    return calls


def _require_answers(ctx: Context, cases: tuple, diagonal: bool) -> None:
    calls = _classify_calls(cases, diagonal)
    for call, got, (lam, tol, answer) in zip(calls, ctx.values(calls), cases):
        if not isinstance(got, str) or got != answer:
            raise Fail(f"with eigenvalues {list(lam)} and tol = {tol or TOL:g} the answer is {answer!r}",
                       input=ctx.show_call(call), expected=repr(answer), got=show(got), **ctx.hinted(
                           call, got, fallback="compare every eigenvalue with +tol and -tol: > tol is positive, "
                                               "< -tol negative, anything between counts as 0"))


def classify_diagonal_hessians(ctx: Context) -> None:
    """Known answers on diagonal Hessians (the eigenvalues are the diagonal), +-tol exactly included."""
    _require_answers(ctx, DIAGONAL_CASES, diagonal=True)


def classify_rotated_hessians(ctx: Context) -> None:
    """Known answers on rotated Hessians built from chosen eigenvalues (so not the diagonal)."""
    _require_answers(ctx, ROTATED_CASES, diagonal=False)


def unit_eigenvector_of_the_smallest(args: dict, got: object) -> None:
    """||u|| = 1 and H u = lam_min u, within rounding of ||H|| (bounds.EIGEN_TOLERANCE): either
    sign, and any unit vector of a repeated smallest eigenvalue's eigenspace."""
    hessian = args["hessian"]
    d = len(hessian)
    _require_form(np.zeros(d), got, F64)
    u = np.asarray(got, dtype=np.float64)
    norm = float(np.linalg.norm(u))
    if not abs(norm - 1) <= bounds.UNIT_TOLERANCE:
        raise Fail(f"the escape direction must have unit norm, got ||u|| = {norm:.10g}", got=show(got),
                   hint="divide the vector by its norm, np.linalg.norm(u)")
    lam = np.linalg.eigvalsh(hessian)
    scale = max(1.0, float(np.max(np.abs(lam))))
    residual = float(np.linalg.norm(hessian @ u - lam[0] * u))
    if not residual <= bounds.EIGEN_TOLERANCE * scale:
        others = [f"{x:.6g}" for x in lam if abs(float(u @ hessian @ u) - x) <= 1e-6 * scale]
        near = f"; it is an eigenvector of {others[0]}" if others else ""
        raise Fail(f"u must be an eigenvector of the smallest eigenvalue {lam[0]:.6g}: ||H u - lam_min u|| = "
                   f"{residual:.3g}{near}", got=show(got),
                   hint="np.linalg.eigh returns the eigenvalues in ascending order and the eigenvectors as the "
                        "COLUMNS of its second result: vectors[:, 0], not vectors[0]")


ESCAPE_CASES = (
    ((2.0, -1.0), "a 2-d saddle"),
    ((0.5, -3.0, 1.0, -2.0), "the smallest eigenvalue last on the diagonal"),
    ((-1.0, -1.0, 2.0, 3.0), "a repeated smallest eigenvalue"),
    ((2.0, -0.5, -0.5, -0.5, 1.0), "a thrice repeated smallest eigenvalue"),
    ((-4.0,), "D = 1"),
    ((1.0, 0.0, 3.0), "a singular Hessian"),
)


def escape_direction_cases(ctx: Context) -> None:
    """Diagonal and rotated Hessians where the smallest eigenvalue is not first, is repeated, or
    D = 1: a unit eigenvector of the smallest, any of its eigenspace, either sign."""
    rng = np.random.default_rng(34)
    cases = [(np.diag(lam), what) for lam, what in ESCAPE_CASES]
    cases += [(rotated(np.array(lam), rng), f"{what}, rotated") for lam, what in ESCAPE_CASES]
    calls = [Call((hessian,)) for hessian, _ in cases]
    for call, got, (hessian, what) in zip(calls, ctx.values(calls), cases):
        try:
            unit_eigenvector_of_the_smallest({"hessian": hessian}, got)
        except Fail as failure:
            hinted = ctx.hinted(call, got, fallback=failure.hint)
            failure.summary = f"{what}: {failure.summary}"
            failure.input, failure.hint, failure.mistake = ctx.show_call(call), hinted["hint"], hinted["mistake"]
            raise failure from None


# ----------------------------------------------------------- optimizer steps ---

def _hyper(args: dict, *names: str) -> list[float]:
    return [args[name] for name in names]


def _step_form(args: dict, got: object, parts: int) -> np.dtype:
    param = args["param"]
    dtype = param.dtype
    if not (isinstance(got, (tuple, list)) and len(got) == parts):
        raise Fail(f"expected a tuple of {parts} arrays, got {describe(got)}", kind="wrong form")
    for item in got:
        _require_form(param, item, dtype)
    return dtype


def momentum_rule(args: dict, got: object) -> None:
    """m = beta * velocity - lr * grad, new_param = param + m: the contract's rule."""
    dtype = _step_form(args, got, 2)
    lr, beta = _hyper(args, "lr", "beta")
    m = beta * _f64(args["velocity"]) - lr * _f64(args["grad"])
    _require_values((_f64(args["param"]) + m, m), got, dtype,
                    "momentum_step must return (param + m, m) with m = beta * velocity - lr * grad",
                    "the movement m = beta * velocity - lr * grad is ADDED to param, and m itself is returned")


def _rmsprop(p, g, c, lr, alpha, eps):
    """The contract's step in float64 (written apart from the reference: the release holds this file)."""
    c_new = alpha * c + (1 - alpha) * np.square(g)
    return p - lr * g / (eps + np.sqrt(c_new)), c_new


def rmsprop_rule(args: dict, got: object) -> None:
    """cache' = alpha cache + (1 - alpha) grad^2, param - lr grad / (sqrt(cache') + eps)."""
    dtype = _step_form(args, got, 2)
    expected = _rmsprop(*map(_f64, (args["param"], args["grad"], args["cache"])), *_hyper(args, "lr", "alpha", "eps"))
    _require_values(expected, got, dtype, "rmsprop_step must return (param - lr * grad / (sqrt(cache') + eps), "
                    "cache') with cache' = alpha * cache + (1 - alpha) * grad^2",
                    "eps goes outside the square root, and the new cache is the one used in the step")


def rmsprop_eps_outside_the_root(ctx: Context) -> None:
    """With a zero cache and gradients of 1e-6, sqrt(cache') is 3e-7: eps = 1e-8 outside the root
    barely counts, inside it (sqrt(cache' + eps) = 1e-4) it shrinks the step three hundredfold."""
    grad = np.array([1e-6, -2e-6, 5e-7])
    calls = [Call((np.array([1.0, -1.0, 0.5], dtype=dtype), grad.astype(dtype), np.zeros(3, dtype=dtype)))
             for dtype in (np.float64, np.float32)]
    for call, got in zip(calls, ctx.values(calls)):
        param, grad, cache = call.args
        expected = _rmsprop(_f64(param), _f64(grad), _f64(cache), 1e-3, 0.9, 1e-8)
        mismatch = compare(expected, got, param.dtype)
        if mismatch:
            raise Fail(f"wrong for small gradients with a zero cache: {mismatch.what}", input=ctx.show_call(call),
                       expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind, **ctx.hinted(
                           call, got, fallback="new_param = param - lr * grad / (sqrt(cache') + eps): eps is "
                                               "added after the square root"))


def _adam(p, g, m, v, t, lr, beta1, beta2, eps):
    """The contract's step in float64 (written apart from the reference: the release holds this file)."""
    m_new, v_new = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * np.square(g)
    corrected_m, corrected_v = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return p - lr * corrected_m / (eps + np.sqrt(corrected_v)), m_new, v_new


def adam_rule(args: dict, got: object) -> None:
    """The contract's Adam step, with bias correction by 1 - beta^t."""
    dtype = _step_form(args, got, 3)
    expected = _adam(*map(_f64, (args["param"], args["grad"], args["m"], args["v"])),
                     *_hyper(args, "t", "lr", "beta1", "beta2", "eps"))
    _require_values(expected, got, dtype, "adam_step must return (new_param, m', v') as the contract writes them",
                    "m' and v' are the moving averages without correction; only the step uses m_hat and v_hat, "
                    "divided by 1 - beta1^t and 1 - beta2^t, with eps outside the square root")


def adam_first_step(ctx: Context) -> None:
    """From m = v = 0 at t = 1, bias correction makes m_hat = grad and v_hat = grad^2: each entry moves
    by lr * grad / (|grad| + eps), about lr against the gradient's sign, whatever its scale."""
    rng = np.random.default_rng(35)
    calls = []
    for dtype, scale in ((np.float64, 1.0), (np.float64, 1e-4), (np.float32, 10.0), (np.float32, 1e-3)):
        param, grad = rng.standard_normal((2, 3)).astype(dtype), (rng.standard_normal((2, 3)) * scale).astype(dtype)
        calls.append(Call((param, grad, np.zeros_like(param), np.zeros_like(param), 1), {"lr": 0.01}))
    for call, got in zip(calls, ctx.values(calls)):
        param, grad = call.args[0], call.args[1]
        g = _f64(grad)
        moved = _f64(param) - 0.01 * g / (np.abs(g) + 1e-8)
        new = got[0] if isinstance(got, (tuple, list)) and len(got) == 3 else got
        mismatch = compare(moved, new, param.dtype)
        if mismatch:
            raise Fail(f"the first step from m = v = 0 must move each entry by about lr against its gradient: "
                       f"{mismatch.what}", input=ctx.show_call(call), expected=mismatch.expected, got=mismatch.got,
                       kind=mismatch.kind, **ctx.hinted(call, got, fallback=(
                           "bias correction: at t = 1, m_hat = m' / (1 - beta1) = grad and v_hat = grad^2, so the "
                           "step is lr * grad / (|grad| + eps)")))


def adam_rejects_bad_steps(ctx: Context) -> None:
    """t counts the steps from 1: t = 0 or negative raises ValueError."""
    param = np.array([1.0, -2.0])
    calls = [Call((param, param * 0.1, np.zeros(2), np.zeros(2), t)) for t in (0, -1, -10)]
    require_value_errors(ctx, calls, "t < 1", "t is the number of this step, 1 for the first: 1 - beta^0 = 0 "
                         "would divide by zero, so raise ValueError unless t >= 1",
                         Call((param, param * 0.1, np.zeros(2), np.zeros(2), 3)))


# ------------------------------------------------------------------ schedule ---

def _schedule(step, base_lr, warmup, total, min_lr):
    if step < warmup:
        return base_lr * (step + 1) / warmup
    if step < total:
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) / 2
    return min_lr


# (step, base_lr, warmup_steps, total_steps, min_lr or None for the default): around both
# boundaries, in the middle of the decay (where the cosine gives the mean of base_lr and
# min_lr), past the end, without a warm-up.
SCHEDULE_POINTS = ((0, 1.0, 4, 20, None), (3, 1.0, 4, 20, None), (4, 1.0, 4, 20, None), (12, 1.0, 4, 20, 0.1),
                   (5, 0.5, 4, 20, 0.1), (19, 0.5, 4, 20, 0.1), (20, 0.5, 4, 20, 0.1), (500, 0.5, 4, 20, 0.02),
                   (0, 0.3, 0, 10, None), (5, 0.3, 0, 10, None), (0, 2.0, 1, 3, 0.5), (1, 2.0, 1, 3, 0.5))


def schedule_known_points(ctx: Context) -> None:
    """The contract's formula at known points: the warm-up rises by base_lr / warmup_steps a step,
    reaching base_lr at warmup_steps - 1 and warmup_steps; the decay's middle is (base_lr + min_lr) / 2;
    from total_steps on, min_lr."""
    calls = [Call((step, lr, w, t)) if low is None else Call((step, lr, w, t, low))
             for step, lr, w, t, low in SCHEDULE_POINTS]
    for call, got, (step, lr, w, t, low) in zip(calls, ctx.values(calls), SCHEDULE_POINTS):
        expected = _schedule(step, lr, w, t, low or 0.0)
        value = as_float(got)
        if not abs(value - expected) <= 1e-12 * max(1.0, abs(expected)):  # nan (no float) included
            phase = "the warm-up" if step < w else "the decay" if step < t else "the end (step >= total_steps)"
            raise Fail(f"wrong learning rate in {phase}: expected {expected:.10g}, got {show(got)}",
                       input=ctx.show_call(call), expected=f"{expected:.10g}", got=show(got),
                       **ctx.hinted(call, got, fallback="follow the contract's three cases: step < warmup_steps, "
                                                         "step < total_steps, and from total_steps on"))


def schedule_rejects_bad_arguments(ctx: Context) -> None:
    """ValueError unless 0 <= warmup_steps < total_steps and step >= 0."""
    calls = [Call(args) for args in ((-1, 0.1, 5, 10), (3, 0.1, 10, 10), (3, 0.1, 12, 10), (3, 0.1, -1, 10),
                                     (0, 0.1, 0, 0), (-5, 0.1, 0, 10, 0.01))]
    require_value_errors(ctx, calls, "a negative step, a negative warm-up or warmup_steps >= total_steps",
                         "check 0 <= warmup_steps < total_steps and step >= 0 before computing anything",
                         Call((5, 0.1, 2, 10)))


# ---------------------------------------------------------- optimize_linear ---

def optimize_history_form(args: dict, got: object) -> None:
    """A float64 array of steps + 1 losses, the first the loss at w = 0, b = 0 (the mean of y^2 for
    the MSE, of |y| for the MAE)."""
    steps = args["steps"]
    if not (isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (steps + 1,)):
        raise Fail(f"expected a float64 array of shape ({steps + 1},), steps + 1 losses, got {describe(got)}",
                   kind="wrong form", hint="collect the losses in a list and return np.array(history, "
                                           "dtype=np.float64): one before each step, one after the last")
    y = _f64(args["y"])
    first = float(np.mean(y ** 2) if args.get("loss", "mse") == "mse" else np.mean(np.abs(y)))
    _require_values(first, got[0], F64, "history[0] must be the loss at w = 0, b = 0",
                    "start from w = 0 and b = 0, and record the loss before the first update")


def optimize_rejects_unknown_names(ctx: Context) -> None:
    """An unknown optimizer name raises ValueError, even when steps is 0 and nothing is updated."""
    X, y = _convex_problem()
    calls = [Call((X, y, name, 0.1, steps)) for name, steps in (("Adam", 0), ("nesterov", 0), ("SGD", 3),
                                                                 ("adagrad", 2), ("", 0))]
    require_value_errors(ctx, calls, "an unknown optimizer name, even with steps = 0",
                         "check the name before the loop: with steps = 0 the loop never runs",
                         Call((X, y, "sgd", 0.1, 2)))
