"""Which of the student's own functions a failure follows from: one mistake, one message.

A function that calls a helper of the student's that fails its own checks may fail
only because of it. Where the reference is installed, this is decided, not guessed:
the reference's code for the function runs here with the student's helpers in place
of its own (each call a round trip to the student's process), on the exercise's
probes. If the student's function returns just that, its own code is right and the
failure follows from the helpers; if not, it has a mistake of its own as well, and
its hints stay. Without the reference, the helpers are named as the likely cause.
"""

from __future__ import annotations

import types

from grader.checks import Context, as_float64
from grader.compare import compare, lowest_precision
from grader.exercise import PASSED, SKIPPED, ExerciseResult, Fail
from grader.magics import to_python
from grader.runner import Call, WorkerFailure
from grader.slicing import reached
from grader.submission import Submission


def blame_helpers(ctx: Context, result: ExerciseResult, submission: Submission) -> None:
    """Set `result.cause` when the function fails and calls a failing helper of the student's."""
    exercise = ctx.exercise
    if result.status in (PASSED, SKIPPED) or not exercise.uses:
        return
    failing = [h for h in exercise.uses if h in ctx.results and ctx.results[h].status not in (PASSED, SKIPPED)]
    if failing:
        called = reached([to_python(cell.source) for cell in submission.cells], exercise.name)
        failing = [h for h in failing if h in called]
    if not failing:
        return
    names = " and ".join(", ".join(failing).rsplit(", ", 1))
    your, it = (f"Your {names}", "it") if len(failing) == 1 else (f"Your {names}", "them")
    fails = "fails its" if len(failing) == 1 else "fail their"
    follows = right_given_helpers(ctx, [h for h in exercise.uses if h in ctx.results])
    if follows is False:  # a mistake of its own too: its hints stand
        result.cause = f"{your}, which this also calls, {fails} own checks: fix {it} too."
        return
    if follows:
        result.follows = True
        result.cause = (f"This follows from your {names}: given {it}, {exercise.name} returns what it should. "
                        f"Fix {names} first.")
    else:
        result.cause = f"{your}, which this calls, {fails} own checks: fix {it} first, then look again."
    for check in result.checks:  # its hints read an output that the helpers shaped
        if check.failure is not None:
            check.failure.hint = check.failure.mistake = None


def right_given_helpers(ctx: Context, helpers: list[str]) -> bool | None:
    """Does the student's function return, on every probe, what the reference's code returns with
    the student's `helpers` in place of its own? None where that cannot be told (no reference, no
    probe, a helper that raised or hung, a function that raised on a probe)."""
    probes, outputs = ctx.exercise.probes, ctx.probe_outputs() if ctx.exercise.probes else None
    if ctx.reference is None or outputs is None:
        return None
    reference = ctx.reference_function()
    own = {name: _student_function(ctx, name) for name in helpers}
    function = types.FunctionType(reference.__code__, {**reference.__globals__, **own}, reference.__name__,
                                  reference.__defaults__, reference.__closure__)
    try:
        for probe, got in zip(probes, outputs):
            expected = function(*as_float64(probe.args), **as_float64(probe.kwargs))
            if compare(expected, got, lowest_precision(probe.args)) is not None:
                return False
    except (Fail, WorkerFailure):
        ctx.student.ensure_running()
        return None
    except Exception:  # the student's helper returned something the reference's code cannot use
        return None
    return True


def _student_function(ctx: Context, name: str):
    def call(*args, **kwargs):
        (value,) = ctx.values([Call(args, kwargs)], name)
        return value
    return call
