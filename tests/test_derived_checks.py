"""Checks derived from declarations, graded end to end on a small synthetic homework.

The homework below is declared with grader/signature.py, grader/derived.py and
grader/gradient.py only; its reference is a module written to a temporary folder
(on sys.path for this module's tests only), and each test grades a submission in
which one function is right or wrong in one way.
"""

from __future__ import annotations

import importlib
import sys
import textwrap

import numpy as np
import pytest

from grader.checks import MatchesReference, Property
from grader.derived import GeneratorState, Judge, KeepsDtype, checks_for
from grader.engine import grade
from grader.exercise import FAILED, NOT_JUDGED, PASSED, Exercise, Fail, Homework
from grader.gradient import Gradient
from grader.runner import Call
from grader.signature import Array, ArrayList, Dict, Generator, Inputs, Mask, Scalar
from grader.submission import load_submission

REFERENCE_MODULE = "synthetic_decl_reference"

REFERENCE = '''
import numpy as np


def double(x):
    return 2 * x


def mse(y_pred, y_true):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / y_pred.size


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


CALLS = []  # the sizes of big_sum's inputs, call by call


def big_sum(x):
    CALLS.append(x.size)
    return float(np.sum(x ** 2))


def big_sum_grad(x):
    return 2 * x


def abs_sum(x):
    return float(np.sum(np.abs(x)))


def abs_sum_grad(x):
    return np.sign(x)


def tanh_layer_forward(x, w, b):
    out = np.tanh(x @ w + b)
    return out, (x, w, b, out)


def tanh_layer_backward(dout, x, w, b):
    out = np.tanh(x @ w + b)
    dz = dout * (1 - out ** 2)
    return dz @ w.T, x.T @ dz, dz.sum(axis=0)


def dropout_forward(x, p, rng):
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


def dropout_backward(dout, mask, p):
    return dout * mask / (1 - p)


def linear_loss_and_grads(w, b, X, y):
    e = X @ w + b - y
    return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(2 * np.mean(e))


def penalty(params, lam=0.5):
    value = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
    return value, {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


def classify(h):
    lam = np.linalg.eigvalsh(h)
    if (lam > 0).all():
        return "local minimum"
    if (lam < 0).all():
        return "local maximum"
    return "saddle point"


def count_positive(x):
    return int(np.sum(x > 0))


def batches(n, size, rng):
    if n < 1 or size < 1:
        raise ValueError("n and size must be >= 1")
    order = rng.permutation(n)
    return [order[i:i + size] for i in range(0, n, size)]


def centre(x):
    mean = float(np.mean(x))
    return x - mean, mean


def step(x):
    return (x > 0).astype(x.dtype), x > 0


def split(x):
    return {"pos": np.maximum(x, 0), "neg": np.minimum(x, 0)}


def lowest_direction(h):
    return np.linalg.eigh(h)[1][:, 0]


def total(arrays):
    return sum(np.sum(a) for a in arrays) * 1.0


def scaled(params, c):
    return {k: c * v for k, v in params.items()}
'''

# ------------------------------------------------------------- declarations ---

ANY = Inputs("(N,D)", Array("x"))
ELEMENTWISE = Inputs("(N,D)", Array("z"))
PAIRS = Inputs("(N,D),(N,D)", Array("y_pred"), Array("y_true"), dtype="float64")
class _NearZero:
    """Normals, a third of them within one finite-difference step of |x|'s kink at 0."""

    def fill(self, rng, shape, kind, sizes, scalars):
        x = rng.standard_normal(shape)
        return np.where(rng.random(shape) < 1 / 3, np.sign(x) * 3e-6, x)


ABS = Inputs("(N,D)", Array("x", _NearZero(), kinks=(0.0,)), dtype="float64")
ABS_KINKS_UNDECLARED = Inputs("(N,D)", Array("x", _NearZero()), dtype="float64")


def mse_of_a_unit_shift(ctx) -> None:
    """A check of mse that needs no reference: mse(y + 1, y) = 1."""
    y = np.arange(6.0).reshape(2, 3)
    call = Call((y + 1, y))
    (got,) = ctx.values([call])
    if abs(float(got) - 1.0) > 1e-12:
        raise Fail(f"mse(y + 1, y) must be 1, got {float(got):g}", input=ctx.show_call(call))
LAYER = Inputs("(N,D),(D,H),(H)", Array("x"), Array("w"), Array("b"), dtype="float64")
DROPOUT = Inputs("(N,D)", Array("x"), Scalar("p", (0.2, 0.5, 0.7)), Generator("rng"), dtype="float64")
LINEAR = Inputs("(D),(N,D),(N)", Array("w"), Scalar("b", (0.5, -1.0)), Array("X"), Array("y"), dtype="float64")
PARAMS = Inputs(None, Dict("params", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)"}),
                Scalar("lam", (0.5, 2.0), default=0.5, optional=True), dtype="float64")
BATCHES = Inputs(None, Scalar("n", (1, 2, 5, 7)), Scalar("size", (1, 2, 3)), Generator("rng"))
BAD_BATCHES = Inputs(None, Scalar("n", (0, -1, 3)), Scalar("size", (0, -2)), Generator("rng"))  # all invalid
ARRAY_LISTS = Inputs(None, ArrayList("arrays", ("(N,D)", "(D)")))
SCALED = Inputs(None, Dict("params", {"W": "(N,D)", "b": "(D)"}), Scalar("c", (2.0, 3.0)))
MASKS = Inputs("(N,D),(N,D)", Array("dout"), Array("mask", Mask(drop="p")), Scalar("p", (0.2, 0.5)))


def is_lowest_unit_eigenvector(args: dict, u: object) -> None:
    h = args["h"]
    if not isinstance(u, np.ndarray) or u.shape != (h.shape[0],):
        raise Fail(f"expected a vector of shape ({h.shape[0]},)", kind="wrong form")
    if abs(np.linalg.norm(u) - 1) > 1e-8:
        raise Fail(f"expected a unit vector, got norm {np.linalg.norm(u):.6g}")
    lam = np.linalg.eigvalsh(h)[0]
    if np.abs(h @ u - lam * u).max() > 1e-8 * max(1.0, np.abs(h).max()):
        raise Fail("H u is not lambda_min u")


def permutation_drawn(args: dict) -> None:
    if args["n"] >= 1 and args["size"] >= 1:
        args["rng"].permutation(args["n"])


class SymmetricInputs(Inputs):
    """Square matrices made symmetric (h + h.T) / 2, as the contract promises."""

    def build(self, *choices, **options) -> Call:
        call = super().build(*choices, **options)
        h = call.args[0]
        return Call(((h + h.T) / 2,), call.kwargs)


SYMMETRIC = SymmetricInputs("(D,D)", Array("h"), sizes={"D": (2, 4)}, dtype="float64")

HOMEWORK = Homework("synthetic", "a synthetic homework", reference=REFERENCE_MODULE, exercises=(
    Exercise("double", ANY.names, checks=checks_for(ANY, matches=3, pure=1, keeps_dtype=1)),
    Exercise("mse", PAIRS.names, checks=checks_for(PAIRS, matches=2) + (
        Property("mse(y + 1, y) = 1", 1, mse_of_a_unit_shift),)),
    Exercise("mse_grad", PAIRS.names, uses=("mse",), checks=(
        Gradient(of="mse", wrt="y_pred", given=PAIRS, points=3),)),
    Exercise("sigmoid", ELEMENTWISE.names, checks=checks_for(ELEMENTWISE, matches=1)),
    Exercise("sigmoid_grad", ELEMENTWISE.names, uses=("sigmoid",), checks=(
        Gradient(of="sigmoid", wrt="z", given=ELEMENTWISE, points=2),)),
    Exercise("abs_sum", ABS.names, checks=checks_for(ABS, matches=1)),
    Exercise("abs_sum_grad", ABS.names, uses=("abs_sum",), checks=(
        Gradient(of="abs_sum", wrt="x", given=ABS, points=2),)),
    Exercise("tanh_layer_forward", LAYER.names, checks=checks_for(LAYER, matches=2, part=0)),
    Exercise("tanh_layer_backward", ("dout", "x", "w", "b"), uses=("tanh_layer_forward",), checks=(
        Gradient(of="tanh_layer_forward", wrt=("x", "w", "b"), given=LAYER, output=0, dout="dout", points=4),)),
    Exercise("dropout_forward", DROPOUT.names, checks=(
        Property("a placeholder for dropout's own checks", 1, lambda ctx: None),)),
    Exercise("dropout_backward", ("dout", "mask", "p"), uses=("dropout_forward",), checks=(
        MatchesReference(MASKS.strategy, 1),
        Gradient(of="dropout_forward", wrt="x", given=DROPOUT, output=0, dout="dout", outputs={"mask": 1},
                 points=3))),
    Exercise("linear_loss_and_grads", LINEAR.names, checks=(
        Gradient(of=None, wrt=("w", "b"), given=LINEAR, value=0, grads=(1, 2), points=3),)),
    Exercise("penalty", PARAMS.names, checks=(
        Gradient(of=None, wrt="params", given=PARAMS, value=0, grads=1, points=2),)),
    Exercise("classify", SYMMETRIC.names, checks=checks_for(SYMMETRIC, matches=2)),
    Exercise("count_positive", ANY.names, checks=checks_for(ANY, matches=2)),
    Exercise("batches", BATCHES.names, checks=(
        MatchesReference(BATCHES.strategy, 2),
        GeneratorState(BATCHES, 1, "draws exactly one permutation", "draw exactly one rng.permutation(n)",
                       draws=permutation_drawn),
        GeneratorState(BAD_BATCHES, 1, "draws nothing before raising ValueError",
                       "raise ValueError before drawing anything, or draw exactly one rng.permutation(n)",
                       draws=permutation_drawn),
        GeneratorState(BAD_BATCHES, 1, "draws as the reference does", "draw what the reference draws"),
        MatchesReference(BAD_BATCHES.strategy, 1, "raises as the reference does for a bad size"))),
    Exercise("centre", ANY.names, checks=checks_for(ANY, matches=2, keeps_dtype=1)),
    Exercise("step", ANY.names, checks=checks_for(ANY, matches=2) + (KeepsDtype(ANY, 1, parts=(0,)),)),
    Exercise("split", ANY.names, checks=checks_for(ANY, matches=2)),
    Exercise("lowest_direction", SYMMETRIC.names, checks=(
        Judge(SYMMETRIC, 2, is_lowest_unit_eigenvector, "a unit eigenvector of the smallest eigenvalue"),)),
    Exercise("total", ARRAY_LISTS.names, checks=checks_for(ARRAY_LISTS, matches=1, pure=1)),
    Exercise("scaled", SCALED.names, checks=checks_for(SCALED, matches=1, pure=1)),
))


@pytest.fixture(scope="module", autouse=True)
def reference_module(tmp_path_factory):
    """The reference, importable for this module's tests only."""
    folder = tmp_path_factory.mktemp("reference")
    (folder / f"{REFERENCE_MODULE}.py").write_text(REFERENCE)
    sys.path.insert(0, str(folder))
    yield
    sys.path.remove(str(folder))
    sys.modules.pop(REFERENCE_MODULE, None)


def replaced(function: str, source: str) -> str:
    """The reference's source with `function` defined anew by `source`."""
    return REFERENCE + "\n\n" + textwrap.dedent(source)


def grade_one(tmp_path, source: str, function: str, reference: bool = True):
    """The result of `function` in a submission of `source`."""
    path = tmp_path / "submission" / "synthetic.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(source)
    report = grade(HOMEWORK, load_submission(path), only=[function], reference=reference)
    assert report.error is None, report.error
    return {e.name: e for e in report.exercises}[function]


def failures(result) -> dict[str, object]:
    """{description: failure} of the failed checks."""
    return {c.description: c.failure for c in result.checks if c.status != PASSED}


# ---------------------------------------------------------------- the tests ---

def test_the_reference_earns_every_point(tmp_path):
    path = tmp_path / "synthetic.py"
    path.write_text(REFERENCE)
    report = grade(HOMEWORK, load_submission(path))
    assert report.error is None
    failed = {e.name: failures(e) for e in report.exercises if e.score != e.points}
    assert failed == {}
    assert report.score == HOMEWORK.points


GRADIENT_BUGS = {
    "an elementwise derivative without its factor": ("sigmoid_grad", "def sigmoid_grad(z):\n    return sigmoid(z)\n"),
    "a wrong factor": ("mse_grad", "def mse_grad(y_pred, y_true):\n    return (y_pred - y_true) / y_pred.size\n"),
    "a wrong sign": ("mse_grad", "def mse_grad(y_pred, y_true):\n    return 2 * (y_true - y_pred) / y_pred.size\n"),
    "a transposed product": ("tanh_layer_backward", """
        def tanh_layer_backward(dout, x, w, b):
            out = np.tanh(x @ w + b)
            dz = dout * (1 - out ** 2)
            return dz @ w.T, (x.T @ dz).T.reshape(w.shape), dz.sum(axis=0)
        """),
    "a VJP that forgets the activation": ("tanh_layer_backward", """
        def tanh_layer_backward(dout, x, w, b):
            return dout @ w.T, x.T @ dout, dout.sum(axis=0)
        """),
    "a dropout backward without the scaling": ("dropout_backward", """
        def dropout_backward(dout, mask, p):
            return dout * mask
        """),
    "own gradients with db off by a factor": ("linear_loss_and_grads", """
        def linear_loss_and_grads(w, b, X, y):
            e = X @ w + b - y
            return float(np.mean(e ** 2)), 2 * X.T @ e / len(y), float(np.mean(e))
        """),
    "own gradients in a dict, the bias penalised too": ("penalty", """
        def penalty(params, lam=0.5):
            value = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
            return value, {k: lam * v for k, v in params.items()}
        """),
}


@pytest.mark.parametrize("bug", list(GRADIENT_BUGS))
def test_a_wrong_gradient_fails_naming_the_worst_entry(bug, tmp_path):
    function, source = GRADIENT_BUGS[bug]
    result = grade_one(tmp_path, replaced(function, source), function)
    (failure,) = [f for d, f in failures(result).items() if d.startswith("gradient check")]
    assert failure.summary.startswith("gradient check failed: worst entry ")
    assert "analytic" in failure.summary and "numerical" in failure.summary
    assert failure.expected.endswith("(central differences)")
    assert failure.input.startswith(f"{function}(")


def test_the_worst_entry_named_is_the_wrong_one(tmp_path):
    source = """
        def penalty(params, lam=0.5):
            value = lam / 2 * sum(float(np.sum(v ** 2)) for k, v in params.items() if k.startswith("W"))
            grads = {k: lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}
            grads["W2"] = grads["W2"].copy()
            grads["W2"][0, 0] += 1.0
            return value, grads
        """
    result = grade_one(tmp_path, replaced("penalty", source), "penalty")
    (failure,) = failures(result).values()
    assert "worst entry W2[0, 0]:" in failure.summary


def test_a_gradient_of_the_wrong_shape_is_named_as_a_form_mistake(tmp_path):
    source = """
        def tanh_layer_backward(dout, x, w, b):
            out = np.tanh(x @ w + b)
            dz = dout * (1 - out ** 2)
            return dz @ w.T, dz.T @ x, dz.sum(axis=0)
        """
    result = grade_one(tmp_path, replaced("tanh_layer_backward", source), "tanh_layer_backward")
    (failure,) = failures(result).values()
    assert failure.kind == "wrong form"
    assert failure.summary.startswith("gradient of the wrong form: expected shape ")
    assert "result[1]" in failure.summary


def test_gradients_are_checked_away_from_the_kink(tmp_path):
    """sign(x) is |x|'s derivative everywhere but at 0: a check that steps across 0 fails it."""
    result = grade_one(tmp_path, REFERENCE, "abs_sum_grad")
    assert result.status == PASSED
    undeclared = Homework("synthetic", "kinks undeclared", reference=REFERENCE_MODULE, exercises=(
        HOMEWORK.exercise("abs_sum"),
        Exercise("abs_sum_grad", ABS.names, uses=("abs_sum",), checks=(
            Gradient(of="abs_sum", wrt="x", given=ABS_KINKS_UNDECLARED, points=2),))))
    path = tmp_path / "undeclared" / "synthetic.py"
    path.parent.mkdir()
    path.write_text(REFERENCE)
    (_, graded) = grade(undeclared, load_submission(path)).exercises
    assert graded.status == "failed"  # the reference itself, checked across the kink
    wrong = grade_one(tmp_path, replaced("abs_sum_grad", "def abs_sum_grad(x):\n    return np.sign(x) * 0.5\n"),
                      "abs_sum_grad")
    assert wrong.score == 0


def test_without_the_reference_the_students_own_forward_is_differentiated(tmp_path):
    # A wrong mse and an mse_grad consistent with it: without the reference, mse_grad is not judged.
    wrong_pair = replaced("mse", "def mse(y_pred, y_true):\n    return float(np.sum((y_pred - y_true) ** 2))\n")
    wrong_pair = replaced("mse_grad", "def mse_grad(y_pred, y_true):\n    return 2 * (y_pred - y_true)\n"
                          ).replace(REFERENCE, wrong_pair)
    result = grade_one(tmp_path, wrong_pair, "mse_grad", reference=False)
    (check,) = result.checks
    assert check.status == NOT_JUDGED
    assert check.failure.summary.startswith("not judged yet: this check differentiates your mse")
    # With the reference, the same mse_grad is simply wrong.
    assert grade_one(tmp_path, wrong_pair, "mse_grad").score == 0


def test_without_the_reference_a_right_forward_judges_the_gradient(tmp_path):
    wrong = replaced("mse_grad", "def mse_grad(y_pred, y_true):\n    return (y_pred - y_true) / y_pred.size\n")
    result = grade_one(tmp_path, wrong, "mse_grad", reference=False)
    (check,) = result.checks
    assert check.status == "failed"
    assert "the mistake may be in mse_grad or in mse" in check.failure.hint
    assert grade_one(tmp_path, REFERENCE, "mse_grad", reference=False).status == PASSED


RESULT_BUGS = {
    "a string": ("classify", """
        def classify(h):
            lam = np.linalg.eigvalsh(h)
            return "local minimum" if (lam > 0).all() else "saddle point"
        """, "wrong value: expected 'local maximum', got "),
    "a string of another type": ("classify", "def classify(h):\n    return 1\n", "expected a string, got "),
    "an int returned as a float": ("count_positive", "def count_positive(x):\n    return float(np.sum(x > 0))\n",
                                   "expected an int, got the number "),
    "an int off by one": ("count_positive", "def count_positive(x):\n    return int(np.sum(x >= 0))\n",
                          "wrong value: expected "),
    "a list of arrays, the remainder dropped": ("batches", """
        def batches(n, size, rng):
            if n < 1 or size < 1:
                raise ValueError("n and size must be >= 1")
            order = rng.permutation(n)
            return [order[i:i + size] for i in range(0, n - size + 1, size)]
        """, "expected a list of "),
    "a list of float arrays": ("batches", """
        def batches(n, size, rng):
            if n < 1 or size < 1:
                raise ValueError("n and size must be >= 1")
            order = rng.permutation(n) * 1.0
            return [order[i:i + size] for i in range(0, n, size)]
        """, "expected an integer array for result[0], got an array of dtype float64"),
    "a tuple with a wrong float": ("centre", "def centre(x):\n    return x - np.mean(x), float(np.median(x))\n",
                                   "wrong value at result[1]: expected "),
    "a tuple with a wrong array": ("centre", "def centre(x):\n    return x - np.median(x), float(np.mean(x))\n",
                                   "wrong value at result[0]"),
    "a dict of arrays with a wrong key": ("split", """
        def split(x):
            return {"positive": np.maximum(x, 0), "neg": np.minimum(x, 0)}
        """, "expected a dict with keys ['neg', 'pos']"),
    "a dict of arrays with a wrong value": ("split", """
        def split(x):
            return {"pos": np.maximum(x, 0), "neg": np.minimum(x, 0) * 2}
        """, "result['neg']"),
}


@pytest.mark.parametrize("bug", list(RESULT_BUGS))
def test_results_of_every_kind_are_compared(bug, tmp_path):
    function, source, message = RESULT_BUGS[bug]
    result = grade_one(tmp_path, replaced(function, source), function)
    failure = failures(result)["matches the reference on generated inputs"]
    assert message in failure.summary


@pytest.mark.parametrize("function", ["classify", "count_positive", "batches", "centre", "split"])
def test_results_of_every_kind_pass_when_right_in_another_form(function, tmp_path):
    """A numpy integer for an int, a tuple for a list, a numpy float in a tuple: all as good."""
    other = {
        "classify": """
            def classify(h):
                lam = np.linalg.eigvalsh(h)
                names = np.array(["local minimum", "local maximum", "saddle point"])
                return names[0 if (lam > 0).all() else 1 if (lam < 0).all() else 2]  # a numpy string
            """,
        "count_positive": "def count_positive(x):\n    return np.count_nonzero(x > 0)\n",
        "batches": """
            def batches(n, size, rng):
                if n < 1 or size < 1:
                    raise ValueError("n and size must be >= 1")
                return tuple(np.array_split(rng.permutation(n), range(size, n, size)))
            """,
        "centre": "def centre(x):\n    return x - x.mean(), x.mean()\n",
        "split": "def split(x):\n    return {'neg': np.where(x < 0, x, 0 * x), 'pos': np.where(x > 0, x, 0 * x)}\n",
    }[function]
    assert grade_one(tmp_path, replaced(function, other), function).status == PASSED


def test_a_judge_needs_no_reference_value(tmp_path):
    either_sign = replaced("lowest_direction", "def lowest_direction(h):\n    return -np.linalg.eigh(h)[1][:, 0]\n")
    assert grade_one(tmp_path, either_sign, "lowest_direction", reference=False).status == PASSED
    largest = replaced("lowest_direction", "def lowest_direction(h):\n    return np.linalg.eigh(h)[1][:, -1]\n")
    result = grade_one(tmp_path, largest, "lowest_direction", reference=False)
    (failure,) = failures(result).values()
    assert failure.summary == "H u is not lambda_min u"
    assert failure.input.startswith("lowest_direction(") and "h=" in failure.input
    unnormalised = replaced("lowest_direction", "def lowest_direction(h):\n    return 2 * np.linalg.eigh(h)[1][:, 0]\n")
    (failure,) = failures(grade_one(tmp_path, unnormalised, "lowest_direction")).values()
    assert failure.summary == "expected a unit vector, got norm 2"


GENERATOR_BUGS = {
    "two draws": ("""
        def batches(n, size, rng):
            if n < 1 or size < 1:
                raise ValueError("n and size must be >= 1")
            rng.random()
            order = rng.permutation(n)
            return [order[i:i + size] for i in range(0, n, size)]
        """, {"draws exactly one permutation": "left the generator rng in another state than expected when it "
                                               "returned"}),
    "a draw before the ValueError": ("""
        def batches(n, size, rng):
            order = rng.permutation(max(n, 1))
            if n < 1 or size < 1:
                raise ValueError("n and size must be >= 1")
            return [order[i:i + size] for i in range(0, n, size)]
        """, {"draws nothing before raising ValueError": "when it raised",
              "draws as the reference does": "when it raised"}),
    "no draw at all": ("""
        def batches(n, size, rng):
            if n < 1 or size < 1:
                raise ValueError("n and size must be >= 1")
            order = np.random.default_rng(0).permutation(n)
            return [order[i:i + size] for i in range(0, n, size)]
        """, {"draws exactly one permutation": "drew nothing from the generator rng"}),
}


@pytest.mark.parametrize("bug", list(GENERATOR_BUGS))
def test_the_generator_state_after_a_call_and_after_a_raise(bug, tmp_path):
    source, expected = GENERATOR_BUGS[bug]
    result = grade_one(tmp_path, replaced("batches", source), "batches")
    found = failures(result)
    for description, text in expected.items():
        assert text in found[description].summary, found[description].summary
    assert not set(found) - set(expected) - {"matches the reference on generated inputs"}


def test_the_dtype_kept_costs_only_its_own_points(tmp_path):
    upcast = replaced("double", "def double(x):\n    return 2 * x.astype(np.float64)\n")
    result = grade_one(tmp_path, upcast, "double")
    found = failures(result)
    assert list(found) == ["keeps the input's dtype (float32 in, float32 out)"]
    (failure,) = found.values()
    assert failure.summary == "for float32 inputs, expected result in float32, got float64"
    assert result.score == result.points - 1
    # a tuple's array part is held to it; its float part may be any float
    upcast_tuple = replaced("centre", "def centre(x):\n"
                                      "    return (x - x.mean()).astype(np.float64), x.mean().astype(np.float64)\n")
    found = failures(grade_one(tmp_path, upcast_tuple, "centre"))
    assert list(found) == ["keeps the input's dtype (float32 in, float32 out)"]
    assert "expected result[0] in float32" in found["keeps the input's dtype (float32 in, float32 out)"].summary


@pytest.mark.parametrize("reference", [True, False], ids=["with the reference", "in a release"])
def test_integers_for_a_float_array_cost_the_dtype_points_only(tmp_path, reference):
    """(x > 0) * 1 has the right values but is an int64 array: the contract asks for floats."""
    def failed(source):
        result = grade_one(tmp_path, source, "step", reference=reference)
        return {c.description: c.failure for c in result.checks if c.status == FAILED}

    integers = replaced("step", "def step(x):\n    return (x > 0) * 1, x > 0\n")
    found = failed(integers)
    assert list(found) == ["keeps the input's dtype (float32 in, float32 out)"]
    assert "got int64" in found["keeps the input's dtype (float32 in, float32 out)"].summary
    # the boolean mask beside it is not held to the float dtype, nor is a right result
    assert failed(REFERENCE) == {}


def test_a_wrong_function_earns_no_dtype_points(tmp_path):
    zeros = replaced("double", "def double(x):\n    return np.zeros_like(x)\n")
    result = grade_one(tmp_path, zeros, "double")
    assert result.score == 0


PURITY_BUGS = {
    "an array of a list written in place": ("total", """
        def total(arrays):
            result = sum(np.sum(a) for a in arrays) * 1.0
            arrays[0][...] = 0
            return result
        """, "arrays"),
    "a list appended to": ("total", """
        def total(arrays):
            result = sum(np.sum(a) for a in arrays) * 1.0
            arrays.append(np.zeros(1))
            return result
        """, "arrays"),
    "a list reordered": ("total", """
        def total(arrays):
            arrays.reverse()
            return sum(np.sum(a) for a in arrays) * 1.0
        """, "arrays"),
    "a dict's array scaled in place": ("scaled", """
        def scaled(params, c):
            params["W"] *= c
            return {"W": params["W"], "b": c * params["b"]}
        """, "params"),
}


@pytest.mark.parametrize("bug", list(PURITY_BUGS))
def test_purity_of_list_and_dict_inputs(bug, tmp_path):
    function, source, name = PURITY_BUGS[bug]
    result = grade_one(tmp_path, replaced(function, source), function)
    failure = failures(result)["does not modify its inputs"]
    assert failure.summary == f"modified its input {name} in place"


BIG = Inputs("(N,D)", Array("x"), sizes={"N": (20, 21), "D": (30, 31)}, dtype="float64")


def test_entries_are_sampled_when_a_parameter_is_large(tmp_path):
    """600 entries or more: each problem costs one unperturbed call and two per sampled entry."""
    homework = Homework("synthetic", "a large parameter", reference=REFERENCE_MODULE, exercises=(
        Exercise("big_sum", BIG.names, checks=(Property("a placeholder", 1, lambda ctx: None),)),
        Exercise("big_sum_grad", BIG.names, uses=("big_sum",), checks=(
            Gradient(of="big_sum", wrt="x", given=BIG, points=1, problems=2, entries=7),))))
    path = tmp_path / "synthetic.py"
    path.write_text(REFERENCE)
    reference = importlib.import_module(REFERENCE_MODULE)
    reference.CALLS.clear()
    report = grade(homework, load_submission(path), only=["big_sum_grad"])
    assert [e.score for e in report.exercises] == [1]
    assert len(reference.CALLS) == 2 * (1 + 2 * 7)
    assert min(reference.CALLS) >= 600
    wrong = tmp_path / "wrong" / "synthetic.py"
    wrong.parent.mkdir()
    wrong.write_text(replaced("big_sum_grad", "def big_sum_grad(x):\n    return x\n"))
    (_, graded) = grade(homework, load_submission(wrong)).exercises
    assert graded.score == 0 and "gradient check failed: worst entry x[" in graded.checks[0].failure.summary


# -------------------------------------------------- a raise is a right answer ---

BAD_SIZE = "raises as the reference does for a bad size"


@pytest.mark.parametrize("raised, passes", [
    ("raise ValueError(f'size must be positive, not {size}')", True),
    ("raise type('SizeError', (ValueError,), {})('a ValueError of its own')", True),
    ("raise TypeError('size')", False),
    ("return []", False),
])
def test_the_reference_s_exception_is_the_expected_answer(tmp_path, raised, passes):
    """A trial homework's finding: a reference that raises for a bad argument cost the reference
    points; the student's function must raise the same (any ValueError for a ValueError)."""
    source = f"""
        def batches(n, size, rng):
            if size < 1:
                {raised}
            order = rng.permutation(n)
            return [order[i:i + size] for i in range(0, n, size)]
    """
    result = grade_one(tmp_path, replaced("batches", source), "batches")
    failed = failures(result)
    assert (BAD_SIZE not in failed) == passes, failed
    if not passes:
        assert failed[BAD_SIZE].summary.startswith("expected ValueError for this input, but it ")


def test_a_mistake_s_model_gets_a_generator_as_the_reference_does():
    """A trial homework's finding: a model of a mistake was handed the grader's placeholder for
    a generator, failed, and its hint was never shown."""
    from grader.checks import Rng, _predicts
    from grader.exercise import Mistake

    def drops_the_last_batch(n, size, rng):
        order = rng.permutation(n)
        return [order[i:i + size] for i in range(0, n - size + 1, size)]

    mistake = Mistake("drops-last", "the last batch may be shorter: keep it", drops_the_last_batch)
    call = Call((5, 2, Rng(3)))
    got = drops_the_last_batch(5, 2, np.random.default_rng(3))
    assert _predicts(mistake, call, got, None)
    assert not _predicts(mistake, call, got[:1], None)


def test_a_value_computed_ahead_raises_what_its_computation_raised():
    """The reference's values are computed while the student's code runs; a computation that
    raised must raise the same exception where its value is asked for (it raised NameError)."""
    from grader.checks import ahead

    postponed = ahead(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        postponed()
    assert ahead(lambda: 42)() == 42


@pytest.mark.parametrize("source, passes", [
    ("def sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n", True),
    ("def sigmoid_grad(z):\n    return sigmoid(z)\n", False),
])
def test_an_elementwise_derivative_is_checked_with_two_calls_a_problem(tmp_path, source, passes):
    """elementwise=True moves every entry at once: the output's differences are every partial."""
    homework = Homework("synthetic", "an elementwise derivative", reference=REFERENCE_MODULE, exercises=(
        Exercise("big_sum", BIG.names, checks=(Property("a placeholder", 1, lambda ctx: None),)),
        Exercise("sigmoid", ELEMENTWISE.names, checks=(Property("a placeholder", 1, lambda ctx: None),)),
        Exercise("sigmoid_grad", ELEMENTWISE.names, uses=("sigmoid",), checks=(
            Gradient(of="sigmoid", wrt="z", given=ELEMENTWISE, points=1, problems=3, elementwise=True),))))
    path = tmp_path / "synthetic.py"
    path.write_text(replaced("sigmoid_grad", source))
    (graded,) = grade(homework, load_submission(path), only=["sigmoid_grad"]).exercises
    assert graded.score == (1 if passes else 0), graded.checks[0].failure
    if not passes:
        assert "gradient check failed: worst entry z[" in graded.checks[0].failure.summary
    with pytest.raises(Exception, match="elementwise=True needs one wrt"):
        Gradient(of=None, wrt="z", given=ELEMENTWISE, points=1, value=0, elementwise=True)


def test_a_judge_that_fails_on_the_reference_too_costs_the_student_nothing(tmp_path):
    """A trial homework's finding: a KeyError in an instructor's judge read as the student's mistake."""
    def broken(args, got):
        return args["no such argument"]

    def uses_ndim(args, got):
        got.ndim  # fails on a value that is no array, and only there

    homework = Homework("synthetic", "judges", reference=REFERENCE_MODULE, exercises=(
        Exercise("double", ANY.names, checks=(Judge(ANY, 1, broken, "a broken judge"),
                                              Judge(ANY, 1, uses_ndim, "a judge of arrays"))),))
    path = tmp_path / "synthetic.py"
    path.write_text(replaced("double", "def double(x):\n    return float(np.sum(2 * x))\n"))
    (result,) = grade(homework, load_submission(path)).exercises
    broken_check, array_check = result.checks
    assert broken_check.status == NOT_JUDGED and "fails on the reference's own result too" in broken_check.failure.summary
    assert array_check.status == "failed" and "could not judge (AttributeError" in array_check.failure.summary
