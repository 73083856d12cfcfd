"""Feedback that points at the cause (issue 9): one test per problem the issue quotes.

Cascades name the failing helper; the student release does not blame correct code
for a helper's mistake; hints appear only where the evidence fits; near misses are
told apart; five ordinary mistakes read in under 80 lines at 80 columns; and no
student-facing channel shows the reference's expected values by default.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from conftest import REFERENCE, grade_source, reference_source, run_grade, with_function
from grader.batch_report import feedback_markdown
from grader.exercise import KINDS, NOT_JUDGED, PASSED
from grader.gradescope import results_from_document
from grader.report import render, to_json

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "grader" / "report.schema.json").read_text())

MSE_SUM = "def mse(y_pred, y_true):\n    return float(np.sum((y_pred - y_true) ** 2))\n"
MSE_HALF = "def mse(y_pred, y_true):\n    return float(np.mean((y_pred - y_true) ** 2) / 2)\n"
MSE_GRAD_ROWS = "def mse_grad(y_pred, y_true):\n    return 2 * (y_pred - y_true) / y_pred.shape[0]\n"
SIGMOID_GRAD_OF_Z = "def sigmoid_grad(z):\n    return z * (1 - z)\n"
ADAGRAD_EPS_IN_SQRT = ("def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
                       "    cache = cache + grad ** 2\n"
                       "    return param - lr * grad / np.sqrt(cache + eps), cache\n")
ADAGRAD_NO_ACCUMULATION = ("def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
                           "    cache = grad ** 2\n"
                           "    return param - lr * grad / (np.sqrt(cache) + eps), cache\n")
DROPOUT_UNSCALED = ("def dropout_forward(x, p, rng, train=True):\n"
                    "    if not 0 <= p < 1:\n"
                    "        raise ValueError('p must be in [0, 1)')\n"
                    "    if not train:\n"
                    "        return x, None\n"
                    "    mask = rng.random(x.shape) >= p\n"
                    "    return np.where(mask, x, 0.0), mask\n")
DROPOUT_GLOBAL_RNG = DROPOUT_UNSCALED.replace("rng.random(x.shape)", "np.random.random(x.shape)").replace(
    "np.where(mask, x, 0.0)", "np.where(mask, x / (1 - p), 0.0)")


def source_with(**definitions: str) -> str:
    source = reference_source()
    for name, definition in definitions.items():
        source = with_function(source, name, definition)
    return source


def by_name(report) -> dict:
    return {e.name: e for e in report.exercises}


def rendered(report, width: int = 80, brief: bool = False) -> str:
    out = io.StringIO()
    render(report, Console(file=out, width=width, color_system=None), brief=brief)
    return out.getvalue()


# ------------------------------------------------------------ blame the cause ---

def test_a_cascade_names_the_helper_first(tmp_path):
    """mse with a sum cost two_layer_loss_and_grads points with no word of the student's mse."""
    report = grade_source(tmp_path, source_with(mse=MSE_SUM))
    network = by_name(report)["two_layer_loss_and_grads"]
    assert network.status != PASSED
    # decided, not guessed: the reference's code with the student's mse returns what the student's does
    assert network.follows and network.cause.startswith("This follows from your mse") and "Fix mse" in network.cause
    assert all(c.failure is None or c.failure.hint is None for c in network.checks)  # no hint of its own
    assert to_json(report)["exercises"][5]["feedback"].splitlines()[0] == network.cause
    text = rendered(report)
    assert text.index("This follows from your mse") < text.index("loss matches the reference")


def test_a_mistake_of_its_own_keeps_its_hint_beside_a_failing_helper(tmp_path):
    """A review found a helper blamed (and the right hint hidden) for the caller's own bug."""
    own_bug = with_function(reference_source(), "two_layer_loss_and_grads", BIAS_MEANS)
    report = grade_source(tmp_path, with_function(own_bug, "mse", MSE_SUM))
    network = by_name(report)["two_layer_loss_and_grads"]
    assert not network.follows and network.cause.startswith("Your mse, which this also calls")
    assert "net-bias-mean" in {c.failure.mistake for c in network.checks if c.failure}


BIAS_MEANS = '''
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = sigmoid(z)
    y_pred = h @ W2 + b2
    loss = mse(y_pred, Y)
    dy = mse_grad(y_pred, Y)
    dz = (dy @ W2.T) * h * (1 - h)
    return loss, {"W1": X.T @ dz, "b1": dz.mean(axis=0), "W2": h.T @ dy, "b2": dy.mean(axis=0)}
'''


def test_a_cascade_from_mse_grad_names_mse_grad(tmp_path):
    report = grade_source(tmp_path, source_with(mse_grad=MSE_GRAD_ROWS))
    assert by_name(report)["two_layer_loss_and_grads"].cause.startswith("This follows from your mse_grad")


def test_no_cascade_is_claimed_for_a_helper_the_function_does_not_call(tmp_path):
    own_mean = with_function(reference_source(), "two_layer_loss_and_grads", '''
def two_layer_loss_and_grads(params, X, Y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = 1.0 / (1.0 + np.exp(-z))
    y_pred = h @ W2 + b2
    loss = float(np.mean((y_pred - Y) ** 2)) + 1.0
    dy = 2 * (y_pred - Y) / y_pred.size
    dz = (dy @ W2.T) * h * (1 - h)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
''')
    report = grade_source(tmp_path, with_function(own_mean, "mse", MSE_SUM))
    network = by_name(report)["two_layer_loss_and_grads"]
    assert network.status != PASSED and network.cause is None


def test_the_release_does_not_blame_mse_grad_for_mse(tmp_path):
    """mse with a factor 1/2 and a right mse_grad: the release said 'mse_grad 1/4 failed'."""
    report = grade_source(tmp_path, source_with(mse=MSE_HALF), reference=False)
    mse, grad = by_name(report)["mse"], by_name(report)["mse_grad"]
    assert mse.status != PASSED
    assert grad.status == PASSED and grad.score == grad.max_score
    (waiting,) = [c for c in grad.checks if c.status == NOT_JUDGED]
    assert "your mse" in waiting.failure.summary and "not judged yet" in waiting.failure.summary
    assert "not judged yet" in rendered(report)


def test_the_release_does_not_blame_dropout_backward_for_dropout_forward(tmp_path):
    report = grade_source(tmp_path, source_with(dropout_forward=DROPOUT_GLOBAL_RNG), reference=False)
    forward, backward = by_name(report)["dropout_forward"], by_name(report)["dropout_backward"]
    assert forward.status != PASSED
    assert backward.score == backward.max_score
    assert [c.status for c in backward.checks].count(NOT_JUDGED) == 1


def test_the_full_grade_judges_the_gradient_check_against_the_reference(tmp_path):
    """With the reference installed, a right mse_grad earns its gradient check whatever mse does."""
    report = grade_source(tmp_path, source_with(mse=MSE_HALF))
    grad = by_name(report)["mse_grad"]
    assert grad.status == PASSED and grad.score == grad.points


# ----------------------------------------------------- hints fit the evidence ---

def test_the_nan_hint_needs_a_nan(tmp_path):
    """sigmoid_grad's extreme check said 'inf / inf = nan' also for z * (1 - z), which has no nan."""
    report = grade_source(tmp_path, source_with(sigmoid_grad=SIGMOID_GRAD_OF_Z), only=["sigmoid_grad"])
    (extreme,) = [c for c in report.exercise("sigmoid_grad").checks if "extreme" in c.description]
    assert "inf / inf" not in (extreme.failure.hint or "")
    assert extreme.failure.mistake == "sigmoid_grad-of-z"


def test_an_ignored_eps_is_not_called_a_cache_mistake(tmp_path):
    ignores_eps = ADAGRAD_EPS_IN_SQRT.replace("np.sqrt(cache + eps)", "(np.sqrt(cache) + 1e-7)")
    report = grade_source(tmp_path, source_with(adagrad_step=ignores_eps), only=["adagrad_step"])
    hints = [c.failure.hint or "" for c in report.exercise("adagrad_step").checks if c.failure]
    assert hints and not any("running sum" in hint for hint in hints), hints


# ------------------------------------------------------------- near misses ---

def test_eps_inside_the_root_is_a_near_miss_not_a_missing_accumulation(tmp_path):
    """Both scored 0/12 with nothing to tell them apart."""
    near = by_name(grade_source(tmp_path, source_with(adagrad_step=ADAGRAD_EPS_IN_SQRT)))["adagrad_step"]
    far = by_name(grade_source(tmp_path, source_with(adagrad_step=ADAGRAD_NO_ACCUMULATION)))["adagrad_step"]
    assert far.score == 0 and 0 < near.score < near.points
    # The purity check may fail too: where eps dominates (tiny gradients, eps = 1e-3), eps inside
    # the root is no near miss, and purity points go to a working function only.
    step, *others = [c for c in near.checks if c.failure is not None]
    assert step.description.startswith("one step matches the reference")
    assert step.failure.mistake == "adagrad-eps-inside-sqrt"
    assert all(c.description == "does not modify its inputs" for c in others)


def test_a_float32_step_is_called_a_near_miss(tmp_path):
    float32 = ("def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
               "    new_cache = cache + grad ** 2\n"
               "    step = (lr * grad / (np.sqrt(new_cache) + eps)).astype(np.float32)\n"
               "    return param - step, new_cache\n")
    report = grade_source(tmp_path, source_with(adagrad_step=float32), only=["adagrad_step"])
    (step,) = [c for c in report.exercise("adagrad_step").checks if c.failure is not None]
    assert "near miss" in step.failure.hint


# ------------------------------------------------------------ 80 columns ---

FIVE_MISTAKES = dict(mse=MSE_SUM, mse_grad=MSE_GRAD_ROWS, sigmoid_grad=SIGMOID_GRAD_OF_Z,
                     adagrad_step=ADAGRAD_EPS_IN_SQRT, dropout_forward=DROPOUT_UNSCALED)


def test_five_ordinary_mistakes_read_in_under_80_lines_of_80_columns(tmp_path):
    """They printed 231 lines, rows wrapped to 4-7 lines, arrays broke inside panels."""
    report = grade_source(tmp_path, source_with(**FIVE_MISTAKES))
    lines = rendered(report).splitlines()
    assert len(lines) < 80, "\n".join(lines)
    assert max(len(line.rstrip()) for line in lines) <= 80
    header = next(i for i, line in enumerate(lines) if line.startswith("Function"))
    last = next(i for i, line in enumerate(lines) if line.startswith("dropout_backward"))
    assert last - header == 1 + len(report.exercises)  # the header, its rule, one line per function
    for name in FIVE_MISTAKES:
        assert any(line.startswith(f"{name}: ") for line in lines), name  # its details
    assert "likely cause" in "\n".join(lines)


def test_arrays_keep_their_brackets_lined_up(tmp_path):
    report = grade_source(tmp_path, source_with(mse_grad=MSE_GRAD_ROWS), only=["mse_grad"])
    lines = rendered(report).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  input"))
    first, second = lines[start], lines[start + 1]
    assert first.index("[[") + 1 == second.index("[")  # the second row sits under the first


def test_brief_shows_the_table_and_one_problem_per_function(tmp_path):
    report = grade_source(tmp_path, source_with(**FIVE_MISTAKES))
    brief, full = rendered(report, brief=True), rendered(report)
    assert len(brief.splitlines()) < 0.6 * len(full.splitlines())
    assert "  input  " not in brief and brief.count("✗ ") == 6  # five functions and the cascade


def test_a_check_does_not_repeat_its_description(tmp_path):
    report = grade_source(tmp_path, source_with(dropout_forward=DROPOUT_UNSCALED), only=["dropout_forward"])
    for check in report.exercise("dropout_forward").checks:
        if check.failure is not None:
            assert check.description not in check.failure.summary


# ------------------------------------------------------------- visibility ---

def _hidden_values(document: dict) -> list[str]:
    """The expected values of the hidden checks that failed."""
    return [c["expected"] for e in document["exercises"] for c in e["checks"]
            if c["hidden"] and c.get("expected") and len(c["expected"]) > 3]


def test_class_feedback_and_gradescope_show_no_expected_value_by_default(tmp_path):
    """feedback/<student>.md and Gradescope showed the reference's values at 12 digits."""
    document = to_json(grade_source(tmp_path, source_with(mse_grad=MSE_GRAD_ROWS, adagrad_step=ADAGRAD_EPS_IN_SQRT)))
    hidden = _hidden_values(document)
    assert hidden
    summaries = [c["summary"] for e in document["exercises"] for c in e["checks"] if c["hidden"] and "summary" in c]
    expected_in_summaries = [m.group(1) for s in summaries for m in [re.search(r"expected ([-\d.e+]+)", s)] if m]
    assert expected_in_summaries
    markdown = feedback_markdown("alice", document)
    gradescope = json.dumps(results_from_document(document, 1.0))
    for channel in (markdown, gradescope):
        for value in hidden + expected_in_summaries:
            assert value not in channel
        assert "got" in channel
    shown = feedback_markdown("alice", document, show_expected=True)
    assert all(value in shown for value in expected_in_summaries)


def test_gradescope_publishes_checks_against_the_reference_after_grades_are_published(tmp_path):
    document = to_json(grade_source(tmp_path, REFERENCE.read_text()))
    tests = results_from_document(document, 1.0)["tests"]
    hidden = [t for t in tests if t["name"].endswith(": against the reference")]
    assert hidden and all(t["visibility"] == "after_published" for t in hidden)
    assert all(t["visibility"] == "visible" for t in tests if t not in hidden)
    assert sum(t["score"] for t in tests) == document["score"] == 100


def test_show_expected_goes_only_where_students_read(tmp_path):
    result = run_grade("hw1", "--submission", str(REFERENCE), "--show-expected")
    assert result.returncode == 2 and "--show-expected goes with" in result.stderr
    result = run_grade("hw1", "--submission", str(REFERENCE), "--json", "--brief")
    assert result.returncode == 2 and "--brief" in result.stderr


# --------------------------------------------------------------- the schema ---

@pytest.mark.parametrize("case", ["reference", "five mistakes", "release", "unloadable"])
def test_every_document_follows_the_schema(tmp_path, case):
    sources = {"reference": REFERENCE.read_text(), "five mistakes": source_with(**FIVE_MISTAKES),
               "release": source_with(mse=MSE_HALF), "unloadable": "def mse(:\n"}
    report = grade_source(tmp_path, sources[case], reference=case != "release")
    document = to_json(report)
    jsonschema.validate(document, SCHEMA)
    assert document["schema_version"] == SCHEMA["properties"]["schema_version"]["const"]


def test_the_schema_lists_every_kind_of_problem():
    assert set(SCHEMA["$defs"]["check"]["properties"]["kind"]["enum"]) == set(KINDS)


def test_the_cli_prints_a_valid_document_for_a_missing_file():
    result = run_grade("hw1", "--submission", "/no/such/file.py", "--json")
    jsonschema.validate(json.loads(result.stdout), SCHEMA)


def test_judging_a_cascade_hands_the_reference_s_values_to_nothing_shown(tmp_path):
    """A red team's helper stashed what the reference's code passed it while a cascade was
    decided, and a later function raised it into the feedback."""
    spy = source_with(sigmoid_grad=SIGMOID_GRAD_OF_Z, mse='''
STASH, OWN = [], [False]


def mse(y_pred, y_true):
    if not OWN[0] and np.shape(y_pred) == (3, 6):  # called by someone else's two_layer_loss_and_grads
        STASH.append(float(np.ravel(y_pred)[0]))
        print("LEAK", STASH)
    return float(np.mean((y_pred - y_true) ** 2))
''', adagrad_step='''
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    if STASH:
        raise ValueError(f"LEAK {STASH}")
    new_cache = cache + grad ** 2
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache
''')
    spy = spy.replace("    loss = mse(y_pred, Y)\n", "    OWN[0] = True\n    loss = mse(y_pred, Y)\n    OWN[0] = False\n")
    report = grade_source(tmp_path, spy)
    assert by_name(report)["two_layer_loss_and_grads"].cause  # the cascade was decided
    assert by_name(report)["adagrad_step"].status == PASSED
    assert "LEAK" not in json.dumps(to_json(report)) and "LEAK" not in report.output


# ----------------------------------------- deciding a cascade: review findings ---

SIGMOID_OFF = "def sigmoid(z):\n    return np.exp(-np.logaddexp(0.0, -z)) * 1.01\n"


def test_a_function_that_raises_is_not_said_to_follow_from_its_helper(tmp_path):
    """sigmoid_grad raised on 0-d input, yet was said to 'return what it should' given sigmoid."""
    loops = "def sigmoid_grad(z):\n    s = sigmoid(z)\n    return np.array([v * (1.0 - v) for v in s])\n"
    report = grade_source(tmp_path, source_with(sigmoid=SIGMOID_OFF, sigmoid_grad=loops))
    grad = by_name(report)["sigmoid_grad"]
    assert grad.cause and not grad.follows and "then look again" in grad.cause


def test_a_helper_the_reference_does_not_call_leaves_the_cascade_undecided(tmp_path):
    """two_layer_loss_and_grads calling a wrong two_layer_forward was said to have a mistake of its own."""
    source = source_with(two_layer_forward="def two_layer_forward(params, X):\n"
                                           "    return sigmoid(X @ params['W1'] + params['b1']) @ params['W2']\n")
    source = source.replace("    y_pred = h @ W2 + b2\n", "    y_pred = two_layer_forward(params, X)\n")
    network = by_name(grade_source(tmp_path, source))["two_layer_loss_and_grads"]
    assert network.cause == "Your two_layer_forward, which this calls, fails its own checks: fix it first, " \
                            "then look again."


def test_a_helper_returning_another_shape_leaves_the_cascade_undecided(tmp_path):
    """A helper whose output the reference's code would broadcast into a huge array in the grader."""
    huge = source_with(sigmoid=SIGMOID_OFF, mse_grad="def mse_grad(y_pred, y_true):\n"
                                                      "    if np.shape(y_pred) == (3, 6):\n"
                                                      "        return np.ones((2000, 1, 6))\n"
                                                      "    return 2 * (y_pred - y_true) / y_pred.size\n")
    network = by_name(grade_source(tmp_path, huge))["two_layer_loss_and_grads"]
    assert network.cause and not network.follows and "then look again" in network.cause


def test_an_undecidable_cascade_does_not_stop_grading(tmp_path, monkeypatch):
    """A review: once the time budget was spent, restarting to decide a cascade raised out of the grader."""
    from grader.runner import StudentProcess, WorkerFailure

    def spent(self):
        raise WorkerFailure("timeout", "the submission used up its whole time budget")

    source = source_with(mse=MSE_SUM)
    monkeypatch.setattr(StudentProcess, "ensure_running", spent)
    network = by_name(grade_source(tmp_path, source))["two_layer_loss_and_grads"]
    assert network.cause and not network.follows


def test_gradescope_shows_the_decided_cause_only_after_publication(tmp_path):
    document = to_json(grade_source(tmp_path, source_with(sigmoid=SIGMOID_OFF)))
    tests = {t["name"]: t for t in results_from_document(document, 1.0)["tests"]}
    assert "This follows from your sigmoid" in tests["two_layer_forward: against the reference"]["output"]
    visible = tests["two_layer_forward"]["output"]
    assert "follows" not in visible and "Your sigmoid, which this calls, fails its own checks" in visible
