"""Grade one submission of one homework: the loop over exercises and checks.

The engine knows nothing of any particular homework. It has the worker started
first (so its start-up overlaps drawing the examples), draws every property test's
examples in one hypothesis run, then runs each check and turns what it raises
into a result. A check that hangs or kills the worker costs its own function;
the worker is restarted for the next one. A check that must not be answered from
what the student's code remembered (`fresh_process`) also asks a second worker,
started early in the background, that has answered nothing else. The processes
themselves are started, restarted and stopped by the runner (`runner.Workers`).
"""

from __future__ import annotations

import hashlib
import importlib
import time
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from grader import sandbox, settings
from grader import secret as course_secret
from grader import examples as kept_examples
from grader.checks import Context, check_slot
from grader.exercise import (
    CRASHED,
    ERROR,
    MISSING,
    PASSED,
    SKIPPED,
    TIMED_OUT,
    TIMEOUT,
    WRONG_FORM,
    CheckResult,
    Exercise,
    ExerciseResult,
    Fail,
    Homework,
    Report,
    not_loaded,
)
from grader.blame import failing_helpers, name_helpers, right_given_helpers
from grader.load_notes import describe_load, syntax_errors
from grader.runner import HUNG, MissingFunction, WorkerFailure, Workers
from grader.strategies import draw_examples
from grader.submission import Submission

_WEAKER_ISOLATION = ("no OS-level sandbox (bubblewrap) on this machine: student code runs with "
                     "audit hooks, resource limits where the platform has them, and timeouts only")
_AS_OTHER_USER = ("no OS-level sandbox (bubblewrap) on this machine: student code runs as an unprivileged "
                  "user, with audit hooks, resource limits and timeouts")
NEEDS_REFERENCE = "needs the instructor's reference solution, which is not installed here"
PUBLIC_EXAMPLES = ("graded with the public examples, which students can replay: there is no course secret here "
                   f"(run `{course_secret.NEW_COMMAND}` once)")


def load_reference(homework: Homework) -> ModuleType | None:
    """The reference solution module, or None in a student release without it."""
    try:
        return importlib.import_module(homework.reference)
    except ModuleNotFoundError:
        return None


def load_mistakes(homework: Homework) -> dict:
    """Known mistakes by function name; empty where they are not installed (a student release)."""
    if homework.mistakes is None:
        return {}
    try:
        return dict(importlib.import_module(homework.mistakes).MISTAKES)
    except ModuleNotFoundError:
        return {}


def grade(
    homework: Homework,
    submission: Submission,
    only: list[str] | None = None,
    limits: settings.Limits = settings.Limits(),
    reference: ModuleType | None | bool = True,
    private: list[Path] = (),
    secret: course_secret.Secret | None | bool = True,
    started: Workers | None = None,
) -> Report:
    """Grade `submission`; `only` restricts to some exercises; reference=False grades without it.

    `private`: more folders the student's code must not read (in a batch, the class's submissions).
    `secret`: what the examples are drawn from where the reference is installed; True finds the
    course secret (see grader/secret.py), None or False draws the public examples.
    `started`: its workers, made by Workers.for_submission and started before the submission was
    read (by the CLI), so that their start-up overlaps reading it.
    """
    workers = started
    if workers is None or workers.made_for != (submission.path, homework.name, limits, tuple(private)):
        if workers is not None:
            workers.stop()
        workers = Workers.for_submission(submission.path, homework.name, limits, private)
        workers.start()  # now, so that its start-up overlaps loading the examples
    workers.give(submission.for_worker())
    try:
        report = _grade(homework, submission, workers, only, limits, reference, secret)
    finally:
        workers.stop()
    if report.error is not None:  # not loaded; else _grade kept what was printed before the helpers were judged
        report.output, report.output_bytes = workers.student.printed()
    return report


def _grade(homework, submission, workers: Workers, only, limits, reference, secret) -> Report:
    student, spare, sealed = workers.student, workers.spare, workers.sealed
    deadline = time.monotonic() + limits.total_seconds
    student.deadline = deadline  # every round trip ends by then, restarts and shrinking included
    if reference is True:
        reference = load_reference(homework)
    reference = reference or None
    secret = examples_secret(reference is not None, secret)
    exercises = [e for e in homework.exercises if only is None or e.name in only]
    examples = _draw_all_examples(homework, secret)
    report = Report(homework.name, str(submission.path), [], reference_available=reference is not None,
                    limits=limits.describe(), layers=list(student.layers),
                    examples=secret.label if secret else course_secret.PUBLIC)
    report.notes.extend(submission.notes)
    if reference is not None and secret is None:
        report.notes.append(PUBLIC_EXAMPLES)
    if "bubblewrap" not in student.layers:
        report.notes.append(_AS_OTHER_USER if "unprivileged user" in student.layers else _WEAKER_ISOLATION)

    try:
        student.load()
    except WorkerFailure as failure:
        return not_loaded(report, exercises, failure.message)
    if student.own_files_left_out:
        report.notes.append(f"{student.own_files_left_out} files of your folder were not copied for your code to "
                            f"read: at most {sandbox.OWN_FILES_MAX} files and "
                            f"{settings.format_bytes(sandbox.OWN_FILES_BYTES)} are (files beside your submission "
                            f"and .py files first)")
    notes, fatal = describe_load(submission, student.load_events, limits, student.more_load_events)
    why_missing = syntax_errors(submission, student.load_events)
    if fatal:
        return not_loaded(report, exercises, fatal)
    report.notes.extend(notes)

    mistakes = load_mistakes(homework) if reference is not None else {}
    results: dict[str, ExerciseResult] = {}
    contexts = []
    graded = with_helpers(homework, exercises)
    if any(getattr(check, "fresh_process", False) for exercise in graded for check in exercise.checks):
        workers.start_spare()
    if secret is not None and any(check.uses_reference for exercise in graded for check in exercise.checks):
        workers.start_sealed()
    for exercise in graded:
        contexts.append(Context(student, exercise, reference, examples, tuple(mistakes.get(exercise.name, ())),
                                results, secret, spare, sealed if secret is not None else None))
        results[exercise.name] = _grade_exercise(contexts[-1], deadline, why_missing)
    blamed = [(ctx, helpers) for ctx in contexts
              if (helpers := failing_helpers(ctx, results[ctx.exercise.name], submission))]
    # Last, once every verdict is in and what the code printed is final: deciding whether a failure
    # follows from a helper hands the student's helpers values the reference computed, so it runs in
    # a fresh process whose printout and verdicts reach nothing.
    workers.stop()
    report.output, report.output_bytes = student.printed()
    decide = reference is not None and any(ctx.exercise.probes for ctx, _ in blamed) and workers.restart_student()
    for ctx, helpers in blamed:
        result = results[ctx.exercise.name]
        name_helpers(result, helpers, right_given_helpers(ctx, result, helpers) if decide else None)
    report.exercises.extend(results[e.name] for e in exercises)
    return report


def with_helpers(homework: Homework, exercises: list[Exercise]) -> list[Exercise]:
    """`exercises` and the helpers they use, transitively, in the homework's order."""
    wanted = {e.name for e in exercises}
    for exercise in reversed(homework.exercises):
        if exercise.name in wanted:
            wanted |= set(exercise.uses)
    return [e for e in homework.exercises if e.name in wanted]


def examples_secret(with_reference: bool,
                    secret: course_secret.Secret | None | bool = True) -> course_secret.Secret | None:
    """The secret the examples are drawn from: none without the reference (whose checks are the
    ones a table of outputs could pass), else `secret`, found when True."""
    if not with_reference or secret is None or secret is False:
        return None
    return course_secret.find() if secret is True else secret


def examples_label(homework: Homework, reference: bool = True) -> str:
    """What a report made now says its examples came from (`examples` in the JSON)."""
    secret = examples_secret(reference and load_reference(homework) is not None)
    return secret.label if secret else course_secret.PUBLIC


def _draw_all_examples(homework: Homework, secret: course_secret.Secret | None = None) -> dict[tuple, list]:
    """Examples for every check of the homework that has `inputs`, by check_slot, drawn once per
    distinct strategy.

    Always the whole homework's, whatever is graded (one exercise, with or without
    the reference), so that the examples, and so the verdicts, depend on nothing
    but the homework and the course secret. Drawing is deterministic, so they are
    drawn once and kept: in this process (a batch grades many submissions) and in a
    file that later runs read without importing hypothesis (grader/examples.py).
    """
    wanting = [(check_slot(e, c), c) for e in homework.exercises for c in e.checks if hasattr(c, "inputs")]
    strategies = list({id(c.inputs): c.inputs for _, c in wanting}.values())
    if not strategies:
        return {}
    number = {id(strategy): n for n, strategy in enumerate(strategies)}
    # Each strategy is drawn on its own, seeded by the first check that uses it (exercise, place):
    # a check added to one exercise leaves the examples of every other exercise as they were.
    first = {}
    for slot, c in wanting:
        first.setdefault(number[id(c.inputs)], slot)
    counts = [max(c.examples for _, c in wanting if number[id(c.inputs)] == n) for n in range(len(strategies))]
    layout = [(slot, number[id(c.inputs)], c.examples, c.uses_reference) for slot, c in wanting]
    drawn = {}
    for source in {None, secret}:
        key = (id(homework), source.id if source else None)
        if key not in _EXAMPLES:
            seeds = [_examples_seed(homework, first[n], source) for n in range(len(strategies))]
            _EXAMPLES[key] = _kept_or_drawn(homework, strategies, counts, seeds, layout, source)
        drawn[source] = _EXAMPLES[key]
    # Checks of public rules keep the public examples: their failing inputs are shown at once.
    return {slot: drawn[secret if c.uses_reference else None][number[id(c.inputs)]][: c.examples]
            for slot, c in wanting}


def _examples_seed(homework: Homework, slot: tuple, source: course_secret.Secret | None) -> int:
    """The seed of the examples of the strategy first used at `slot`: from the course secret where
    grading uses one (unpredictable without it), else public."""
    if source is not None:
        return source.seed("examples", homework.name, *slot)
    digest = hashlib.sha256("\0".join(map(str, ("examples", homework.name, *slot))).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _kept_or_drawn(homework: Homework, strategies: list, counts: list[int], seeds: list[int], layout: list,
                   source: course_secret.Secret | None) -> list[list]:
    """The columns of examples kept in the cache file of this key, else drawn now and kept."""
    files = kept_examples.declaration_files(homework)
    path = None
    if files is not None:
        try:
            drawing = [*layout, ("each strategy drawn alone", counts, seeds)]  # how they are drawn is part of the key
            key = kept_examples.cache_key(homework.name, files, drawing, source.id if source else None)
        except OSError:  # a declaration file vanished while grading: draw, keep nothing
            key = None
        if key is not None:
            path = kept_examples.file_for(key, source)
            columns = kept_examples.read(path, source, counts)
            if columns is not None:
                return columns
    columns = [draw_examples([strategy], count, seed)[0] for strategy, count, seed in zip(strategies, counts, seeds)]
    if path is not None:
        kept_examples.write(path, columns, source)
    return columns


_EXAMPLES: dict[tuple, list[list]] = {}


def _grade_exercise(ctx: Context, deadline: float, why_missing: str = "") -> ExerciseResult:
    result = ExerciseResult(ctx.exercise.name, ctx.exercise.points)
    # Once a worker hangs or dies on a function, skip the function's other checks in that worker
    # (only there: what stopped the sealed one must not reach a check shown at once).
    stops: dict[int, Fail] = {}
    for check in ctx.exercise.checks:
        where = _context_for(check, ctx)
        if check.needs_reference and ctx.reference is None:
            failure = Fail(NEEDS_REFERENCE, status=SKIPPED)
        elif id(where.student) not in stops and time.monotonic() > deadline:
            failure = stops[id(where.student)] = Fail("not run: the submission used up its whole time budget",
                                                      status=TIMEOUT, kind=TIMED_OUT)
        elif id(where.student) in stops:
            failure = stops[id(where.student)]
        else:
            failure, stop = _run_check(check, where, why_missing)
            if stop is not None:
                stops[id(where.student)] = stop
        score = 0.0 if failure else check.points
        hidden = ctx.reference is not None and check.uses_reference
        result.checks.append(CheckResult(check.description, check.points, score,
                                         failure.status if failure else PASSED, failure, hidden))
    return result


def _context_for(check, ctx: Context) -> Context:
    """Where a check runs, and on what, when grading uses the course secret.

    A check against the reference runs on the secret's examples in a process of its own
    (`ctx.sealed`): the worker is persistent, so student code could keep the inputs it is
    sent and print them in a later check's error message, and a check of public rules is
    shown to students at once (Gradescope's visible part). That one runs in the first
    process, which is never sent a secret input, on the public examples and seeds (the
    student release has them anyway).
    """
    if ctx.secret is None:
        return ctx
    if ctx.reference is not None and check.uses_reference:
        return replace(ctx, student=ctx.sealed) if ctx.sealed is not None else ctx
    return replace(ctx, public=True)


def _run_check(check, ctx: Context, why_missing: str = "") -> tuple[Fail | None, Fail | None]:
    """(why the check failed, or None; why the function's remaining checks cannot run, or None)."""
    try:
        check.run(ctx)
    except Fail as failure:
        return failure, None
    except WorkerFailure as failure:
        status, kind = (TIMEOUT, TIMED_OUT) if failure.kind == HUNG else (ERROR, CRASHED)
        return (Fail(failure.message, status=status, kind=kind),
                Fail(f"not run: {failure.message}", status=status, kind=kind))
    except MissingFunction as missing:
        failure = Fail(f"your code defines no function named {missing}; "
                       f"{why_missing or 'keep the name and signature of the stub'}",
                       status=ERROR, kind=MISSING)
        return failure, failure
    except Exception as exc:  # a value so odd that judging it failed: it is not right
        return Fail(f"returned something that could not be checked ({type(exc).__name__}: {exc})",
                    status=ERROR, kind=WRONG_FORM), None
    return None, None
