"""The nbgrader source notebook: generated from the solution file, in sync, valid for nbgrader."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from grader.homeworks import HOMEWORKS
from grader.notebooks import (
    build_notebook,
    grade_id_of_test,
    main,
    normalise,
    read_module,
    source_notebook_path,
    stale_notebooks,
)
from grader.stubs import solution_regions
from grader.testcells import exercise_of

ROOT = Path(__file__).resolve().parent.parent
HW1 = HOMEWORKS["hw1"]
SOLUTION = (ROOT / "solutions" / "hw1" / "hw1.py").read_text()
NOTEBOOK = build_notebook(SOLUTION, HW1)
EXERCISES = [e.name for e in HW1.exercises]


def cell(notebook, grade_id: str):
    (found,) = [c for c in notebook.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    return found


def test_committed_notebook_is_in_sync_with_the_solution_file():
    committed = nbformat.read(source_notebook_path("hw1"), as_version=4)
    for number, (got, expected) in enumerate(zip(normalise(committed), normalise(NOTEBOOK)), start=1):
        assert got == expected, f"cell {number} differs: run python -m grader.notebooks"
    assert len(committed.cells) == len(NOTEBOOK.cells), "run python -m grader.notebooks"
    assert main(["--check"]) == 0


def test_generation_is_deterministic():
    assert nbformat.writes(build_notebook(SOLUTION, HW1)) == nbformat.writes(NOTEBOOK)


def test_notebook_is_valid_for_nbformat_and_nbgrader():
    nbformat.validate(NOTEBOOK)
    MetadataValidator().validate_nb(copy.deepcopy(NOTEBOOK))  # raises on bad or duplicate grade ids
    ids = [c.metadata.nbgrader["grade_id"] for c in NOTEBOOK.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    assert all(c.metadata.nbgrader["schema_version"] == 3 for c in NOTEBOOK.cells if "nbgrader" in c.metadata)


def test_imports_come_first_in_a_read_only_cell():
    setup = NOTEBOOK.cells[1]
    assert setup.source == "import numpy as np"
    assert setup.metadata.nbgrader["locked"] and not setup.metadata.nbgrader["solution"]
    assert not setup.metadata.nbgrader["grade"]


def test_title_and_text_come_from_the_docstrings():
    module = read_module(SOLUTION)
    assert NOTEBOOK.cells[0].source.startswith("# " + module.docstring.splitlines()[0])
    for function in module.functions:
        about = next(c for c in NOTEBOOK.cells if c.get("id") == f"about_{function.name}")
        assert about.cell_type == "markdown"
        assert function.docstring.splitlines()[0].strip() in about.source
        assert f"`{function.name}(" in about.source


@pytest.mark.parametrize("name", EXERCISES)
def test_answer_cell_holds_the_solution_between_nbgrader_markers(name):
    answer = cell(NOTEBOOK, name)
    meta = answer.metadata.nbgrader
    assert meta["solution"] and not meta["grade"] and not meta["locked"]
    assert answer.source.startswith(f"def {name}(")
    assert "### BEGIN SOLUTION" in answer.source and answer.source.rstrip().endswith("### END SOLUTION")
    own = [r for r in solution_regions(SOLUTION) if r in answer.source]
    assert len(own) == 1


@pytest.mark.parametrize("name", EXERCISES)
def test_test_cell_is_locked_and_worth_what_the_grader_gives(name):
    test = cell(NOTEBOOK, grade_id_of_test(name))
    meta = test.metadata.nbgrader
    assert meta["grade"] and meta["locked"] and not meta["solution"]
    assert meta["points"] == HW1.exercise(name).points
    assert exercise_of(meta["grade_id"]) == name
    visible, _, rest = test.source.partition("### BEGIN HIDDEN TESTS")
    hidden, _, after = rest.partition("### END HIDDEN TESTS")
    assert f'check("hw1", "{name}")' in visible and "reference=True" not in visible
    assert f'check("hw1", "{name}", reference=True)' in hidden
    assert after.strip() == "score"  # the cell's value is the score: nbgrader's partial credit


def test_points_add_up_to_the_homework():
    points = [c.metadata.nbgrader["points"] for c in NOTEBOOK.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert sum(points) == HW1.points


def test_exercise_of_ignores_other_cells():
    assert [exercise_of(i) for i in ("test_mse", "mse", "setup", "about_mse")] == ["mse", None, None, None]


# ------------------------------------------------------------- sync check ---

def _edit_points(nb):
    cell(nb, "test_mse").metadata.nbgrader["points"] = 7


def _edit_solution(nb):
    cell(nb, "mse").source = cell(nb, "mse").source.replace("np.mean", "np.sum")


def _edit_test(nb):
    cell(nb, "test_mse").source += "\n# edited"


def _edit_docstring(nb):
    nb.cells[0].source += "\nMore."


def _drop_cell(nb):
    del nb.cells[-1]


def _unlock_test(nb):
    cell(nb, "test_mse").metadata.nbgrader["locked"] = False


def _new_ids(nb):
    for index, c in enumerate(nb.cells):
        c.id = f"other-{index}"


def _run_and_save(nb):
    """What Jupyter and nbgrader add: outputs, counts, checksums, editor metadata."""
    for index, c in enumerate(nb.cells):
        if c.cell_type == "code":
            c.execution_count = index
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
        if "nbgrader" in c.metadata:
            c.metadata.nbgrader["checksum"] = "0" * 32
            c.metadata.nbgrader["cell_type"] = c.cell_type
        c.metadata["collapsed"] = False
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}


def _write_course(root: Path, notebook) -> None:
    (root / "solutions" / "hw1").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "hw1" / "hw1.py", root / "solutions" / "hw1" / "hw1.py")
    path = source_notebook_path("hw1", root)
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)


@pytest.mark.parametrize("edit", [_edit_points, _edit_solution, _edit_test, _edit_docstring, _drop_cell,
                                  _unlock_test], ids=lambda f: f.__name__.lstrip("_"))
def test_sync_check_finds_a_notebook_that_differs_from_the_source(tmp_path, edit):
    notebook = copy.deepcopy(NOTEBOOK)
    edit(notebook)
    _write_course(tmp_path, notebook)
    assert stale_notebooks({"hw1": HW1}, tmp_path) == [source_notebook_path("hw1", tmp_path)]


@pytest.mark.parametrize("edit", [_new_ids, _run_and_save], ids=lambda f: f.__name__.lstrip("_"))
def test_sync_check_ignores_volatile_content(tmp_path, edit):
    notebook = copy.deepcopy(NOTEBOOK)
    edit(notebook)
    _write_course(tmp_path, notebook)
    assert stale_notebooks({"hw1": HW1}, tmp_path) == []


def test_sync_check_finds_a_missing_notebook(tmp_path):
    _write_course(tmp_path, NOTEBOOK)
    source_notebook_path("hw1", tmp_path).unlink()
    assert stale_notebooks({"hw1": HW1}, tmp_path) == [source_notebook_path("hw1", tmp_path)]


def test_a_notebook_end_adds_ungraded_cells_after_the_exercises():
    """solutions/<hw>/notebook_end.py, in the percent format, becomes plain last cells: markdown
    without its comment marks, code as written, neither graded nor locked."""
    end = "# %% [markdown]\n# ## Put it together\n#\n# Train it.\n\n# %%\nx = sigmoid(np.zeros(3))\nprint(x)\n"
    notebook = build_notebook(SOLUTION, HW1, end)
    *exercises, markdown, code = notebook.cells
    assert [c.source for c in exercises] == [c.source for c in NOTEBOOK.cells]
    assert (markdown.cell_type, markdown.source) == ("markdown", "## Put it together\n\nTrain it.")
    assert (code.cell_type, code.source) == ("code", "x = sigmoid(np.zeros(3))\nprint(x)")
    assert "nbgrader" not in code.metadata and "nbgrader" not in markdown.metadata
    nbformat.validate(notebook)
    MetadataValidator().validate_nb(copy.deepcopy(notebook))
