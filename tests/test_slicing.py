"""grader.slicing.parse: the grading process's ast.parse, safe beside other threads."""

from __future__ import annotations

import ast

from grader import slicing


def test_parse_tries_again_after_cpythons_ast_recursion_depth_mismatch(monkeypatch):
    """CPython 3.11 (gh-106905) raises SystemError when another thread builds an AST at the same time
    (hypothesis does, describing a strategy while a failure shrinks): the source is fine, so a second
    parse succeeds. It cost a catalogue entry its whole report once in ~100 graded in parallel."""
    real, calls = ast.parse, []

    def flaky(source, *args, **kwargs):
        calls.append(source)
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=42, after=20)")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", flaky)
    tree = slicing.parse("x = 1\n")
    assert isinstance(tree.body[0], ast.Assign) and len(calls) == 2


def test_parse_lets_other_system_errors_through(monkeypatch):
    def broken(source, *args, **kwargs):
        raise SystemError("something else")

    monkeypatch.setattr(ast, "parse", broken)
    try:
        slicing.parse("x = 1\n")
    except SystemError as error:
        assert "something else" in str(error)
    else:
        raise AssertionError("a SystemError of another kind must not be hidden")
