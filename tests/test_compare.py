"""Comparing a result with the reference: which part differs, and how."""

from __future__ import annotations

import numpy as np
import pytest

from grader.compare import compare

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
