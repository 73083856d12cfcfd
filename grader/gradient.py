"""The one gradient check: "this exercise returns the derivative of that function", declared as data.

Three relations cover the course's exercises:

- a gradient: `Gradient(of="mse", wrt="y_pred", given=PAIRS)`: mse_grad(y_pred, y_true)
  returns d mse / d y_pred; where `of` returns an array, the value differentiated is the sum
  of its entries, so `Gradient(of="sigmoid", wrt="z", ...)` checks sigmoid_grad(z), the
  elementwise derivative of an elementwise function;
- a vector-Jacobian product: `Gradient(of="batchnorm_forward", wrt=("x", "gamma", "beta"), output=0,
  dout="dout", ...)`: batchnorm_backward(dout, x, gamma) returns the derivatives of
  L = sum(dout * out) with out the forward's first output; `outputs={"mask": 1}` hands the
  backward a part of the forward's result (dropout's mask, the forward re-seeded with the same
  generator so that it draws the same mask every time);
- a function's own gradients next to its value: `Gradient(of=None, wrt=("w", "b"), value=0,
  grads=(1, 2), ...)`: linear_loss_and_grads returns (L, dw, db).

Problems come from the forward's declared inputs (grader.signature), in float64, with entries
moved away from declared kinks and resampled until `valid` accepts them; central differences
(grader.gradcheck) on every entry, or on `entries` of them sampled at random when the
parameters are large; the worst entry is named. The function differentiated is the reference's
where it is installed, else the student's own, which must then pass its own checks first
(`Context.truth_values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader import settings
from grader.checks import Context, ahead
from grader.compare import compare, describe
from grader.exercise import Fail
from grader.gradcheck import compare_gradients
from grader.runner import Call
from grader.signature import DeclarationError, Inputs

# Entries checked per problem at most: central differences cost two forward calls per
# entry, and a wrong formula shows in most entries; beyond this many, a random sample.
MAX_ENTRIES = 60


@dataclass(frozen=True)
class Gradient:
    """This exercise returns derivatives of `of`'s value with respect to `of`'s arguments `wrt`."""

    of: str | None  # the function differentiated; None: this exercise's own value (see `value`)
    wrt: str | tuple[str, ...]  # arguments of `of` (arrays, dicts of arrays, or Python floats)
    given: Inputs  # the arguments of `of`: problems are drawn from them (not `inputs`: no examples drawn)
    points: float
    description: str = ""
    output: int | None = None  # the element of `of`'s result that is differentiated (out of (out, cache))
    dout: str | None = None  # vector-Jacobian product: this exercise's argument holding dL/d output
    outputs: dict = field(default_factory=dict)  # this exercise's arguments taken from `of`'s result, by index
    value: int | None = None  # own gradients: where the result holds the value (with of=None)
    grads: int | tuple | None = None  # where the result holds the gradients; None: the whole result
    valid: Callable[[dict], bool] | None = None  # accepts a problem (arguments by name): away from derived kinks
    # `of` is elementwise in `wrt` (each output entry depends on the same input entry alone): one step
    # of every entry at once gives every partial, two calls a problem instead of two an entry
    elementwise: bool = False
    problems: int = settings.GRADCHECK_PROBLEMS
    entries: int = MAX_ENTRIES
    seed: int = 0  # with the exercise's name and the course secret, where grading uses one (Context.seed)
    needs_reference: bool = False
    uses_reference: bool = True  # differentiates the reference where it is installed

    def __post_init__(self) -> None:
        wrt = (self.wrt,) if isinstance(self.wrt, str) else tuple(self.wrt)
        missing = [name for name in wrt if name not in self.given.names]
        if missing:
            raise DeclarationError(f"Gradient wrt {missing}: not arguments of {self.of or 'the exercise'} "
                                   f"({', '.join(self.given.names)})")
        if self.of is None and self.value is None:
            raise DeclarationError("a function that returns its own gradients needs value= (where its result "
                                   "holds the value), e.g. Gradient(of=None, wrt='w', value=0, grads=1, ...)")
        if self.elementwise and (len(wrt) != 1 or self.of is None):
            raise DeclarationError("elementwise=True needs one wrt argument of a function `of` applied entry by entry")
        if isinstance(self.grads, tuple) and len(self.grads) != len(wrt):
            raise DeclarationError(f"grads={self.grads} gives {len(self.grads)} places for {len(wrt)} gradients")
        object.__setattr__(self, "wrt", wrt)
        if not self.description:
            against = f"against {self.of}" if self.of else "against the value it returns"
            object.__setattr__(self, "description",
                               f"gradient check on {self.problems} random problems {against}")

    def run(self, ctx: Context) -> None:
        forward = self.of or ctx.exercise.name
        base = ctx.seed(self.seed)
        rngs = [np.random.default_rng([base, i]) for i in range(self.problems)]
        problems = [self.given.named(self.given.sample(rng, self.valid)) for rng in rngs]
        results = ctx.truth_values([self.given.call_of(p) for p in problems], forward)
        douts = [rng.standard_normal(np.shape(self._output(r))) if self.dout else None
                 for rng, r in zip(rngs, results)]
        calls = [self._call(ctx, p, r, d) for p, r, d in zip(problems, results, douts)]
        differences: list = []  # with the reference, its finite differences, computed while the student's code runs

        def reference_side() -> None:
            differences.extend(ahead(lambda r=rng, p=problem, d=dout: self._numeric(ctx, forward, r, p, d))
                               for rng, problem, dout in zip(rngs, problems, douts))

        gots = ctx.values(calls, meanwhile=reference_side if ctx.reference is not None else None)
        for number, (rng, problem, result, dout, call, got) in enumerate(zip(rngs, problems, results, douts, calls,
                                                                             gots)):
            analytic = self._analytic(ctx, call, got, problem)
            # the student's own truth (no reference) asks its process: only now, in turn
            entries, numeric = differences[number]() if differences else self._numeric(ctx, forward, rng, problem,
                                                                                       dout)
            if self.elementwise:
                (name,) = self.wrt
                self._require(ctx, call, got, {name: analytic[name]}, numeric, 1.0)
                continue
            picked = {_label(e): np.float64(_at(analytic, e)) for e in entries}
            self._require(ctx, call, got, picked, numeric, self._loss(result, dout))

    def _numeric(self, ctx: Context, forward: str, rng: np.random.Generator, problem: dict,
                 dout: np.ndarray | None) -> tuple[list, dict]:
        """The central differences of the truth at `problem`: the entries checked (sampled with `rng`
        when there are many), and the differences by label; elementwise, every entry moved at once,
        whose output's differences are every partial (times dout)."""
        h = settings.GRADCHECK_STEP
        if self.elementwise:
            (name,) = self.wrt
            moved = [{**problem, name: np.asarray(problem[name], dtype=np.float64) + sign * h} for sign in (1.0, -1.0)]
            up, down = (np.asarray(self._output(r), dtype=np.float64)
                        for r in ctx.truth_values([self.given.call_of(m) for m in moved], forward))
            return [], {name: (up - down) / (2 * h) * (1.0 if dout is None else dout)}
        entries = _entries(problem, self.wrt)
        if len(entries) > self.entries:
            entries = [entries[i] for i in sorted(rng.choice(len(entries), self.entries, replace=False))]
        moved = [_moved(problem, entry, sign * h) for entry in entries for sign in (1.0, -1.0)]
        values = [self._loss(r, dout) for r in ctx.truth_values([self.given.call_of(m) for m in moved], forward)]
        pairs = np.asarray(values, dtype=np.float64).reshape(len(entries), 2)
        return entries, {_label(e): np.float64((up - down) / (2 * h)) for e, (up, down) in zip(entries, pairs)}

    # -- the parts of the relation ------------------------------------------

    def _output(self, result: object) -> object:
        """The part of the forward's result that is differentiated."""
        index = self.value if self.of is None else self.output
        return result if index is None else result[index]

    def _loss(self, result: object, dout: np.ndarray | None) -> float:
        out = np.asarray(self._output(result), dtype=np.float64)
        return float(np.sum(out if dout is None else dout * out))  # the sum: an elementwise derivative

    def _call(self, ctx: Context, problem: dict, result: object, dout: np.ndarray | None) -> Call:
        """This exercise's call on a problem: its arguments by name, from the problem, `dout` and `outputs`."""
        if self.of is None:
            return self.given.call_of(problem)
        known = dict(problem)
        known.update({name: result[index] for name, index in self.outputs.items()})
        if self.dout:
            known[self.dout] = dout
        args, kwargs, positional = [], {}, True
        for name in ctx.exercise.arg_names:  # positional until one is left out, then by keyword
            if name not in known:
                positional = False
            elif positional:
                args.append(known[name])
            else:
                kwargs[name] = known[name]
        return Call(tuple(args), kwargs)

    def _analytic(self, ctx: Context, call: Call, got: object, problem: dict) -> dict:
        """The student's gradients by `wrt` name, failing unless each has the form of its argument."""
        analytic = {}
        for name, place in zip(self.wrt, self._places()):
            part, where = got, "result"
            for index in place:
                if not isinstance(part, (tuple, list)) or len(part) <= index:
                    raise Fail(f"expected {where} to be a tuple of at least {index + 1} values, "
                               f"got {describe(part)}", input=ctx.show_call(call), kind="wrong form")
                part, where = part[index], f"{where}[{index}]"
            expected = _as_float64(problem[name])
            form = compare(expected, part, np.float64, where, check_values=False)
            if form:
                raise Fail(f"gradient of the wrong form: {form.what}", input=ctx.show_call(call),
                           expected=form.expected, got=form.got, hint=form.hint, kind=form.kind)
            analytic[name] = part
        return analytic

    def _places(self) -> list[tuple[int, ...]]:
        """Where in the result each gradient is, as a path of indices."""
        if isinstance(self.grads, tuple):
            return [(i,) for i in self.grads]
        within = () if self.grads is None else (self.grads,)
        if len(self.wrt) == 1:
            return [within]
        return [within + (i,) for i in range(len(self.wrt))]  # a tuple of gradients, in the order of wrt

    def _require(self, ctx: Context, call: Call, got: object, analytic: dict, numeric: dict, scale: float) -> None:
        require_gradients(ctx, call, got, analytic, numeric, scale, fallback=self._own_truth(ctx))

    def _own_truth(self, ctx: Context) -> str | None:
        truth = self.of or ctx.exercise.name
        if ctx.reference is not None or truth == ctx.exercise.name:
            return None
        return (f"this check differentiates your own {truth}, which passes the checks that run here: the mistake "
                f"may be in {ctx.exercise.name} or in {truth} (the final grade checks each against the reference)")


def require_gradients(ctx: Context, call: Call, got: object, analytic: dict, numeric: dict, scale: float,
                      fallback: str | None = None) -> None:
    """Fail unless the student's gradients `analytic` (from their result `got` for `call`) match the
    central differences `numeric`, naming the worst entry; the hint is the diagnosed mistake's, else
    `fallback`."""
    verdict = compare_gradients(analytic, numeric, scale)
    if verdict.passed:
        return
    raise Fail(
        f"gradient check failed: {verdict.summary()}",
        brief=f"gradient check failed: worst entry {verdict.where}: analytic {verdict.analytic:.6g}",
        input=ctx.show_call(call),
        expected=f"{verdict.numeric:.8g} (central differences)",
        got=f"{verdict.analytic:.8g}",
        **ctx.hinted(call, got, fallback=fallback),
    )


# -- entries of the parameters ------------------------------------------------
# An entry is (argument, key in a dict argument or None, index in the array).

def _entries(problem: dict, wrt: tuple) -> list[tuple]:
    entries = []
    for name in wrt:
        value = problem[name]
        parts = value.items() if isinstance(value, dict) else [(None, value)]
        for key, array in parts:
            entries.extend((name, key, index) for index in np.ndindex(np.shape(array)))
    return entries


def _label(entry: tuple) -> str:
    """'x[2, 0]', "W1[0, 1]" (a dict's key stands for the whole argument), 'b' for a scalar."""
    name, key, index = entry
    label = key if key is not None else name
    return f"{label}[{', '.join(str(int(i)) for i in index)}]" if index else label


def _at(analytic: dict, entry: tuple) -> float:
    name, key, index = entry
    part = analytic[name] if key is None else analytic[name][key]
    return float(np.asarray(part, dtype=np.float64)[index])


def _moved(problem: dict, entry: tuple, step: float) -> dict:
    """The problem with one entry moved by `step` (in float64; a Python float stays one)."""
    name, key, index = entry
    value = problem[name]
    if key is not None:
        return {**problem, name: {**value, key: _moved_array(value[key], index, step)}}
    if isinstance(value, np.ndarray):
        return {**problem, name: _moved_array(value, index, step)}
    return {**problem, name: float(value) + step}


def _moved_array(array: np.ndarray, index: tuple, step: float) -> np.ndarray:
    moved = array.astype(np.float64, copy=True)
    moved[index] += step
    return moved


def _as_float64(value: object) -> object:
    """The form a gradient of `value` has: float64 arrays of its shapes (a float for a float)."""
    if isinstance(value, dict):
        return {k: _as_float64(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.astype(np.float64)
    return float(value)
