"""Exact renders of six typical reports, in every channel, compared with files in tests/golden/.

The reports are built here from fixed values, not graded: a shrunk failing input
moves with hypothesis' version and the course secret, and these tests are of the
rendering alone. To accept a deliberate change of the output, run
    GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py
and read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from grader.exercise import (
    NOT_JUDGED,
    PASSED,
    TIMEOUT,
    CheckResult,
    ExerciseResult,
    Fail,
    Report,
    not_loaded,
)
from grader.gradescope import results_from_document
from grader.homeworks import HOMEWORKS
from grader.notebook_checks import describe
from grader.report import render, to_json

GOLDEN = Path(__file__).resolve().parent / "golden"
HW1 = HOMEWORKS["hw1"]


def _passed(name: str) -> ExerciseResult:
    exercise = HW1.exercise(name)
    return ExerciseResult(name, exercise.points, [CheckResult(c.description, c.points, c.points, PASSED)
                                                  for c in exercise.checks])


def _with(name: str, failures: dict[int, tuple[Fail, bool]]) -> ExerciseResult:
    """The function with checks number i failed as given (a Fail, and whether it is hidden)."""
    exercise = HW1.exercise(name)
    checks = []
    for number, check in enumerate(exercise.checks):
        if number in failures:
            failure, hidden = failures[number]
            score = 0.0
            checks.append(CheckResult(check.description, check.points, score, failure.status, failure, hidden))
        else:
            checks.append(CheckResult(check.description, check.points, check.points, PASSED))
    return ExerciseResult(name, exercise.points, checks)


def _report(*changed: ExerciseResult, notes: tuple[str, ...] = ()) -> Report:
    by_name = {result.name: result for result in changed}
    exercises = [by_name.get(e.name) or _passed(e.name) for e in HW1.exercises]
    return Report("hw1", "hw1.py", exercises, notes=list(notes))


MSE_SUM = Fail("wrong value: expected 16.833333, got 101", brief="wrong value: got 101", kind="wrong value",
               input="mse(y_pred=[[ 2.,  1.,  0.],\n            [-2., -1., -3.]],\n"
                     "    y_true=[[-3., -3., -2.],\n            [ 2.,  1.,  3.]])",
               expected="16.833333", got="101", mistake="mse-sum",
               hint="this is the sum of squares: divide by the number of elements")
SHIFT = Fail("mse(y + s, y) must be 4 when every s is +2 or -2: wrong value: expected 4, got 24", kind="wrong value",
             input="mse(y_pred=[[ 2.034193, -0.640252,  3.224721],\n            [-2.510307,  1.70203 ,  1.472616]],\n"
                   "    y_true=[[ 0.034193,  1.359748,  1.224721],\n            [-0.510307, -0.29797 , -0.527384]])",
             expected="4", got="24", mistake="mse-sum",
             hint="this is the sum of the squared differences: divide by the number of elements")
NEEDS_VALUES = Fail("needs the function to return right values first (see above)", kind="needs right values")
NETWORK_LOSS = Fail("wrong value: expected 16.265191, got 65.060764", brief="wrong value: got 65.060764",
                    kind="wrong value", input="two_layer_loss_and_grads(\n    params={'W1': [[ 2.,  1.,  0.]], "
                    "'b1': [-3., -3., -2.],\n            'W2': [[2.], [1.], [3.]], 'b2': [2.]},\n    X=[[3.]], Y=[[-3.]])",
                    expected="16.265191", got="65.060764")
TIMED_OUT = Fail("timed out after 5 s at hw1.py line 31 (in adagrad_step)", status=TIMEOUT)
NOT_RUN = Fail("not run: timed out after 5 s at hw1.py line 31 (in adagrad_step)", status=TIMEOUT)
WAITS = Fail("not judged yet: this check differentiates your mse, which fails its own checks (see mse); fix mse "
             "first, then this check counts", status=NOT_JUDGED, kind="not judged")

CASES = {
    "all-passed": _report(),
    "one-wrong-value": _report(_with("mse", {0: (MSE_SUM, True), 1: (SHIFT, False), 2: (NEEDS_VALUES, False)})),
    "cascade": _report(
        _with("mse", {0: (MSE_SUM, True), 1: (SHIFT, False), 2: (NEEDS_VALUES, False)}),
        ExerciseResult("two_layer_loss_and_grads", 20, _with("two_layer_loss_and_grads", {
            0: (NETWORK_LOSS, True), 3: (NEEDS_VALUES, False)}).checks,
            cause="This follows from your mse: given it, two_layer_loss_and_grads returns what it should. "
                  "Fix mse first.", follows=True, helpers=["mse"])),
    "load-error": not_loaded(Report("hw1", "hw1.py", []), list(HW1.exercises),
                             "SyntaxError: '(' was never closed (hw1.py, line 12)"),
    "timeout": _report(_with("adagrad_step", {0: (TIMED_OUT, True), 1: (NOT_RUN, False), 2: (NOT_RUN, False)})),
    "skipped-slow-cell": _report(
        notes=("code cell 7 (`for epoch in range(100000):`) ran past 10 s at hw1.ipynb, code cell 7 line 4 and "
               "was skipped; its functions are still graded",)),
    # a student release: mse_grad's gradient check takes the student's failing mse as the truth
    "not-judged": _report(_with("mse", {1: (SHIFT, False)}), _with("mse_grad", {1: (WAITS, False)})),
}


def _terminal(report: Report, width: int) -> str:
    out = io.StringIO()
    render(report, Console(file=out, width=width, color_system=None))
    return out.getvalue()


CHANNELS = {
    "80.txt": lambda report: _terminal(report, 80),
    "120.txt": lambda report: _terminal(report, 120),
    "json": lambda report: json.dumps(to_json(report), indent=2) + "\n",
    "gradescope.json": lambda report: json.dumps(results_from_document(to_json(report), 1.0), indent=2) + "\n",
    "nbgrader.txt": lambda report: "\n\n".join(describe(e, e.points, with_reference=True)
                                               for e in report.exercises) + "\n",
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("case", CASES)
def test_golden_output(case: str, channel: str) -> None:
    text = CHANNELS[channel](CASES[case])
    path = GOLDEN / f"{case}.{channel}"
    if os.environ.get("GOLDEN_UPDATE") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with GOLDEN_UPDATE=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_the_goldens_show_what_each_case_is_about() -> None:
    """The files must say what they are kept for, or an update could lose it unnoticed."""
    read = {case: (GOLDEN / f"{case}.80.txt").read_text(encoding="utf-8") for case in CASES}
    assert "Total: 100/100" in read["all-passed"]
    assert "likely cause: this is the sum of squares" in read["one-wrong-value"]
    assert "This follows from your mse" in read["cascade"]
    assert read["load-error"].count("SyntaxError") == 1
    assert "hw1.py line 31 (in adagrad_step)" in read["timeout"]
    assert "code cell 7" in read["skipped-slow-cell"] and "Total: 100/100" in read["skipped-slow-cell"]
    assert "○ gradient check" in read["not-judged"] and "Total: 95/97" in read["not-judged"]
    for case in CASES:
        assert all(len(line) <= 80 for line in read[case].splitlines()), case
        hidden = json.loads((GOLDEN / f"{case}.gradescope.json").read_text(encoding="utf-8"))
        assert "16.833333" not in json.dumps(hidden)  # the reference's value of a hidden check
