"""Render a grading report: a JSON document for machines, text for every channel, a terminal view.

`to_json` is the one structured result: per function, per check, what kind of
problem, on which input, expected and got, the likely cause. Every other channel
renders from it: `feedback_text` (the plain text of nbgrader cells, class
feedback and Gradescope) and `render` (the terminal, made to read at 80 columns).

One visibility policy: a check marked `hidden` compared the student's output with
the instructor's reference; a student-facing channel shows its failing input, what
the code returned and where it differs, never the reference's expected value,
unless the instructor asks for it (`show_expected`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.blame import likely_cause
from grader.exercise import (
    CRASHED,
    ERROR,
    FAILED,
    NOT_IMPLEMENTED,
    NOT_JUDGED,
    PASSED,
    RAISED,
    SKIPPED,
    TIMEOUT,
    UNCOUNTED,
    NEEDS_WORKING,
    WRONG_VALUE,
    CheckResult,
    ExerciseResult,
    Report,
    overall_status,
)
from grader.submission import shown_name

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# Of the --json document; grader/report.schema.json describes it. 2: a check's kind is set where
# the failure happened ("missing function" is new; "crashed" no longer covers it), and a document
# that could not be loaded says why in error_reason.
SCHEMA_VERSION = 2

STATUS_STYLE = {
    PASSED: ("passed", "green"),
    FAILED: ("failed", "red"),
    NOT_IMPLEMENTED: ("not implemented", "yellow"),
    ERROR: ("error", "red"),
    TIMEOUT: ("timeout", "magenta"),
    SKIPPED: ("needs reference", "dim"),
    NOT_JUDGED: ("not judged yet", "dim"),
}



def points(value: float) -> str:
    return f"{value:g}"


# ------------------------------------------------------------- the document ---

def to_json(report: Report) -> dict:
    """The report as one JSON document (what `grade --json` prints and reports/<student>.json hold)."""
    document: dict = {
        "schema_version": SCHEMA_VERSION,
        "assignment": report.homework,
        "score": float(round(report.score, 6)),
        "max_score": float(round(report.max_score, 6)),
        "exercises": [_exercise_json(e, report.error) for e in report.exercises],
        "examples": report.examples,
    }
    if report.error:
        document["error"] = report.error
        document["error_reason"] = report.error_reason or report.error
        if report.error_cause:
            document["error_cause"] = report.error_cause
    if report.notes:
        document["notes"] = report.notes
    if report.limits:
        document["limits"] = {**report.limits, "isolation": report.layers}
    return document


def _exercise_json(result: ExerciseResult, load_error: str | None = None) -> dict:
    exercise = {
        "name": result.name,
        "score": float(round(result.score, 6)),
        "max_score": float(round(result.max_score, 6)),
        "status": result.status,
        "checks": [_check_json(c) for c in result.checks],
    }
    if result.cause:
        exercise["cause"], exercise["follows"], exercise["helpers"] = result.cause, result.follows, result.helpers
    # the full text, for the instructor; a load error is the whole story
    exercise["feedback"] = load_error or feedback_text(exercise)
    return exercise


def _check_json(check: CheckResult) -> dict:
    document = {"description": check.description, "points": float(check.points), "score": float(check.score),
                "status": check.status, "hidden": check.hidden}
    failure = check.failure
    if failure is None:
        return document
    document["kind"] = _kind(check)
    document["summary"] = failure.summary
    for field in ("brief", "input", "expected", "got", "hint", "mistake", "traceback"):
        value = getattr(failure, field)
        if value is not None:
            document[field] = value
    return document


def _kind(check: CheckResult) -> str:
    """The kind the check's failure says (set where it happened), else the one its status implies."""
    failure = check.failure
    if failure.kind:
        return failure.kind
    if check.status == NOT_IMPLEMENTED:
        return "not implemented"
    if check.status == TIMEOUT:
        return "timed out"
    if check.status == NOT_JUDGED:
        return "not judged"
    if check.status == SKIPPED:
        return "needs reference"
    if check.status == ERROR:
        return RAISED if failure.traceback else CRASHED
    return WRONG_VALUE


# ---------------------------------------------------------------- plain text ---

def feedback(result: ExerciseResult, show_expected: bool = True) -> str:
    """All feedback for one function as plain text (nbgrader cells use show_expected=False)."""
    return feedback_text(_exercise_json(result), show_expected)


def feedback_text(exercise: dict, show_expected: bool = True) -> str:
    """All feedback for one function of a JSON document, as plain text.

    show_expected=False: a hidden check shows no expected value (see the module's policy).
    """
    checks = exercise["checks"]
    waiting = [c for c in checks if c["status"] in UNCOUNTED]
    later = [_uncounted_line(c) for c in waiting]
    if exercise["status"] == PASSED:
        count = sum(c["status"] == PASSED for c in checks)
        return "\n".join(["the 1 check passed" if count == 1 else f"all {count} checks passed", *later])
    if exercise["status"] == NOT_IMPLEMENTED:
        first = next((c for c in checks if c["status"] == NOT_IMPLEMENTED), None)
        return first["summary"] if first else "not implemented yet"
    parts = [exercise["cause"]] if exercise.get("cause") else []
    seen: set = set()
    for check in (c for c in checks if c["status"] not in (PASSED, *UNCOUNTED)):
        if _is_repeat(check, seen):
            parts.append(f"{check['description']}: {_REPEAT}")
        else:
            parts.append(_check_text(check, show_expected))
    return "\n".join(parts + later)


def part_of(exercise: dict, hidden: bool) -> dict | None:
    """The function's document with only its hidden checks (or only the others); None if it has none."""
    checks = [c for c in exercise["checks"] if c["hidden"] == hidden]
    if not checks:
        return None
    counted = [c for c in checks if c["status"] not in UNCOUNTED]
    part = {"name": exercise["name"], "score": float(round(sum(c["score"] for c in checks), 6)),
            "max_score": float(round(sum(c["points"] for c in counted), 6)),
            "status": overall_status([c["status"] for c in checks]), "checks": checks}
    if exercise.get("cause"):
        # Whether the failure follows from the helper was decided against the reference: a
        # hidden verdict, which the part students see before publication must not give away.
        decided = hidden or not exercise["follows"]
        part["cause"] = exercise["cause"] if decided else likely_cause(exercise["helpers"])
        part["follows"], part["helpers"] = exercise["follows"] and hidden, exercise["helpers"]
    return part


def _uncounted_line(check: dict) -> str:
    if check["status"] == SKIPPED:
        return f"not checked here (needs the instructor's reference): {check['description']}"
    return f"{check['description']}: {check['summary']}"


def _summary(check: dict, show_expected: bool) -> str:
    hide = check["hidden"] and not show_expected
    return check.get("brief", check["summary"]) if hide else check["summary"]


def _check_text(check: dict, show_expected: bool) -> str:
    lines = [f"{check['description']}: {_summary(check, show_expected)}"]
    expected = check.get("expected") if show_expected or not check["hidden"] else None
    for label, value in (("input", check.get("input")), ("expected", expected), ("got", check.get("got")),
                         ("likely cause", check.get("hint"))):
        if value:
            lines.append(f"  {label}: {_indent_after_first(value, len(label) + 4)}")
    if check.get("traceback"):
        lines.append("  your code's traceback:")
        lines.extend("    " + line for line in check["traceback"].splitlines())
    return "\n".join(lines)


_REPEAT = "the same error as above"


def _is_repeat(check: dict, seen: set) -> bool:
    """Is this check's failure an exception already shown for an earlier check?"""
    if not check.get("traceback"):
        return False
    key = (check["summary"], check["traceback"])
    if key in seen:
        return True
    seen.add(key)
    return False


def _indent_after_first(value: str, width: int) -> str:
    """Continuation lines of a multi-line value (an array) aligned under its first line."""
    return value.replace("\n", "\n" + " " * width)


# ------------------------------------------------------------------ terminal ---
# rich is imported in these functions alone: a JSON document (`grade --json`, a class's reports)
# and the plain texts need none of it, and importing it costs about 15 ms.

def render(report: Report, console: Console, brief: bool = False) -> None:
    """The report for a person at a terminal: one line per function, then what went wrong.

    Each failing function shows its first failed check in full (input, expected,
    got, likely cause) and its other failed checks in a line each; brief=True
    shows only the first failed check's line and likely cause.
    """
    from rich.markup import escape
    from rich.panel import Panel
    from rich.text import Text

    document = to_json(report)
    console.print(Text(_title(report, console.width)), no_wrap=True)
    console.print(_table(report, document, console.width))
    if report.error:
        reason = report.error_reason or report.error  # the title says that it could not be loaded
        console.print(Panel(escape(reason), title="Your code could not be loaded", border_style="red"))
    for note in report.notes:
        console.print(Text(f"Note: {note}", style="yellow"))
    if not report.error:
        for exercise in document["exercises"]:
            _render_exercise(exercise, console, brief)
    if report.output_bytes and not brief:
        shown = report.output if len(report.output) <= 2000 else report.output[:2000] + "\n..."
        console.print(Panel(escape(shown.rstrip()) or "(blank lines)",
                            title=f"Printed by your code ({report.output_bytes} bytes)",
                            title_align="left", border_style="dim"))
    waiting = sum(c.points for e in report.exercises for c in e.checks if c.status == NOT_JUDGED)
    if waiting:
        console.print(Text(f"{points(waiting)} points are not judged yet: those checks take another function of "
                           f"yours as the truth, and it does not pass its own checks yet.", style="dim"))
    if not report.reference_available:
        skipped = sum(c.points for e in report.exercises for c in e.checks if c.status == SKIPPED)
        console.print(Text(f"{points(skipped)} points come from checks against the instructor's reference "
                           f"solution, which is not part of this release; they are graded when you submit.",
                           style="dim"))
    style = "bold green" if report.all_passed else "bold"
    console.print(Text(f"Total: {points(report.score)}/{points(report.max_score)}", style=style))


def _table(report: Report, document: dict, width: int) -> Table:
    """One line per function: its points, status and first problem (cut to fit the line)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    exercises = document["exercises"]
    rows = [(e["name"], f"{points(e['score'])}/{points(e['max_score'])}", *STATUS_STYLE[e["status"]],
             # A load error is said once, in the panel below, not in every row.
             "not graded: see below" if report.error else _table_line(e)) for e in exercises]
    used = sum(max([len(r[i]) for r in rows] + [len(h)]) + 2 for i, h in ((0, "Function"), (1, "Points"),
                                                                         (2, "Status")))
    room = max(width - used - 2, 12)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Function", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("First problem", no_wrap=True, overflow="ellipsis", max_width=room)
    for name, score, label, style, line in rows:
        problem = Text(line)
        problem.truncate(room, overflow="ellipsis")
        table.add_row(name, score, Text(label, style=style), problem)
    return table


def _title(report: Report, width: int) -> str:
    """'hw1: path', on one line: a long path loses its start, never its file name."""
    submission = shown_name(report.submission)  # the path holds names the student chose
    title = f"{report.homework}: {submission}"
    if len(title) <= width:
        return title
    return f"{report.homework}: …{submission[len(title) - width + 1:]}"


def _table_line(exercise: dict) -> str:
    if exercise.get("follows"):
        return "follows from a helper that fails (see below)"
    first = _first_failed(exercise)
    if first is not None:
        return first["summary"] if exercise["status"] != NOT_IMPLEMENTED else "not implemented yet"
    if any(c["status"] == NOT_JUDGED for c in exercise["checks"]):
        return "some checks wait for a helper to pass (see below)"
    return ""


def _first_failed(exercise: dict) -> dict | None:
    return next((c for c in exercise["checks"] if c["status"] not in (PASSED, *UNCOUNTED)), None)


def _render_exercise(exercise: dict, console: Console, brief: bool) -> None:
    from rich.text import Text

    failed = [c for c in exercise["checks"] if c["status"] not in (PASSED, *UNCOUNTED)]
    waiting = [c for c in exercise["checks"] if c["status"] == NOT_JUDGED]
    if exercise["status"] == NOT_IMPLEMENTED or not (failed or waiting):
        return
    label, style = STATUS_STYLE[exercise["status"]]
    console.rule(Text(f"{exercise['name']}: {points(exercise['score'])}/{points(exercise['max_score'])} ({label})",
                      style=f"bold {style}"), align="left", style=style)
    if exercise.get("cause"):
        console.print(_hanging("  ", Text(exercise["cause"], style="yellow")))
    first, *others = failed or [None]
    if first is not None:
        console.print(_render_check(first, not exercise.get("follows"), brief, console.width))
    for check in [] if brief else others:  # a line each: `grade --exercise NAME` shows them in full
        if check.get("kind") == NEEDS_WORKING:
            continue  # lost with the values shown above: nothing new to say
        line = Text.assemble("✗ ", (check["description"], "bold"), f" ({_points_of(check)}): {check['summary']}")
        line.truncate(console.width, overflow="ellipsis")
        console.print(line, no_wrap=True)
    if not brief:
        for check in waiting:
            console.print(_hanging("○ ", Text.assemble((check["description"], "bold"),
                                                       f" ({_points_of(check)}): {check['summary']}"), "dim"))


def _points_of(check: dict) -> str:
    return f"{points(check['points'])} point{'' if check['points'] == 1 else 's'}"


def _render_check(check: dict, full: bool, brief: bool, width: int) -> Table:
    """A failed check: its line, then (full) input, expected and got, then the likely cause."""
    from rich.table import Table
    from rich.text import Text

    detailed = full and not brief
    # expected and got are shown below: the line need not say them too
    summary = check.get("brief", check["summary"]) if detailed and check.get("expected") else check["summary"]
    head = Text.assemble((check["description"], "bold"), f" ({_points_of(check)}): ", summary)
    rows = [_hanging("✗ ", head, "red")]
    if detailed:
        if check.get("input"):
            rows.append(_labelled("input", check["input"]))
        rows.extend(_expected_and_got(check.get("expected"), check.get("got"), width))
    if check.get("hint"):
        rows.append(_hanging("  ", Text.assemble(("likely cause: ", "yellow"), check["hint"])))
    if check.get("traceback") and full and not brief:
        rows.append(_hanging("  ", Text("your code's traceback:", style="dim")))
        rows.append(_hanging("    ", Text(check["traceback"].rstrip())))
    grid = Table.grid()
    grid.add_column()
    for row in rows:
        grid.add_row(row)
    return grid


def _hanging(prefix: str, text: Text, prefix_style: str = "") -> Table:
    """`prefix` then `text`, whose wrapped lines start under the text, not under the prefix."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(prefix, style=prefix_style), text)
    return grid


def _expected_and_got(expected: str | None, got: str | None, width: int) -> list[Table]:
    """Side by side when both fit on the line, else one below the other."""
    from rich.table import Table
    from rich.text import Text

    shown = [(label, value) for label, value in (("expected", expected), ("got", got)) if value]
    if len(shown) == 2:
        left, right = (max(len(line) for line in value.splitlines()) for _, value in shown)
        if 12 + left + 2 + 5 + right <= width:
            grid = Table.grid()
            for size in (12, left + 2, 5, right):
                grid.add_column(no_wrap=True, width=size)
            grid.add_row(Text("  expected", style="dim"), Text(expected), Text("got", style="dim"), Text(got))
            return [grid]
    return [_labelled(label, value) for label, value in shown]


def _labelled(label: str, value: str) -> Table:
    """'  input     value' with the value's lines (an array, a call) kept as they are."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid()
    grid.add_column(no_wrap=True, width=12)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"  {label}", style="dim"), Text(value))
    return grid
