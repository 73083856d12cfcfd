"""Inputs declared as data (grader/signature.py): the derived calls respect every declared constraint."""

from __future__ import annotations

import numpy as np
import pytest

from grader.signature import (
    KINK_MARGIN,
    Array,
    ArrayList,
    Binary,
    DeclarationError,
    Dict,
    Generator,
    Inputs,
    Labels,
    Mask,
    NonNegative,
    Positive,
    Probability,
    Scalar,
    parse_signature,
)
from grader.strategies import draw_examples
from grader.worker.wire import Rng

NETWORK = Inputs(
    "(N,D),(N)->(N,C)",
    Dict("params", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)", "b2": "(C)"}),
    Array("X"),
    Array("y", Labels("C")),
    Scalar("lr", (0.1, 0.5), default=1e-2, optional=True),
    Generator("rng"),
    constraints=("C > 1", "N >= 2"),
)


@pytest.fixture(scope="module")
def network_calls():
    (calls,) = draw_examples([NETWORK.strategy], 60)
    return calls


def test_the_signature_is_read_into_shapes():
    assert parse_signature("(N,D),(D,H),(H),(H,C),(C)->(N,C)") == (
        [("N", "D"), ("D", "H"), ("H",), ("H", "C"), ("C",)], [("N", "C")])
    assert parse_signature("(),(N,3)->()") == ([(), ("N", "3")], [()])


def test_named_dimensions_are_distinct_and_meet_their_constraints(network_calls):
    for call in network_calls:
        params, x, y = call.args[:3]
        n, d = x.shape
        h, c = params["W2"].shape
        assert len({n, d, h, c}) == 4
        assert c > 1 and n >= 2
        assert params["W1"].shape == (d, h) and params["b1"].shape == (h,) and params["b2"].shape == (c,)
        assert y.shape == (n,)


def test_labels_are_integers_in_range_and_floats_share_one_dtype(network_calls):
    dtypes = set()
    for call in network_calls:
        params, x, y = call.args[:3]
        c = params["W2"].shape[1]
        assert y.dtype.kind == "i" and y.min() >= 0 and y.max() < c
        assert {a.dtype for a in params.values()} == {x.dtype}
        dtypes.add(x.dtype)
    assert dtypes == {np.dtype(np.float32), np.dtype(np.float64)}


def test_a_scalar_with_a_default_is_left_out_given_by_keyword_or_by_position(network_calls):
    ways = set()
    for call in network_calls:
        if len(call.args) >= 4:
            ways.add("position")
            assert call.args[3] in (0.1, 0.5) and type(call.args[3]) is float
        elif "lr" in call.kwargs:
            ways.add("keyword")
        else:
            ways.add("left out")
            assert NETWORK.named(call)["lr"] == 1e-2
        rng = call.args[4] if len(call.args) == 5 else call.kwargs["rng"]
        assert isinstance(rng, Rng)
    assert ways == {"position", "keyword", "left out"}


def test_the_simplest_example_comes_first_for_shrinking():
    (calls,) = draw_examples([NETWORK.strategy], 5)
    params, x = calls[0].args[:2]
    sizes = (*x.shape, *params["W2"].shape)
    assert sum(sizes) == min(sum(choice) for choice in NETWORK.size_choices)


VALUE_KINDS = {
    "positive": (Positive(), lambda a: (a > 0).all()),
    "non-negative": (NonNegative(), lambda a: (a >= 0).all()),
    "probability": (Probability(), lambda a: ((a >= 0) & (a < 1)).all()),
    "binary": (Binary(), lambda a: a.dtype.kind == "i" and set(np.unique(a)) <= {0, 1}),
    "mask": (Mask(drop="p"), lambda a: a.dtype == np.bool_),
}


@pytest.mark.parametrize("kind", list(VALUE_KINDS))
def test_value_kinds_hold(kind):
    values, holds = VALUE_KINDS[kind]
    inputs = Inputs("(N,D)", Array("a", values), Scalar("p", (0.2, 0.5)))
    (calls,) = draw_examples([inputs.strategy], 40)
    assert calls and all(holds(call.args[0]) for call in calls)


def test_a_mask_keeps_about_1_minus_p():
    inputs = Inputs("(N,D)", Array("mask", Mask(drop="p")), Scalar("p", (0.75,)), sizes={"N": (40, 40), "D": (50, 50)})
    call = inputs.sample(np.random.default_rng(0), avoid_kinks=False)
    assert abs(call.args[0].mean() - 0.25) < 0.05


class _OnKinks:
    """Values on and near the kinks 0 and 1, and ties: what gradient checks must stay away from."""

    def fill(self, rng, shape, kind, sizes, scalars):
        return rng.choice([0.0, 1.0, 5e-4, -2e-4, 1.0003, 2.0], size=shape)


def test_gradient_problems_stay_away_from_declared_kinks_and_ties():
    inputs = Inputs("(N,D)", Array("z", _OnKinks(), kinks=(0.0, 1.0), ties=True), sizes={"N": (3, 3), "D": (8, 8)})
    plain = inputs.build((8, 3), np.dtype(np.float64), 3, 1.0)
    assert (plain.args[0] == 0).any() and (plain.args[0] == 1).any()  # there are entries to move
    z = inputs.sample(np.random.default_rng(3)).args[0]
    assert np.abs(z).min() >= KINK_MARGIN and np.abs(z - 1.0).min() >= KINK_MARGIN
    gaps = np.diff(np.sort(z, axis=-1), axis=-1)
    assert gaps.min() >= KINK_MARGIN
    assert z.dtype == np.float64


def test_a_validity_predicate_resamples_problems():
    inputs = Inputs("(N)", Array("z"))
    call = inputs.sample(np.random.default_rng(1), valid=lambda a: a["z"].sum() > 1.0)
    assert call.args[0].sum() > 1.0


def test_lists_of_arrays_and_arrays_as_lists():
    inputs = Inputs(None, ArrayList("layers", ("(D,H)", "(H,2)")), Array("losses", shape="(N)", as_list=True),
                    dtype="float64")
    (calls,) = draw_examples([inputs.strategy], 10)
    for call in calls:
        first, second = call.args[0]
        assert first.shape[1] == second.shape[0] and second.shape[1] == 2
        assert first.dtype == np.float64
        assert isinstance(call.args[1], list) and all(type(v) is float for v in call.args[1])


DECLARATION_ERRORS = {
    "unreadable signature": (lambda: Inputs("(N,D", Array("x")), "write it as '(N,D),(D)->(N)'"),
    "more arrays than shapes": (lambda: Inputs("(N)", Array("x"), Array("y")), "has no shape left for array 'y'"),
    "a constraint on nothing": (lambda: Inputs("(N)", Array("x"), constraints=("C > 1",)), "names C"),
    "an unreadable constraint": (lambda: Inputs("(N)", Array("x"), constraints=("N is big",)), "'C > 1'"),
    "impossible sizes": (lambda: Inputs("(N,D)", Array("x"), sizes={"N": (2, 2), "D": (2, 2)}), "widen a range"),
    "a bad dtype": (lambda: Inputs("(N)", Array("x"), dtype="float16"), "float64"),
}


@pytest.mark.parametrize("case", list(DECLARATION_ERRORS))
def test_declaration_mistakes_say_what_to_write(case):
    declare, message = DECLARATION_ERRORS[case]
    with pytest.raises(DeclarationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        declare()
