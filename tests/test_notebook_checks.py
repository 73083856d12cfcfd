"""What a notebook's test cell grades (the kernel's history) and what it prints."""

from __future__ import annotations

import pytest

from grader.exercise import FAILED, PASSED, SKIPPED, CheckResult, ExerciseResult, Fail
from grader.notebook_checks import cells_from_history, check, describe

TEST_CELL = 'from grader.notebook_checks import check\nscore = check("hw1", "mse")\nscore'

HISTORIES = [
    pytest.param(["", "import numpy as np", "def f(): pass", TEST_CELL],
                 ["import numpy as np", "def f(): pass"], id="test cells and the empty placeholder left out"),
    pytest.param(["", "a = 1", "def f(): pass", "a = 1"], ["def f(): pass", "a = 1"],
                 id="an input run again unchanged is kept where it last ran"),
    pytest.param(["", "def f(): return 1", "def f(): return 2"], ["def f(): return 1", "def f(): return 2"],
                 id="an edited cell keeps every version, in order"),
    pytest.param(["", "%matplotlib inline\nx = 1", "   \n"], ["\nx = 1"], id="magics blanked, blank inputs dropped"),
]


@pytest.mark.parametrize("history, expected", HISTORIES)
def test_cells_from_history(history, expected):
    assert [c.source for c in cells_from_history(history)] == expected


def test_cells_are_labelled_by_their_input_number():
    (cell,) = cells_from_history(["", "", "x = 1"])
    assert (cell.label, cell.filename) == ("In [2]", "In [2]")


def test_outside_a_kernel_check_does_nothing(capsys):
    # Run as a submission's cell by `grade hw1.ipynb`, a test cell must not start a grader.
    assert check("hw1", "mse") == 0.0
    assert capsys.readouterr() == ("", "")


def _result(expected: str) -> ExerciseResult:
    failure = Fail("wrong value at result[0]", input="mse(y_pred=..., y_true=...)", expected=expected,
                   got="2.0", hint="this is the sum of squares")
    return ExerciseResult("mse", 8, [CheckResult("matches the reference", 7, 0.0, FAILED, failure),
                                     CheckResult("does not modify its inputs", 1, 1.0, PASSED)])


def test_feedback_with_the_reference_shows_no_expected_value():
    text = describe(_result("array([0.12345678])"), 8, with_reference=True)
    assert "0.12345678" not in text
    assert text.splitlines()[0] == "mse: 1/8 points (failed)"
    assert "got: 2.0" in text and "likely cause: this is the sum of squares" in text


def test_feedback_without_the_reference_shows_expected_values():
    text = describe(_result("array([0.12345678])"), 8, with_reference=False)
    assert "expected: array([0.12345678])" in text


def test_feedback_names_the_points_left_to_the_reference():
    result = ExerciseResult("mse", 8, [
        CheckResult("matches the reference", 7, 0.0, SKIPPED, Fail("needs the reference", status=SKIPPED)),
        CheckResult("does not modify its inputs", 1, 1.0, PASSED)])
    text = describe(result, 8, with_reference=False)
    assert text.splitlines()[0] == "mse: 1/1 points from the checks that run here (passed)"
    assert "7 more points come from checks against the instructor's reference" in text
