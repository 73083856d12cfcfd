"""Red team on hw3's grader: a student after points without a right answer, and a right answer
the grader might fail. Each submission is hw3's reference with one function replaced.

Each test reproduces an attack that worked on the code of the day; each passes now that it is closed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.checks import Call
from grader.engine import grade
from grader.exercise import Fail, Report
from grader.homeworks.hw3 import checks as c
from grader.homeworks import HOMEWORKS
from grader.submission import load_submission

REFERENCE = Path(__file__).resolve().parents[1] / "solutions" / "hw3" / "hw3.py"


def graded(tmp_path: Path, only: str, body: str, reference: bool = True) -> Report:
    """hw3's reference with the function `only` replaced by `body`, graded on that function alone."""
    source = re.sub(rf"^def {only}\(.*?(?=^def |\Z)", lambda _: body.strip("\n") + "\n\n\n",
                    REFERENCE.read_text(), count=1, flags=re.S | re.M)
    path = tmp_path / "hw3.py"
    path.write_text(source)
    return grade(HOMEWORKS["hw3"], load_submission(path), only=[only], reference=reference)


def scores(report: Report, exercise: str) -> dict[str, float]:
    """{check description: score} of one exercise."""
    found = next(e for e in report.exercises if e.name == exercise)
    return {c.description: c.score for c in found.checks}


# ----------------------------- 1. escape_direction's purity point for any vector at all ---

# escape_direction has no reference comparison (any sign, any vector of a repeated eigenspace is
# right), so its purity check held the output to the reference's form only: a D-vector of zeros,
# of ones, or the eigenvector of the LARGEST eigenvalue earned "does not modify its inputs".
WRONG_DIRECTIONS = {
    "zeros": "def escape_direction(hessian):\n    return np.zeros(len(hessian))\n",
    "the largest": "def escape_direction(hessian):\n    return np.linalg.eigh(hessian)[1][:, -1]\n",
}


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "release"])
@pytest.mark.parametrize("body", WRONG_DIRECTIONS, ids=list(WRONG_DIRECTIONS))
def test_a_wrong_escape_direction_earns_no_purity_point(tmp_path: Path, body: str, reference: bool) -> None:
    report = graded(tmp_path, "escape_direction", WRONG_DIRECTIONS[body], reference)
    checks = scores(report, "escape_direction")
    assert checks["does not modify its inputs"] == 0, checks
    assert sum(checks.values()) == 0


def test_a_right_escape_direction_of_the_other_sign_keeps_its_purity_point(tmp_path: Path) -> None:
    body = ("def escape_direction(hessian):\n    lam, vectors = np.linalg.eigh(hessian)\n"
            "    return -vectors[:, 0]\n")
    checks = scores(graded(tmp_path, "escape_direction", body), "escape_direction")
    assert checks["does not modify its inputs"] == 1, checks
    assert sum(checks.values()) == 8


# -------------------------------------- 2. a complex number or a bool passed for a float ---

# The rule checks read a "float" result with np.asarray(value, dtype=float64), which drops an
# imaginary part (with a warning) and reads True as 1.0: mae returning a complex earned the point
# of mae(y + s, y) = c. The contract asks for a float (Python or numpy), which neither is.
NOT_FLOATS = {
    "complex": "def mae(y_pred, y_true):\n    return np.complex128(np.mean(np.abs(y_pred - y_true)), 5.0)\n",
    "complex array": "def mae(y_pred, y_true):\n    return np.array(np.mean(np.abs(y_pred - y_true)) + 0j)\n",
}


@pytest.mark.parametrize("body", NOT_FLOATS, ids=list(NOT_FLOATS))
def test_mae_returning_a_complex_number_earns_nothing(tmp_path: Path, body: str) -> None:
    checks = scores(graded(tmp_path, "mae", NOT_FLOATS[body]), "mae")
    assert sum(checks.values()) == 0, checks


class AnswersTrue:
    """The Context a property asks, for a function that returns True whatever it is given."""

    def values(self, calls: list[Call]) -> list:
        return [True] * len(calls)

    def show_call(self, call: Call) -> str:
        return repr(call)

    def hinted(self, call: Call, got: object, fallback: str) -> dict:
        return {"hint": fallback}


def test_the_schedule_returning_true_where_the_rate_is_one_is_no_float(monkeypatch) -> None:
    """True == 1.0, the right rate at two of the known points; a bool is still no float."""
    ones = tuple(p for p in c.SCHEDULE_POINTS if c._schedule(*p[:4], p[4] or 0.0) == 1.0)
    assert ones, "the known points include a rate of exactly 1.0"
    monkeypatch.setattr(c, "SCHEDULE_POINTS", ones)
    with pytest.raises(Fail):
        c.schedule_known_points(AnswersTrue())


# ---------------------------------- 3. modifying the inputs only on an input's first sight ---

# The purity check's examples are drawn from the same strategy as the reference comparison's, which
# runs before it: a function that remembers what it was asked, writes into its inputs the first
# time and computes cleanly when asked again, kept its purity point. Every call whose arguments
# came back (the comparison's too) is now judged.
FIRST_SIGHT = '''
_SEEN = set()
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    key = (param.tobytes(), param.shape, param.dtype.str)
    seen = key in _SEEN
    _SEEN.add(key)
    m = beta * velocity - lr * grad
    if seen:
        return param + m, m
    param += m  # the in-place mistake, on first sight only
    return param.copy(), m
'''


def test_a_function_that_modifies_its_inputs_on_first_sight_only_loses_its_purity_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "momentum_step", FIRST_SIGHT), "momentum_step")
    assert checks["does not modify its inputs"] == 0, checks
    assert sum(checks.values()) == 6  # the values are right: only the purity point is lost


# ------------------------------------------------ 4. a result too large to send back ---

# A 50-million-character name ran the worker out of memory while it encoded the reply; the
# student read "could not send back what was returned (MemoryError: )", an empty reason.
HUGE_NAME = "def classify_critical_point(hessian, tol=1e-8):\n    return 'x' * 50_000_000\n"


def test_a_result_too_large_to_send_back_is_named_so(tmp_path: Path) -> None:
    report = graded(tmp_path, "classify_critical_point", HUGE_NAME)
    exercise = next(e for e in report.exercises if e.name == "classify_critical_point")
    assert exercise.score == 0
    summary = exercise.checks[0].failure.summary
    assert "too large" in summary, summary


# ---------------------------------------------- 5. raising ValueError for everything ---

# The checks that bad arguments raise ValueError called only bad arguments: a submission whose
# every function is `raise ValueError(...)` earned their 6 points without computing anything.
# Each now first asks a valid call, which must not raise.
REJECTING = {  # the function, the check that bad arguments raise, its points
    "linear_loss_and_grads": "raises ValueError for an unknown loss name (names are case-sensitive)",
    "gradient_descent": "raises ValueError for an unknown loss name, even with steps = 0",
    "adam_step": "raises ValueError unless t >= 1",
    "warmup_cosine_lr": "raises ValueError unless 0 <= warmup_steps < total_steps and step >= 0",
    "optimize_linear": "raises ValueError for an unknown optimizer name, even with steps = 0",
}


@pytest.mark.parametrize("function", REJECTING)
def test_a_function_that_always_raises_value_error_earns_nothing(tmp_path: Path, function: str) -> None:
    signature = re.search(rf"^def {function}\(.*?\):", REFERENCE.read_text(), flags=re.M).group(0)
    report = graded(tmp_path, function, f"{signature}\n    raise ValueError('not done yet')\n", reference=False)
    checks = scores(report, function)
    assert checks[REJECTING[function]] == 0, checks


@pytest.mark.parametrize("function", REJECTING)
def test_the_reference_keeps_the_points_of_raising_value_error(tmp_path: Path, function: str) -> None:
    reference = re.search(rf"^def {function}\(.*?(?=^def |\Z)", REFERENCE.read_text(), flags=re.S | re.M).group(0)
    checks = scores(graded(tmp_path, function, reference, reference=False), function)
    assert checks[REJECTING[function]] > 0, checks


# ------------------------------ 6. open: code that reads whether its arguments are watched ---

# The worker's frames hold the request, which says whether the arguments are sent back after
# the call (inputs_after): code that walks up the stack can write into its inputs only when they
# are not watched. Closing it needs the worker to send the arguments back after every call (or
# to keep the request out of reach of the student's frames): an engine change left for later.
SNIFFS = '''
def momentum_step(param, grad, velocity, lr=1e-2, beta=0.9):
    import sys
    frame, watched = sys._getframe(1), True
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict) and "inputs_after" in request:
            watched = bool(request["inputs_after"])
            break
        frame = frame.f_back
    m = beta * velocity - lr * grad
    if watched:
        return param + m, m
    param += m  # the in-place mistake, where no one looks
    return param.copy(), m
'''


@pytest.mark.xfail(strict=True, reason="the worker tells the student's code, through its frames, whether the "
                                       "arguments are sent back: open, needs an engine change")
def test_code_that_modifies_its_inputs_only_when_unwatched_loses_its_purity_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "momentum_step", SNIFFS), "momentum_step")
    assert checks["does not modify its inputs"] == 0, checks
