"""The stubs are generated from the solutions and stay in sync with them."""

from __future__ import annotations

import pytest

from conftest import REFERENCE, STUBS
from grader.stubs import MarkerError, make_stub, signatures, solution_regions


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


def test_signatures_name_every_parameter_of_each_public_function_in_order():
    source = ("def f(a, /, b, c=1, *args, d, e=2, **kwargs):\n    pass\n"
              "def _helper(x):\n    pass\n"
              "class Model:\n    def method(self, y):\n        pass\n"
              "def g():\n    pass\n")
    assert signatures(source) == {"f": ["a", "b", "c", "d", "e"], "g": []}


def test_a_homework_without_its_signatures_says_to_generate_them():
    from grader.exercise import Exercise, Homework

    with pytest.raises(ValueError, match=r"hwnowhere/signatures.json is missing.*python -m grader.stubs"):
        Homework("hwnowhere", "no such folder", (Exercise("f"),))
    named = Homework("hwnowhere", "given by hand", (Exercise("f", ("x",)),))
    assert named.exercise("f").arg_names == ("x",)


def test_an_exercise_the_reference_lacks_is_named(tmp_path, monkeypatch):
    from grader import course
    from grader.exercise import Exercise, Homework

    (tmp_path / "hwz").mkdir()
    (tmp_path / "hwz" / course.SIGNATURES).write_text('{"f": ["x", "lr"]}\n')
    monkeypatch.setattr(course, "DECLARATIONS", tmp_path)
    homework = Homework("hwz", "one function", (Exercise("f"),))
    assert homework.exercise("f").arg_names == ("x", "lr")
    with pytest.raises(ValueError, match="has no function g: define it in the reference"):
        Homework("hwz", "a function too many", (Exercise("f"), Exercise("g")))
