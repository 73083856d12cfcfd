"""One definition of a test cell: `grade`, the nbgrader plugin and a kernel's check() agree on every cell."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from grader.notebook_checks import cells_from_history
from grader.submission import notebook_cells
from grader.testcells import exercise_of_test_cell, grade_id_of_test, is_test_cell, source_of_test

ROOT = Path(__file__).resolve().parent.parent
RELEASED = 'from grader.notebook_checks import check\nscore = check("hw1", "mse")  # here\nscore'


def _nbgrader(grade_id: str, grade: bool = True, solution: bool = False) -> dict:
    return {"nbgrader": {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": 3,
                         "solution": solution, "task": False, "points": 8}}


def _cell(source: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "code", "source": source, "metadata": metadata or {}, "outputs": [], "execution_count": None}


CELLS = [
    pytest.param(_cell(source_of_test("hw1", "mse"), _nbgrader(grade_id_of_test("mse"))), "mse",
                 id="the generated test cell"),
    pytest.param(_cell(RELEASED, _nbgrader(grade_id_of_test("mse"))), "mse", id="the released test cell"),
    # nbgrader puts a test cell's released source back before grading: what was typed there never counts
    pytest.param(_cell("def mse(a, b):\n    return 0.0\n", _nbgrader(grade_id_of_test("mse"))), "mse",
                 id="a test cell the student typed in"),
    pytest.param(_cell(RELEASED), "mse", id="a test cell whose metadata an editor dropped"),
    pytest.param(_cell("# like the test cells, via grader.notebook_checks\ndef mse(a, b):\n    return 0.0\n"), None,
                 id="the student's cell naming the grader"),
    pytest.param(_cell("from grader.notebook_checks import check\nscore = check('hw1', 'mse')\nmse = None"), None,
                 id="a call of the grader with code of the student's"),
    pytest.param(_cell("assert mse([1.], [1.]) == 0", _nbgrader("extra_tests")), None,
                 id="an instructor's own graded cell"),
    pytest.param(_cell(source_of_test("hw1", "mse"), _nbgrader("mse", grade=False, solution=True)), None,
                 id="a solution cell"),
    pytest.param(_cell("x = 1"), None, id="an ordinary cell"),
]


def _skipped_by_grade(cell: dict) -> bool:
    """`grade hw1.ipynb` leaves the cell out of the code it runs."""
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return notebook_cells(json.dumps(notebook).encode(), "hw1.ipynb") == []


def _skipped_by_kernel(source: str) -> bool:
    """A kernel's check() leaves the input out of the code it grades (a kernel sees no metadata)."""
    return cells_from_history(["", source]) == []


@pytest.mark.parametrize("cell, exercise", CELLS)
def test_every_entry_point_agrees_on_what_a_test_cell_is(cell, exercise):
    assert exercise_of_test_cell(cell) == exercise
    assert _skipped_by_grade(cell) == (exercise is not None)
    assert is_test_cell(nbformat.from_dict(cell)) == (exercise is not None)
    if not cell["metadata"]:
        assert _skipped_by_kernel(cell["source"]) == (exercise is not None)


def test_the_source_notebook_s_test_cells_are_test_cells_with_or_without_their_metadata():
    """Each function's test cell, as generated and as a kernel sees its text; no other cell is one."""
    notebook = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    found = {}
    for cell in notebook.cells:
        name = exercise_of_test_cell(cell)
        if name is not None:
            found[name] = cell
        if cell.cell_type == "code":
            assert exercise_of_test_cell({"cell_type": "code", "source": cell.source}) == name, cell.source
    from grader.homeworks import HOMEWORKS

    assert sorted(found) == sorted(e.name for e in HOMEWORKS["hw1"].exercises)
