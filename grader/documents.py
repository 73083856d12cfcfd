"""The JSON document of a submission that could not be graded at all.

It has the schema of `grader.report.to_json`, so a pipeline (``grade --json``, a
class batch, Gradescope) records a zero with its reason instead of a gap.
"""

from __future__ import annotations

from grader.exercise import ERROR, Homework


def unloadable_document(homework: Homework, only: list[str] | None, message: str,
                        notes: tuple[str, ...] = ()) -> dict:
    """`notes`: how the file was chosen (grader.submission.Found.notes), as a report keeps them."""
    exercises = [e for e in homework.exercises if only is None or e.name in only]
    document = {
        "assignment": homework.name,
        "score": 0.0,
        "max_score": float(sum(e.points for e in exercises)),
        "exercises": [{"name": e.name, "score": 0.0, "max_score": float(e.points), "status": ERROR,
                       "feedback": message} for e in exercises],
        "error": message,
    }
    if notes:
        document["notes"] = list(notes)
    return document
