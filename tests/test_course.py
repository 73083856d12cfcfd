"""The course layout (grader.course) and the discovery of homeworks (grader.homeworks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grader.course import COURSE, Course, homework_names, mistakes_module, reference_module, stub_path
from grader.exercise import Exercise, Homework
from grader.homeworks import HOMEWORKS, Homeworks


def test_homeworks_are_found_in_course_order(tmp_path: Path) -> None:
    for name in ("hw10", "hw2", "hw1", "_private", "notes"):
        (tmp_path / name).mkdir()
        if name != "notes":  # a folder without __init__.py is no homework
            (tmp_path / name / "__init__.py").write_text("")
    assert homework_names(tmp_path) == ["hw1", "hw2", "hw10"]


def test_one_layout_for_every_file_of_a_homework(tmp_path: Path) -> None:
    course = Course(tmp_path)
    assert course.solution("hw3") == tmp_path / "solutions" / "hw3" / "hw3.py"
    assert course.mistakes("hw3") == tmp_path / "solutions" / "hw3" / "mistakes.py"
    assert course.stub("hw3") == tmp_path / stub_path("hw3") == tmp_path / "assignments" / "hw3" / "hw3.py"
    assert course.released_notebook("hw3") == tmp_path / "assignments" / "hw3" / "hw3.ipynb"
    assert course.source_notebook("hw3") == tmp_path / "source" / "hw3" / "hw3.ipynb"
    assert course.declaration("hw3") == tmp_path / "grader" / "homeworks" / "hw3"
    assert (reference_module("hw3"), mistakes_module("hw3")) == ("solutions.hw3.hw3", "solutions.hw3.mistakes")
    assert not course.is_checkout() and COURSE.is_checkout()


def test_a_homework_s_modules_follow_from_its_name_unless_given() -> None:
    derived = Homework("hw7", "t", ())
    assert (derived.reference, derived.mistakes) == ("solutions.hw7.hw7", "solutions.hw7.mistakes")
    given = Homework("hw7", "t", (), reference="elsewhere.ref")
    assert (given.reference, given.mistakes) == ("elsewhere.ref", None)


def test_every_declared_homework_is_named_after_its_folder() -> None:
    assert list(HOMEWORKS) == homework_names() and all(HOMEWORKS[name].name == name for name in HOMEWORKS)
    with pytest.raises(KeyError):
        HOMEWORKS["hw999"]


def test_a_declaration_is_imported_only_when_asked_for() -> None:
    code = ("import sys; from grader.homeworks import HOMEWORKS; names = list(HOMEWORKS); "
            "assert not any(m.startswith('grader.homeworks.') for m in sys.modules), sorted(sys.modules); "
            "HOMEWORKS[names[0]]; assert 'grader.homeworks.' + names[0] in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_module_without_its_homework_is_refused_with_what_to_write(monkeypatch) -> None:
    homeworks = Homeworks()
    monkeypatch.setattr(homeworks, "_names", [*homeworks._names, "hw1.bounds"])  # a module that defines no HOMEWORK
    with pytest.raises(TypeError, match="must define HOMEWORK"):
        homeworks["hw1.bounds"]


def test_a_helper_is_declared_before_its_users() -> None:
    """A trial homework's finding: a gradient check differentiated the student's helper before
    that helper was graded, so in the release it charged its user for the helper's mistake."""
    helper, user = Exercise("relu", ("z",), ()), Exercise("relu_grad", ("z",), (), uses=("relu",))
    assert [e.name for e in Homework("hw7", "t", (helper, user)).exercises] == ["relu", "relu_grad"]
    with pytest.raises(ValueError, match="must be declared before it"):
        Homework("hw7", "t", (user, helper))


def test_a_gradient_of_another_function_declares_it() -> None:
    from grader.gradient import Gradient
    from grader.signature import Array, Inputs

    check = Gradient(of="relu", wrt="z", given=Inputs("(N)", Array("z", kinks=(0.0,))), points=1)
    with pytest.raises(ValueError, match=r"uses=\('relu'"):
        Exercise("relu_grad", ("z",), (check,))
    assert Exercise("relu_grad", ("z",), (check,), uses=("relu",)).points == 1
