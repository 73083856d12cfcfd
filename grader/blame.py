"""Which of the student's own functions a failure follows from: one mistake, one message.

A function that calls a helper of the student's that fails its own checks may fail
only because of it. Where the reference is installed this is decided, not guessed:
the reference's code for the function runs here with the student's helpers in place
of its own (each call a round trip to the student's process), on the exercise's
probes. If the student's function returns just that, its own code is right and the
failure follows from the helpers; if not, it has a mistake of its own as well, and
its hints stay. Otherwise (no reference, a failure that is not a wrong value, a
helper the reference's code does not call) the helpers are named as a likely cause.

Deciding hands the student's helpers values that the reference computed, so the
engine does it last, in a fresh process, once every verdict and the printout are final.
"""

from __future__ import annotations

import types

from grader.checks import Context, as_float64
from grader.compare import compare, lowest_precision
from grader.exercise import FAILED, NEEDS_WORKING, PASSED, SKIPPED, ExerciseResult
from grader.magics import to_python
from grader.runner import Call
from grader.slicing import reached
from grader.submission import Submission


def failing_helpers(ctx: Context, result: ExerciseResult, submission: Submission) -> list[str]:
    """The helpers of the student's that this failing function reaches and that fail their own checks."""
    exercise = ctx.exercise
    if result.status in (PASSED, SKIPPED) or not exercise.uses:
        return []
    failing = [h for h in exercise.uses if h in ctx.results and ctx.results[h].status not in (PASSED, SKIPPED)]
    if not failing:
        return []
    called = reached([to_python(cell.source) for cell in submission.cells], exercise.name)
    return [h for h in failing if h in called]


def name_helpers(result: ExerciseResult, helpers: list[str], follows: bool | None) -> None:
    """Say that the helpers fail: the failure follows from them (True), the function has a mistake
    of its own too (False), or it may follow from them (None)."""
    names, it, fails = _words(helpers)
    result.helpers = list(helpers)
    result.follows = follows is True
    if follows is False:  # a mistake of its own too: its hints stand
        result.cause = f"Your {names}, which this also calls, {fails} own checks: fix {it} too."
        return
    if follows:
        result.cause = (f"This follows from your {names}: given {it}, {result.name} returns what it should. "
                        f"Fix {names} first.")
    else:
        result.cause = likely_cause(helpers)
    for check in result.checks:  # hints read an output that the helpers shaped
        if check.failure is not None and (follows or check.failure.mistake is not None):
            check.failure.hint = check.failure.mistake = None


def likely_cause(helpers: list[str]) -> str:
    """The cause, said without deciding it (a student-facing channel before grades are published)."""
    names, it, fails = _words(helpers)
    return f"Your {names}, which this calls, {fails} own checks: fix {it} first, then look again."


def _words(helpers: list[str]) -> tuple[str, str, str]:
    """'mse and mse_grad', 'them', 'fail their' (or 'mse', 'it', 'fails its')."""
    names = " and ".join(", ".join(helpers).rsplit(", ", 1))
    return (names, "it", "fails its") if len(helpers) == 1 else (names, "them", "fail their")


def right_given_helpers(ctx: Context, result: ExerciseResult, helpers: list[str]) -> bool | None:
    """Does the student's function return, on every probe, what the reference's code returns with
    the student's helpers in place of its own? None where that cannot be told: no reference or
    probe; a failure other than a wrong value; a failing helper the reference's code does not
    call; a helper or function that raised, hung or returned something of another form; any
    failure while deciding (it only words the feedback, and never costs a student anything)."""
    try:
        return _right_given_helpers(ctx, result, helpers)
    except Exception:  # the student's helper raised, hung or returned another form; a worker that
        return None    # will not restart: undecided


def _right_given_helpers(ctx: Context, result: ExerciseResult, helpers: list[str]) -> bool | None:
    probes = ctx.exercise.probes
    if ctx.reference is None or not probes:
        return None
    if any(c.status != FAILED or c.failure.kind not in (None, "wrong value", NEEDS_WORKING)
           for c in result.checks if c.failure is not None and c.status != SKIPPED):
        return None
    reference = ctx.reference_function()
    if not set(helpers) <= set(reference.__code__.co_names):
        return None
    own = {name: _student_function(ctx, name) for name in ctx.exercise.uses if name in ctx.results}
    function = types.FunctionType(reference.__code__, {**reference.__globals__, **own}, reference.__name__,
                                  reference.__defaults__, reference.__closure__)
    outputs = ctx.probe_outputs()
    if outputs is None:
        return None
    for probe, got in zip(probes, outputs):
        expected = function(*as_float64(probe.args), **as_float64(probe.kwargs))
        if compare(expected, got, lowest_precision(probe.args)) is not None:
            return False
    return True


def _student_function(ctx: Context, name: str):
    """The student's `name`, called in their process; a value of another form than the reference's
    (another shape, say, that the reference's code would broadcast into a huge array) is refused."""
    reference = ctx.reference_function(name)

    def call(*args, **kwargs):
        (value,) = ctx.values([Call(args, kwargs)], name)
        if compare(reference(*args, **kwargs), value, lowest_precision(args), check_values=False) is not None:
            raise ValueError(f"your {name} returned a value of another form")
        return value
    return call
