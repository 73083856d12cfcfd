"""A stock nbgrader course of hw1, for comparing `grade` with plain `nbgrader autograde`.

    python bench/stock_nbgrader.py DIR     build it in DIR and autograde it once

The course is what an instructor without this grader would write: a source notebook
with one solution cell per function (the reference's code, whose solution regions
carry nbgrader's ### BEGIN/END SOLUTION markers) and one graded test cell of ordinary asserts per
function (`assert np.allclose(...)` against values written inline). It is released
with `nbgrader generate_assignment`, and a student's submission is the released
notebook with the solutions filled in. `autograde_command` times what is compared:
`nbgrader autograde` of that one submission.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "hw1" / "hw1.py"
ASSIGNMENT, STUDENT = "hw1", "student1"

# One test cell per function: ordinary asserts, as a course without this grader has them.
TESTS = {
    "sigmoid": """
        z = np.array([-2.0, 0.0, 3.0])
        assert np.allclose(sigmoid(z), 1 / (1 + np.exp(-z)))
        assert np.allclose(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
        assert sigmoid(np.zeros((2, 3), dtype=np.float32)).dtype == np.float32
    """,
    "sigmoid_grad": """
        z = np.linspace(-3, 3, 7)
        s = 1 / (1 + np.exp(-z))
        assert np.allclose(sigmoid_grad(z), s * (1 - s))
        assert np.isclose(sigmoid_grad(np.array(0.0)), 0.25)
    """,
    "mse": """
        assert np.isclose(mse(np.array([1.0, 2.0]), np.array([1.0, 4.0])), 2.0)
        assert np.isclose(mse(np.ones((2, 3)), np.zeros((2, 3))), 1.0)
    """,
    "mse_grad": """
        y_pred, y_true = np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))
        assert np.allclose(mse_grad(y_pred, y_true), 2 * y_pred / 4)
    """,
    "two_layer_forward": """
        params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.ones((2, 3)), "b2": np.arange(3.0)}
        out = two_layer_forward(params, np.zeros((4, 2)))
        assert out.shape == (4, 3)
        assert np.allclose(out, 1.0 + np.arange(3.0))
    """,
    "two_layer_loss_and_grads": """
        rng = np.random.default_rng(0)
        params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
                  "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2)}
        X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
        loss, grads = two_layer_loss_and_grads(params, X, Y)
        assert np.isclose(loss, mse(two_layer_forward(params, X), Y))
        h = 1e-6
        for name in params:
            for index in np.ndindex(params[name].shape):
                up = {k: v.copy() for k, v in params.items()}
                down = {k: v.copy() for k, v in params.items()}
                up[name][index] += h
                down[name][index] -= h
                numeric = (two_layer_loss_and_grads(up, X, Y)[0] - two_layer_loss_and_grads(down, X, Y)[0]) / (2 * h)
                assert np.isclose(grads[name][index], numeric, rtol=1e-4, atol=1e-7)
    """,
    "adagrad_step": """
        param, grad, cache = np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.zeros(2)
        new_param, new_cache = adagrad_step(param, grad, cache, lr=0.1)
        assert np.allclose(new_cache, grad ** 2)
        assert np.allclose(new_param, param - 0.1 * grad / (np.abs(grad) + 1e-8))
        assert np.allclose(cache, 0.0)
    """,
    "dropout_forward": """
        x = np.ones((200, 50))
        out, mask = dropout_forward(x, 0.3, np.random.default_rng(0))
        assert mask.dtype == bool and mask.shape == x.shape
        assert abs(mask.mean() - 0.7) < 0.02
        assert np.allclose(out[mask], 1 / 0.7) and np.all(out[~mask] == 0)
        same, _ = dropout_forward(x, 0.3, np.random.default_rng(0))
        assert np.array_equal(out, same)
        assert dropout_forward(x, 0.3, np.random.default_rng(0), train=False)[1] is None
        try:
            dropout_forward(x, 1.0, np.random.default_rng(0))
            assert False, "p = 1 must raise ValueError"
        except ValueError:
            pass
    """,
    "dropout_backward": """
        dout, mask = np.ones((2, 3)), np.array([[True, False, True], [False, True, True]])
        assert np.allclose(dropout_backward(dout, mask, 0.5), np.where(mask, 2.0, 0.0))
    """,
}

CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "stock-hw1"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_assignments = [dict(name="{assignment}")]
c.CourseDirectory.db_students = [dict(id="{student}")]
"""


def functions(reference: Path = REFERENCE) -> dict[str, str]:
    """Each top-level function of the reference, by name, as source: its lines up to the next
    statement, so that a comment after its last line (### END SOLUTION) stays with it."""
    lines = reference.read_text().splitlines()
    body = ast.parse("\n".join(lines)).body
    ends = [node.lineno - 1 for node in body[1:]] + [len(lines)]
    return {node.name: "\n".join(lines[node.lineno - 1:end]).rstrip()
            for node, end in zip(body, ends) if isinstance(node, ast.FunctionDef)}


def source_notebook(solutions: dict[str, str]):
    import nbformat

    cells = [nbformat.v4.new_markdown_cell("# Homework 1 (stock nbgrader)"),
             nbformat.v4.new_code_cell("import numpy as np")]
    for name, test in TESTS.items():
        # the reference marks its solution regions with nbgrader's own markers already
        cells.append(_cell(nbformat, solutions[name], name, solution=True))
        cells.append(_cell(nbformat, textwrap.dedent(test).strip(), f"test_{name}", grade=True, points=1))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def _cell(nbformat, source: str, grade_id: str, solution: bool = False, grade: bool = False, points: int = 0):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": not solution,
                                 "schema_version": 3, **({"points": points} if grade else {})}
    return cell


def environment() -> dict[str, str]:
    """This Python's scripts first on PATH: nbgrader runs `alembic` and `jupyter` from there."""
    return {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("nbgrader")), *args]
    return subprocess.run(command, cwd=course, capture_output=True, text=True, env=environment())


def build(course: Path) -> list[str]:
    """Build the course in `course` and submit the solution; returns the autograde command."""
    import nbformat

    shutil.rmtree(course, ignore_errors=True)
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), assignment=ASSIGNMENT,
                                                             student=STUDENT))
    solutions = functions()
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(source_notebook(solutions), course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    _check(nbgrader(course, "generate_assignment", ASSIGNMENT, "--force"))
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for mine, theirs in zip(released.cells, source.cells):  # the student fills in every solution
        if mine.get("metadata", {}).get("nbgrader", {}).get("solution"):
            mine.source = "\n".join(line for line in theirs.source.splitlines()
                                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    submitted = course / "submitted" / STUDENT / ASSIGNMENT
    submitted.mkdir(parents=True)
    nbformat.write(released, submitted / f"{ASSIGNMENT}.ipynb")
    return autograde_command()


def autograde_command() -> list[str]:
    return [str(Path(sys.executable).with_name("nbgrader")), "autograde", ASSIGNMENT, "--force"]


def score(course: Path) -> tuple[float, float]:
    """The autograded score and the maximum, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, STUDENT)
        return submission.score, submission.max_score


def _check(done: subprocess.CompletedProcess) -> None:
    if done.returncode != 0:
        raise SystemExit(f"nbgrader failed:\n{done.stdout}\n{done.stderr}")


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "stock-course").resolve()
    command = build(folder)
    _check(subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environment()))
    print("autograded: %g of %g" % score(folder))
