"""Finding and loading submissions: the one rule for a folder, .py files, notebooks (magics, failing cells)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import FULL_MARKS, REFERENCE, grade_source, reference_source, scores
from grader.cli import main
from grader.errors import SubmissionError
from grader.submission import (
    PASS_SUBMISSION,
    SUBMIT_ONE,
    Found,
    find_in_folder,
    find_submission,
    load_submission,
    notebook_cells,
    resolve,
)


def _notebook(*cells: str | tuple[str, str]) -> str:
    out = []
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        out.append({"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True),
                    **({"outputs": [], "execution_count": None} if kind == "code" else {})})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_notebook_code_cells_in_order():
    raw = _notebook(("markdown", "# Title"), "a = 1", "b = a + 1")
    cells = notebook_cells(raw.encode(), "hw1.ipynb")
    assert [c.source for c in cells] == ["a = 1", "b = a + 1"]
    assert [c.label for c in cells] == ["code cell 1", "code cell 2"]


def test_invalid_notebook_says_what_to_do(tmp_path):
    path = tmp_path / "hw1.ipynb"
    path.write_text("{not json")
    with pytest.raises(SubmissionError, match="not a valid notebook"):
        load_submission(path)


def test_notebook_is_graded_and_a_failing_cell_does_not_stop_later_ones(tmp_path):
    source = reference_source()
    head, _, tail = source.partition("def mse(")
    raw = _notebook("%matplotlib inline\n!echo hi", head, "raise RuntimeError('oops')", "def mse(" + tail)
    report = grade_source(tmp_path, raw, name="hw1.ipynb")
    assert report.score == 100
    assert any("code cell 3" in note and "RuntimeError" in note for note in report.notes)


def test_syntax_error_gives_zero_with_line_number(tmp_path):
    source = reference_source() + "\n\ndef broken(:\n    pass\n"
    report = grade_source(tmp_path, source)
    assert report.score == 0 and report.error
    assert "SyntaxError" in report.error and f"line {len(source.splitlines()) - 1}" in report.error
    assert set(scores(report)) == set(FULL_MARKS)


def test_missing_import_is_named_and_the_rest_still_runs(tmp_path):
    report = grade_source(tmp_path, "import numpyy as np\n" + reference_source())
    assert report.score == 100 and not report.error
    assert any("line 1 (`import numpyy as np`)" in note and "ModuleNotFoundError" in note for note in report.notes)


def test_functions_that_need_a_missing_module_fail_with_the_reason(tmp_path):
    source = reference_source().replace("import numpy as np", "import numpyy as np", 1)
    report = grade_source(tmp_path, source, only=["sigmoid"])
    assert report.score == 0
    assert "NameError" in report.exercise("sigmoid").first_failure.failure.summary
    assert any("ModuleNotFoundError" in note for note in report.notes)


# ----------------------------------------------------------------- finding ---

T = 1_700_000_000  # the modification time of every file a case writes, unless it gives another


def write_files(folder: Path, files: list[str | tuple[str, int]]) -> Path:
    """Create each file (a name, or (name, seconds newer than T)); a name ending in "/" is a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in files:
        name, newer = spec if isinstance(spec, tuple) else (spec, 0)
        path = folder / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        os.utime(path, (T + newer, T + newer))
    return folder


ONLY = "there is no hw1.py or hw1.ipynb, and it is the only notebook or .py file"


def assert_note(found: Found, note: str | None) -> None:
    """No note, or exactly one that holds `note`."""
    if note is None:
        assert found.notes == ()
    else:
        assert len(found.notes) == 1 and note in found.notes[0], found.notes


@pytest.mark.parametrize("files, graded, note", [
    pytest.param(["hw1.py", "notes.txt"], "hw1.py", None, id="hw1.py"),
    pytest.param(["HW1.py"], "HW1.py", None, id="upper-case-name"),
    pytest.param(["Hw1.IPYNB"], "Hw1.IPYNB", None, id="mixed-case-notebook"),
    pytest.param(["myfolder/hw1.py", "myfolder/README.md"], "myfolder/hw1.py", None, id="one-folder-down"),
    pytest.param(["__MACOSX/myfolder/hw1.py", ".ipynb_checkpoints/hw1-checkpoint.ipynb", "__pycache__/x.py",
                  ".hidden.py", "myfolder/hw1.ipynb"], "myfolder/hw1.ipynb", None, id="archive-leftovers-ignored"),
    pytest.param(["hw1.py", "utils.py", "data/plot.ipynb"], "hw1.py", None, id="the-name-beats-other-files"),
    pytest.param(["homework1.ipynb", "notes.txt"], "homework1.ipynb", f"graded homework1.ipynb: {ONLY}",
                 id="only-notebook-named-otherwise"),
    pytest.param(["hw1 (1).ipynb"], "hw1 (1).ipynb", f"graded hw1 (1).ipynb: {ONLY}", id="browser-renamed-download"),
    pytest.param(["work/solution.py"], "work/solution.py", f"graded work/solution.py: {ONLY}",
                 id="only-py-one-folder-down"),
    pytest.param([("hw1.py", 0), ("hw1.ipynb", 60)], "hw1.ipynb",
                 "several files could be your hw1: graded hw1.ipynb (the most recently modified), not hw1.py; "
                 "to choose, pass --submission PATH", id="both-notebook-newer"),
    pytest.param([("hw1.py", 60), ("hw1.ipynb", 0)], "hw1.py", "graded hw1.py (the most recently modified), "
                 "not hw1.ipynb", id="both-py-newer"),
    pytest.param(["hw1.ipynb", "hw1.py"], "hw1.py", "graded hw1.py (the .py, as they were modified at the same "
                 "time), not hw1.ipynb", id="both-same-time-py-wins"),
    pytest.param([("hw1.ipynb", 0), ("zipped/hw1.py", 60)], "hw1.ipynb",
                 "graded hw1.ipynb (the one directly in case/), not zipped/hw1.py", id="direct-beats-one-down"),
    pytest.param([("a/hw1.py", 0), ("b/hw1.py", 60)], "b/hw1.py", "graded b/hw1.py (the most recently modified), "
                 "not a/hw1.py", id="two-subfolders-newer-wins"),
    pytest.param(["b/hw1.py", "a/hw1.py"], "a/hw1.py", "graded a/hw1.py (the first by name, as they were "
                 "modified at the same time), not b/hw1.py", id="two-subfolders-same-time"),
])
def test_find_in_folder(tmp_path, files, graded, note):
    folder = write_files(tmp_path / "case", files)
    found = find_in_folder(folder, "hw1", PASS_SUBMISSION)
    assert found.path == folder / graded
    assert_note(found, note)


@pytest.mark.parametrize("files, message", [
    pytest.param(["a.py", "b.ipynb", "notes.txt"], "found no hw1.py or hw1.ipynb in case/ but several other .py or "
                 ".ipynb files (a.py, b.ipynb); name the one to grade hw1.py or hw1.ipynb, or submit only one",
                 id="ambiguous-unnamed"),
    pytest.param([f"part{i:02}.py" for i in range(12)], "(part00.py, part01.py, part02.py, part03.py, part04.py, "
                 "part05.py, part06.py, part07.py, part08.py, part09.py and 2 more)", id="ambiguous-lists-10"),
    pytest.param(["notes.txt", "data/"], "found no hw1.py or hw1.ipynb and no other .py or .ipynb file in case/ "
                 "(it holds data/, notes.txt); name your file hw1.py or hw1.ipynb", id="nothing-says-what-it-holds"),
    pytest.param([], "(it is empty)", id="empty"),
    pytest.param(["a/b/hw1.py"], "(it holds a/, a/b/)", id="two-folders-down-is-too-deep"),
    pytest.param([f"f{i:02}.txt" for i in range(11)], "f09.txt and 1 more)", id="nothing-lists-10"),
])
def test_find_in_folder_refuses(tmp_path, files, message):
    folder = write_files(tmp_path / "case", files)
    with pytest.raises(SubmissionError) as error:
        find_in_folder(folder, "hw1", SUBMIT_ONE)
    assert message in str(error.value)


def test_symbolic_links_are_not_candidates(tmp_path):
    elsewhere = write_files(tmp_path / "elsewhere", ["hw1.py", "inner/hw1.ipynb"])
    folder = write_files(tmp_path / "case", ["homework.py"])
    (folder / "hw1.py").symlink_to(elsewhere / "hw1.py")
    (folder / "linked").symlink_to(elsewhere / "inner", target_is_directory=True)
    found = find_in_folder(folder, "hw1", SUBMIT_ONE)
    assert found.path == folder / "homework.py"
    # the only regular file is graded; the note says why the links were not
    assert ONLY in found.notes[0]
    assert found.notes[1:] == ("not graded: hw1.py is a symbolic link; links are not graded: submit the file itself",
                               "not graded: linked is a symbolic link; links are not graded: submit the folder itself")


@pytest.fixture
def checkout(tmp_path) -> Path:
    """An instructor's checkout: the package, the reference, the stubs, and folders with other Python files."""
    return write_files(tmp_path / "course", ["pyproject.toml", "solutions/hw1/hw1.py", "grader/cli.py",
                                             "grader/homeworks/hw1/__init__.py", "source/hw1/hw1.ipynb",
                                             "assignments/hw1/hw1.py", "tests/test_a.py", "tests/test_b.py",
                                             "notes/scratch.py"])


STUDENT_COPY = "assignments/hw1/hw1.py"


@pytest.mark.parametrize("start, note", [
    pytest.param(".", None, id="checkout-root"),
    pytest.param("assignments", None, id="assignments-one-folder-down"),
    pytest.param("assignments/hw1", None, id="assignments-hw1"),
    pytest.param("tests", None, id="above-beats-ambiguous-files"),
    pytest.param("notes", None, id="above-beats-the-only-other-file"),
    pytest.param("solutions", "you ran grade from solutions/, which holds the reference solution; "
                 "graded assignments/hw1/hw1.py instead", id="from-solutions"),
    pytest.param("solutions/hw1", "you ran grade from solutions/", id="below-solutions"),
    pytest.param("grader", "you ran grade from grader/, which holds the grader itself; "
                 "graded assignments/hw1/hw1.py instead", id="from-grader"),
    pytest.param("grader/homeworks", "you ran grade from grader/", id="below-grader"),
    pytest.param("source", "you ran grade from source/", id="from-nbgrader-source"),
])
def test_find_submission_in_a_checkout_grades_the_students_copy(checkout, start, note):
    found = find_submission("hw1", checkout / start)
    assert found.path == checkout / STUDENT_COPY
    assert_note(found, note)


def test_a_checkout_without_the_students_copy_says_so(checkout):
    (checkout / STUDENT_COPY).unlink()
    with pytest.raises(SubmissionError, match="you ran grade from solutions/.* this checkout has no "
                                              "assignments/hw1/hw1.py; .* --submission PATH"):
        find_submission("hw1", checkout / "solutions")


@pytest.mark.parametrize("files, start, graded, note", [
    pytest.param(["solutions/hw1/hw1.py"], "solutions", "solutions/hw1/hw1.py", None, id="plain-solutions-folder"),
    pytest.param(["work/hw1.ipynb"], "work", "work/hw1.ipynb", None, id="current-folder"),
    pytest.param(["work/homework1.ipynb"], "work", "work/homework1.ipynb", f"graded homework1.ipynb: {ONLY}",
                 id="current-folder-only-notebook"),
    pytest.param(["work/zip/HW1.py"], "work", "work/zip/HW1.py", None, id="current-folder-one-down"),
    pytest.param(["assignments/hw1/hw1.py", "notes/"], "notes", "assignments/hw1/hw1.py", None,
                 id="course-layout-above"),
])
def test_find_submission_outside_a_checkout(tmp_path, files, start, graded, note):
    write_files(tmp_path, files)
    found = find_submission("hw1", tmp_path / start)
    assert found.path == tmp_path / graded
    assert_note(found, note)


@pytest.mark.parametrize("files, message", [
    pytest.param([], "found no hw1.py or hw1.ipynb here ({start}: it is empty) and no assignments/hw1/hw1.py above "
                 "it; run grade from the folder that holds your work, or pass --submission PATH", id="nothing"),
    pytest.param(["a.py", "b.py"], "several other .py or .ipynb files (a.py, b.py); name the one to grade hw1.py "
                 "or hw1.ipynb, or pass --submission PATH", id="ambiguous"),
])
def test_find_submission_says_what_to_do(tmp_path, files, message):
    start = write_files(tmp_path / "work", files)
    with pytest.raises(SubmissionError) as error:
        find_submission("hw1", start)
    assert message.format(start=start) in str(error.value)


def test_resolve(tmp_path):
    write_files(tmp_path, ["mine/HW1.PY", "mine/hw1.ipynb", "notes.txt", "empty/"])
    assert resolve(tmp_path / "mine" / "HW1.PY", "hw1") == Found(tmp_path / "mine" / "HW1.PY")  # a file as given
    assert "to choose, pass --submission PATH" in resolve(tmp_path / "mine", "hw1").notes[0]
    with pytest.raises(SubmissionError, match="neither a .py file nor a .ipynb"):
        resolve(tmp_path / "notes.txt", "hw1")
    with pytest.raises(SubmissionError, match=r"found no hw1.py or hw1.ipynb .* in empty/ \(it is empty\)"):
        resolve(tmp_path / "empty", "hw1")
    with pytest.raises(SubmissionError, match="no such file"):
        resolve(tmp_path / "missing.py", "hw1")


def test_an_upper_case_suffix_is_still_a_notebook(tmp_path):
    path = tmp_path / "HW1.IPYNB"
    path.write_text(_notebook("x = 1"))
    submission = load_submission(path, ("a note",))
    assert submission.is_notebook and submission.cells[0].label == "code cell 1" and submission.notes == ("a note",)


# --------------------------------------------- the note reaches the report ---

def _grade_json(capsys, *args: str) -> tuple[int, dict]:
    status = main(["hw1", "--exercise", "sigmoid", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_cli_json_carries_the_note(tmp_path, capsys):
    folder = write_files(tmp_path / "mine", [("hw1.ipynb", 0)])
    (folder / "hw1.py").write_text(reference_source())  # written now: the newer one
    status, document = _grade_json(capsys, "--submission", str(folder))
    assert status == 0 and document["score"] == FULL_MARKS["sigmoid"]
    assert [n for n in document["notes"] if n.startswith("several files")] == [
        "several files could be your hw1: graded hw1.py (the most recently modified), not hw1.ipynb; "
        "to choose, pass --submission PATH"]


def test_cli_json_carries_the_note_when_the_file_cannot_be_loaded(tmp_path, capsys):
    (tmp_path / "homework1.ipynb").write_text("{not json")
    status, document = _grade_json(capsys, "--submission", str(tmp_path))
    assert status == 2 and "not a valid notebook" in document["error"]
    assert document["notes"] == [f"graded homework1.ipynb: {ONLY}"]


def test_grade_from_the_solutions_folder_grades_the_stubs(monkeypatch, capsys):
    monkeypatch.chdir(REFERENCE.parent)
    status, document = _grade_json(capsys)
    assert status == 1 and document["score"] == 0  # the stubs, not the reference
    assert "you ran grade from solutions/, which holds the reference solution; graded assignments/hw1/hw1.py " \
           "instead" in document["notes"]


@pytest.mark.parametrize("raw", ['{"cells": 5}', '{"cells": [{"cell_type": "code", "source": ["x = 1", 2]}]}',
                                 '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                 '{"cells": [{"cell_type": "code", "source": 7}]}'],
                         ids=["cells not a list", "source not text", "deeply nested", "source a number"])
def test_malformed_notebooks_are_submission_errors(raw, tmp_path):
    path = tmp_path / "hw1.ipynb"
    path.write_text(raw)
    with pytest.raises(SubmissionError, match="not a valid notebook"):
        load_submission(path)
