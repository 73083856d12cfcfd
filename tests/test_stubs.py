"""The stubs are generated from the solutions and stay in sync with them."""

from __future__ import annotations

import pytest

from conftest import REFERENCE, STUBS
from grader.stubs import MarkerError, make_stub, solution_regions


def test_stub_keeps_docstrings_and_signatures_and_drops_solutions():
    stub = STUBS.read_text()
    for region in solution_regions(REFERENCE.read_text()):
        for line in region.strip().splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in stub, line
    reference = REFERENCE.read_text()
    for line in reference.splitlines():
        if line.startswith("def ") or line.strip().startswith(("Inputs:", "Returns")):
            assert line in stub


def test_stub_region_becomes_not_implemented_at_the_same_indent():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    assert make_stub(source) == "def f(x):\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError\n"


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx\n", "### END SOLUTION\n",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n"],
                         ids=["unclosed", "unopened", "nested"])
def test_bad_markers_are_refused(source):
    with pytest.raises(MarkerError):
        make_stub(source)
