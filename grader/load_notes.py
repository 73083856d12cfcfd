"""What happened to a submission's top-level code, in sentences a student can act on.

The worker runs a submission one unit at a time (a notebook cell, or one top-level
statement of a .py) and reports each unit that raised, ran past its time or
stopped the process (`runner.LoadEvent`). This module names each such unit by its
place and its first line ("code cell 7 (`for epoch in range(200):`)") and says
what it cost: nothing but that unit, except a syntax error in a .py, which
leaves nothing to run.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace

from grader.runner import LoadEvent, clean_text, describe_where
from grader.settings import Limits
from grader.slicing import parse
from grader.submission import Submission, shown_name

_MAIN_GUARD = 'put experiments under `if __name__ == "__main__":` so that grading does not run them'
MAX_NOTES = 10  # about top-level code; past it, one more note counts the rest
_MESSAGE_CHARS = 300


def describe_load(submission: Submission, events: list[LoadEvent], limits: Limits,
                  more: int = 0) -> tuple[list[str], str | None]:
    """(notes for the report, or the reason the submission cannot be loaded at all: the engine
    says it after "your code could not be loaded: ").

    `more`: events the worker counted but did not send. Each note is one line of plain
    text, at most MAX_NOTES of them, whatever the student's code raised.
    """
    notes: list[str] = []
    places = _Places(submission)
    left = more
    for event in sorted(events, key=lambda e: (e.unit[0], -1 if e.unit[1] is None else e.unit[1])):
        event = replace(event, message=_one_line(event.message), also=tuple((_one_line(m), n) for m, n in event.also))
        if event.kind == "syntax" and not submission.is_notebook:
            name = shown_name(submission.path.name)  # the student named the file: no escape codes through
            where = f"{name}, line {event.line}" if event.line else name
            return [], f"{where}: {event.message}"
        if event.kind == "budget":  # the worker sends one, where the time ran out
            notes.append(f"the time for all top-level code ({limits.load_seconds:g} s) was used up: from "
                         f"{places.name(event)} on, only definitions (def, class, import, assignments "
                         f"that call nothing) were run")
            continue
        note = _describe(places.name(event), submission, event, limits)
        if note in notes:  # `a(); b(); c()` on one line: three statements, one note
            continue
        if len(notes) < MAX_NOTES:
            notes.append(note)
        else:
            left += 1
    if left:
        notes.append(f"{left} more parts of your top-level code raised an error or were skipped; the first "
                     f"{MAX_NOTES} are listed above")
    return notes, None


def syntax_errors(submission: Submission, events: list[LoadEvent]) -> str:
    """For a function the submission does not define: the cells that could not be compiled,
    where it may be ("code cell 5 (`def mse(y_pred, y_true)`) has a syntax error (line 3): ..."),
    or ''."""
    places = _Places(submission)
    broken = [f"{places.name(e)} has a syntax error{_at(e.line)}" for e in events if e.kind == "syntax"]
    if not broken:
        return ""
    return f"{'; '.join(broken[:3])}, so nothing in it ran: fix that first"


def _one_line(text: str) -> str:
    """A message from the student's code as one line: it must not start a new heading or
    paragraph in a Markdown or HTML report."""
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 3] + "..."


def _describe(name: str, submission: Submission, event: LoadEvent, limits: Limits) -> str:
    if event.kind == "syntax":
        return f"{name} has a syntax error{_at(event.line)} and was skipped: {event.message}"
    if event.kind == "error":
        if not submission.is_notebook:
            return f"{name} raised {event.message}; the rest of the file still ran"
        errors = "".join(f", then {message}{_at(line)}" for message, line in event.also)
        rest = "after that only its definitions ran; " if event.definitions_only else ""
        return f"{name} raised {event.message}{_at(event.line)}{errors}; {rest}the cells after it still ran"
    advice = "its functions are still graded" if submission.is_notebook else _MAIN_GUARD
    where = describe_where(event.where, outside_in=True)
    if event.kind == "timeout":
        return f"{name} ran past {limits.cell_seconds:g} s{' ' + where if where else ''} and was skipped; {advice}"
    if event.kind == "caught":
        return (f"{name} ran past {limits.cell_seconds:g} s{' ' + where if where else ''}, and its own code caught "
                f"the interrupt (an `except:` that catches everything), so it ended early; {advice}")
    if event.kind == "hung":
        return (f"{name} did not finish in {limits.backstop(limits.cell_seconds):g} s (it was waiting, or it could "
                f"not be interrupted: a long call into C code, or code that catches every exception), so it was "
                f"skipped; {advice}")
    return f"{name} stopped the process running your code ({event.message}) and was skipped; {advice}"


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


class _Places:
    """Names units of top-level code ("code cell 7 (`for epoch ...`)"), each cell parsed once."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.starts: dict[int, list[int]] = {}

    def name(self, event: LoadEvent) -> str:
        submission = self.submission
        index, statement = event.unit
        if index >= len(submission.cells):
            return "part of your code"
        cell = submission.cells[index]
        if submission.is_notebook or statement is None:
            line = _first_line(cell.source, 1)
            return f"{cell.label} (`{line}`)" if line else cell.label
        if index not in self.starts:
            self.starts[index] = _statement_lines(cell.source)
        starts = self.starts[index]
        if statement >= len(starts):
            return f"a statement of {shown_name(submission.path.name)}"
        number = starts[statement]
        return f"{shown_name(submission.path.name)} line {number} (`{_first_line(cell.source, number)}`)"


# Parsing here costs the grading process, not the student's limits: a file of more statements
# than a homework ever has (`1;1;1;...`) is not parsed again, and its notes name no line.
_STATEMENTS_PARSED = 20_000


def _statement_lines(source: str) -> list[int]:
    """The first line of each top-level statement of `source` (decorators included), or [] for a
    file that could hold more than _STATEMENTS_PARSED of them (counted cheaply: lines and semicolons)."""
    if source.count("\n") + source.count(";") > _STATEMENTS_PARSED:
        return []
    try:
        body = parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) for node in body]


def _first_line(source: str, start: int, width: int = 50) -> str:
    """The first line from `start` on that holds code, cut to `width` characters."""
    for line in itertools.islice(io.StringIO(source), start - 1, None):
        text = line.strip()
        if text and not text.startswith("#"):
            return clean_text(text, width)  # no terminal control codes
    return ""
