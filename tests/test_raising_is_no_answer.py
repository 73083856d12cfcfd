"""Raising ValueError is no answer. A contract that asks for a ValueError on bad arguments is
judged by calls that must raise it; code that raises ValueError whatever it is given passes
those calls, so each such check must also see a valid call answered. Here every function of
every homework, replaced by one that always raises ValueError, must earn nothing at all, with
the reference and in the student release.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.course import COURSE
from grader.engine import grade
from grader.homeworks import HOMEWORKS
from grader.submission import load_submission

EXERCISES = [(homework, exercise.name) for homework in HOMEWORKS for exercise in HOMEWORKS[homework].exercises]


def always_raising(homework: str, function: str) -> str:
    """The reference of `homework` with `function`'s body replaced by `raise ValueError`."""
    lines = COURSE.solution(homework).read_text().splitlines()
    tree = ast.parse("\n".join(lines))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    body = node.body[0].lineno - 1
    lines[body:node.end_lineno] = ['    raise ValueError("bad argument")']
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "release"])
@pytest.mark.parametrize(("homework", "function"), EXERCISES, ids=[f"{h}-{f}" for h, f in EXERCISES])
def test_a_function_that_always_raises_value_error_earns_nothing(tmp_path: Path, homework: str, function: str,
                                                                 reference: bool) -> None:
    path = tmp_path / f"{homework}.py"
    path.write_text(always_raising(homework, function))
    report = grade(HOMEWORKS[homework], load_submission(path), only=[function], reference=reference)
    (exercise,) = [e for e in report.exercises if e.name == function]
    earned = {c.description: c.score for c in exercise.checks if c.score}
    assert not earned, earned
