"""A "float" result is a Python float or a numpy float scalar. A complex number whose real part
is right is none: the rule checks of every homework read results with `compare.as_float`, which
gives nan for it. hw2's once read it with np.asarray(..., float64), which drops a numpy complex's
imaginary part: cross_entropy returning np.complex128(right + 1j) earned 4 of its 9 points."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.course import COURSE
from grader.engine import grade
from grader.homeworks import HOMEWORKS
from grader.submission import load_submission

# (homework, function): each returns a float the rule checks read
FLOAT_RESULTS = [("hw1", "mse"), ("hw2", "cross_entropy"), ("hw2", "binary_cross_entropy"), ("hw3", "mae")]


def returning_complex(homework: str, function: str) -> str:
    """The reference, with `function` renamed and wrapped to return its value as a complex number."""
    source = COURSE.solution(homework).read_text()
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    args = ", ".join(a.arg for a in node.args.args)
    return (source.replace(f"def {function}(", f"def _right_{function}(", 1)
            + f"\n\ndef {function}({args}):\n    return np.complex128(_right_{function}({args}) + 1j)\n")


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "release"])
@pytest.mark.parametrize(("homework", "function"), FLOAT_RESULTS, ids=[f"{h}-{f}" for h, f in FLOAT_RESULTS])
def test_a_complex_result_earns_no_point_of_a_float(tmp_path: Path, homework: str, function: str,
                                                   reference: bool) -> None:
    path = tmp_path / f"{homework}.py"
    path.write_text(returning_complex(homework, function))
    report = grade(HOMEWORKS[homework], load_submission(path), only=[function], reference=reference)
    (exercise,) = [e for e in report.exercises if e.name == function]
    earned = {c.description: c.score for c in exercise.checks if c.score}
    if not reference:  # the release cannot tell a working function: purity is paid to any that returns
        earned.pop("does not modify its inputs", None)
    assert not earned, earned
