"""How a homework is declared (as data) and what grading it produces.

A `Homework` is a tuple of `Exercise` rows; an exercise is a function name and
its checks; a check carries its points. The engine runs any homework declared
this way, so adding an exercise adds a row and leaves the engine unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Protocol

from grader import course

if TYPE_CHECKING:
    from grader.checks import Context

# Status of an exercise or of one check, from best to worst.
PASSED = "passed"
FAILED = "failed"
NOT_IMPLEMENTED = "not_implemented"
ERROR = "error"
TIMEOUT = "timeout"
SKIPPED = "skipped"  # needs the instructor's reference, which this install lacks
NOT_JUDGED = "not_judged"  # takes a helper of the student's as truth, and that helper fails its own checks
UNCOUNTED = (SKIPPED, NOT_JUDGED)  # statuses whose points count neither for nor against

# What kind of problem a failed check found (Fail.kind), set where it happens; derived from
# the status only for a Fail that does not say (see grader.report). Renderers and the class
# summary decide on these, never on the wording of a message, which may quote student code.
WRONG_VALUE = "wrong value"
WRONG_FORM = "wrong form"  # a wrong type, shape or dtype, or a value that cannot be judged
RAISED = "raised"  # the student's code raised an exception (its message is the student's)
TIMED_OUT = "timed out"
CRASHED = "crashed"  # the process running the code ended (exit, signal, a limit) or broke the protocol
NOT_LOADED = "could not be loaded"
MISSING = "missing function"  # the code defines no function of that name
NEEDS_WORKING = "needs right values"  # a check whose points wait for the function to return right values
KINDS = (WRONG_VALUE, WRONG_FORM, RAISED, "not implemented", TIMED_OUT, CRASHED, NOT_LOADED, MISSING,
         "not judged", "needs reference", NEEDS_WORKING)


def overall_status(statuses: list[str]) -> str:
    """The status of a function from its checks': the worst of those that count."""
    graded = [s for s in statuses if s not in UNCOUNTED]
    for status in (TIMEOUT, ERROR, NOT_IMPLEMENTED, FAILED):
        if status in graded:
            return status
    return PASSED if graded else SKIPPED


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation, modelled, so a failure can name its likely cause.

    `model` takes the same arguments as the exercise's function and returns what
    the mistaken code returns; when the student's output matches it, and no other
    model's, on the failing input and on the exercise's probes, `hint` is shown.
    `id` names the mistake (in results, and in the tests of the hints).
    """

    id: str
    hint: str
    model: Callable[..., object]


class Check(Protocol):
    """One graded property of one function."""

    description: str
    points: float
    needs_reference: bool  # runs only where the reference is installed
    uses_reference: bool  # compares with the reference where it is installed: a hidden check

    def run(self, ctx: "Context") -> None:  # raises Fail on failure
        ...


@dataclass(frozen=True)
class Exercise:
    name: str  # the function the student implements
    # Its parameters, for showing a failing call and passing arguments by name: the
    # reference's (grader/homeworks/<hw>/signatures.json) where left empty.
    arg_names: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # Functions of the student's that this one may call, or that a check takes as truth
    # where the reference is not installed: when one fails its own checks, it is named first.
    uses: tuple[str, ...] = ()
    # Calls (of this function) on which the known mistakes give different results: a hint
    # is named only when the student's output matches its model on each of them too.
    probes: tuple = ()

    def __post_init__(self) -> None:
        for check in self.checks:
            of = getattr(check, "of", None)  # a gradient check takes `of` as truth
            if isinstance(of, str) and of != self.name and of not in self.uses:
                raise ValueError(f"{self.name}: a check differentiates {of}, so declare it: "
                                 f"Exercise({self.name!r}, ..., uses=({of!r}, ...))")

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)


def _signatures(homework: str) -> Callable[[str], tuple[str, ...]]:
    """The parameter names of `homework`'s reference functions, from the file grader.stubs writes."""
    path = course.DECLARATIONS / homework / course.SIGNATURES
    relative = f"grader/homeworks/{homework}/{course.SIGNATURES}"
    try:
        names = json.loads(path.read_text())
    except (OSError, ValueError):
        raise ValueError(f"{homework}: {relative} is missing or unreadable: run python -m grader.stubs, which "
                         f"writes it from the reference solution (or give each Exercise its arg_names)") from None

    def of(function: str) -> tuple[str, ...]:
        if function not in names:
            raise ValueError(f"{homework}: {relative} has no function {function}: define it in the reference "
                             f"solution and run python -m grader.stubs")
        return tuple(names[function])
    return of


@dataclass(frozen=True)
class Homework:
    name: str  # what the student types: grade hw1; the name of its folders (grader.course)
    title: str
    exercises: tuple[Exercise, ...]
    # importable module holding the reference solution: solutions.<name>.<name> unless given
    reference: str = ""
    # importable module whose MISTAKES maps a function name to its known mistakes; it sits
    # beside the reference and is missing wherever the reference is (solutions.<name>.mistakes
    # where the reference is not given)
    mistakes: str | None = None
    # ids of known mistakes that the homework's own checks diagnose, besides the models of
    # its mistakes module (a hand-written check may name one: see Fail.mistake)
    diagnosed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        declared: set[str] = set()
        for exercise in self.exercises:  # graded in this order: a helper's verdict comes before its users'
            late = [name for name in exercise.uses if name not in declared]
            if late:
                raise ValueError(f"{self.name}: {exercise.name} uses {', '.join(late)}, which must be declared "
                                 f"before it (exercises are graded in the order they are declared)")
            declared.add(exercise.name)
        if not self.reference:
            object.__setattr__(self, "reference", course.reference_module(self.name))
            object.__setattr__(self, "mistakes", self.mistakes or course.mistakes_module(self.name))
        if any(not exercise.arg_names for exercise in self.exercises):
            named = _signatures(self.name)
            object.__setattr__(self, "exercises", tuple(
                exercise if exercise.arg_names else replace(exercise, arg_names=named(exercise.name))
                for exercise in self.exercises))

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    def exercise(self, name: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        raise KeyError(name)


@dataclass
class Fail(Exception):
    """Raised by a check: what went wrong, on which input, and the likely cause."""

    summary: str
    input: str | None = None
    expected: str | None = None
    got: str | None = None
    hint: str | None = None
    traceback: str | None = None
    status: str = FAILED
    brief: str | None = None  # the summary without expected values, for hidden tests
    mistake: str | None = None  # the id of the known mistake the hint names
    kind: str | None = None  # "wrong form" for a wrong type, shape or dtype; else from the status

    def __str__(self) -> str:
        return self.summary


@dataclass
class CheckResult:
    description: str
    points: float
    score: float
    status: str
    failure: Fail | None = None
    hidden: bool = False  # compared with the reference: students see no expected value (grader.report)


@dataclass
class ExerciseResult:
    name: str
    points: float
    checks: list[CheckResult] = field(default_factory=list)
    output: str = ""  # what the student's code printed while this function was graded
    cause: str | None = None  # a failing helper of the student's this function calls
    follows: bool = False  # the failure follows from that helper alone: the function is right given it
    helpers: list[str] = field(default_factory=list)  # the failing helpers the cause names

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks if c.status not in UNCOUNTED)

    @property
    def status(self) -> str:
        return overall_status([c.status for c in self.checks])

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if c.status not in (PASSED, *UNCOUNTED)), None)


@dataclass
class Report:
    homework: str
    submission: str
    exercises: list[ExerciseResult]
    error: str | None = None  # the submission could not be loaded at all: the whole message, as shown
    error_reason: str | None = None  # with `error`: why, without "your code could not be loaded" (for a title)
    error_cause: str | None = None  # with `error`, where a program acts on it: why in a word (SubmissionError.cause)
    notes: list[str] = field(default_factory=list)  # e.g. a notebook cell that raised
    reference_available: bool = True
    output: str = ""  # the first part of what the student's code printed
    output_bytes: int = 0  # how much it printed in all
    limits: dict = field(default_factory=dict)  # the limits in force (settings.Limits.describe)
    layers: list[str] = field(default_factory=list)  # the isolation layers that were active
    examples: str = "public"  # what the examples were drawn from: "public", or "course secret <id>"

    @property
    def score(self) -> float:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)

    @property
    def all_passed(self) -> bool:
        return self.error is None and all(e.status == PASSED for e in self.exercises)

    def exercise(self, name: str) -> ExerciseResult:
        """The result of the function `name`."""
        for result in self.exercises:
            if result.name == name:
                return result
        raise KeyError(name)



LOAD_FAILED = "your code could not be loaded"  # what the engine's message of a load failure says first


def unloadable(report: Report, exercises: list[Exercise], message: str, reason: str | None = None) -> Report:
    """`report` with every check of `exercises` failed for one reason: the code could not be loaded.

    `message` is shown as it is; `reason` is what went wrong without the words that the code
    could not be loaded (a renderer whose title says so shows it), the message itself by default.
    """
    report.error, report.error_reason = message, message if reason is None else reason
    for exercise in exercises:
        failure = Fail(message, status=ERROR, kind=NOT_LOADED)
        result = ExerciseResult(exercise.name, exercise.points)
        result.checks = [CheckResult(c.description, c.points, 0.0, ERROR, failure) for c in exercise.checks]
        report.exercises.append(result)
    return report


def not_loaded(report: Report, exercises: list[Exercise], reason: str) -> Report:
    """`report` for a submission whose code the engine could not load, for `reason` (a syntax
    error in a .py, a process that kept dying while loading it)."""
    return unloadable(report, exercises, f"{LOAD_FAILED}: {reason}", reason)
