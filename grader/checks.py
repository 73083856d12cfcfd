"""The kinds of check, and the context a check runs in.

A check asks the student's process for values (`Context.call`), judges them here
in the grading process, and raises `Fail` with the failing input, expected vs got
and a hint. Checks never print; the report renders what they raise.

What a homework's checks need comes from here: `Context` (ask the student's code with
`ctx.values`, the reference with `ctx.reference_values`), `Call` (one call's arguments)
and `Rng` (a numpy Generator of a given seed, made where the call runs), never from the
worker or the runner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Callable

import numpy as np

from grader import settings
from grader.compare import compare, lowest_precision, show, show_call
from grader.exercise import (ERROR, NEEDS_WORKING, NOT_IMPLEMENTED, NOT_JUDGED, PASSED, RAISED, SKIPPED, TIMEOUT,
                             WRONG_VALUE, Exercise, Fail, Mistake)
from grader.purity import modified
from grader.runner import Call, MissingFunction, Outcome, Raised, Returned, StudentProcess, WorkerFailure
from grader.secret import Secret
from grader.strategies import Strategy, shrink_failure
from grader.worker.wire import Rng, generator_states, materialize

__all__ = ["Call", "Context", "LeavesInputsUnchanged", "MatchesReference", "Property", "Rng", "WorkerFailure"]

# Shrinking a failure asks the worker once per step. The cap is a number of steps, so the
# input shown is the same on a busy machine; the wall-time cap only stops a function so slow
# that the steps would take long.
SHRINK_STEPS = 300
SHRINK_SECONDS = 20.0


@dataclass
class Context:
    """What a check sees: the student's process, the exercise, and the reference."""

    student: StudentProcess
    exercise: Exercise
    reference: ModuleType | None
    examples: dict[tuple[str, int], list[Call]] = field(default_factory=dict)  # drawn in bulk, by check_slot
    mistakes: tuple[Mistake, ...] = ()  # the exercise's known mistakes, where the reference is installed
    results: dict = field(default_factory=dict)  # the results of the functions graded before, by name
    secret: Secret | None = None  # the course secret the examples come from, where grading uses one
    spare: StudentProcess | None = None  # a second process, for checks declared `fresh_process`
    sealed: StudentProcess | None = None  # where checks against the reference run when a secret is used
    public: bool = False  # a check of public rules: its inputs are the public ones, even with a secret
    _probed: list | None = None  # [the student's outputs on the probes], once asked
    # The student's outcomes on examples already asked, shared by the checks of the exercise (see asked)
    _asked: dict = field(default_factory=dict)

    def examples_of(self, check: object) -> list[Call]:
        """The examples drawn for `check`, one of this exercise's checks."""
        return self.examples[check_slot(self.exercise, check)]

    def seed(self, number: int) -> int:
        """A check's fixed seed for its inputs, mixed with the course secret where grading uses one
        for this check (public otherwise)."""
        return number if self.secret is None or self.public else self.secret.seed(self.exercise.name, number)

    def private_seed(self, number: int) -> int:
        """A seed mixed with the course secret wherever grading uses one, even in a check of public
        rules: for what is not shown as an input (the order of calls), so code cannot plan for it."""
        return number if self.secret is None else self.secret.seed(self.exercise.name, "private", number)

    def call(self, calls: list[Call], function: str | None = None, global_seed: int | None = None,
             pick: int | None = None, meanwhile: Callable[[], None] | None = None,
             inputs_after: bool = False, generators: bool = False) -> list[Outcome]:
        """The student's outcomes on `calls`; `meanwhile` runs while the student's code does (see
        StudentProcess.call): compute there only through `ahead`, which never raises. `inputs_after`:
        each outcome carries the arguments as they are after its call (see grader.purity);
        `generators`: the state of each Generator argument after its call (outcome.generators)."""
        return self.student.call(function or self.exercise.name, calls, global_seed, pick, meanwhile=meanwhile,
                                 inputs_after=inputs_after, generators=generators)

    def asked(self, calls: list[Call], meanwhile: Callable[[], None]) -> list[Outcome]:
        """The student's outcomes on examples of this exercise, asked once: checks that judge the
        same examples (the loss and the gradients of one call, their purity) share the answers,
        which asking the same code the same inputs again would only repeat. `meanwhile` runs
        either way. The outcomes carry the arguments after each call (as `call(calls,
        inputs_after=True)`), and a purity check judges every call asked so far
        (`asked_so_far`): code that remembers what it was asked could write into its inputs
        only where the arguments do not come back."""
        key = (id(self.student), tuple(map(id, calls)))
        if key in self._asked:
            meanwhile()
        else:
            self._asked[key] = calls, self.call(calls, meanwhile=meanwhile, inputs_after=True)
        return self._asked[key][1]

    def asked_so_far(self) -> list[tuple[Call, Outcome]]:
        """Every (call, outcome) asked through `asked` so far, with the arguments after the call."""
        return [pair for calls, outcomes in self._asked.values() for pair in zip(calls, outcomes)]

    def values(self, calls: list[Call], function: str | None = None, global_seed: int | None = None,
               pick: int | None = None, meanwhile: Callable[[], None] | None = None) -> list:
        """Call and return the values; any exception the student's code raised fails the check."""
        outcomes = self.call(calls, function, global_seed, pick, meanwhile)
        return [self.value_of(o, c, function) for o, c in zip(outcomes, calls)]

    def value_of(self, outcome: Outcome, call: Call, function: str | None = None) -> object:
        if isinstance(outcome, Raised):
            raise raised_failure(outcome, self.show_call(call, function), function or self.exercise.name)
        return outcome.value

    def reference_values(self, calls: list[Call], function: str | None = None, exact: bool = True) -> list:
        """What the reference returns on `calls`, as `values` does for the student's function.

        Rng arguments become Generators as in the worker (those sharing a name are one Generator
        across the calls); `exact` computes in float64 (the expectation a float32 result is held to).
        """
        return [outcome.value for outcome in self.reference_outcomes(calls, function, exact, raises=True)]

    def reference_outcomes(self, calls: list[Call], function: str | None = None, exact: bool = True,
                           raises: bool = False) -> list[Outcome]:
        """What the reference does on `calls`, as `call` reports the student's: Returned or Raised,
        with the state of each Generator argument afterwards. `raises`: let its exceptions through."""
        reference = self.reference_function(function)
        generators: dict = {}
        outcomes: list[Outcome] = []
        for call in calls:
            args, kwargs = made(call, generators, exact)
            try:
                with np.errstate(all="ignore"):
                    value = reference(*args, **kwargs)
            except Exception as error:
                if raises:
                    raise
                outcomes.append(Raised(type(error).__name__, str(error), "", generators=generator_states(args, kwargs),
                                       is_value_error=isinstance(error, ValueError)))
                continue
            outcomes.append(Returned(value, generators=generator_states(args, kwargs)))
        return outcomes

    def truth_values(self, calls: list[Call], function: str) -> list:
        """The values of `function` taken as the truth: the reference's where it is installed, else the
        student's own `function`, but only when that passes its own checks: otherwise the check is not
        judged yet (and costs nothing) until it does. (A gradient check differentiates this function.)"""
        if self.reference is not None:
            return self.reference_values(calls, function, exact=False)
        helper = self.results.get(function)
        if helper is not None and helper.status not in (PASSED, SKIPPED):
            state = ("is not implemented yet" if helper.status == NOT_IMPLEMENTED
                     else f"fails its own checks (see {function})")
            raise Fail(f"not judged yet: this check differentiates your {function}, which {state}; "
                       f"fix {function} first, then this check counts", status=NOT_JUDGED)
        return self.values(calls, function)

    def fresh(self) -> Context:
        """This context in a second process that has loaded the submission and answered no call
        of any other check: what the student's code remembers between calls cannot reach it."""
        assert self.spare is not None, "a check that needs a fresh process ran without one"
        return replace(self, student=self.spare, spare=None, sealed=None, _probed=None)

    def reference_function(self, name: str | None = None) -> Callable:
        assert self.reference is not None, "a check that needs the reference ran without it"
        return getattr(self.reference, name or self.exercise.name)

    def show_call(self, call: Call, function: str | None = None) -> str:
        names = self.exercise.arg_names if function in (None, self.exercise.name) else ()
        args = list(zip(list(names) + [""] * len(call.args), call.args)) + list(call.kwargs.items())
        return show_call(function or self.exercise.name, args)

    def diagnose(self, call: Call, got: object, part: int | None = None) -> Mistake | None:
        """The known mistake that explains the student's output, when exactly one does.

        A model explains the output when it predicts it on the failing call and on
        every probe of the exercise (inputs on which the mistakes differ: a shrunk
        failing input often cannot tell them apart). A mistake that explains the
        whole output wins; with `part`, one that explains that element of a
        returned tuple comes next. Two mistakes that both explain it: no hint.
        """
        for only in (None, part) if part is not None else (None,):
            explaining = [m for m in self.mistakes if _predicts(m, call, got, only)]
            if explaining and self.exercise.probes:
                seen = self.probe_outputs()
                explaining = [m for m in explaining if seen is not None and
                              all(_predicts(m, probe, value, only) for probe, value in zip(self.exercise.probes, seen))]
            if len({m.id for m in explaining}) == 1:
                return explaining[0]
            if explaining:
                return None
        return None

    def probe_outputs(self) -> list | None:
        """What the student's function returns on the exercise's probes (None if it raises or hangs)."""
        if self._probed is None:
            try:
                outcomes = self.call(list(self.exercise.probes))
            except WorkerFailure:
                outcomes = []
                try:
                    self.student.ensure_running()
                except (WorkerFailure, MissingFunction):
                    pass  # the next check says so

            returned = len(outcomes) == len(self.exercise.probes) and not any(isinstance(o, Raised) for o in outcomes)
            self._probed = [[o.value for o in outcomes]] if returned else [None]
        return self._probed[0]

    def hinted(self, call: Call, got: object, part: int | None = None, fallback: str | None = None) -> dict:
        """Fail's hint and mistake fields: the diagnosed mistake's, else `fallback` (a fact, no mistake)."""
        mistake = self.diagnose(call, got, part)
        if mistake is not None:
            return {"hint": mistake.hint, "mistake": mistake.id}
        return {"hint": fallback, "mistake": None}


def check_slot(exercise: Exercise, check: object) -> tuple[str, int]:
    """Where a check's examples are kept: its exercise's name and its place among the exercise's
    checks. The same in every process (an id() is not), so examples can be kept in a file."""
    for index, candidate in enumerate(exercise.checks):
        if candidate is check:
            return exercise.name, index
    raise KeyError(f"{check!r} is not a check of {exercise.name}")


def _predicts(mistake: Mistake, call: Call, got: object, part: int | None) -> bool:
    """Does the mistake's model give what the student's code gave, on this call (or this part of it)?"""
    try:
        with np.errstate(all="ignore"):
            args, kwargs = made(call, {})  # a generator argument reaches the model as the reference gets it
            predicted = mistake.model(*args, **kwargs)
    except Exception:
        return False
    dtype = lowest_precision(call.args)
    if part is None:
        return compare(predicted, got, dtype) is None
    return (isinstance(predicted, tuple) and isinstance(got, (tuple, list)) and len(got) > part
            and compare(predicted[part], got[part], dtype) is None)


def same_raise(ctx: Context, call: Call, outcome: Outcome, reference: Raised) -> Fail | None:
    """None if the student's code raised as the reference did on `call` (any ValueError for a
    ValueError); else what it did instead."""
    if isinstance(outcome, Raised):
        if outcome.not_implemented:
            return raised_failure(outcome, ctx.show_call(call), ctx.exercise.name)
        if outcome.error == reference.error or (reference.is_value_error and outcome.is_value_error):
            return None
        got = f"raised {outcome.error}: {outcome.message}"
    else:
        got = f"returned {show(outcome.value, 80)}"
    return Fail(f"expected {reference.error} for this input, but it {got}", input=ctx.show_call(call),
                expected=reference.error, got=got, kind=WRONG_VALUE)


def require_value_errors(ctx: Context, calls: list[Call], what: str, hint: str, valid: Call) -> None:
    """Each of `calls` must raise ValueError (the contract's answer to a bad argument), and the
    `valid` call must be answered: code that raises ValueError whatever it is given tells no bad
    argument from a good one, and earns nothing here. `what` names the bad arguments ("n < 1")."""
    ctx.values([valid])  # fails, saying what it raised, on a valid call
    for call, outcome in zip(calls, ctx.call(calls)):
        if isinstance(outcome, Raised) and outcome.is_value_error:
            continue
        if isinstance(outcome, Raised) and outcome.not_implemented:
            ctx.value_of(outcome, call)  # fails as not implemented
        got = f"{outcome.error}: {outcome.message}" if isinstance(outcome, Raised) else show(outcome.value, 80)
        raise Fail(f"expected a ValueError for {what}", input=ctx.show_call(call), expected="ValueError", got=got,
                   hint=hint)


def require_masks_from_the_generator(ctx: Context, x: np.ndarray,
                                     masks: Callable[..., list[np.ndarray]]) -> None:
    """A dropout's training mask comes from its generator argument alone: the same seed gives the
    same mask whatever numpy's global RNG does (in this process or a fresh one); another seed, or
    the same generator used again, another mask. `masks(ctx, calls, global_seed=None)` asks the
    function (x, 0.5, rng) in training and gives each call's mask, failing on a wrong form."""
    seven, eight = Call((x, 0.5, Rng(ctx.seed(7)))), Call((x, 0.5, Rng(ctx.seed(8))))
    # The worker reseeds numpy's global RNG differently before each call.
    first, again = (masks(ctx, [seven], global_seed=g)[0] for g in (1, 2))
    if not np.array_equal(first, again):
        raise Fail("the same generator seed gave different masks", input=f"{ctx.show_call(seven)}, twice",
                   hint="draw the mask from the rng argument (rng.random), never from np.random.*")
    other = masks(ctx, [eight], global_seed=1)[0]
    if np.array_equal(first, other):
        raise Fail("generators with different seeds gave the same mask",
                   input=f"{ctx.show_call(seven)} and {ctx.show_call(eight)}",
                   hint="draw the mask from the rng you are given, not from a generator of your own")
    shared = Call((x, 0.5, Rng(9, shared="training")))
    step_one, step_two = masks(ctx, [shared, shared])
    if np.array_equal(step_one, step_two):
        raise Fail("two training steps with the same generator gave the same mask",
                   input=f"{ctx.show_call(shared)}, twice with one generator",
                   hint="draw from the generator itself (not from a copy of it), so that each call advances it")
    # A mask remembered by the generator's state, and drawn any other way, passes all of the above.
    # No memo crosses processes: one that has seen none of these calls must draw the same masks,
    # asked among other generators in an order of the course secret's (so that a mask chosen by
    # how many generators came before differs).
    order = np.random.default_rng(ctx.private_seed(10))
    others = [Call((x, 0.5, Rng(int(s)))) for s in order.integers(10_000, 2**31, size=int(order.integers(1, 4)))]
    asked = [eight, seven, *others]
    shuffled = [int(i) for i in order.permutation(len(asked))]
    try:
        drawn = masks(ctx.fresh(), [asked[i] for i in shuffled], global_seed=2)
        other_there, there = drawn[shuffled.index(0)], drawn[shuffled.index(1)]
    except WorkerFailure as failure:
        raise Fail(f"could not draw the mask again in a fresh process: {failure.message}", input=ctx.show_call(seven),
                   status=TIMEOUT if failure.kind == "timeout" else ERROR) from None
    if not (np.array_equal(first, there) and np.array_equal(other, other_there)):
        raise Fail("the same generator seed gave another mask in a fresh process (with numpy's global RNG "
                   "seeded otherwise)", input=f"{ctx.show_call(seven)}, here and in a fresh process",
                   hint="draw the mask from the rng argument alone (rng.random): never from np.random.*, "
                        "nor from anything kept between calls")


def made(call: Call, generators: dict, exact: bool = True) -> tuple[list, dict]:
    """`call`'s arguments as code in this process gets them: Rng arguments made into Generators
    (those sharing a name, one Generator in `generators`), float arrays in float64 when `exact`."""
    args, kwargs = (as_float64(call.args), as_float64(call.kwargs)) if exact else (call.args, call.kwargs)
    return [materialize(a, generators) for a in args], {k: materialize(v, generators) for k, v in kwargs.items()}


def raised_failure(outcome: Raised, shown_call: str, function: str) -> Fail:
    if outcome.not_implemented:
        where = "" if outcome.where in (None, function) else f": it calls {outcome.where}, which is not implemented yet"
        return Fail(f"not implemented yet{where}", input=shown_call, status=NOT_IMPLEMENTED)
    return Fail(
        f"raised {outcome.error}: {outcome.message}",
        input=shown_call,
        traceback=outcome.traceback,
        status=ERROR,
        kind=RAISED,
    )


def as_float64(value: object) -> object:
    """The same structure with every float array in float64, to compute exact expectations."""
    if type(value) is np.ndarray and value.dtype == np.float64:  # most arguments: nothing to do (asked thousands of times)
        return value
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind == "f":
        return np.asarray(value, dtype=np.float64) if isinstance(value, np.ndarray) else np.float64(value)
    if isinstance(value, (tuple, list)):
        return type(value)([as_float64(v) for v in value])
    if isinstance(value, dict):
        return {k: as_float64(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class MatchesReference:
    """Property test: on generated inputs, the output equals the reference's."""

    inputs: Strategy
    points: float
    description: str = "matches the reference on generated inputs"
    keeps_dtype: bool = False  # the result must have the input's dtype
    part: int | None = None  # compare only this element of a returned tuple
    tolerances: dict | None = None  # instead of settings.TOLERANCES
    examples: int = settings.PROPERTY_EXAMPLES
    needs_reference: bool = True
    uses_reference: bool = True

    def run(self, ctx: Context) -> None:
        calls = ctx.examples_of(self)
        expected: list = []  # the reference's outcomes, computed while the student's code runs

        def reference_outcomes() -> None:
            expected.extend(ahead(lambda call=call: ctx.reference_outcomes([call])[0]) for call in calls)

        outcomes = ctx.asked(calls, reference_outcomes)
        for call, outcome, reference in zip(calls, outcomes, expected):
            problem = self._judge(ctx, call, outcome, reference)
            if problem:
                raise self._smallest(ctx, problem)

    def _judge(self, ctx: Context, call: Call, outcome: Outcome, reference: Callable[[], Outcome] | None = None
               ) -> Fail | None:
        # in float64, generator arguments made as in the worker
        answer = reference() if reference is not None else ctx.reference_outcomes([call])[0]
        if isinstance(answer, Raised):  # a bad argument: the same exception is the right answer
            return same_raise(ctx, call, outcome, answer)
        try:
            got = ctx.value_of(outcome, call)
        except Fail as failure:
            return failure
        expected = answer.value
        where, whole = "result", got
        if self.part is not None:
            where, expected = f"result[{self.part}]", expected[self.part]
            if isinstance(got, (tuple, list)) and len(got) > self.part:
                got = got[self.part]
        mismatch = compare(expected, got, lowest_precision(call.args), where, tolerances=self.tolerances)
        if mismatch is None and self.keeps_dtype:
            wrong_dtype = _dtype_mismatch(call.args[0], got)
            if wrong_dtype:
                return Fail(wrong_dtype, input=ctx.show_call(call), expected=str(call.args[0].dtype), kind="wrong form",
                            got=str(getattr(got, "dtype", type(got).__name__)),
                            hint="compute in the input's dtype, or cast back with .astype(z.dtype)")
        if mismatch is None:
            return None
        return Fail(mismatch.what, input=ctx.show_call(call), expected=mismatch.expected,
                    got=mismatch.got, kind=mismatch.kind, brief=mismatch.brief, **ctx.hinted(call, whole, self.part, mismatch.hint))

    def _smallest(self, ctx: Context, first: Fail) -> Fail:
        return smallest_failure(ctx, self.inputs, self._judge, self.examples, first)


def smallest_failure(ctx: Context, inputs: Strategy, judge: Callable[[Context, Call, Outcome], Fail | None],
                     examples: int, first: Fail) -> Fail:
    """Let hypothesis shrink a failure of `judge` to a small input; fall back to the first found."""
    if first.status == NOT_IMPLEMENTED:
        return first
    deadline = time.monotonic() + SHRINK_SECONDS
    stopped: list[WorkerFailure] = []
    steps = [0]

    def fails(call: Call) -> Fail | None:
        steps[0] += 1
        if stopped or steps[0] > SHRINK_STEPS or time.monotonic() > deadline:
            return None
        try:
            (outcome,) = ctx.call([call])
        except WorkerFailure as failure:  # a hang while shrinking: keep what we have
            stopped.append(failure)
            return None
        return judge(ctx, call, outcome)

    smallest = shrink_failure(inputs, fails, examples)
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

    inputs: Strategy
    points: float
    description: str = "does not modify its inputs"
    examples: int = 20
    needs_reference: bool = False
    uses_reference: bool = True  # its verdict compares with the reference where it is installed
    deterministic: bool = True  # False when outputs are random draws the reference cannot predict
    # Where several outputs are right (any sign of an eigenvector), the reference cannot tell a
    # working function, and its form alone would pay a vector of zeros: `judge(args, got)`, a
    # Judge's property raising Fail, tells it instead, with or without the reference.
    judge: Callable[[dict, object], None] | None = None

    def run(self, ctx: Context) -> None:
        calls = ctx.examples_of(self)
        expected: list = []  # the reference's outcomes, computed while the student's code runs

        def reference_outcomes() -> None:
            expected.extend(ahead(lambda call=call: self._reference_outcome(ctx, call)) for call in calls)

        outcomes = ctx.asked(calls, reference_outcomes)
        for call, outcome, reference_outcome in zip(calls, outcomes, expected):
            reference = reference_outcome()
            if isinstance(reference, Raised):  # nothing to modify on the way to the right exception
                if same_raise(ctx, call, outcome, reference) is not None:
                    raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
                continue
            got = ctx.value_of(outcome, call)
            if self.judge is not None and not _holds(self.judge, ctx, call, got):
                raise Fail("needs the function to return right values first (see above)", kind=NEEDS_WORKING)
            if reference is not None:
                # random outputs (a dropout mask) can only be held to the reference's form
                # a near miss loses the points of the exact values only
                if compare(reference.value, got, lowest_precision(call.args), check_values=self.deterministic,
                           tolerances=settings.NEAR_TOLERANCES) is not None:
                    # no input shown: the checks above show the failing one, smaller
                    raise Fail("needs the function to return right values first (see above)",
                               kind=NEEDS_WORKING)
            _require_unchanged(ctx, call, outcome)
        # The other checks' examples too: code that remembers what it was asked could write into
        # its inputs only the first time it sees them, and compute cleanly when asked again here.
        for call, outcome in ctx.asked_so_far():
            if isinstance(outcome, Returned):
                _require_unchanged(ctx, call, outcome)

    @staticmethod
    def _reference_outcome(ctx: Context, call: Call) -> Outcome | None:
        """What the reference does on `call` (None where it is not installed)."""
        return ctx.reference_outcomes([call])[0] if ctx.reference is not None else None


def _require_unchanged(ctx: Context, call: Call, outcome: Outcome) -> None:
    changed = modified(call, outcome.inputs_after)
    if changed:
        names = ", ".join(_arg_name(ctx.exercise, m) for m in changed)
        raise Fail(
            f"modified its input {names} in place",
            input=ctx.show_call(call),
            hint="build new arrays (x = x - ... or x.copy()) instead of x -= ... or x[...] = ...",
        )


def _holds(judge: Callable[[dict, object], None], ctx: Context, call: Call, got: object) -> bool:
    """Does `got` pass `judge`, given the call's arguments by name?"""
    try:
        judge(dict(zip(ctx.exercise.arg_names, call.args), **call.kwargs), got)
    except Exception:  # Fail, or a judge that cannot read the value: not shown to work either way
        return False
    return True


def ahead(compute: Callable[[], object]) -> Callable[[], object]:
    """`compute`, run now; the returned function gives its value, or raises what it raised, when
    the value is asked for: where it would have been computed, so that verdicts stay the same."""
    try:
        value = compute()
    except Exception as error:  # e.g. a reference that cannot take this input
        failure = error  # `error` itself is unbound when the except clause ends

        def again() -> object:
            raise failure
        return again
    return lambda: value


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
    uses_reference: bool = False  # compares with the reference where it is installed (its values are hidden)
    fresh_process: bool = False  # asks ctx.fresh() too: the engine starts that process early, in the background

    def run(self, ctx: Context) -> None:
        self.test(ctx)
