"""Red team A on files a student hands in and the names shown: each test reproduces one attack.

Hard links to a classmate's file, a file name too long for the grades folder, a link
beside an nbgrader notebook, folders swapped for links while they are copied or looked
at, and names that carry escape codes or Markdown into what the grader writes.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from rich.console import Console
from conftest import HW1, REFERENCE, ROOT, STUBS, run_grade
from test_batch import batch, write_class

from grader import batch as batch_module
from grader import sandbox
from grader.atomic import write_atomically
from grader.batch import find_students, summarize
from grader.batch_report import feedback_markdown, render_summary
from grader.errors import SubmissionError
from grader.runner import _CappedBuffer, clean_text
from grader.submission import load_submission

REFERENCE_SOURCE = REFERENCE.read_text()
HARD_LINK = "has 2 names on disk (a hard link); links are not graded"


# --------------------------------------------------------------- hard links ---

def test_a_hard_link_to_a_classmate_s_file_scores_nothing(tmp_path):
    """mallory/hw1.py is a second name of alice's file (GNU tar unpacks such a member as one)."""
    folder = write_class(tmp_path / "class", {"alice/hw1.py": REFERENCE_SOURCE, "bob.py": STUBS.read_text()})
    (folder / "mallory").mkdir()
    os.link(folder / "alice" / "hw1.py", folder / "mallory" / "hw1.py")
    result = batch(folder, tmp_path / "grades", jobs=1)
    mallory = result.documents["mallory"]
    assert mallory["score"] == 0
    assert f"hw1.py {HARD_LINK}: submit the file itself" in mallory["error"]
    assert "bob" in result.documents  # the others are graded as usual
    console = Console(file=io.StringIO(), width=200)
    render_summary("hw1", summarize(HW1, result.documents), result, [], console)
    assert "cp -al" in console.file.getvalue()  # the instructor is told how such a link gets there


def test_a_hard_link_to_the_reference_is_refused_when_read(tmp_path):
    reference = tmp_path / "reference" / "hw1.py"
    reference.parent.mkdir()
    shutil.copy(REFERENCE, reference)
    (tmp_path / "mallory").mkdir()
    os.link(reference, tmp_path / "mallory" / "hw1.py")
    with pytest.raises(SubmissionError, match=re.escape(HARD_LINK)):
        load_submission(tmp_path / "mallory" / "hw1.py", root=tmp_path)


# --------------------------------------------------------------- long names ---

def test_a_long_file_name_never_stops_the_class(tmp_path):
    """A legal 241-byte entry is graded; one whose report name passes 255 bytes costs its student only."""
    long = "a_mallory_" + "x" * 228  # + ".py": 241 bytes; its report and feedback names fit
    longest = "m" * 251  # + ".py": 254 bytes; <id>.json does not fit in a name
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE, f"{long}.py": STUBS.read_text(),
                                              f"{longest}.py": STUBS.read_text()})
    out = tmp_path / "grades"
    for _ in range(2):  # a re-run too
        result = batch(folder, out, jobs=1)
        assert result.documents["alice"]["score"] == HW1.points
        assert long in result.documents
        assert "too long" in result.faults[longest] and "shorter name" in result.faults[longest]
        assert (out / "gradebook.csv").exists()


def test_the_temporary_name_does_not_grow_with_the_final_name(tmp_path):
    target = tmp_path / ("x" * 250)
    write_atomically(target, "whole")
    assert target.read_text() == "whole"


def test_a_fault_writing_one_student_s_files_costs_that_student_only(tmp_path, monkeypatch):
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE, "mallory.py": STUBS.read_text()})
    real = batch_module.write_atomically

    def write(path: Path, data) -> None:
        if path.stem == "mallory":
            raise PermissionError(13, "Permission denied")
        real(path, data)

    monkeypatch.setattr(batch_module, "write_atomically", write)
    result = batch(folder, tmp_path / "grades", jobs=1)
    assert "Permission denied" in result.faults["mallory"]
    assert result.documents["alice"]["score"] == HW1.points


# ------------------------------------------------------- the own folder race ---

def test_a_subfolder_swapped_for_a_link_while_copying_brings_in_nothing(tmp_path, monkeypatch):
    """Listed as a folder, a link by the time it is read: the classmate's file is not copied."""
    folder = write_class(tmp_path / "class", {"alice/hw1.py": REFERENCE_SOURCE, "mallory/hw1.py": "x = 1\n",
                                              "mallory/sub/readme.txt": "mine\n"})
    mallory = folder / "mallory"
    os.symlink("../alice", mallory / ".swap")
    real = os.scandir
    swapped = []

    def scandir(path):
        with real(path) as listing:
            entries = list(listing)
        if not swapped:  # between listing the student's folder and reading what it holds
            os.rename(mallory / "sub", tmp_path / "sub")
            os.rename(mallory / ".swap", mallory / "sub")
            swapped.append(True)
        return _Listing(entries)

    monkeypatch.setattr(os, "scandir", scandir)
    into = tmp_path / "scratch"
    into.mkdir()
    sandbox.copy_own_files(mallory, into)
    assert swapped
    assert not (into / "sub" / "hw1.py").exists()
    assert (into / "hw1.py").read_text() == "x = 1\n"


class _Listing(list):
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def test_copy_own_files_still_copies_folders_and_skips_links(tmp_path):
    folder = write_class(tmp_path / "own", {"hw1.py": "x = 1\n", "data/a.csv": "1,2\n", "data/deep/b.txt": "b\n",
                                            "data/deep/deeper/c.txt": "c\n"})
    os.symlink(REFERENCE, folder / "ref.py")
    os.symlink(REFERENCE.parent, folder / "data" / "ref")
    into = tmp_path / "scratch"
    into.mkdir()
    top, left_out = sandbox.copy_own_files(folder, into)
    assert sorted(top) == ["data", "hw1.py"] and left_out == 0
    assert (into / "data" / "a.csv").read_text() == "1,2\n"
    assert (into / "data" / "deep" / "b.txt").read_text() == "b\n"
    assert not (into / "data" / "deep" / "deeper" / "c.txt").exists()  # depth 2
    assert not (into / "ref.py").exists() and not (into / "data" / "ref").exists()


# ------------------------------------------------------ finding the students ---

def test_a_file_that_vanishes_while_students_are_found_costs_nobody_else(tmp_path, monkeypatch):
    folder = write_class(tmp_path / "class", {"alice/hw1.py": "", "mallory/hw1.py": "", "mallory/HW1.py": ""})
    real = Path.lstat

    def lstat(path):
        if path.name == "HW1.py":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    monkeypatch.setattr(Path, "lstat", lstat)
    students, _ = find_students(folder, "hw1")
    by_id = {s.id: s for s in students}
    assert by_id["alice"].submission == folder / "alice" / "hw1.py"
    assert by_id["mallory"].submission == folder / "mallory" / "hw1.py"


def test_any_error_looking_at_one_student_costs_that_student_only(tmp_path, monkeypatch):
    folder = write_class(tmp_path / "class", {"alice/hw1.py": "", "mallory/hw1.py": ""})
    real = batch_module.find_in_folder

    def find(path, *args):
        if path.name == "mallory":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args)

    monkeypatch.setattr(batch_module, "find_in_folder", find)
    students, _ = find_students(folder, "hw1")
    by_id = {s.id: s for s in students}
    assert by_id["alice"].submission is not None
    assert by_id["mallory"].submission is None and "Permission denied" in by_id["mallory"].problem


# --------------------------------------------------------- names in the text ---

ESCAPES = "x\x1b]0;PWNED\x07\x1b[2J\x9b41mRED.py"


@pytest.mark.parametrize("source", [
    pytest.param("def sigmoid(z) return z\n", id="syntax-error"),
    pytest.param(STUBS.read_text() + "\nraise ValueError('boom')\n", id="top-level-raise"),
])
def test_escape_codes_in_a_file_name_stay_out_of_load_messages(tmp_path, source):
    (tmp_path / "mallory").mkdir()
    (tmp_path / "mallory" / ESCAPES).write_text(source)
    done = run_grade("hw1", "--submission", str(tmp_path / "mallory"), "--exercise", "sigmoid", "--json")
    text = "\n".join(_strings(json.loads(done.stdout)))
    assert "\\x1b]0;PWNED" in text  # the name is there, written out
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    shown = run_grade("hw1", "--submission", str(tmp_path / "mallory"), "--exercise", "sigmoid")
    assert "PWNED" in shown.stdout and "\x1b" not in shown.stdout + shown.stderr  # no colours in a pipe either


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


@pytest.mark.parametrize("char", ["\x9b", "\x9d", "\x85", "\x80", "\x9f"])
def test_c1_control_codes_are_written_out(char):
    text = f"a{char}2J\tb\nc"
    assert char not in clean_text(text, 100)
    assert "\t" in clean_text(text, 100) and "\n" in clean_text(text, 100)
    buffer = _CappedBuffer(1000)
    buffer.write(text.encode())
    assert char not in buffer.text() and "\t" in buffer.text()


def test_markdown_in_a_student_id_is_not_markup_in_the_feedback(tmp_path):
    student = "x [log in](https:\\\\evil) <img src=x> *b* _i_ `c` # h"
    folder = write_class(tmp_path / "class", {f"{student}.py": STUBS.read_text()})
    result = batch(folder, tmp_path / "grades", jobs=1)
    title = feedback_markdown(student, result.documents[student]).splitlines()[0]
    assert title.startswith("# hw1: feedback for ")
    for raw in ("[log in]", "](", "<img", "*b*", "_i_", "`c`"):
        assert raw not in title
    assert "log in" in title and "evil" in title and "&lt;img" in title


# ------------------------------------------------------------------ nbgrader ---

SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return np.exp(-np.logaddexp(0, -z))\n"


@pytest.mark.parametrize("beside", ["link", "own-file"])
def test_nbgrader_copies_the_student_s_own_files_from_submitted(tmp_path, beside):
    """submitted/mallory/hw1/notes.txt links to the course's source/; nbgrader copies what it
    points to into autograded/ as a regular file. The student's code reads neither that copy
    nor the source: only the files of submitted/ that are the student's own."""
    from test_nbgrader import with_answers
    from traitlets.config import Config

    from grader.nbgrader_plugin import GradeOutsideKernel
    from grader.testcells import exercise_of, is_test_cell

    course = tmp_path / "course"
    submitted, autograded = (course / kind / "mallory" / "hw1" for kind in ("submitted", "autograded"))
    for folder in (submitted, autograded, course / "source" / "hw1"):
        folder.mkdir(parents=True)
    (course / "source" / "hw1" / "sigmoid.py").write_text(SIGMOID)
    if beside == "link":
        os.symlink(course / "source" / "hw1" / "sigmoid.py", submitted / "notes.txt")
    else:
        (submitted / "notes.txt").write_text(SIGMOID)
    (autograded / "notes.txt").write_text(SIGMOID)  # what nbgrader copies, following the link
    source = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    reads = (f"for _path in ['notes.txt', {str(autograded / 'notes.txt')!r}, "
             f"{str(course / 'source' / 'hw1' / 'sigmoid.py')!r}]:\n"
             f"    try:\n        exec(open(_path).read())\n        break\n    except OSError:\n        pass\n")
    nb = with_answers(source, {"sigmoid": reads})
    nbformat.write(nb, submitted / "hw1.ipynb")
    shutil.copy(submitted / "hw1.ipynb", autograded / "hw1.ipynb")
    config = Config()
    config.CourseDirectory.root = str(course)
    resources = {"nbgrader": {"notebook": "hw1", "assignment": "hw1", "student": "mallory"},
                 "metadata": {"path": str(autograded)}}
    nb, _ = GradeOutsideKernel(config=config).preprocess(nb, resources)
    cell = next(c for c in nb.cells if is_test_cell(c) and exercise_of(c.metadata.nbgrader["grade_id"]) == "sigmoid")
    score = float(cell.outputs[-1]["data"]["text/plain"])
    assert score == (0 if beside == "link" else HW1.exercise("sigmoid").points), cell.outputs[0]["text"]


# ------------------------------------------------ work outside the worker ---

def test_a_notebook_with_more_code_than_any_homework_is_refused_before_it_is_scanned(tmp_path, monkeypatch):
    """A code-only notebook under the size cap would cost the grading process seconds in to_python."""
    from grader import submission as submission_module

    scanned = []
    monkeypatch.setattr(submission_module, "to_python", lambda source: scanned.append(source) or source)
    cell = "a = 1\n" * (2**20 // 6)  # 1 MiB of code per cell
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": cell}] * 3}
    (tmp_path / "hw1.ipynb").write_text(json.dumps(notebook))
    with pytest.raises(SubmissionError, match="more than 2 MiB of code"):
        load_submission(tmp_path / "hw1.ipynb")
    assert len(scanned) <= 2


def test_a_py_with_more_code_than_any_homework_is_refused(tmp_path):
    (tmp_path / "hw1.py").write_text("x = 1\n" * (3 * 2**20 // 6))
    with pytest.raises(SubmissionError, match="larger than 2 MiB"):
        load_submission(tmp_path / "hw1.py")


def test_a_file_of_countless_statements_is_not_parsed_again_to_name_a_line(monkeypatch):
    """`1;1;...;raise`: the worker parsed it within the student's limits; the grading process does not."""
    from grader import load_notes
    from grader.runner import LoadEvent
    from grader.submission import Cell, Submission
    from grader.settings import Limits

    parsed = []
    monkeypatch.setattr(load_notes, "parse", lambda source: parsed.append(source))
    source = "1;" * 100_000 + "raise ValueError('x')\n"
    submission = Submission(Path("hw1.py"), (Cell(source, "hw1.py", "hw1.py"),))
    event = LoadEvent("error", (0, 100_000), message="ValueError: x")
    notes, error = load_notes.describe_load(submission, [event], Limits())
    assert error is None and notes == ["a statement of hw1.py raised ValueError: x; the rest of the file still ran"]
    assert parsed == []
