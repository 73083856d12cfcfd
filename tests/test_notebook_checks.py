"""What a notebook's test cell grades (the kernel's history) and what it prints."""

from __future__ import annotations

import pytest

from grader.exercise import FAILED, PASSED, SKIPPED, CheckResult, ExerciseResult, Fail
from grader.notebook_checks import cells_from_history, check, describe
from grader.homeworks import HOMEWORKS

HW1 = HOMEWORKS["hw1"]

TEST_CELL = 'from grader.notebook_checks import check\nscore = check("hw1", "mse")\nscore'

HISTORIES = [
    pytest.param(["", "import numpy as np", "def f(): pass", TEST_CELL],
                 ["import numpy as np", "def f(): pass"], id="test cells and the empty placeholder left out"),
    pytest.param(["", "a = 1", "def f(): pass", "a = 1"], ["def f(): pass", "a = 1"],
                 id="an input run again unchanged is kept where it last ran"),
    pytest.param(["", "def f(): return 1", "def f(): return 2"], ["def f(): return 1", "def f(): return 2"],
                 id="an edited cell keeps every version, in order"),
    pytest.param(["", "%matplotlib inline\nx = 1", "   \n"], ["pass\nx = 1"], id="magics made pass, blank inputs dropped"),
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
    return ExerciseResult("mse", 8, [CheckResult("matches the reference", 7, 0.0, FAILED, failure, hidden=True),
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


# ------------------------------------------------------------ the slice check() runs ---

SLICES = [
    pytest.param(["import numpy as np", "def mse(a, b):\n    return np.mean((a - b) ** 2)",
                  "for epoch in range(10**9):\n    loss = mse(1, 2)"], "mse", [0, 1], id="a training loop is left out"),
    pytest.param(["import numpy as np\nSCALE = 2.0", "def helper(x):\n    return SCALE * x",
                  "def mse(a, b):\n    return helper(np.mean((a - b) ** 2)) / SCALE", "plt.plot([1, 2])"],
                 "mse", [0, 1, 2], id="helpers and constants it uses are kept"),
    pytest.param(["W = slow_fit()", "def mse(a, b):\n    return W * a", "W2 = 3"], "mse", [0, 1],
                 id="a global the function reads is kept, even if slow"),
    pytest.param(["def mse(a, b):\n    loss = (a - b) ** 2\n    return loss.mean()", "loss = train()"], "mse", [0],
                 id="a local of the function does not pull in a global of the same name"),
    pytest.param(["from mylib import *", "x = 1", "def mse(a, b):\n    return a"], "mse", [0, 2],
                 id="imports are always kept"),
    pytest.param(["def mse(a, b) return a", "x = 1"], "mse", [0], id="a syntax error is left to the grader"),
]


@pytest.mark.parametrize("sources, name, kept", SLICES)
def test_slice_for(sources, name, kept):
    from grader.notebook_checks import slice_for

    cells = cells_from_history([""] + sources)
    out, skipped = slice_for(cells, name)
    assert [c.label for c in out] == [f"In [{k + 1}]" for k in kept]
    assert len(skipped) == len(sources) - len(kept)


def test_slice_keeps_line_numbers():
    from grader.notebook_checks import slice_for

    cells = cells_from_history(["", "import numpy as np\ntrain()\n\ndef mse(a, b):\n    return a"])
    (cell,), _ = slice_for(cells, "mse")
    assert cell.source.split("\n") == ["import numpy as np", "", "", "def mse(a, b):", "    return a"]


# Three of hw1's functions, each check() a grade of its own: one without helpers (in the first
# cell of functions), one whose helpers lie in both cells of functions, one that draws from
# its generator argument (in the second cell). check() is the same code for every function.
IN_A_REAL_KERNEL = ["sigmoid", "two_layer_loss_and_grads", "dropout_forward"]


def test_check_in_a_real_kernel_skips_the_training_cell_and_agrees_with_grade(tmp_path):
    """A notebook as a student runs it: check() leaves the training loop out, says so, and gives
    the score `grade` gives the saved notebook (which runs everything)."""
    import nbformat
    from nbclient import NotebookClient

    import student_work as work
    from conftest import HW1, grade_source

    raw = work.coursework()
    nb = nbformat.reads(raw, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "from grader.notebook_checks import check\nscores = {name: check('hw1', name, reference=True)\n"
        f"          for name in {IN_A_REAL_KERNEL!r}}}\nprint('SCORES', scores)"))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    assert "In [5] (`params = {'W1': 0.1 * rng.normal(size=(3...`)" in printed, printed  # the training loop
    assert "In [2] (`rng = np.random.default_rng(0)`)" in printed, printed
    in_kernel = eval(printed.split("SCORES ", 1)[1].splitlines()[0])
    report = grade_source(tmp_path, raw, name="hw1.ipynb")
    assert in_kernel == {e.name: e.score for e in report.exercises if e.name in IN_A_REAL_KERNEL} \
        == {e.name: e.points for e in HW1.exercises if e.name in IN_A_REAL_KERNEL}
    assert report.score == HW1.points


def test_slice_keeps_library_calls_and_changes_in_place():
    from grader.notebook_checks import slice_for

    sources = ["import numpy as np\nnp.seterr(over='ignore')\ntrain()",
               "W = np.zeros(3)\nW[0] = 1.0\nV = np.ones(2)\nV[0] = 5.0",
               "def sigmoid(z):\n    return W[0] / (1 + np.exp(-z))"]
    (first, second, _), _ = slice_for(cells_from_history([""] + sources), "sigmoid")
    assert first.source.split("\n") == ["import numpy as np", "np.seterr(over='ignore')", ""]
    assert second.source.split("\n") == ["W = np.zeros(3)", "W[0] = 1.0", "", ""]


def test_check_in_a_release_kernel_judges_against_a_helper_defined_in_another_cell(monkeypatch, capsys):
    """check() runs only the code a function needs; the release's gradient check of mse_grad takes the
    student's mse as the truth, so mse must run too, or a right mse would be blamed as missing."""
    import grader.notebook_checks as notebook_checks
    from conftest import reference_source
    from grader.slicing import statements_of

    source = reference_source()
    spans = {s.binds and next(iter(s.binds)): s for s in statements_of([source])[0]}
    lines = source.split("\n")
    definition = {name: "\n".join(lines[spans[name].first_line - 1: spans[name].last_line])
                  for name in ("mse", "mse_grad")}
    history = ["", "import numpy as np", definition["mse"], "for epoch in range(3):\n    print(epoch)",
               definition["mse_grad"]]
    monkeypatch.setattr(notebook_checks, "_kernel_history", lambda: history)
    score = notebook_checks.check("hw1", "mse_grad")
    out = capsys.readouterr().out
    assert "not judged" not in out and "fails its own checks" not in out, out
    assert score == sum(c.points for c in HW1.exercise("mse_grad").checks if not c.needs_reference), out
