"""The JSON document of a submission that could not be graded at all.

It is a report like any other (`grader.report.to_json`), every check failed with
the reason, so a pipeline (``grade --json``, a class batch, Gradescope) records a
zero with its reason instead of a gap.
"""

from __future__ import annotations

from grader.exercise import Homework, Report, unloadable
from grader.report import to_json


def unloadable_document(homework: Homework, only: list[str] | None, message: str,
                        notes: tuple[str, ...] = (), cause: str | None = None) -> dict:
    """`notes`: how the file was chosen (grader.submission.Found.notes), as a report keeps them;
    `cause`: why in a word, where a program acts on it (grader.errors.SubmissionError.cause)."""
    exercises = [e for e in homework.exercises if only is None or e.name in only]
    report = unloadable(Report(homework.name, "", [], notes=list(notes)), exercises, message)
    report.error_cause = cause
    return to_json(report)
