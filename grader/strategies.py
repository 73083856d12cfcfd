"""Every hypothesis strategy of the grader, and the bulk drawing of examples.

Arrays are drawn as (shape, dtype, seed, kind) and built with numpy's generator:
drawing is cheap, and hypothesis still shrinks a failure towards a small shape,
seed 0 and small integer values (kind "integers" comes first), which reads well
in feedback: ``mse(y_pred=[[1., 0.]], y_true=[[0., 0.]])``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from grader.runner import Call
from grader.worker import Rng

FLOATS = st.sampled_from([np.dtype(np.float64), np.dtype(np.float32)])
F64 = st.just(np.dtype(np.float64))
SEEDS = st.integers(0, 2**32 - 1)

# One configuration for every run: same submission, same examples, same verdict.
QUIET = dict(
    derandomize=True,
    database=None,  # never write a .hypothesis folder into the student's directory
    deadline=None,
    verbosity=Verbosity.quiet,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@st.composite
def arrays(draw, shape, dtype=F64, scales=(1.0,), positive=False):
    """A float array: small integers, or normal reals times one of `scales`."""
    shape = draw(shape) if isinstance(shape, st.SearchStrategy) else shape
    dtype = draw(dtype)
    rng = np.random.default_rng(draw(SEEDS))
    if draw(st.booleans()):
        values = rng.standard_normal(shape) * draw(st.sampled_from(scales))
    else:
        values = rng.integers(-3, 4, size=shape).astype(np.float64)
    if positive:
        values = np.abs(values)
    return values.astype(dtype)


def distinct_sizes(count: int, low: int = 1, high: int = 6):
    """`count` distinct sizes; the last one at least 2 (C > 1, so that N*C != N)."""
    return st.lists(st.integers(low, high), min_size=count, max_size=count, unique=True).filter(
        lambda sizes: sizes[-1] > 1
    )


# Matrices with distinct sides first (so a transpose or a wrong divisor shows),
# then any shape from a scalar () up to three dimensions.
ANY_SHAPE = st.one_of(
    distinct_sizes(2).map(tuple),
    st.lists(st.integers(1, 5), min_size=0, max_size=3).map(tuple),
)
NONSCALAR_SHAPE = st.one_of(
    distinct_sizes(2).map(tuple),
    st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
)


# ---------------------------------------------------------------- hw1 inputs ---

@st.composite
def elementwise(draw, scales=(1.0, 5.0, 30.0)):
    """One float array of any shape, float32 or float64."""
    return Call((draw(arrays(ANY_SHAPE, FLOATS, scales)),))


@st.composite
def prediction_pairs(draw):
    """y_pred and y_true of one shape and dtype."""
    shape, dtype = draw(ANY_SHAPE), draw(FLOATS)
    return Call((draw(arrays(shape, st.just(dtype))), draw(arrays(shape, st.just(dtype)))))


@st.composite
def network(draw, with_targets=False):
    """params and X for the two-layer net, N, D, H, C all distinct, C > 1."""
    n, d, h, c = draw(distinct_sizes(4))
    params = {
        "W1": draw(arrays((d, h))),
        "b1": draw(arrays((h,))),
        "W2": draw(arrays((h, c))),
        "b2": draw(arrays((c,))),
    }
    args = (params, draw(arrays((n, d))))
    if with_targets:
        args += (draw(arrays((n, c))),)
    return Call(args)


@st.composite
def adagrad_inputs(draw):
    """param, grad, cache (>= 0), and lr / eps given or left to their defaults."""
    shape, dtype = draw(ANY_SHAPE), draw(FLOATS)
    # Gradients from 1e-4 to 10: small ones show eps under the square root.
    grad = draw(arrays(shape, st.just(dtype), scales=(1.0, 1e-4, 1e-2, 10.0)))
    args = (draw(arrays(shape, st.just(dtype))), grad, draw(arrays(shape, st.just(dtype), positive=True)))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["lr"] = draw(st.sampled_from([0.1, 1.0, 0.5]))
    if draw(st.booleans()):
        kwargs["eps"] = draw(st.sampled_from([1e-6, 1e-3]))
    return Call(args, kwargs)


@st.composite
def dropout_backward_inputs(draw):
    shape, dtype = draw(NONSCALAR_SHAPE), draw(FLOATS)
    mask = np.random.default_rng(draw(SEEDS)).random(shape) < 0.6
    p = draw(st.sampled_from([0.5, 0.0, 0.2, 0.75]))
    return Call((draw(arrays(shape, st.just(dtype))), mask, p))


@st.composite
def dropout_forward_inputs(draw):
    shape, dtype = draw(NONSCALAR_SHAPE), draw(FLOATS)
    p = draw(st.sampled_from([0.5, 0.0, 0.2, 0.75]))
    return Call((draw(arrays(shape, st.just(dtype))), p, Rng(draw(SEEDS))))


# --------------------------------------------------------------- bulk drawing ---

def draw_examples(strategies: list[st.SearchStrategy], count: int) -> list[list]:
    """`count` examples of each strategy, drawn together in one deterministic run.

    One run for all strategies costs one hypothesis test case per example instead
    of one per example per strategy, which keeps a whole homework under a second.
    """
    if not strategies:
        return []
    drawn: list[tuple] = []

    @hsettings(max_examples=count, phases=[Phase.generate], **QUIET)
    @given(st.tuples(*strategies))
    def collect(examples: tuple) -> None:
        drawn.append(examples)

    collect()
    return [list(column) for column in zip(*drawn)]


def shrink_failure(strategy: st.SearchStrategy, fails, count: int) -> object | None:
    """Search `strategy` for an example where `fails(example)` is truthy, and shrink it.

    Returns what `fails` returned on the smallest failing example hypothesis
    found, or None when it found none.
    """
    found: list = []

    @hsettings(max_examples=count, phases=[Phase.generate, Phase.shrink], **QUIET)
    @given(strategy)
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
