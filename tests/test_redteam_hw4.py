"""Red team on hw4's grader: a student after points without a right answer, and a right answer
the grader might fail. Each submission is hw4's reference with one function replaced.

Each test reproduces an attack that worked on the code of the day; each passes now that it is closed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.engine import grade
from grader.exercise import Report
from grader.homeworks import HOMEWORKS
from grader.submission import load_submission

REFERENCE = Path(__file__).resolve().parents[1] / "solutions" / "hw4" / "hw4.py"


def graded(tmp_path: Path, only: str, body: str, reference: bool = True) -> Report:
    """hw4's reference with the function `only` replaced by `body`, graded on that function alone."""
    source = re.sub(rf"^def {only}\(.*?(?=^def |\Z)", lambda _: body.strip("\n") + "\n\n\n",
                    REFERENCE.read_text(), count=1, flags=re.S | re.M)
    path = tmp_path / "hw4.py"
    path.write_text(source)
    return grade(HOMEWORKS["hw4"], load_submission(path), only=[only], reference=reference)


def scores(report: Report, exercise: str) -> dict[str, float]:
    """{check description: score} of one exercise."""
    found = next(e for e in report.exercises if e.name == exercise)
    return {c.description: c.score for c in found.checks}


def check_named(checks: dict[str, float], start: str) -> float:
    """The score of the one check whose description starts with `start`."""
    (score,) = (score for description, score in checks.items() if description.startswith(start))
    return score


# ------------------------------- 1. a dropout mask right in fraction but not independent ---

# The statistics checked the keep fraction, the mean output and whole rows or columns kept or
# dropped together: a mask with a fixed number of kept elements (stochastically rounded, so the
# fraction is unbiased even on 3 elements), one draw per row spread along it, or one draw per
# pair of neighbours kept every point. Each element is dropped independently: the keep counts of
# rows, of columns and of many small masks now vary as a binomial's do.
DROPOUT_HEAD = '''
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * (1 - p), None
'''
NOT_INDEPENDENT = {
    "a fixed count": '''
    kept = int(np.floor((1 - p) * x.size + rng.random()))
    mask = np.zeros(x.size, dtype=bool)
    mask[rng.permutation(x.size)[:kept]] = True
    mask = mask.reshape(x.shape)
    return x * mask, mask
''',
    "one draw per row": '''
    start = rng.random((len(x),) + (1,) * (x.ndim - 1)) if x.ndim > 1 else rng.random()
    mask = np.broadcast_to(np.mod(start + np.arange(x.shape[-1]) * 0.6180339887498949, 1.0) >= p, x.shape).copy()
    return x * mask, mask
''',
    "one draw per pair": '''
    mask = (np.repeat(rng.random((x.size + 1) // 2), 2)[:x.size] >= p).reshape(x.shape)
    return x * mask, mask
''',
    "one draw per column": '''
    start = rng.random(x.shape[-1])
    rows = np.arange(len(x)).reshape((-1,) + (1,) * (x.ndim - 1))
    mask = np.mod(start + rows * 0.6180339887498949, 1.0) >= p
    return x * mask, mask
''',
}
INDEPENDENT_STATISTICS = "keeps each element independently"


@pytest.mark.parametrize("body", NOT_INDEPENDENT, ids=list(NOT_INDEPENDENT))
def test_a_dropout_mask_that_is_not_independent_loses_the_statistics_points(tmp_path: Path, body: str) -> None:
    checks = scores(graded(tmp_path, "dropout_forward_scaled", DROPOUT_HEAD + NOT_INDEPENDENT[body]),
                    "dropout_forward_scaled")
    assert check_named(checks, INDEPENDENT_STATISTICS) == 0, checks


# Every independent draw keeps the points, whatever generator method draws the mask.
INDEPENDENT = {
    "rng.binomial": "    mask = rng.binomial(1, 1 - p, size=x.shape).astype(bool)\n    return np.where(mask, x, 0), mask\n",
    "rng.choice": "    mask = rng.choice([True, False], size=x.shape, p=[1 - p, p])\n    return x * mask, mask\n",
    "rng.uniform, transposed": "    mask = rng.uniform(size=x.shape[::-1]).T < 1 - p\n    return x * mask, mask\n",
}


@pytest.mark.parametrize("body", INDEPENDENT, ids=list(INDEPENDENT))
def test_an_independent_dropout_mask_keeps_every_point(tmp_path: Path, body: str) -> None:
    checks = scores(graded(tmp_path, "dropout_forward_scaled", DROPOUT_HEAD + INDEPENDENT[body]),
                    "dropout_forward_scaled")
    assert sum(checks.values()) == 12, checks


# --------------------------------------------- 2. l2_penalty's weight names learnt by heart ---

# The reference comparisons run on the course secret's examples, but l2_penalty's keys are
# declared, the same for every course: a list of the weight names the grader uses ("W", "W1",
# "W2", "Wout") instead of "starts with a capital W" earned all 10 points. The rule's check now
# draws its names from the secret, in the sealed process (a hidden check).
MEMORISED_WEIGHT_NAMES = '''
def l2_penalty(params, lam):
    weights = [key for key in params if key in ("W", "W1", "W2", "W3", "Wout")]
    penalty = lam / 2 * sum(float(np.sum(params[key] ** 2)) for key in weights)
    return penalty, {key: lam * value if key in weights else np.zeros_like(value) for key, value in params.items()}
'''


def test_l2_weight_names_learnt_by_heart_earn_no_rule_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "l2_penalty", MEMORISED_WEIGHT_NAMES), "l2_penalty")
    assert check_named(checks, "(lam / 2) sum W^2") == 0, checks
    assert sum(checks.values()) == 8  # the declared keys' comparisons: the names a list can hold


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "release"])
def test_the_reference_keeps_every_point_of_l2_penalty(tmp_path: Path, reference: bool) -> None:
    body = re.search(r"^def l2_penalty\(.*?(?=^def |\Z)", REFERENCE.read_text(), flags=re.S | re.M).group(0)
    checks = scores(graded(tmp_path, "l2_penalty", body, reference), "l2_penalty")
    assert check_named(checks, "(lam / 2) sum W^2") == 2, checks
    assert not reference or sum(checks.values()) == 10, checks


# ---------------------------- 3. raising ValueError for all but the one valid call the check asks ---

# The checks that bad arguments raise ValueError asked a single valid call first (p = 0.3;
# patience 2): code that raised for every other argument, the contract's boundaries p = 0 and
# patience = 1 included, earned their 2 and 3 points while rejecting valid ones. The valid calls
# now include the boundaries (p = 0 and p close to 1 in both modes, patience 1, one epoch).
REJECTS_VALID = {
    "dropout_forward_scaled": ('''
def dropout_forward_scaled(x, p, rng, train=True):
    if p != 0.3:
        raise ValueError("p must be 0.3")
    return x, np.ones(x.shape, dtype=bool)
''', "raises ValueError unless 0 <= p < 1"),
    "dropout_forward_scaled, p = 0 rejected": ('''
def dropout_forward_scaled(x, p, rng, train=True):
    if not 0 < p < 1:
        raise ValueError("p must be in (0, 1)")
    if not train:
        return x * (1 - p), None
    mask = rng.random(x.shape) >= p
    return x * mask, mask
''', "raises ValueError unless 0 <= p < 1"),
    "early_stopping": ('''
def early_stopping(val_losses, patience):
    if patience != 2 or isinstance(patience, bool) or len(val_losses) < 3:
        raise ValueError("patience must be 2")
    return 0, len(val_losses) - 1
''', "raises ValueError (not TypeError)"),
}


@pytest.mark.parametrize("case", REJECTS_VALID, ids=list(REJECTS_VALID))
def test_rejecting_valid_arguments_earns_no_value_error_point(tmp_path: Path, case: str) -> None:
    body, check = REJECTS_VALID[case]
    function = case.split(",")[0]
    checks = scores(graded(tmp_path, function, body), function)
    assert check_named(checks, check) == 0, checks


@pytest.mark.parametrize("function", ["dropout_forward_scaled", "early_stopping"])
def test_the_reference_keeps_the_points_of_raising_value_error(tmp_path: Path, function: str) -> None:
    reference = re.search(rf"^def {function}\(.*?(?=^def |\Z)", REFERENCE.read_text(), flags=re.S | re.M).group(0)
    checks = scores(graded(tmp_path, function, reference, reference=False), function)
    assert check_named(checks, "raises ValueError") > 0, checks


# ------------------------------------- 4. a right dropout that reads x's shape as (N, D) ---

# The statistics' many small masks were drawn for x = np.ones(3), a 1-d array the contract never
# gives (x is (N, D)): a right function that unpacks `N, D = x.shape` raised there and lost the 2
# statistics points. The small masks are now drawn for x of shape (1, 3).
def test_a_dropout_that_unpacks_n_and_d_keeps_every_point(tmp_path: Path) -> None:
    body = DROPOUT_HEAD + "    N, D = x.shape\n    mask = rng.random((N, D)) >= p\n    return x * mask, mask\n"
    checks = scores(graded(tmp_path, "dropout_forward_scaled", body), "dropout_forward_scaled")
    assert sum(checks.values()) == 12, checks


# --------------------------------------------- 5. a training mode that never drops anything ---

# "out = x where the mask keeps, 0 elsewhere" held the output to the mask returned: a mask of all
# True with out = x (no dropout at all) earned its 3 points, 9 of 12 with the test mode right.
# Where p > 0 the masks of its calls must now drop some elements and keep others.
NEVER_DROPS = DROPOUT_HEAD + "    rng.random()\n    return x.copy(), np.ones(x.shape, dtype=bool)\n"


def test_a_dropout_that_never_drops_earns_no_mask_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "dropout_forward_scaled", NEVER_DROPS), "dropout_forward_scaled")
    assert check_named(checks, "training: out = x where the mask keeps") == 0, checks


# ------------------------------------- 6. a dropout that drops only on the grader's own shapes ---

# dropout_forward_scaled has no reference comparison: every input it was judged on was public, the
# same for every course, so code that draws a right mask on the grader's shapes alone (and drops
# nothing anywhere else) kept every point. The statistics now run in the sealed process (a hidden
# check) on shapes and seeds drawn from the course secret.
GRADER_SHAPES = "((200, 50), (1, 3), (3,), (20, 30), (5, 4), (4, 3), (5, 2), (3, 7), (2, 3), (4, 5))"
ON_THE_GRADER_S_SHAPES = DROPOUT_HEAD + f'''
    mask = rng.random(x.shape) >= (p if x.shape in {GRADER_SHAPES} else 0.0)
    return x * mask, mask
'''


def test_a_dropout_right_on_the_grader_s_shapes_only_loses_the_statistics_points(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "dropout_forward_scaled", ON_THE_GRADER_S_SHAPES), "dropout_forward_scaled")
    assert check_named(checks, INDEPENDENT_STATISTICS) == 0, checks


# ------------------------------------------ 7. a form point for a constant early_stopping ---

# "two ints, 0 <= best_epoch <= stop_epoch < len" held the answer to its form alone: a function
# that validates its arguments and returns (0, len(val_losses) - 1) whatever the losses earned it,
# as hw3's purity point was paid to any vector. It now needs the right answer first, as the purity
# and dtype checks do.
CONSTANT_STOPPING = """
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("no losses")
    return 0, len(val_losses) - 1
"""


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "release"])
def test_a_constant_early_stopping_earns_no_form_point(tmp_path: Path, reference: bool) -> None:
    checks = scores(graded(tmp_path, "early_stopping", CONSTANT_STOPPING, reference), "early_stopping")
    assert check_named(checks, "two ints") == 0, checks


# ------------------------------- 8. open: what the public checks pay to answers learnt by heart ---

# A check of public rules runs on public inputs even with a course secret (students see them at
# once, and the first process is never sent a secret input): a table of early_stopping's known
# cases keeps their 4 points (the hidden reference comparison's 7 are lost), and dropout code that
# drops only on the public checks' shapes keeps "out = x where the mask keeps" (3 points). Closing
# them means moving these checks into the sealed process, where their inputs are no longer shown.
def memorised_early_stopping() -> str:
    from grader.homeworks.hw4 import checks as c
    table = {(tuple(float(v) for v in losses), patience): c._stopping([float(v) for v in losses], patience)
             for losses, patience in c.EARLY_CASES}
    return f'''
_ANSWERS = {table!r}
def early_stopping(val_losses, patience):
    if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
        raise ValueError("patience must be an int >= 1")
    if len(val_losses) == 0:
        raise ValueError("no losses")
    return _ANSWERS.get((tuple(float(v) for v in val_losses), patience), (0, len(val_losses) - 1))
'''


@pytest.mark.xfail(strict=True, reason="the known answers are a check of public rules, on public inputs: open")
def test_early_stopping_answers_learnt_by_heart_earn_no_known_answer_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "early_stopping", memorised_early_stopping()), "early_stopping")
    assert check_named(checks, "matches the reference") == 0, checks  # the hidden comparison catches it
    assert check_named(checks, "known answers") == 0, checks


@pytest.mark.xfail(strict=True, reason="dropout's mask checks other than the statistics run on public shapes: open")
def test_a_dropout_right_on_the_grader_s_shapes_only_earns_no_mask_point(tmp_path: Path) -> None:
    checks = scores(graded(tmp_path, "dropout_forward_scaled", ON_THE_GRADER_S_SHAPES), "dropout_forward_scaled")
    assert check_named(checks, "training: out = x where the mask keeps") == 0, checks
