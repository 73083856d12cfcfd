"""The engine's promises: deterministic verdicts, small failing inputs, grading without the reference."""

from __future__ import annotations

import importlib
import json
import sys

import numpy as np
import pytest

from conftest import FULL_MARKS, HW1, STUBS, grade_source, reference_source, run_grade, statuses, with_function
from grader import strategies
from grader.report import to_json

WRONG_MSE_GRAD = "def mse_grad(y_pred, y_true):\n    return (y_pred - y_true) / y_pred.size\n"


def test_same_submission_same_report(tmp_path):
    source = with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD)
    first = run_grade("hw1", "--submission", str(_write(tmp_path, source)), "--json")
    second = run_grade("hw1", "--submission", str(_write(tmp_path, source)), "--json")
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_examples_do_not_depend_on_other_loaded_modules(tmp_path, monkeypatch):
    wanted = [c.inputs for e in HW1.exercises for c in e.checks if hasattr(c, "inputs")][:3]
    before = strategies.draw_examples(wanted, 30)
    module = tmp_path / "lots_of_literals.py"
    module.write_text("VALUES = [" + ", ".join(str(n) for n in range(1000, 3000, 7)) + "]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("lots_of_literals")
    after = strategies.draw_examples(wanted, 30)
    sys.modules.pop("lots_of_literals")
    assert _same_calls(before, after)


def _same_calls(a, b) -> bool:
    flat_a = [arg for column in a for call in column for arg in _leaves(call.args)]
    flat_b = [arg for column in b for call in column for arg in _leaves(call.args)]
    return len(flat_a) == len(flat_b) and all(
        np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y for x, y in zip(flat_a, flat_b))


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_one_exercise_gets_the_verdict_of_the_full_run(tmp_path):
    path = _write(tmp_path, with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD))
    full = json.loads(run_grade("hw1", "--submission", str(path), "--json").stdout)
    alone = json.loads(run_grade("hw1", "--submission", str(path), "--json", "--exercise", "mse_grad").stdout)
    assert alone["exercises"] == [e for e in full["exercises"] if e["name"] == "mse_grad"]


def test_grading_writes_nothing_into_the_current_folder(tmp_path):
    run_grade("hw1", "--submission", str(STUBS), "--json", cwd=tmp_path)
    run_grade("hw1", "--submission", str(_write(tmp_path / "w", with_function(
        reference_source(), "mse_grad", WRONG_MSE_GRAD))), "--json", cwd=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["w"]


def test_failing_input_is_shrunk_to_a_small_readable_one(tmp_path):
    report = grade_source(tmp_path, with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD),
                          only=["mse_grad"])
    failure = report.exercise("mse_grad").first_failure.failure
    assert failure.input.count("[") <= 6  # at most a 2-d array per argument
    lines = failure.input.splitlines()
    assert len(lines) <= 4 and max(map(len, lines)) <= 66, failure.input  # fits an 80-column report
    assert failure.hint.startswith("missing factor 2")


def test_without_the_reference_only_reference_free_checks_count(tmp_path):
    report = grade_source(tmp_path, reference_source(), reference=False)
    skipped = sum(c.points for e in report.exercises for c in e.checks if c.status == "skipped")
    assert 0 < skipped < 100
    assert report.max_score == 100 - skipped and report.score == report.max_score
    assert report.all_passed
    stubs = grade_source(tmp_path / "stubs", STUBS.read_text(), reference=False)
    assert stubs.score == 0 and set(statuses(stubs).values()) == {"not_implemented"}


def test_without_the_reference_mistakes_are_still_caught_by_gradient_checks(tmp_path):
    source = with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD)
    report = grade_source(tmp_path, source, reference=False)
    assert statuses(report)["mse_grad"] == "failed"
    assert "gradient check" in report.exercise("mse_grad").first_failure.description


def test_json_lists_every_exercise_in_order(tmp_path):
    document = to_json(grade_source(tmp_path, reference_source()))
    assert [e["name"] for e in document["exercises"]] == list(FULL_MARKS)
    assert document["limits"]["memory_bytes"] == 2 * 2**30


def _write(folder, source: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hw1.py"
    path.write_text(source)
    return path


def test_what_the_code_prints_is_kept_for_the_report(tmp_path):
    source = "print('loading my work')\n" + with_function(
        reference_source(), "mse", "def mse(y_pred, y_true):\n    print('in mse', end='')\n"
                                   "    return float(np.mean((y_pred - y_true) ** 2))\n")
    report = grade_source(tmp_path, source, only=["mse"], secret=None)  # every check in one process
    assert report.output.startswith("loading my work\nin mse")
    assert report.output_bytes > len("loading my work\n") + 100 * len("in mse")
    # With the course secret, what the checks against the reference print stays in their own
    # process (see engine._context_for): the report keeps what the checks of public rules printed.
    sealed = grade_source(tmp_path, source, only=["mse"])
    assert sealed.output.startswith("loading my work\nin mse")
    assert len("loading my work\n") < sealed.output_bytes < report.output_bytes


def test_feedback_for_hidden_tests_names_no_expected_value(tmp_path):
    from grader.report import feedback

    report = grade_source(tmp_path, with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD), only=["mse_grad"])
    shown, hidden = feedback(report.exercise("mse_grad")), feedback(report.exercise("mse_grad"), show_expected=False)
    first = report.exercise("mse_grad").first_failure.failure
    expected_first_line = first.expected.splitlines()[0]
    assert "expected" in first.summary and expected_first_line in shown
    assert "expected" not in hidden.replace("expected shape", "") and expected_first_line not in hidden
    assert "got" in hidden


IDENTITY_BUGS = {
    "mse sums": ("mse", "def mse(y_pred, y_true):\n    return float(np.sum((y_pred - y_true) ** 2))\n",
                 "sum of the squared differences"),
    "mse divides by rows": ("mse", "def mse(y_pred, y_true):\n"
                            "    return float(np.sum((y_pred - y_true) ** 2) / len(np.atleast_1d(y_pred)))\n", "divides by N"),
    "forward without b2": ("two_layer_forward", "def two_layer_forward(params, X):\n"
                           "    return sigmoid(X @ params['W1'] + params['b1']) @ params['W2']\n", "b2 is missing"),
    "adagrad forgets": ("adagrad_step", "def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
                        "    return param - lr * grad / (np.abs(grad) + eps), grad**2\n", "running sum"),
}


@pytest.mark.parametrize("bug", list(IDENTITY_BUGS), ids=list(IDENTITY_BUGS))
def test_reference_free_checks_catch_mistakes_in_a_release(bug, tmp_path):
    """Without the reference (a student release), mse, the forward pass and Adagrad still get checked."""
    name, definition, hint = IDENTITY_BUGS[bug]
    report = grade_source(tmp_path, with_function(reference_source(), name, definition), reference=False)
    result = next(e for e in report.exercises if e.name == name)
    assert result.status == "failed"
    assert hint in result.first_failure.failure.hint


def test_a_gradient_of_the_wrong_shape_is_named(tmp_path):
    source = reference_source().replace('"W1": X.T @ dz,', '"W1": (X.T @ dz).T,', 1)
    report = grade_source(tmp_path, source, only=["two_layer_loss_and_grads"])
    summaries = [c.failure.summary for c in report.exercise("two_layer_loss_and_grads").checks if c.failure]
    assert any("for result[1]['W1'], got shape" in summary for summary in summaries), summaries


def test_purity_points_of_a_wrong_function_show_no_input(tmp_path):
    """Issue 9: the purity check of a function that does not work dumped a whole input again."""
    source = with_function(reference_source(), "mse", "def mse(y_pred, y_true):\n"
                                                      "    return float(np.sum((y_pred - y_true) ** 2))\n")
    report = grade_source(tmp_path, source, only=["mse"])
    (purity,) = [c for c in report.exercise("mse").checks if c.description == "does not modify its inputs"]
    assert purity.failure.summary.startswith("needs the function to return right values first")
    assert purity.failure.input is None


def test_the_input_shown_does_not_depend_on_the_machine_s_speed(tmp_path, monkeypatch):
    """A red team saw another shrunk input under load: shrinking stopped after 2 s of wall time."""
    import grader.checks as checks

    source = with_function(reference_source(), "mse_grad", WRONG_MSE_GRAD)
    quick = grade_source(tmp_path / "quick", source, only=["mse_grad"]).exercise("mse_grad").first_failure.failure
    clock = [0.0]

    def slow() -> float:  # a machine where every step of shrinking takes 50 ms
        clock[0] += 0.05
        return clock[0]

    monkeypatch.setattr(checks.time, "monotonic", slow)
    busy = grade_source(tmp_path / "busy", source, only=["mse_grad"]).exercise("mse_grad").first_failure.failure
    assert busy.input == quick.input
