"""The report as a student reads it (rich, compared exactly) and as machines read it (JSON)."""

from __future__ import annotations

import io

from rich.console import Console

from grader.exercise import FAILED, NOT_IMPLEMENTED, PASSED, SKIPPED, CheckResult, ExerciseResult, Fail, Report
from grader.report import feedback, render, to_json


def _report() -> Report:
    mse = ExerciseResult("mse", 8, [CheckResult("matches the reference", 7, 7, PASSED),
                                    CheckResult("does not modify its inputs", 1, 1, PASSED)])
    failure = Fail("wrong value at result[0, 0]: expected 2, got 1", input="mse_grad(y_pred=[[1.]], y_true=[[0.]])",
                   expected="[[2.]]", got="[[1.]]", hint="missing factor 2", brief="wrong value at result[0, 0]: got 1")
    grad = ExerciseResult("mse_grad", 8, [CheckResult("matches the reference", 5, 0, FAILED, failure, hidden=True),
                                          CheckResult("does not modify its inputs", 3, 3, PASSED)])
    stub = ExerciseResult("sigmoid", 10, [CheckResult("matches", 10, 0, NOT_IMPLEMENTED,
                                                      Fail("not implemented yet", status=NOT_IMPLEMENTED))])
    return Report("hw1", "hw1.py", [stub, mse, grad], limits={"memory_bytes": 1}, layers=["audit hooks"])


def test_rendered_report_exactly():
    out = io.StringIO()
    render(_report(), Console(file=out, width=80, color_system=None))
    assert out.getvalue() == EXPECTED


EXPECTED = """\
hw1: hw1.py
Function   Points   Status            First problem                             
────────────────────────────────────────────────────────────────────────────────
sigmoid      0/10   not implemented   not implemented yet                       
mse           8/8   passed                                                      
mse_grad      3/8   failed            wrong value at result[0, 0]: expected 2, …
mse_grad: 3/8 (failed) ─────────────────────────────────────────────────────────
✗ matches the reference (5 points): wrong value at result[0, 0]: got 1
  input     mse_grad(y_pred=[[1.]], y_true=[[0.]])                    
  expected  [[2.]]  got  [[1.]]                                       
  likely cause: missing factor 2                                      
Total: 11/26
"""


def test_json_document():
    document = to_json(_report())
    assert document["score"] == 11.0 and document["max_score"] == 26.0
    assert [e["status"] for e in document["exercises"]] == [NOT_IMPLEMENTED, PASSED, FAILED]
    assert document["exercises"][0]["feedback"] == "not implemented yet"
    assert document["limits"] == {"memory_bytes": 1, "isolation": ["audit hooks"]}
    assert "missing factor 2" in document["exercises"][2]["feedback"]


def test_hidden_feedback_leaves_expected_values_out():
    text = feedback(_report().exercise("mse_grad"), show_expected=False)
    assert "got 1" in text and "expected" not in text and "[[2.]]" not in text


def test_skipped_checks_do_not_count_and_are_named():
    result = ExerciseResult("mse", 8, [CheckResult("matches the reference", 7, 0, SKIPPED,
                                                   Fail("needs the reference", status=SKIPPED)),
                                       CheckResult("does not modify its inputs", 1, 1, PASSED)])
    assert result.max_score == 1 and result.status == PASSED
    assert feedback(result) == ("the 1 check passed\n"
                                "not checked here (needs the instructor's reference): matches the reference")


def test_a_repeated_exception_is_shown_once():
    crash = Fail("raised IndexError: tuple index out of range", input="mse_grad(...)", status="error",
                 traceback='  File "hw1.py", line 3, in mse_grad\nIndexError: tuple index out of range')
    result = ExerciseResult("mse_grad", 8, [CheckResult("matches the reference", 4, 0, "error", crash),
                                            CheckResult("gradient check", 3, 0, "error", crash)])
    text = feedback(result)
    assert text.count("IndexError: tuple index out of range") == 2  # the summary and the traceback, once
    assert text.endswith("gradient check: the same error as above")
    out = io.StringIO()
    render(Report("hw1", "hw1.py", [result]), Console(file=out, width=80, color_system=None))
    assert out.getvalue().count('File "hw1.py", line 3') == 1


def test_a_load_error_is_shown_once(tmp_path):
    """Issue 9: a syntax error was repeated in all nine rows, then again in a panel."""
    from conftest import grade_source

    report = grade_source(tmp_path, "def sigmoid(z) return z\n")
    out = io.StringIO()
    render(report, Console(file=out, width=80, color_system=None))
    text = out.getvalue()
    assert text.count("SyntaxError") == 1, text
    assert text.count("not graded: see below") == len(report.exercises)


def test_the_load_panel_shows_the_reason_whole():
    """The panel shows the report's reason, not its message minus the words the title says: a
    file the student named like those words keeps its whole name."""
    from grader.exercise import unloadable

    name = "your code could not be loaded: x.ipynb"
    report = unloadable(Report("hw1", name, []), [], f"{name} is not a valid notebook")
    out = io.StringIO()
    render(report, Console(file=out, width=200, color_system=None))
    assert f"{name} is not a valid notebook" in out.getvalue()
    assert to_json(report)["error_reason"] == f"{name} is not a valid notebook"
