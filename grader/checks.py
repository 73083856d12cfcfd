"""The kinds of check, and the context a check runs in.

A check asks the student's process for values (`Context.call`), judges them here
in the grading process, and raises `Fail` with the failing input, expected vs got
and a hint. Checks never print; the report renders what they raise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from grader import settings
from grader.compare import compare, lowest_precision, show
from grader.exercise import ERROR, NOT_IMPLEMENTED, Exercise, Fail, Mistake
from grader.runner import Call, Outcome, Raised, StudentProcess, WorkerFailure
from grader.strategies import shrink_failure
from grader.worker import materialize

SHRINK_SECONDS = 2.0  # shrinking a failure asks the worker once per step; cap its cost


@dataclass
class Context:
    """What a check sees: the student's process, the exercise, and the reference."""

    student: StudentProcess
    exercise: Exercise
    reference: ModuleType | None
    examples: dict[int, list[Call]] = field(default_factory=dict)  # drawn in bulk, by check id
    mistakes: tuple[Mistake, ...] = ()  # the exercise's known mistakes, where the reference is installed

    def call(self, calls: list[Call], function: str | None = None, global_seed: int | None = None,
             pick: int | None = None) -> list[Outcome]:
        return self.student.call(function or self.exercise.name, calls, global_seed, pick)

    def values(self, calls: list[Call], function: str | None = None, global_seed: int | None = None,
               pick: int | None = None) -> list:
        """Call and return the values; any exception the student's code raised fails the check."""
        outcomes = self.call(calls, function, global_seed, pick)
        return [self.value_of(o, c, function) for o, c in zip(outcomes, calls)]

    def value_of(self, outcome: Outcome, call: Call, function: str | None = None) -> object:
        if isinstance(outcome, Raised):
            raise raised_failure(outcome, self.show_call(call, function), function or self.exercise.name)
        return outcome.value

    def reference_function(self, name: str | None = None) -> Callable:
        assert self.reference is not None, "a check that needs the reference ran without it"
        return getattr(self.reference, name or self.exercise.name)

    def show_call(self, call: Call, function: str | None = None) -> str:
        names = self.exercise.arg_names if function in (None, self.exercise.name) else ()
        parts = [f"{n}={show(a)}" if n else show(a) for n, a in zip(list(names) + [""] * len(call.args), call.args)]
        parts += [f"{k}={show(v)}" for k, v in call.kwargs.items()]
        return f"{function or self.exercise.name}({', '.join(parts)})"

    def hint_for(self, call: Call, got: object, part: int | None = None) -> str | None:
        """The hint of the known mistake whose output equals the student's.

        A mistake that explains the whole output wins; with `part`, one that
        explains only that element of a returned tuple comes next.
        """
        args, kwargs = as_float64(call.args), as_float64(call.kwargs)
        dtype = lowest_precision(call.args)
        predictions = []
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    predictions.append((mistake, mistake.model(*args, **kwargs)))
            except Exception:
                continue
        for mistake, predicted in predictions:
            if compare(predicted, got, dtype) is None:
                return mistake.hint
        if part is not None and isinstance(got, (tuple, list)) and len(got) > part:
            for mistake, predicted in predictions:
                if isinstance(predicted, tuple) and compare(predicted[part], got[part], dtype) is None:
                    return mistake.hint
        return None


def raised_failure(outcome: Raised, shown_call: str, function: str) -> Fail:
    if outcome.not_implemented:
        where = "" if outcome.where in (None, function) else f": it calls {outcome.where}, which is not implemented yet"
        return Fail(f"not implemented yet{where}", input=shown_call, status=NOT_IMPLEMENTED)
    return Fail(
        f"raised {outcome.error}: {outcome.message}",
        input=shown_call,
        traceback=outcome.traceback,
        status=ERROR,
    )


def as_float64(value: object) -> object:
    """The same structure with every float array in float64, to compute exact expectations."""
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind == "f":
        return np.asarray(value, dtype=np.float64) if isinstance(value, np.ndarray) else np.float64(value)
    if isinstance(value, tuple):
        return tuple(as_float64(v) for v in value)
    if isinstance(value, dict):
        return {k: as_float64(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class MatchesReference:
    """Property test: on generated inputs, the output equals the reference's."""

    inputs: st.SearchStrategy
    points: float
    description: str = "matches the reference on generated inputs"
    keeps_dtype: bool = False  # the result must have the input's dtype
    part: int | None = None  # compare only this element of a returned tuple
    tolerances: dict | None = None  # instead of settings.TOLERANCES
    examples: int = settings.PROPERTY_EXAMPLES
    needs_reference: bool = True

    def run(self, ctx: Context) -> None:
        calls = ctx.examples[id(self)]
        for call, outcome in zip(calls, ctx.call(calls)):
            problem = self._judge(ctx, call, outcome)
            if problem:
                raise self._smallest(ctx, problem)

    def _judge(self, ctx: Context, call: Call, outcome: Outcome) -> Fail | None:
        try:
            got = ctx.value_of(outcome, call)
        except Fail as failure:
            return failure
        with np.errstate(all="ignore"):
            expected = ctx.reference_function()(*as_float64(call.args), **as_float64(call.kwargs))
        where, whole = "result", got
        if self.part is not None:
            where, expected = f"result[{self.part}]", expected[self.part]
            if isinstance(got, (tuple, list)) and len(got) > self.part:
                got = got[self.part]
        mismatch = compare(expected, got, lowest_precision(call.args), where, tolerances=self.tolerances)
        if mismatch is None and self.keeps_dtype:
            wrong_dtype = _dtype_mismatch(call.args[0], got)
            if wrong_dtype:
                return Fail(wrong_dtype, input=ctx.show_call(call), expected=str(call.args[0].dtype),
                            got=str(getattr(got, "dtype", type(got).__name__)),
                            hint="compute in the input's dtype, or cast back with .astype(z.dtype)")
        if mismatch is None:
            return None
        return Fail(mismatch.what, input=ctx.show_call(call), expected=mismatch.expected,
                    got=mismatch.got, hint=ctx.hint_for(call, whole, self.part) or mismatch.hint,
                    brief=mismatch.brief)

    def _smallest(self, ctx: Context, first: Fail) -> Fail:
        """Let hypothesis shrink the failure to a small input; fall back to the first found."""
        if first.status == NOT_IMPLEMENTED:
            return first
        deadline = time.monotonic() + SHRINK_SECONDS
        stopped: list[WorkerFailure] = []

        def fails(call: Call) -> Fail | None:
            if stopped or time.monotonic() > deadline:
                return None
            try:
                (outcome,) = ctx.call([call])
            except WorkerFailure as failure:  # a hang while shrinking: keep what we have
                stopped.append(failure)
                return None
            return self._judge(ctx, call, outcome)

        smallest = shrink_failure(self.inputs, fails, self.examples)
        if stopped:
            ctx.student.ensure_running()
        return smallest or first


def _dtype_mismatch(arg: np.ndarray, got: object) -> str | None:
    got_dtype = np.asarray(got).dtype if isinstance(got, (float, np.ndarray, np.generic)) else None
    if got_dtype != arg.dtype:
        return f"for {arg.dtype} input, expected a {arg.dtype} result, got {got_dtype or type(got).__name__}"
    return None


@dataclass(frozen=True)
class LeavesInputsUnchanged:
    """The function must not modify its arguments (a common in-place mistake).

    Where the reference is installed, the points go to a working function only: a
    stub that returns zeros also leaves its inputs alone, and earns nothing for it.
    """

    inputs: st.SearchStrategy
    points: float
    description: str = "does not modify its inputs"
    examples: int = 20
    needs_reference: bool = False
    deterministic: bool = True  # False when outputs are random draws the reference cannot predict

    def run(self, ctx: Context) -> None:
        calls = ctx.examples[id(self)]
        for call, outcome in zip(calls, ctx.call(calls)):
            got = ctx.value_of(outcome, call)
            if ctx.reference is not None:
                args = [materialize(a) for a in as_float64(call.args)]
                expected = ctx.reference_function()(*args, **as_float64(call.kwargs))
                # random outputs (a dropout mask) can only be held to the reference's form
                if compare(expected, got, lowest_precision(call.args), check_values=self.deterministic) is not None:
                    # no input shown: the checks above show the failing one, smaller
                    raise Fail("these points need the function to work first: it returns wrong values "
                               "(see the checks above)")
            if outcome.mutated:
                names = ", ".join(_arg_name(ctx.exercise, m) for m in outcome.mutated)
                raise Fail(
                    f"modified its input {names} in place",
                    input=ctx.show_call(call),
                    hint="build new arrays (x = x - ... or x.copy()) instead of x -= ... or x[...] = ...",
                )


def _arg_name(exercise: Exercise, label: str) -> str:
    if label.startswith("argument "):
        index = int(label.split()[1]) - 1
        if index < len(exercise.arg_names):
            return exercise.arg_names[index]
    return label


@dataclass(frozen=True)
class Property:
    """Any other check, written as a function of the context that raises Fail."""

    description: str
    points: float
    test: Callable[[Context], None]
    needs_reference: bool = False

    def run(self, ctx: Context) -> None:
        self.test(ctx)
