"""Checks derived from an exercise's declared inputs (grader.signature), beside the gradient check.

- `checks_for(inputs, matches=5, pure=1, keeps_dtype=1)`: the usual trio, comparison with the
  reference, purity (arrays, dicts and lists alike), and the dtype kept;
- `KeepsDtype`: float arrays in the result keep the call's float dtype, as its own small check, so
  a correct formula that upcasts float32 (`np.eye(C)[y]`) loses only these points;
- `Judge`: a property of the output given the inputs that needs no reference value ("a unit
  eigenvector of the smallest eigenvalue, up to sign"), with the failing input shrunk;
- `GeneratorState`: after the call, returned or raised, each generator argument is where the
  contract's draws leave it ("exactly one rng.permutation(n)", "nothing before the ValueError").

Each takes the declaration itself (`given`) and offers its strategy as `inputs`, which the engine
draws the examples from, once per homework.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from grader import settings
from grader.checks import Context, LeavesInputsUnchanged, MatchesReference, smallest_failure
from grader.compare import compare, lowest_precision
from grader.exercise import NEEDS_WORKING, NOT_JUDGED, Fail
from grader.runner import Call, Outcome, Raised
from grader.signature import Inputs
from grader.strategies import Strategy
from grader.worker.wire import generator_state, generator_states, materialize


def checks_for(given: Inputs, matches: float = 0, pure: float = 0, keeps_dtype: float = 0, **options) -> tuple:
    """The checks every exercise with declared inputs may have, those with points; `options` go to
    MatchesReference (description, part, tolerances)."""
    checks: list = []
    if matches:
        checks.append(MatchesReference(given.strategy, matches, **options))
    if keeps_dtype:
        checks.append(KeepsDtype(given, keeps_dtype))
    if pure:
        checks.append(LeavesInputsUnchanged(given.strategy, pure))
    return tuple(checks)


@dataclass(frozen=True)
class KeepsDtype:
    """Every float array of the result has the call's float dtype (float32 in, float32 out), and
    is a float array: integers or booleans of the right values lose these points (and only these).

    Numbers are exempt: a "float" result may be a Python float or any numpy float scalar. Where
    the reference is installed, the points go to a function with right values only (a stub that
    returns zeros of the right dtype earns nothing), as for purity.
    """

    given: Inputs
    points: float
    description: str = "keeps the input's dtype (float32 in, float32 out)"
    parts: tuple[int, ...] | None = None  # the elements of a returned tuple held to it; None: all
    examples: int = 20
    needs_reference: bool = False
    uses_reference: bool = True

    @property
    def inputs(self) -> Strategy:
        return self.given.strategy

    def run(self, ctx: Context) -> None:
        calls = ctx.examples_of(self)
        expected = ctx.reference_values(calls) if ctx.reference is not None else [None] * len(calls)
        for call, outcome, right in zip(calls, ctx.call(calls), expected):
            got = ctx.value_of(outcome, call)
            dtype = lowest_precision((call.args, call.kwargs))
            if ctx.reference is not None and compare(right, got, dtype, tolerances=settings.NEAR_TOLERANCES):
                raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
            wrong = _wrong_dtype(got, dtype, self.parts, expected=right if ctx.reference is not None else _UNKNOWN)
            if wrong:
                where, found = wrong
                raise Fail(f"for {dtype} inputs, expected {where} in {dtype}, got {found}", input=ctx.show_call(call),
                           expected=str(dtype), got=str(found), kind="wrong form",
                           hint="compute in the input's dtype, or cast back with .astype(x.dtype); a constant "
                                "array (np.eye, np.zeros) is float64 unless given dtype=")


_UNKNOWN = object()  # no reference value to say what a part of the result should be


def _wrong_dtype(got: object, dtype: np.dtype, parts: tuple[int, ...] | None,
                 where: str = "result", expected: object = _UNKNOWN) -> tuple[str, np.dtype] | None:
    """(where, its dtype) of the first array in `got` that should be a float array of `dtype` and
    is not: one of another float dtype, or of integers or booleans (an int array of the right
    values is not the float array the contract asks for). Where the reference's result is known,
    only the arrays it gives as float arrays are held to this; without it, every array is."""
    def part(container, key):
        return _UNKNOWN if expected is _UNKNOWN else container[key]

    if isinstance(got, (tuple, list)):
        for i, item in enumerate(got):
            if parts is None or i in parts:
                known = expected is _UNKNOWN or isinstance(expected, (tuple, list)) and i < len(expected)
                found = known and _wrong_dtype(item, dtype, None, f"{where}[{i}]", part(expected, i))
                if found:
                    return found
    elif isinstance(got, dict):
        for key, item in got.items():
            known = expected is _UNKNOWN or isinstance(expected, dict) and key in expected
            found = known and _wrong_dtype(item, dtype, None, f"{where}[{key!r}]", part(expected, key))
            if found:
                return found
    elif isinstance(got, np.ndarray) and got.dtype != dtype:
        float_expected = expected is _UNKNOWN or isinstance(expected, np.ndarray) and expected.dtype.kind == "f"
        if float_expected and got.dtype.kind in "fiub":
            return where, got.dtype
    return None


@dataclass(frozen=True)
class Judge:
    """A property of the output given the inputs: `judge(args, got)` raises Fail when it does not hold.

    `args` are the call's arguments by name (defaults left out filled in). No reference value is
    needed, so the check runs in a student release; the failing input is shrunk.
    """

    given: Inputs
    points: float
    judge: Callable[[dict, object], None]
    description: str
    examples: int = settings.PROPERTY_EXAMPLES
    needs_reference: bool = False
    uses_reference: bool = False

    @property
    def inputs(self) -> Strategy:
        return self.given.strategy

    def run(self, ctx: Context) -> None:
        calls = ctx.examples_of(self)
        for call, outcome in zip(calls, ctx.call(calls)):
            problem = self._judge(ctx, call, outcome)
            if problem:
                raise smallest_failure(ctx, self.inputs, self._judge, self.examples, problem)

    def _judge(self, ctx: Context, call: Call, outcome: Outcome) -> Fail | None:
        try:
            got = ctx.value_of(outcome, call)
            self.judge(self.given.named(call), got)
        except Fail as failure:
            failure.input = failure.input or ctx.show_call(call)
            return failure
        except Exception as error:  # the judge itself failed: on an odd value, or because it is broken
            return self._judge_failed(ctx, call, error)
        return None

    def _judge_failed(self, ctx: Context, call: Call, error: Exception) -> Fail:
        """A judge that fails on the reference's own output is broken: that costs the student nothing
        (and the proof harness, where the reference must score 100, shows it to the instructor)."""
        what = f"{type(error).__name__}: {error}"
        if ctx.reference is not None:
            try:
                self.judge(self.given.named(call), ctx.reference_values([call])[0])
            except Exception:  # Fail too: the reference's output does not pass the judge either
                return Fail(f"not judged: this check fails on the reference's own result too ({what}); "
                            f"tell your instructor", input=ctx.show_call(call), status=NOT_JUDGED)
        return Fail(f"returned something this check could not judge ({what})", input=ctx.show_call(call),
                    kind="wrong form")


@dataclass(frozen=True)
class GeneratorState:
    """After each call, returned or raised, every generator argument is in the state that `draws`
    leaves a fresh generator in: `draws(args)` replays what the contract draws, from the live
    generators among `args` (by name). Without `draws`, the reference's call is replayed instead
    (and the check needs the reference). `says` tells the student what was expected. `valid`, for
    calls that must raise before drawing: a call that must be answered first, since code that raises
    whatever it is given draws nothing, yet tells no bad argument from a good one."""

    given: Inputs
    points: float
    description: str
    says: str  # "exactly one rng.permutation(n)"
    draws: Callable[[dict], object] | None = None
    examples: int = 20
    needs_reference: bool = False
    uses_reference: bool = False
    valid: Call | None = None

    def __post_init__(self) -> None:
        if self.draws is None:  # the reference's draws: runs only where it is installed, on hidden inputs
            object.__setattr__(self, "needs_reference", True)
            object.__setattr__(self, "uses_reference", True)

    @property
    def inputs(self) -> Strategy:
        return self.given.strategy

    def run(self, ctx: Context) -> None:
        if self.valid is not None:
            ctx.values([self.valid])  # fails, saying what it raised, on a valid call
        calls = ctx.examples_of(self)
        if self.draws is None:
            expected = [o.generators for o in ctx.reference_outcomes(calls, exact=False)]
        else:
            expected = [self._replayed(call) for call in calls]
        for call, outcome, states in zip(calls, ctx.call(calls, generators=True), expected):
            if isinstance(outcome, Raised) and outcome.not_implemented:
                ctx.value_of(outcome, call)  # fails as not implemented
            for label, state in states.items():
                got = outcome.generators.get(label)
                if got == state:
                    continue
                name = self._name(label)
                seed = self._seed(call, label)
                fresh = seed is not None and got == generator_state(np.random.default_rng(seed))
                after = "raised" if isinstance(outcome, Raised) else "returned"
                summary = (f"drew nothing from the generator {name}" if fresh else
                           f"left the generator {name} in another state than expected when it {after}")
                raise Fail(f"{summary}: the function must {self.says}", input=ctx.show_call(call), kind="wrong value",
                           hint=f"draw from {name} exactly what the contract says, in its order: no other draw, "
                                "no draw before checking the arguments")

    def _replayed(self, call: Call) -> dict[str, str]:
        """{label: state} of the generator arguments after `draws` on fresh ones."""
        generators: dict = {}
        args = [materialize(a, generators) for a in call.args]
        kwargs = {k: materialize(v, generators) for k, v in call.kwargs.items()}
        self.draws(self.given.named(Call(tuple(args), kwargs)))
        return generator_states(args, kwargs)

    def _name(self, label: str) -> str:
        if label.startswith("argument "):
            index = int(label.split()[1]) - 1
            return self.given.names[index] if index < len(self.given.names) else label
        return label

    def _seed(self, call: Call, label: str) -> int | None:
        value = call.args[int(label.split()[1]) - 1] if label.startswith("argument ") else call.kwargs.get(label)
        return getattr(value, "seed", None)
