"""Comparing a result with the reference: which part differs, and how."""

from __future__ import annotations

import numpy as np
import pytest

from grader.compare import as_float, compare, show

SHAPES = {
    "a whole result": ("result", "expected shape (2, 3), got shape (3, 2)"),
    "one gradient of several": ("result[1]['W1']", "expected shape (2, 3) for result[1]['W1'], got shape (3, 2)"),
}


@pytest.mark.parametrize("case", list(SHAPES), ids=list(SHAPES))
def test_a_wrong_shape_names_the_part(case):
    where, what = SHAPES[case]
    mismatch = compare(np.zeros((2, 3)), np.zeros((3, 2)), np.dtype(np.float64), where)
    assert mismatch.what == what
    assert mismatch.hint == "the shape is transposed: check the order of the factors in your matrix products"


def test_a_missing_array_names_the_part():
    mismatch = compare({"W1": np.zeros((2, 3))}, {"W1": 0.5}, np.dtype(np.float64), "result[1]")
    assert mismatch.what.startswith("expected an array of shape (2, 3) for result[1]['W1'], got ")


def test_booleans_are_no_float_result():
    """A relu_grad that returns z > 0 (a trial homework's finding): True is not 1.0."""
    z = np.array([-1.0, 2.0, 3.0])
    mismatch = compare((z > 0).astype(np.float64), z > 0, np.float64)
    assert mismatch is not None and mismatch.kind == "wrong form" and "booleans" in mismatch.what
    assert compare(z > 0, z > 0, np.float64) is None  # a mask is booleans


@pytest.mark.parametrize("value", [True, np.bool_(False), 1 + 0j, np.complex128(0.5), np.array(0.5 + 0j), "0.5",
                                   np.array([0.5]), None, [0.5]],
                         ids=["True", "np.False_", "complex", "np.complex128", "0-d complex", "str", "shape (1,)",
                              "None", "list"])
def test_what_is_no_float_reads_as_nan(value):
    """A "float" result read by a rule check: a bool, a complex number, a string or a 1-element
    array is no float (converting would read True as 1.0, drop an imaginary part, parse "0.5")."""
    assert np.isnan(as_float(value))


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.float64(0.5), np.array(0.5), np.array(0.5, np.float32)],
                         ids=["float", "np.float32", "np.float64", "0-d float64", "0-d float32"])
def test_a_float_scalar_reads_as_its_value(value):
    assert as_float(value) == 0.5 and type(as_float(value)) is float
    assert as_float(3) == 3.0 and as_float(np.int64(-2)) == -2.0


def test_a_wrong_number_in_a_tuple_says_which():
    mismatch = compare((1.3, np.ones(2)), (1.25, np.ones(2)), np.float64)
    assert mismatch.what.startswith("wrong value at result[0]") and "1.25" in mismatch.brief


def test_a_summary_counts_nan_and_inf_apart_from_the_range():
    values = np.full((5, 9), 0.1)
    values[1, 2], values[0, 0] = np.nan, np.inf
    assert show(values, limit=40) == "<array of shape (5, 9), values from 0.1 to 0.1, 1 nan, 1 inf>"
    mostly_nan = np.full((5, 9), np.nan)
    mostly_nan[0, 0] = 1.0
    assert show(mostly_nan, limit=40) == "<array of shape (5, 9), values from 1 to 1, 44 nan>"


def test_lengths_read_as_english():
    assert compare([np.arange(2)], [], np.float64).what == "expected a list of 1 value, got a list of 0 values"
