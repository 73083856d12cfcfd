"""The grading process does not trust the files it is given (issue 10, items 1 to 4).

Each attack links to the reference solution, so a defence that fails shows as full marks.
A test with a named pipe runs the batch in a subprocess with a generous timeout: if the
defence fails, the test fails instead of hanging the suite.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import HW1, REFERENCE, ROOT, STUBS, run_grade
from test_batch import batch, write_class
from test_gradescope import bundle  # noqa: F401 (a fixture: the autograder zip, built once per module)

from grader import submission as submission_module
from grader.batch import gradebook_csv
from grader.documents import unloadable_document
from grader.errors import SubmissionError
from grader.gradescope import is_valid_results
from grader.stubs import solution_regions
from grader.submission import load_submission

REFERENCE_SOURCE = REFERENCE.read_text()
LINKED = "is a symbolic link; links are not graded"
SPECIAL = "is not a regular file"


def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


# ------------------------------------------------------------ symbolic links ---

@pytest.mark.parametrize("link, target", [
    pytest.param("mallory.py", REFERENCE, id="file-entry"),
    pytest.param("mallory", REFERENCE.parent, id="folder-entry"),
    pytest.param("mallory/hw1.py", REFERENCE, id="file-in-a-student-folder"),
    pytest.param("mallory/work", REFERENCE.parent, id="folder-in-a-student-folder"),
])
def test_a_link_in_a_class_scores_nothing(tmp_path, link, target):
    folder = write_class(tmp_path / "class", {"bob.py": STUBS.read_text()})
    _link(folder / link, target)
    out = tmp_path / "grades"
    result = batch(folder, out, jobs=1)
    mallory = result.documents["mallory"]
    assert mallory["score"] == 0
    assert LINKED in mallory["error"]
    assert LINKED in (out / "feedback" / "mallory.md").read_text()
    assert "bob" in result.documents  # the others are graded as usual


def test_a_link_beside_the_student_s_own_file_is_not_graded(tmp_path):
    """eve/hw1.py -> ../alice/hw1.py: a regular hw1.py elsewhere in the folder is graded, the link is not."""
    folder = write_class(tmp_path / "class", {"alice/hw1.py": REFERENCE_SOURCE})
    _link(folder / "eve" / "hw1.py", Path("..") / "alice" / "hw1.py")
    result = batch(folder, tmp_path / "grades", jobs=1)
    assert result.documents["alice"]["score"] == HW1.points
    assert result.documents["eve"]["score"] == 0 and LINKED in result.documents["eve"]["error"]


def test_grade_submission_refuses_a_link(tmp_path):
    link = tmp_path / "hw1.py"
    _link(link, REFERENCE)
    done = run_grade("hw1", "--submission", str(link), "--json")
    document = json.loads(done.stdout)
    assert document["score"] == 0
    assert f"hw1.py {LINKED}: submit the file itself" in document["error"]


def test_load_submission_refuses_a_folder_swapped_for_a_link(tmp_path):
    """The finder saw a real folder; by the time the file is read it is a link: the read refuses."""
    root = write_class(tmp_path / "class", {"mallory/hw1.py": "x = 1\n"})
    shutil.rmtree(root / "mallory")
    _link(root / "mallory", REFERENCE.parent)
    with pytest.raises(SubmissionError, match=LINKED):
        load_submission(root / "mallory" / "hw1.py", root=root)


def _gradescope_with(tmp_path: Path, bundle: Path, link: str, target: str) -> dict:
    """The mimicked /autograder of test_gradescope, its submission a link into the source."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    _link(root / "submission" / link, root / "source" / target)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": sys.executable}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert is_valid_results(results)
    return results


@pytest.mark.parametrize("link, target", [
    pytest.param("hw1.py", "solutions/hw1/hw1.py", id="file"),
    pytest.param("homework", "solutions/hw1", id="zipped-folder"),
])
def test_gradescope_refuses_a_link_to_the_reference(tmp_path, bundle, link, target):  # noqa: F811
    results = _gradescope_with(tmp_path, bundle, link, target)
    assert results["score"] == 0
    assert LINKED in results["output"]


def test_nbgrader_refuses_a_linked_notebook(tmp_path):
    """submitted/x/hw1/hw1.ipynb -> ../../../source/hw1/hw1.ipynb: nbgrader copies the solution into
    autograded/; the grader looks at what is in submitted/, scores 0 and keeps the solution out of
    the feedback."""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")

    def nbgrader(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stdout}\n{done.stderr}"

    nbgrader("generate_assignment", "hw1")
    _link(course / "submitted" / "mallory" / "hw1" / "hw1.ipynb", Path("../../../source/hw1/hw1.ipynb"))
    nbgrader("autograde", "hw1")
    nbgrader("generate_feedback", "hw1")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook("hw1", "hw1", "mallory")
        assert [g.auto_score for g in notebook.grades if g.auto_score is not None] != []
        assert sum(g.auto_score or 0 for g in notebook.grades) == 0
    autograded = nbformat.read(course / "autograded" / "mallory" / "hw1" / "hw1.ipynb", as_version=4)
    assert any(LINKED in "".join(o.get("text", "") for o in cell.get("outputs", [])) for cell in autograded.cells)
    feedback = (course / "feedback" / "mallory" / "hw1" / "hw1.html").read_text()
    regions = solution_regions(REFERENCE_SOURCE)
    assert regions and not [r for r in regions if r.strip() and r.strip() in feedback]


# -------------------------------------------------------------- named pipes ---

def test_a_named_pipe_costs_only_its_student(tmp_path):
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE})
    os.mkfifo(folder / "mallory.py")
    (folder / "eve").mkdir()
    os.mkfifo(folder / "eve" / "hw1.py")
    out = tmp_path / "grades"
    command = [sys.executable, "-m", "grader.cli", "hw1", "--submissions", str(folder), "--out", str(out),
               "--jobs", "1", "--allow-unsandboxed"]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the batch did not finish: a named pipe stopped the class")
    assert done.returncode == 0, done.stderr
    rows = {row["student"]: row for row in csv.DictReader((out / "gradebook.csv").open())}
    assert set(rows) == {"alice", "eve", "mallory"}
    assert float(rows["alice"]["total"]) == HW1.points
    for student, name in (("mallory", "mallory.py"), ("eve", "hw1.py")):
        assert float(rows[student]["total"]) == 0
        report = json.loads((out / "reports" / f"{student}.json").read_text())
        assert f"{name} {SPECIAL} (it is a named pipe)" in report["error"], report["error"]


def test_reading_a_special_file_is_refused_without_blocking(tmp_path):
    pipe = tmp_path / "hw1.py"
    os.mkfifo(pipe)
    from grader.submission import read_student_file

    with pytest.raises(SubmissionError, match=SPECIAL):
        read_student_file(pipe, 100)  # would block forever on a plain open()


def test_a_read_that_never_ends_gives_a_clear_error(tmp_path, monkeypatch):
    """A file system that never answers (a hung network mount): the read gives up after its deadline."""
    never = threading.Event()
    monkeypatch.setattr(submission_module, "_read_at_most", lambda descriptor, limit: never.wait() and b"")
    monkeypatch.setattr(submission_module, "READ_SECONDS", 0.5)
    path = tmp_path / "hw1.py"
    path.write_text("x = 1\n")
    try:
        with pytest.raises(SubmissionError, match="could not be read within"):
            load_submission(path)
    finally:
        never.set()


def test_a_read_stops_at_the_limit(tmp_path):
    path = tmp_path / "hw1.py"
    path.write_bytes(b"#" * 1000)
    from grader.submission import read_student_file

    with pytest.raises(SubmissionError, match="larger than"):
        read_student_file(path, 999)
    assert read_student_file(path, 1000) == b"#" * 1000


# -------------------------------------------------------- names shown to people ---

ESCAPES = {
    "file": "\x1b[31mred\x1b[0m.py",  # colours the terminal
    "ignored": "\x1b[2Jclear.txt",  # clears the screen
    "inside": "\x1b]0;pwned\x07\nnew line.txt",  # sets the window title; forges a line
    "bytes": os.fsdecode(b"caf\xe9.py"),  # not UTF-8: cannot even be printed as it is
}
MARKUP = ["[bold red]loud", "[link=https:example.com]click"]  # a file name holds no "/"


def test_escape_codes_and_markup_in_names_are_shown_literally(tmp_path):
    folder = write_class(tmp_path / "class", {
        ESCAPES["file"]: "def broken(:\n",  # cannot be loaded: listed in the summary
        ESCAPES["bytes"]: "def broken(:\n",
        ESCAPES["ignored"]: "",
        f"bob/{ESCAPES['inside']}": "",
        **{f"{name}/notes.txt": "" for name in MARKUP},
    })
    out = tmp_path / "grades"
    done = run_grade("hw1", "--submissions", str(folder), "--out", str(out), "--jobs", "1", "--allow-unsandboxed")
    assert done.returncode == 0, done.stderr
    for text in (done.stdout, done.stderr, *(p.read_text() for p in (out / "feedback").iterdir()),
                 (out / "gradebook.csv").read_text()):
        assert not any(code in text for code in ("\x1b", "\x07")), text
    shown = " ".join(done.stdout.split())  # the table wraps long lines
    assert "Ignored: \\x1b[2Jclear.txt" in shown
    assert "\\x1b]0;pwned\\x07\\nnew line.txt" in (out / "feedback" / "bob.md").read_text()
    for name in MARKUP:
        assert name in shown  # printed, not interpreted
    assert "\\x1b[31mred\\x1b[0m" in shown
    assert "caf\\xe9: could not be loaded" in shown


def test_escape_codes_in_a_file_name_stay_out_of_the_terminal_report(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / ESCAPES["file"]).write_text(REFERENCE_SOURCE)
    done = run_grade("hw1", "--submission", str(folder))
    assert "\x1b" not in done.stdout + done.stderr
    assert "graded \\x1b[31mred\\x1b[0m.py" in " ".join(done.stdout.split())


# --------------------------------------------------------------- gradebook ---

@pytest.mark.parametrize("student, cell", [
    pytest.param('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")', id="equals"),
    pytest.param("+1", "'+1", id="plus"),
    pytest.param("-2+3", "'-2+3", id="minus"),
    pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
    pytest.param("\t=1", "\\t=1", id="tab"),  # shown as every name is: a control code written out
    pytest.param("\r=1", "\\r=1", id="carriage-return"),
])
def test_gradebook_neutralises_formulas(student, cell):
    document = unloadable_document(HW1, None, "your code could not be loaded: nothing")
    rows = list(csv.reader(io.StringIO(gradebook_csv(HW1, {student: document, "alice": document}), newline="")))
    cells = {row[0]: row[1:] for row in rows[1:]}
    assert set(cells) == {"alice", cell}  # a quote first: a spreadsheet shows it as text
    assert [float(value) for value in cells[cell]] == [0.0] * (1 + len(HW1.exercises))  # numbers stay numbers
