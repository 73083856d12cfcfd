"""hw4's hand-written checks: the properties its declaration cannot derive. The contract's
formulas computed here in float64 (so that they run in the student release too), dropout judged
by statistics with fixed seeds (never by pinning the draw), maxout's first piece on ties,
early stopping's known answers, and the arguments that must raise ValueError. Judges take
(args, got) and raise Fail; properties take the Context. The truth here is computed from the
contract, written apart from the reference (the release holds this file, not the reference).
"""

from __future__ import annotations

import numpy as np

from grader.checks import Call, Context, Rng, require_masks_from_the_generator, require_value_errors
from grader.compare import compare, describe, show
from grader.exercise import NEEDS_WORKING, Fail
from grader.homeworks.hw4 import bounds
from grader.worker.wire import generator_state

F64 = np.dtype(np.float64)

# ------------------------------------------------------------------- helpers ---


def _f64(value: object) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def _require_values(expected: object, got: object, dtype: np.dtype, rule: str, hint: str,
                    tolerances: dict | None = None) -> None:
    """Fail, saying `rule`, unless `got` has the form of `expected` (computed here from the
    contract) and its values."""
    mismatch = compare(expected, got, dtype, tolerances=tolerances)
    if mismatch:
        raise Fail(f"{rule}: {mismatch.what}", expected=mismatch.expected, got=mismatch.got, kind=mismatch.kind,
                   hint=mismatch.hint or hint)


def _hinted_failure(ctx: Context, call: Call, got: object, failure: Fail, what: str = "") -> Fail:
    """`failure` on `call`, with the known mistake's hint where the output fits one."""
    hinted = ctx.hinted(call, got, fallback=failure.hint)
    failure.summary = f"{what}{failure.summary}"
    failure.input, failure.hint, failure.mistake = ctx.show_call(call), hinted["hint"], hinted["mistake"]
    return failure


# ------------------------------------------------------------ batch normalization ---

def _normalized(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x_hat, mu, biased var), column by column, as the contract writes them."""
    n = len(x)
    mu = np.sum(x, axis=0) / n
    var = np.sum(np.square(x - mu), axis=0) / n
    return (x - mu) / np.sqrt(var + eps), mu, var


def batchnorm_train_rule(args: dict, got: object) -> None:
    """Training: the batch's statistics (biased variance) normalize x, and the running averages
    keep momentum of the old ones."""
    x, gamma, beta = _f64(args["x"]), _f64(args["gamma"]), _f64(args["beta"])
    momentum, eps = args["momentum"], args["eps"]
    x_hat, mu, var = _normalized(x, eps)
    expected = (gamma * x_hat + beta, momentum * _f64(args["running_mean"]) + (1 - momentum) * mu,
                momentum * _f64(args["running_var"]) + (1 - momentum) * var)
    _require_values(expected, got, F64, "in training batchnorm_forward must return (gamma * x_hat + beta, "
                    "momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var)",
                    "mu and the biased var (divided by N) are taken over the batch, axis 0")


def batchnorm_eval_rule(args: dict, got: object) -> None:
    """Evaluation: the running statistics normalize x, and come back unchanged."""
    x, gamma, beta = _f64(args["x"]), _f64(args["gamma"]), _f64(args["beta"])
    mean, var = _f64(args["running_mean"]), _f64(args["running_var"])
    expected = (gamma * (x - mean) / np.sqrt(var + args["eps"]) + beta, mean, var)
    _require_values(expected, got, F64, "with train=False batchnorm_forward must return (gamma * (x - running_mean)"
                    " / sqrt(running_var + eps) + beta, running_mean, running_var)",
                    "at test time the running statistics replace the batch's, and are not updated")


def batchnorm_backward_rule(args: dict, got: object) -> None:
    """The chain rule through the computational graph, stage by stage (Kratzert's nine steps):
    out = gamma * x_hat + beta, x_hat = xmu * ivar, ivar = 1 / sqrt(var + eps), var = mean(xmu^2),
    xmu = x - mu, mu = mean(x)."""
    dout, x, gamma, eps = _f64(args["dout"]), _f64(args["x"]), _f64(args["gamma"]), args["eps"]
    n = len(x)
    xmu = x - np.sum(x, axis=0) / n
    var = np.sum(xmu ** 2, axis=0) / n
    ivar = 1 / np.sqrt(var + eps)
    dx_hat = dout * gamma
    divar = np.sum(dx_hat * xmu, axis=0)
    dxmu = dx_hat * ivar
    dvar = divar * -0.5 * (var + eps) ** -1.5
    dxmu = dxmu + 2 * xmu * dvar / n
    dx = dxmu - np.sum(dxmu, axis=0) / n
    expected = (dx, np.sum(dout * xmu * ivar, axis=0), np.sum(dout, axis=0))
    _require_values(expected, got, F64, "batchnorm_backward must return (dx, dgamma, dbeta) of the training-mode "
                    "forward, through the batch statistics", "mu and var depend on every x of the column: "
                    "follow the chain rule through both", tolerances=bounds.BN_BACKWARD_TOLERANCES)


# -------------------------------------------------------------------- dropout ---

def dropout_rejects_bad_p(ctx: Context) -> None:
    """ValueError unless 0 <= p < 1, in training and at test time, nan included."""
    x = np.ones((3, 4))
    calls = [Call((x, p, Rng(0))) for p in (-0.1, 1.0, 1.5, float("nan"))]
    calls += [Call((x, p, Rng(0)), {"train": False}) for p in (1.0, -0.5, float("nan"))]
    # the contract's boundaries are valid (in both modes): code that rejects all but one p tells none apart
    ctx.values([Call((x, p, Rng(0)), {"train": train}) for p in (0.0, 0.99) for train in (True, False)])
    require_value_errors(ctx, calls, "a drop probability outside [0, 1), in training or at test time",
                         "check that p is inside [0, 1) before anything else, in both modes: a nan p fails every "
                         "comparison, so test `0 <= p < 1` and raise when it does not hold",
                         Call((x, 0.3, Rng(0))))


def dropout_test_scales(ctx: Context) -> None:
    """train=False: (x * (1 - p), None), the expected training output."""
    rng = np.random.default_rng(41)
    calls = [Call((rng.standard_normal((4, 3)).astype(dtype), p, Rng(1)), {"train": False})
             for dtype, p in ((np.float64, 0.5), (np.float64, 0.2), (np.float32, 0.75), (np.float64, 0.0))]
    for call, got in zip(calls, ctx.values(calls)):
        x, p = call.args[0], call.args[1]
        mismatch = compare((_f64(x) * (1 - p), None), got, x.dtype)
        if mismatch:
            raise Fail(f"with train=False: {mismatch.what}", input=ctx.show_call(call), expected=mismatch.expected,
                       got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief, **ctx.hinted(
                           call, got, fallback="at test time nothing is dropped: every element is multiplied by "
                                               "(1 - p), and the mask is None"))


def _training_results(ctx: Context, calls: list[Call], global_seed: int | None = None) -> list[tuple]:
    """(out, mask) of each call, failing unless the mask is a boolean array of x's shape."""
    results = []
    for call, result in zip(calls, ctx.values(calls, global_seed=global_seed)):
        x = call.args[0]
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise Fail(f"expected a tuple (out, mask), got {describe(result)}", input=ctx.show_call(call),
                       kind="wrong form")
        out, mask = result
        if not (isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.shape == x.shape):
            raise Fail(f"mask must be a boolean array of shape {x.shape}, got {show(mask, 80)}", kind="wrong form",
                       input=ctx.show_call(call), hint="the mask says, for each element of x, whether it is kept")
        results.append((out, mask))
    return results


def dropout_output_matches_mask(ctx: Context) -> None:
    """Training: out = x where the mask keeps, 0 elsewhere, unscaled."""
    rng = np.random.default_rng(42)
    cases = (((5, 4), np.float64, 0.5), ((4, 3), np.float64, 0.3), ((5, 2), np.float32, 0.2),
             ((3, 7), np.float64, 0.75), ((2, 3), np.float64, 0.0))
    calls = [Call((rng.standard_normal(shape).astype(dtype), p, Rng(10 + i)))
             for i, (shape, dtype, p) in enumerate(cases)]
    results = _training_results(ctx, calls)
    # 63 elements drawn with p > 0: a right mask keeps none, or all, with a chance below 1e-20
    masks = np.concatenate([np.ravel(mask) for call, (_, mask) in zip(calls, results) if call.args[1] > 0])
    if masks.all() or not masks.any():
        raise Fail(f"in training the masks {'kept' if masks.all() else 'dropped'} every element, with p = 0.2 to "
                   "0.75", input=", ".join(ctx.show_call(call) for call in calls[:4]),
                   hint="drop each element with probability p: mask = rng.random(x.shape) >= p keeps the others")
    for call, (out, mask) in zip(calls, results):
        x = call.args[0]
        mismatch = compare(np.where(mask, _f64(x), 0.0), out, x.dtype, "out")
        if mismatch:
            raise Fail(mismatch.what, input=ctx.show_call(call), expected=mismatch.expected, got=mismatch.got,
                       kind=mismatch.kind, brief=mismatch.brief, **ctx.hinted(
                           call, (out, mask), fallback="in training the kept elements pass unchanged (no 1 / (1 - p)) "
                                                       "and the dropped ones are 0"))


def dropout_statistics(ctx: Context) -> None:
    """Each element kept independently with probability 1 - p (not whole rows or columns), and the
    mean training output equals the mean test output, (1 - p) x: on large arrays, and over many
    small ones (no bias from rounding a count). With a course secret the shapes and seeds come
    from it, in the sealed process (a hidden check): dropout has no reference comparison, and code
    that drew a right mask on public shapes alone would otherwise keep every point."""
    draw, public = np.random.default_rng(ctx.seed(70)), ctx.secret is None or ctx.public
    x = np.full((200, 50) if public else (int(draw.integers(150, 251)), int(draw.integers(40, 61))), 2.0)
    small = np.ones((1, 3) if public else tuple(int(n) for n in draw.permutation([1, int(draw.integers(3, 5))])))
    ps = (0.2, 0.5, 0.7)
    calls = [Call((x, p, Rng(ctx.seed(20 + i)))) for i, p in enumerate(ps)]
    tests = ctx.values([Call((x, p, Rng(ctx.seed(30 + i))), {"train": False}) for i, p in enumerate(ps)])
    big = _training_results(ctx, calls)
    for call, (out, mask), test in zip(calls, big, tests):
        p = call.args[1]
        test_mean = float(np.mean(_f64(test[0]))) if isinstance(test, (tuple, list)) and len(test) == 2 else np.nan
        _require_unbiased(ctx, call, p, mask, out, test_mean, x.size, got=(out, mask))
        rows = np.mean(mask.all(axis=1) | ~mask.any(axis=1))
        columns = np.mean(mask.all(axis=0) | ~mask.any(axis=0))
        if max(rows, columns) > bounds.CONSTANT_LINES:
            which = "rows" if rows >= columns else "columns"
            raise Fail(f"the mask keeps or drops whole {which} together ({max(rows, columns):.0%} of them)",
                       input=ctx.show_call(call), hint="draw one keep decision per element, of x's whole shape")
    masks = [mask for _, mask in big]
    for lines, axis in (("rows", 1), ("columns", 0)):
        counts = [(np.sum(mask, axis=axis), call.args[1]) for call, mask in zip(calls, masks)]
        _require_binomial_counts(counts, x.shape[axis], f"the keep counts of the {lines}",
                                 f"dropout_forward_scaled(x=np.full({x.shape}, 2.0), p, rng=np.random.default_rng(seed)) "
                                 "for p = " + ", ".join(f"{p:g}" for p in ps))
    calls = [Call((small, p, Rng(ctx.seed(1000 + i)))) for p in (0.5, 0.2) for i in range(300)]
    results = _training_results(ctx, calls)
    for p, chunk in ((0.5, results[:300]), (0.2, results[300:])):
        masks = np.concatenate([np.ravel(mask) for _, mask in chunk])
        outs = np.concatenate([np.ravel(_f64(out)) for out, _ in chunk])
        shown = f"dropout_forward_scaled(x=np.ones({small.shape}), p={p}, rng=np.random.default_rng(seed)) for 300 seeds"
        _require_unbiased(ctx, Call((small, p, Rng(1000))), p, masks, outs, 1 - p, masks.size, shown)
        _require_binomial_counts([(np.array([np.sum(mask) for _, mask in chunk]), p)], small.size,
                                 "the keep counts of the 300 masks", shown)


def _require_binomial_counts(counts: list[tuple[np.ndarray, float]], m: int, what: str, shown: str) -> None:
    """Fail unless keep counts of lines of m elements, (counts, p) for each drop probability,
    vary as independent draws' do: their dispersion S within bounds.DISPERSION_SIGMAS of its mean."""
    dispersion, mean, variance = 0.0, 0, 0.0
    for count, p in counts:
        spread = m * p * (1 - p)
        dispersion += float(np.sum((count - m * (1 - p)) ** 2) / spread)
        mean += count.size
        variance += count.size * (2 + (1 - 6 * p * (1 - p)) / spread)
    if abs(dispersion - mean) > bounds.DISPERSION_SIGMAS * np.sqrt(variance):
        how = "less" if dispersion < mean else "more"
        raise Fail(f"{what} vary {how} than independent draws would ({dispersion / mean:.2f} times the binomial "
                   "variance m p (1 - p)): the elements are not kept independently", input=shown,
                   hint="draw one keep decision per element, independently (rng.random(x.shape) >= p): no fixed "
                        "count of kept elements, no draw shared between elements")


def _require_unbiased(ctx: Context, call: Call, p: float, mask: np.ndarray, out: object, test_mean: float,
                      count: int, shown: str | None = None, got: object = None) -> None:
    """Fail unless about 1 - p of the mask is kept and the mean training output is the mean test
    output (1 - p) * mean(x), within bounds.DROPOUT_SIGMAS standard deviations of the keep fraction.
    `got`: the result of the one call shown, where a known mistake may explain it."""
    kept = float(np.mean(mask))
    sigma = np.sqrt(p * (1 - p) / count)
    bound = bounds.DROPOUT_SIGMAS * sigma
    if abs(kept - (1 - p)) > bound:
        fallback = ("p is the probability of DROPPING an element, so about 1 - p of them are kept"
                    if abs(kept - p) < bound else
                    "each element is kept with probability 1 - p, independently (no fixed count, no rounding)")
        hinted = ctx.hinted(call, got, fallback=fallback) if got is not None else {"hint": fallback}
        raise Fail(f"with p = {p} the mask kept {kept:.3f} of the elements; expected about {1 - p:.3f}",
                   input=shown or ctx.show_call(call), **hinted)
    mean = float(np.mean(_f64(out)))
    mean_x = test_mean / (1 - p)  # the test output is (1 - p) x: its mean gives x's
    if not abs(mean - test_mean) <= abs(mean_x) * bound + 1e-9:  # nan: no test output to compare with
        raise Fail(f"the mean training output is {mean:.4f}, but the test output's mean is {test_mean:.4f}: "
                   "the test output must equal the expected training output", input=shown or ctx.show_call(call),
                   hint="in training the kept elements pass unchanged (no 1 / (1 - p)); at test time every "
                        "element is multiplied by (1 - p)")


def _masks(ctx: Context, calls: list[Call], global_seed: int | None = None) -> list[np.ndarray]:
    return [mask for _, mask in _training_results(ctx, calls, global_seed)]


def dropout_uses_given_rng(ctx: Context) -> None:
    """The mask comes from the given generator: it advances it (a state check), the same seed gives
    the same mask whatever numpy's global RNG does (in this process or a fresh one), another seed
    or the same generator used again another mask."""
    x = np.ones((20, 30))
    seven = Call((x, 0.5, Rng(ctx.seed(7))))
    (outcome,) = ctx.call([seven], generators=True)
    ctx.value_of(outcome, seven)
    if outcome.generators.get("argument 3") == generator_state(np.random.default_rng(ctx.seed(7))):
        raise Fail("drew nothing from the generator rng in training", input=ctx.show_call(seven),
                   hint="draw the mask from the rng argument (rng.random(x.shape)), never from np.random.*")
    require_masks_from_the_generator(ctx, x, _masks)


def dropout_keeps_dtype(ctx: Context) -> None:
    """float32 in, float32 out (float64 likewise), in training and at test time, for right values."""
    rng = np.random.default_rng(43)
    calls = [Call((rng.standard_normal((4, 5)).astype(dtype), 0.3, Rng(50 + i)), {"train": train})
             for i, (dtype, train) in enumerate(((np.float32, True), (np.float32, False), (np.float64, True),
                                                 (np.float64, False)))]
    for call, got in zip(calls, ctx.values(calls)):
        x, train = call.args[0], call.kwargs["train"]
        mask = got[1] if isinstance(got, (tuple, list)) and len(got) == 2 else None
        if train and not (isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.shape == x.shape):
            raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
        expected = (np.where(mask, _f64(x), 0.0) if train else _f64(x) * 0.7, mask)
        if compare(expected, got, x.dtype) is not None:
            raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
        out = got[0]
        if out.dtype != x.dtype:
            raise Fail(f"for {x.dtype} inputs, expected out in {x.dtype}, got {out.dtype}", input=ctx.show_call(call),
                       expected=str(x.dtype), got=str(out.dtype), kind="wrong form",
                       hint="x * mask and x * (1 - p) with a Python float keep x's dtype; an array of another "
                            "dtype (a float64 mask of 1.0 and 0.0) upcasts float32")


def dropout_backward_rule(args: dict, got: object) -> None:
    """dout where the mask keeps, 0 elsewhere (the dtype is a check of its own)."""
    dout, mask = args["dout"], args["mask"]
    _require_values(np.where(mask, _f64(dout), 0.0), got, dout.dtype,
                    "dropout_backward_scaled must return dout where the mask is True, 0 elsewhere",
                    "the training forward passes a kept x unchanged: its gradient is dout, unscaled")


# --------------------------------------------------------------------- maxout ---

def _maxout_loops(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z, the winning piece of each unit, first on ties), by loops over the units."""
    n, (d, h, k) = len(x), W.shape
    z = np.empty((n, h, k))
    for unit in range(h):
        z[:, unit, :] = x @ W[:, unit, :] + b[unit]
    winner = np.zeros((n, h), dtype=int)
    for j in range(1, k):  # strictly larger: the first piece keeps a tie
        winner = np.where(z[:, :, j] > np.take_along_axis(z, winner[:, :, None], axis=2)[:, :, 0], j, winner)
    return z, winner


def maxout_rule(args: dict, got: object) -> None:
    """out[n, h] = max_j (x W[:, h, j] + b[h, j])."""
    x, W, b = _f64(args["x"]), _f64(args["W"]), _f64(args["b"])
    z, _ = _maxout_loops(x, W, b)
    _require_values(z.max(axis=2), got, F64, "maxout_forward must return the maximum over the k pieces of each unit",
                    "z has shape (N, H, k): take the maximum over its last axis")


def _maxout_gradients(dout: np.ndarray, x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple:
    z, winner = _maxout_loops(x, W, b)
    dz = np.zeros(z.shape)
    n_idx, h_idx = np.indices(winner.shape)
    dz[n_idx, h_idx, winner] = dout
    dx = sum(dz[:, :, j] @ W[:, :, j].T for j in range(z.shape[2]))
    return dx, np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# Small integers, where pieces tie exactly: (x, W, b), N = 3, D = 2, H = 2, k = 3.
TIE_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
TIE_W = np.array([[[1.0, 1.0, 0.0], [2.0, -1.0, 2.0]], [[0.0, 1.0, 1.0], [1.0, 1.0, 0.0]]])
TIE_B = np.array([[0.0, 0.0, 1.0], [0.0, 2.0, 0.0]])
TIE_DOUT = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 2.0]])


def maxout_ties(ctx: Context) -> None:
    """On exact ties (small integers) the gradient goes to the first maximal piece only, as np.argmax."""
    rng = np.random.default_rng(44)
    cases = [(TIE_DOUT, TIE_X, TIE_W, TIE_B)]
    for n, d, h, k in ((4, 3, 2, 5), (5, 2, 3, 4)):
        cases.append((rng.standard_normal((n, h)), rng.integers(-1, 2, size=(n, d)).astype(np.float64),
                      rng.integers(-1, 2, size=(d, h, k)).astype(np.float64), np.zeros((h, k))))
    calls = [Call(case) for case in cases]
    for call, got, case in zip(calls, ctx.values(calls), cases):
        try:
            _require_values(_maxout_gradients(*case), got, F64,
                            "with tied pieces the gradient goes to the first maximal one only",
                            "np.argmax over the pieces picks the first maximum: route dout there alone")
        except Fail as failure:
            raise _hinted_failure(ctx, call, got, failure) from None


# ---------------------------------------------------------------- weight decay ---

def l2_rule(args: dict, got: object) -> None:
    """(lam / 2) sum W^2 over the keys that start with "W", grads lam W there and zeros elsewhere."""
    params, lam = args["params"], args["lam"]
    weights = [key for key in params if key[:1] == "W"]
    penalty = lam / 2 * sum(float(np.vdot(params[key], params[key])) for key in weights)
    grads = {key: lam * _f64(value) if key in weights else np.zeros(np.shape(value)) for key, value in params.items()}
    _require_values((penalty, grads), got, F64, "l2_penalty must return ((lam / 2) * the sum of the squared weights, "
                    "grads with lam * W for the weights and zeros for the rest)",
                    "the weights are the keys that start with a capital 'W'; every key of params has a gradient")


def l2_key_names(ctx: Context) -> None:
    """l2_rule on parameters whose names are drawn (with a course secret, from it, in the sealed
    process: a hidden check): weights "W" followed by letters, digits or "_", among names that
    hold a W or a w but do not start with one, so that no list of the grader's names passes."""
    draw = np.random.default_rng(ctx.seed(61))
    calls = [Call((_named_params(draw), lam)) for lam in (0.1, 1.0, 5.0)]
    for call, got in zip(calls, ctx.values(calls)):
        try:
            l2_rule({"params": call.args[0], "lam": call.args[1]}, got)
        except Fail as failure:
            failure.input = ctx.show_call(call)
            raise


def _named_params(draw: np.random.Generator) -> dict[str, np.ndarray]:
    """Two to three weights and two to three other parameters, named at random, shapes 1 to 4."""
    def suffix() -> str:
        return "".join(draw.choice(list("abhxyz0123_"), size=int(draw.integers(1, 5))))
    names = {"W" + suffix() for _ in range(int(draw.integers(2, 4)))}
    names |= {str(draw.choice(["b", "w", "gamma", "beta", "scale_W", "bW"])) + suffix()
              for _ in range(int(draw.integers(2, 4)))}
    return {name: draw.standard_normal(tuple(int(n) for n in draw.integers(1, 5, size=int(draw.integers(1, 3)))))
            for name in sorted(names, key=lambda _: draw.random())}


# -------------------------------------------------------------- early stopping ---

def _stopping(losses: list, patience: int) -> tuple[int, int]:
    """The contract's answer, by the best loss so far and a count of epochs without improvement."""
    best, waited = float("inf"), 0
    stop = len(losses) - 1
    for epoch, loss in enumerate(losses):
        best, waited = (loss, 0) if loss < best else (best, waited + 1)
        if waited >= patience:
            stop = epoch
            break
    seen = losses[:stop + 1]
    return seen.index(min(seen)), stop


# (losses, patience): ties, never stopping, patience longer than the run, a stop right at the end.
EARLY_CASES = (
    ((3.0, 2.0, 2.5, 2.1, 1.0), 2),
    ((1.0, 2.0, 3.0, 4.0), 1),
    ((5.0, 4.0, 3.0, 2.0, 1.0), 1),  # never stops
    ((2.0, 2.0, 2.0, 2.0), 2),  # ties are no improvement
    ((3.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0), 2),
    ((1.0, 2.0), 5),  # patience longer than the run
    ((4.0,), 1),
    ((4.0,), 3),
    ((3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 1.0), 2),  # a tie with the best ends the patience
    ((3.0, 2.0, 3.0, 1.0, 3.0, 3.0, 0.0), 2),  # the lowest loss comes after the stop
    ((2.0, 1.0, 1.0, 1.0, 1.0), 3),  # the first of the tied lowest losses
    ((5.0, 4.0, 4.0, 3.0, 4.0, 4.0, 4.0, 2.0), 3),  # stops at the last epoch exactly
    ((1.0, 0.99999, 0.99998, 0.99997, 0.99996), 1),  # any strict improvement counts, however small (no min_delta)
    ((2e5, 3e5, 1e5), 1),  # large losses: the best starts at +infinity, not at some big number
)


def early_stopping_cases(ctx: Context) -> None:
    """Known answers on runs with ties, never stopping, patience longer than the run, as a list
    and as an array."""
    cases = [(list(losses), patience) for losses, patience in EARLY_CASES]
    calls = [Call((list(losses), patience)) for losses, patience in cases]
    calls += [Call((np.array(losses), patience)) for losses, patience in cases]
    for call, got in zip(calls, ctx.values(calls)):
        losses, patience = [float(v) for v in call.args[0]], call.args[1]
        expected = _stopping(losses, patience)
        mismatch = compare(expected, got, F64)
        if mismatch:
            form = "a list" if isinstance(call.args[0], list) else "an array"
            raise Fail(f"with {form} of losses {losses} and patience {patience}, expected (best_epoch, stop_epoch) "
                       f"= {expected}: {mismatch.what}", input=ctx.show_call(call), expected=str(expected),
                       got=show(got), kind=mismatch.kind, **ctx.hinted(
                           call, got, fallback="count the epochs since the last strict improvement on the best "
                                               "loss so far; stop when the count reaches patience"))


def early_stopping_rejects(ctx: Context) -> None:
    """ValueError (not TypeError) for patience 0, -1, 2.5 or True, and for an empty list or array."""
    losses = [3.0, 2.0, 2.5]
    calls = [Call((losses, patience)) for patience in (0, -1, 2.5, True)]
    calls += [Call(([], 2)), Call((np.array([]), 2))]
    ctx.values([Call(([4.0], 1)), Call((np.array(losses), 1))])  # the boundaries are valid: one epoch, patience 1
    require_value_errors(ctx, calls, "a patience that is not an int >= 1 (2.5 and True included), or no losses",
                         "check isinstance(patience, int) and not a bool (True is an int in Python), patience >= 1 "
                         "and len(val_losses) > 0 first, and raise ValueError otherwise", Call((losses, 2)))


def early_stopping_form(args: dict, got: object) -> None:
    """Two ints, 0 <= best_epoch <= stop_epoch < len(val_losses), for the right answer."""
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        raise Fail(f"expected a tuple (best_epoch, stop_epoch), got {describe(got)}", kind="wrong form")
    form = compare((0, 0), got, F64, check_values=False)
    if form:
        raise Fail(form.what, expected=form.expected, got=form.got, hint=form.hint, kind=form.kind)
    best, stop = int(got[0]), int(got[1])
    if not 0 <= best <= stop < len(args["val_losses"]):
        raise Fail(f"expected 0 <= best_epoch <= stop_epoch < {len(args['val_losses'])} (epoch indices), got "
                   f"({best}, {stop})", hint="epochs are indices from 0; the best epoch is among those trained")
    # the form of a wrong answer earns nothing: (0, len - 1) whatever the losses has it
    if (best, stop) != _stopping([float(v) for v in args["val_losses"]], args["patience"]):
        raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
