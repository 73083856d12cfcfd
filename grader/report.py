"""Render a grading report: a rich table for people, a JSON document for machines."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.exercise import (
    ERROR,
    FAILED,
    NOT_IMPLEMENTED,
    PASSED,
    SKIPPED,
    TIMEOUT,
    CheckResult,
    ExerciseResult,
    Report,
)

STATUS_STYLE = {
    PASSED: ("passed", "green"),
    FAILED: ("failed", "red"),
    NOT_IMPLEMENTED: ("not implemented", "yellow"),
    ERROR: ("error", "red"),
    TIMEOUT: ("timeout", "magenta"),
    SKIPPED: ("needs reference", "dim"),
}


def points(value: float) -> str:
    return f"{value:g}"


def short_feedback(result: ExerciseResult) -> str:
    """One line for the table."""
    later = sum(c.points for c in result.checks if c.status == SKIPPED)
    if result.status == PASSED:
        count = sum(c.status == PASSED for c in result.checks)
        passed = "the 1 check passed" if count == 1 else f"all {count} checks passed"
        return f"{passed}; {points(later)} more points are checked against the reference" if later else passed
    if result.status == NOT_IMPLEMENTED:
        return "not implemented yet"
    if result.status == SKIPPED:
        return "every check needs the instructor's reference"
    first = result.first_failure
    assert first is not None and first.failure is not None
    return f"{first.description}: {first.failure.summary}"


def check_feedback(check: CheckResult, show_expected: bool = True) -> str:
    """The full text for one failed check: what, on which input, expected vs got, hint.

    show_expected=False leaves out the expected value (it may come from the hidden reference).
    """
    failure = check.failure
    if failure is None:
        return check.description
    summary = failure.summary if show_expected or not failure.brief else failure.brief
    lines = [f"{check.description}: {summary}"]
    expected = failure.expected if show_expected else None
    for label, value in (("input", failure.input), ("expected", expected), ("got", failure.got),
                         ("likely cause", failure.hint)):
        if value:
            lines.append(f"  {label}: {_indent_after_first(value, len(label) + 4)}")
    if failure.traceback:
        lines.append("  your code's traceback:")
        lines.extend("    " + line for line in failure.traceback.splitlines())
    return "\n".join(lines)


def feedback(result: ExerciseResult, show_expected: bool = True) -> str:
    """All feedback for one exercise, as plain text (for --json, nbgrader and Gradescope)."""
    skipped = [c.description for c in result.checks if c.status == SKIPPED]
    later = ["not checked here (needs the instructor's reference): " + "; ".join(skipped)] if skipped else []
    if result.status == PASSED:
        return "\n".join([short_feedback(result), *later])
    if result.status == NOT_IMPLEMENTED:
        first = result.first_failure
        return first.failure.summary if first and first.failure else "not implemented yet"
    parts, seen = [], set()
    for check in (c for c in result.checks if c.status not in (PASSED, SKIPPED)):
        if _is_repeat(check, seen):
            parts.append(f"{check.description}: {_REPEAT}")
        else:
            parts.append(check_feedback(check, show_expected))
    return "\n".join(parts + later)


_REPEAT = "the same error as above"


def _is_repeat(check: CheckResult, seen: set) -> bool:
    """Is this check's failure an exception already shown for an earlier check?"""
    failure = check.failure
    if failure is None or not failure.traceback:
        return False
    key = (failure.summary, failure.traceback)
    if key in seen:
        return True
    seen.add(key)
    return False


def to_json(report: Report) -> dict:
    document: dict = {
        "assignment": report.homework,
        "score": float(round(report.score, 6)),
        "max_score": float(round(report.max_score, 6)),
        "exercises": [
            {
                "name": e.name,
                "score": float(round(e.score, 6)),
                "max_score": float(round(e.max_score, 6)),
                "status": e.status,
                "feedback": feedback(e),
            }
            for e in report.exercises
        ],
    }
    if report.error:
        document["error"] = report.error
    if report.notes:
        document["notes"] = report.notes
    if report.limits:
        document["limits"] = {**report.limits, "isolation": report.layers}
    return document


def render(report: Report, console: Console) -> None:
    title = f"{report.homework}: {report.submission}"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", expand=False)
    table.add_column("Function", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Feedback", overflow="fold")
    for result in report.exercises:
        label, style = STATUS_STYLE[result.status]
        # A load error is said once, in the panel below, not in every row.
        feedback = "not graded: see below" if report.error else short_feedback(result)
        table.add_row(result.name, f"{points(result.score)}/{points(result.max_score)}",
                      Text(label, style=style), escape(feedback))
    console.print(table)

    if report.error:
        reason = report.error.removeprefix("your code could not be loaded: ")  # the title says it
        console.print(Panel(escape(reason), title="Your code could not be loaded", border_style="red"))
    for note in report.notes:
        console.print(Text(f"Note: {note}", style="yellow"))

    for result in report.exercises:
        failed = [c for c in result.checks if c.status not in (PASSED, SKIPPED)]
        if not failed or report.error or result.status == NOT_IMPLEMENTED:
            continue
        seen: set = set()
        parts = [_render_check(c, _is_repeat(c, seen)) for c in failed]
        body = Group(*[part for i, text in enumerate(parts) for part in ([Text("")] if i else []) + [text]])
        label, style = STATUS_STYLE[result.status]
        console.print(Panel(body, title=f"{result.name}: {points(result.score)}/{points(result.max_score)} ({label})",
                            title_align="left", border_style=style))

    if report.output_bytes:
        shown = report.output if len(report.output) <= 2000 else report.output[:2000] + "\n..."
        console.print(Panel(escape(shown.rstrip()) or "(blank lines)",
                            title=f"Printed by your code ({report.output_bytes} bytes)",
                            title_align="left", border_style="dim"))

    if not report.reference_available:
        skipped = sum(c.points for e in report.exercises for c in e.checks if c.status == SKIPPED)
        console.print(Text(f"{points(skipped)} points come from checks against the instructor's reference "
                           f"solution, which is not part of this release; they are graded when you submit.",
                           style="dim"))
    style = "bold green" if report.all_passed else "bold"
    console.print(Text(f"Total: {points(report.score)}/{points(report.max_score)}", style=style))


def _indent_after_first(value: str, width: int) -> str:
    """Continuation lines of a multi-line value (an array) aligned under its first line."""
    return value.replace("\n", "\n" + " " * width)


def _render_check(check: CheckResult, repeat: bool = False) -> Text:
    failure = check.failure
    assert failure is not None
    text = Text()
    text.append("✗ ", style="red")
    text.append(check.description, style="bold")
    text.append(f" ({points(check.points)} point{'' if check.points == 1 else 's'})\n  ")
    if repeat:
        text.append(_REPEAT, style="dim")
        return text
    text.append(f"{failure.summary}\n")
    for label, value in (("input", failure.input), ("expected", failure.expected), ("got", failure.got)):
        if value:
            text.append(f"  {label + ':':<10}", style="dim")
            text.append(f"{_indent_after_first(value, 12)}\n")
    if failure.hint:
        text.append("  likely cause: ", style="yellow")
        text.append(f"{failure.hint}\n")
    if failure.traceback:
        text.append("  your code's traceback:\n", style="dim")
        text.append("".join(f"    {line}\n" for line in failure.traceback.splitlines()))
    text.rstrip()
    return text
