"""Every hypothesis strategy of the grader, and the bulk drawing of examples.

Arrays are drawn as a few choices (shape, dtype, seed, kind of values) and built
with numpy's generator: drawing a whole homework's examples takes about 0.2 s,
and hypothesis still shrinks a failure towards the simplest shape, seed 0 and
small integer values, which reads well in feedback.
"""

from __future__ import annotations

import functools
import os
import tempfile
from typing import Callable

import numpy as np

from grader.runner import Call
from grader.worker.wire import Rng


@functools.cache
def hypothesis():
    """The hypothesis package, imported on first use: a declaration builds no strategy, and a
    submission graded on cached examples (grader/examples.py) never imports it."""
    # Hypothesis keeps caches in a .hypothesis folder of the current directory, which
    # here is the student's: keep them in a folder of the grader's own instead.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "nn-grader-hypothesis"))
    import hypothesis as package
    import hypothesis.strategies  # noqa: F401

    _ignore_local_constants()
    return package


def _ignore_local_constants() -> None:
    """Keep hypothesis from mixing literals of whatever local modules are loaded into its draws.

    Hypothesis sometimes draws an integer found in any loaded module outside
    site-packages, so the examples (and a verdict) would depend on what else the
    process imported, e.g. an editable install or the test suite. Grading must
    depend on the submission alone. (This reaches into hypothesis's internals; if
    they change, drawing still works, only this safeguard is lost, and the
    determinism test in tests/test_engine.py says so.)
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "Constants"):
        providers._get_local_constants = providers.Constants


class Strategy:
    """A hypothesis strategy, built when first asked for (`hypothesis_strategy`).

    Declarations hold these, so that importing a homework imports no hypothesis. One
    object per kind of input: the checks that share one share its examples.
    """

    def __init__(self, build: Callable[[], object], label: str) -> None:
        self._build = build
        self.label = label

    @functools.cached_property
    def hypothesis_strategy(self):
        return self._build()

    def __repr__(self) -> str:
        return f"Strategy({self.label})"


def as_hypothesis(strategy: object):
    """The hypothesis strategy of a `Strategy` (built now), or `strategy` itself if it is one already."""
    return strategy.hypothesis_strategy if isinstance(strategy, Strategy) else strategy


def st():
    """hypothesis.strategies, imported on first use."""
    return hypothesis().strategies


def seeds():
    return st().integers(0, 2**32 - 1)


def floats():
    return st().sampled_from([np.dtype(np.float64), np.dtype(np.float32)])


def quiet() -> dict:
    """One configuration for every run: same submission, same examples, same verdict."""
    h = hypothesis()
    return dict(
        derandomize=True,
        database=None,  # never write a .hypothesis folder into the student's directory
        deadline=None,
        verbosity=h.Verbosity.quiet,
        suppress_health_check=list(h.HealthCheck),
        print_blob=False,
    )


# Shapes, simplest first (hypothesis shrinks towards the front of a sampled_from).
# (2, 3) leads so that a shrunk failure still tells N from N*C and rows from columns;
# then a scalar (), vectors, matrices with distinct sides, and 3-d arrays.
SHAPES = ((2, 3), (1,), (), (3, 2), (4,), (1, 4), (5, 2), (2, 5), (3, 1, 2), (2, 3, 4), (6, 4), (4, 3, 5))
NONSCALAR_SHAPES = tuple(shape for shape in SHAPES if shape)

# How array values are drawn: small integers first (readable when shrunk), then
# standard normals times a scale.
INTEGERS = "integers"
KINDS = (INTEGERS, 1.0, 5.0, 30.0)


def fill(rng: np.random.Generator, shape: tuple, dtype: np.dtype, kind: object) -> np.ndarray:
    """An array of `shape` and `dtype` with values of `kind` (see KINDS)."""
    if kind == INTEGERS:
        values = rng.integers(-3, 4, size=shape)
    else:
        values = rng.standard_normal(shape) * kind
    return np.array(values, dtype=dtype)  # an ndarray even for shape (), never a numpy scalar


# Each strategy draws a few plain choices and builds its arrays from them with
# numpy: cheap to draw in bulk, and still shrinkable.

def elementwise(kinds: tuple = KINDS, shapes: tuple = SHAPES, label: str = "elementwise") -> Strategy:
    """One float array of any shape (one of `shapes`), float32 or float64."""
    def build(shape, dtype, seed, kind):
        return Call((fill(np.random.default_rng(seed), shape, dtype, kind),))
    return Strategy(lambda: st().builds(build, st().sampled_from(shapes), floats(), seeds(),
                                        st().sampled_from(kinds)), label)


def prediction_pairs() -> Strategy:
    """y_pred and y_true of one shape and dtype."""
    def build(shape, dtype, seed, kind):
        rng = np.random.default_rng(seed)
        return Call((fill(rng, shape, dtype, kind), fill(rng, shape, dtype, kind)))
    return Strategy(lambda: st().builds(build, st().sampled_from(SHAPES), floats(), seeds(),
                                        st().sampled_from(KINDS[:3])), "prediction_pairs")


# --------------------------------------------------------------- bulk drawing ---

# Examples are drawn this many at a time, as a list in one hypothesis test case: hypothesis
# repeats simple values across test cases (100 test cases give some 30 distinct inputs of
# a strategy), much less within one list, and a test case costs about as much as an example.
DRAW_BATCH = 20
# Draws for what is missing, in rounds of a few test cases each; a strategy that cannot give
# `count` distinct examples keeps what these rounds gave.
DRAW_ROUNDS = 5


def draw_examples(strategies: list[Strategy], count: int, seed: int | None = None) -> list[list]:
    """`count` distinct examples of each strategy, drawn together in one deterministic run.

    One run for all strategies, a batch of examples per hypothesis test case, keeps a
    whole homework near 0.2 s. Repeats are left out, and rounds are drawn (each with
    a seed of its own) until each strategy has `count` distinct examples. `seed` (from
    the course secret) replaces the derandomized run, which anyone with the student
    release can replay.
    """
    h, st_ = hypothesis(), st()
    strategies = [as_hypothesis(s) for s in strategies]
    columns: list[list] = [[] for _ in strategies]
    seen: list[set] = [set() for _ in strategies]

    def collect(batch: list[tuple]) -> None:
        for examples in batch:
            for column, keys, example in zip(columns, seen, examples):
                key = example_key(example)
                if len(column) < count and key not in keys:
                    keys.add(key)
                    column.append(example)

    for round_ in range(DRAW_ROUNDS if strategies else 0):
        missing = max(count - len(column) for column in columns)
        if missing <= 0:
            break
        # A quarter more than is missing, for repeats (and the first test case, hypothesis's simplest).
        batches = -(-missing * 5 // (4 * DRAW_BATCH)) + 1
        run = h.given(st_.lists(st_.tuples(*strategies), min_size=DRAW_BATCH, max_size=DRAW_BATCH))(collect)
        run = h.settings(max_examples=batches, phases=[h.Phase.generate], **quiet())(run)
        if seed is not None or round_ > 0:
            run = h.seed((seed or 0) + round_)(run)
        run()
    return columns


def example_key(value: object) -> object:
    """A hashable key equal for equal inputs (arrays by dtype, shape and bytes)."""
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, Call):
        return ("call", example_key(value.args), example_key(value.kwargs))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(example_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, example_key(v)) for k, v in value.items()))
    if isinstance(value, Rng):
        return ("rng", value.seed, value.shared)
    return (type(value).__name__, repr(value))


def shrink_failure(strategy: Strategy, fails, count: int) -> object | None:
    """Search `strategy` for an example where `fails(example)` is truthy, and shrink it.

    Returns what `fails` returned on the smallest failing example hypothesis
    found, or None when it found none.
    """
    h = hypothesis()
    found: list = []

    @h.settings(max_examples=count, phases=[h.Phase.generate, h.Phase.shrink], **quiet())
    @h.given(as_hypothesis(strategy))
    def search(example) -> None:
        problem = fails(example)
        if problem:
            found.append(problem)
            raise AssertionError("failing example")

    try:
        search()
    except Exception:  # hypothesis re-raises our AssertionError on the smallest example
        pass
    return found[-1] if found else None
