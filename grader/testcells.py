"""What a notebook's test cell is: one definition for every entry point.

Under each function's cell, a homework notebook (grader.notebooks builds it) has a
read-only autograder test cell that calls the grader (TEST_SOURCE). Such a cell is
not the student's code: `grade` leaves it out of what it runs, the nbgrader plugin
writes the function's verdict into it, and a kernel's `check()` leaves it out of the
code it grades. All three ask `exercise_of_test_cell`, so they cannot disagree.

A notebook file says it in nbgrader's metadata: a graded cell, not a solution, whose
grade_id is test_<function> (nbgrader puts the released source back into such a cell
before grading, so what a student typed there never counts). A kernel's inputs have no
metadata, nor has a cell whose metadata an editor dropped: there, a cell is a test cell
when its code is a test cell's code (comments aside), never because it mentions the grader.
So the one place they can differ is code a student typed into a test cell: a kernel,
which cannot tell that cell from another, runs it; `grade` and nbgrader do not.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

TEST_SOURCE = '''\
# Autograder test for {name} (read-only). The number it shows is your score for {name}.
from grader.notebook_checks import check
score = check("{homework}", "{name}")  # the checks that need no reference solution
### BEGIN HIDDEN TESTS
score = check("{homework}", "{name}", reference=True)
### END HIDDEN TESTS
score'''

_TEST_ID_PREFIX = "test_"
_HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")  # nbgrader's markers: the release drops what they hold
# A test cell's code is a few hundred characters; a longer cell is not parsed to find out.
_MAX_TEST_CHARS = 2000


def grade_id_of_test(name: str) -> str:
    """The nbgrader grade_id of the test cell of exercise `name`."""
    return f"{_TEST_ID_PREFIX}{name}"


def exercise_of(grade_id: str) -> str | None:
    """The exercise a test cell's grade_id belongs to, or None for other cells."""
    return grade_id.removeprefix(_TEST_ID_PREFIX) if grade_id.startswith(_TEST_ID_PREFIX) else None


def source_of_test(homework: str, name: str) -> str:
    """The code of the test cell of exercise `name` in the instructor's source notebook."""
    return TEST_SOURCE.format(homework=homework, name=name)


def exercise_of_test_cell(cell: Mapping) -> str | None:
    """The exercise whose test cell `cell` is (a notebook cell as JSON, or an nbformat cell), or None.

    The one definition of a test cell (see the module's docstring); a kernel's input is
    asked as {"cell_type": "code", "source": text}.
    """
    if cell.get("cell_type") != "code":
        return None
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    if isinstance(nbgrader, Mapping):  # as nbgrader's utils.is_grade and is_solution read it
        grade_id = nbgrader.get("grade_id")
        if nbgrader.get("grade") and not nbgrader.get("solution") and isinstance(grade_id, str):
            return exercise_of(grade_id)
        return None
    source = cell.get("source", "")
    return _exercise_of_code("".join(source) if isinstance(source, list) else source)


def is_test_cell(cell: Mapping) -> bool:
    return exercise_of_test_cell(cell) is not None


def _exercise_of_code(source: object) -> str | None:
    """The exercise whose test cell's code `source` is (with or without the hidden tests), or None."""
    if not isinstance(source, str) or len(source) > _MAX_TEST_CHARS or "check" not in source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = next((node for node in ast.walk(tree) if isinstance(node, ast.Call)), None)
    arguments = call.args if call is not None else []
    if len(arguments) != 2 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in arguments):
        return None
    homework, name = (a.value for a in arguments)
    if not (homework.isidentifier() and name.isidentifier()):
        return None
    full = source_of_test(homework, name)
    shapes = {ast.dump(ast.parse(full)), ast.dump(ast.parse(_without_hidden_tests(full)))}
    return name if ast.dump(tree) in shapes else None


def _without_hidden_tests(source: str) -> str:
    """`source` as the student release has it: nbgrader drops the hidden tests and their markers."""
    before, _, rest = source.partition(_HIDDEN[0])
    _, _, after = rest.partition(_HIDDEN[1])
    return before + after.lstrip("\n")
