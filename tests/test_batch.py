"""Grading a class: finding students, parallel = serial, resume after a kill, hostile students, bad input."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import student_work as work
from conftest import FAST_LIMITS, HW1, REFERENCE, ROOT, STUBS, run_grade, with_function
from rich.console import Console

from grader import atomic
from grader.atomic import remove_leftovers, write_atomically
from grader.batch import (
    BatchResult,
    Layout,
    describe_problem,
    find_students,
    gradebook_csv,
    run_batch,
    summarize,
)
from grader.batch_report import feedback_markdown, render_summary, sparkline
from grader.errors import UsageError
from grader.exercise import Exercise, Homework
from grader.report import SCHEMA_VERSION

REFERENCE_SOURCE = REFERENCE.read_text()
STUB_SOURCE = STUBS.read_text()
BUGGY_SOURCE = REFERENCE_SOURCE.replace("/ y_pred.size", "/ y_pred.shape[0]")  # mse_grad divides by N only
# Short limits keep a hanging student to a second or two.
SHORT = FAST_LIMITS


def notebook(source: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": [],
                                  "execution_count": None}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write_class(folder: Path, entries: dict[str, str]) -> Path:
    """entries: relative path -> content; a path ending in "/" is an empty folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in entries.items():
        path = folder / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return folder


SMALL_CLASS = {
    "alice/hw1.py": REFERENCE_SOURCE,
    "bob.py": STUB_SOURCE,
    "carol/hw1.ipynb": notebook(REFERENCE_SOURCE),
    "dave/": "",
    "erin.py": BUGGY_SOURCE,
}


def reports(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((out / "reports").glob("*.json"))}


def batch(folder: Path, out: Path, jobs: int, **kwargs):
    students, _ = find_students(folder, "hw1")
    layout = Layout(out)
    layout.prepare()
    return run_batch(HW1, students, layout, feedback_markdown, jobs=jobs, private=[folder], **kwargs)


# ------------------------------------------------------------------ finding ---

@pytest.mark.parametrize("entries, expected, ignored", [
    pytest.param({"alice/hw1.py": "", "bob.py": ""}, {"alice": "alice/hw1.py", "bob": "bob.py"}, [],
                 id="folder-and-file"),
    pytest.param({"carol/hw1.ipynb": "", "dan.ipynb": ""}, {"carol": "carol/hw1.ipynb", "dan": "dan.ipynb"}, [],
                 id="notebooks"),
    pytest.param({"frank/notes.txt": ""}, {"frank": None}, [], id="folder-without-hw1"),
    pytest.param({"gina/hw1.py": "", "gina.py": ""}, {"gina": "gina/hw1.py"},
                 ["gina.py (student gina already has gina)"], id="folder-wins-over-file"),
    pytest.param({"hal.py": "", "grades.csv": "", ".DS_Store": "", "__MACOSX/": ""}, {"hal": "hal.py"},
                 ["grades.csv (not a folder, .py or .ipynb)"], id="other-entries"),
])
def test_find_students(tmp_path, entries, expected, ignored):
    folder = write_class(tmp_path / "class", entries)
    students, left_out = find_students(folder, "hw1")
    assert {s.id: s.submission and s.submission.relative_to(folder).as_posix() for s in students} == expected
    assert left_out == ignored


T = 1_700_000_000


@pytest.mark.parametrize("files, graded, note", [
    pytest.param({"HW1.PY": 0}, "HW1.PY", "", id="case-insensitive"),
    pytest.param({"myfolder/hw1.ipynb": 0, "__MACOSX/myfolder/._hw1.ipynb": 0}, "myfolder/hw1.ipynb", "",
                 id="zipped-folder"),
    pytest.param({"homework1.ipynb": 0}, "homework1.ipynb", "graded homework1.ipynb: there is no hw1.py or "
                 "hw1.ipynb, and it is the only notebook or .py file", id="only-notebook"),
    pytest.param({"hw1.py": 0, "hw1.ipynb": 60}, "hw1.ipynb", "several files could be your hw1: graded hw1.ipynb "
                 "(the most recently modified), not hw1.py; to choose, submit only one", id="both-newer-wins"),
    pytest.param({"hw1.py": 0, "hw1.ipynb": 0}, "hw1.py", "graded hw1.py (the .py, as they were modified at the "
                 "same time)", id="both-same-time-py-wins"),
    pytest.param({"a.py": 0, "b.py": 0}, None, "found no hw1.py or hw1.ipynb in eve/ but several other .py or "
                 ".ipynb files (a.py, b.py); name the one to grade hw1.py or hw1.ipynb, or submit only one",
                 id="ambiguous"),
    pytest.param({"notes.txt": 0}, None, "found no hw1.py or hw1.ipynb and no other .py or .ipynb file in eve/ "
                 "(it holds notes.txt); name your file hw1.py or hw1.ipynb", id="nothing"),
])
def test_find_students_finds_each_file_by_the_common_rule(tmp_path, files, graded, note):
    """files: name in eve's folder -> seconds newer than T."""
    folder = write_class(tmp_path / "class", {f"eve/{name}": "" for name in files})
    for name, newer in files.items():
        os.utime(folder / "eve" / name, (T + newer, T + newer))
    [eve], _ = find_students(folder, "hw1")
    if graded is None:
        assert eve.submission is None and eve.problem == note
    else:
        assert eve.submission == folder / "eve" / graded
        assert (note in eve.notes[0] and len(eve.notes) == 1) if note else eve.notes == ()


def test_the_note_and_the_problem_reach_the_feedback(tmp_path):
    folder = write_class(tmp_path / "class", {"amy/homework1.py": REFERENCE_SOURCE, "ned/a.py": "", "ned/b.py": ""})
    out = tmp_path / "grades"
    result = batch(folder, out, jobs=1)
    assert result.documents["amy"]["score"] == HW1.points
    amy = (out / "feedback" / "amy.md").read_text()
    assert "graded homework1.py: there is no hw1.py or hw1.ipynb, and it is the only notebook or .py file" in amy
    assert result.documents["ned"]["score"] == 0
    assert "several other .py or .ipynb files (a.py, b.py)" in (out / "feedback" / "ned.md").read_text()


@pytest.mark.parametrize("entries, message", [
    pytest.param(None, "no such folder", id="missing"),
    pytest.param({}, "holds no submissions", id="empty"),
    pytest.param({"notes.txt": ""}, "holds no submissions", id="nothing-gradable"),
])
def test_find_students_refuses(tmp_path, entries, message):
    folder = tmp_path / "class"
    if entries is not None:
        write_class(folder, entries)
    with pytest.raises(UsageError, match=message):
        find_students(folder, "hw1")


# ------------------------------------------------------------------ grading ---

def test_parallel_results_equal_serial_results(tmp_path):
    folder = write_class(tmp_path / "class", SMALL_CLASS)
    serial = batch(folder, tmp_path / "serial", jobs=1)
    parallel = batch(folder, tmp_path / "parallel", jobs=3)
    assert serial.documents == parallel.documents == reports(tmp_path / "serial") == reports(tmp_path / "parallel")
    assert sorted(serial.documents) == ["alice", "bob", "carol", "dave", "erin"]
    assert (tmp_path / "serial" / "gradebook.csv").read_text() == (tmp_path / "parallel" / "gradebook.csv").read_text()
    for student in serial.documents:
        assert (tmp_path / "serial" / "feedback" / f"{student}.md").read_text() == \
               (tmp_path / "parallel" / "feedback" / f"{student}.md").read_text()


def test_reports_and_gradebook_match_single_grade_json(tmp_path):
    folder = write_class(tmp_path / "class", SMALL_CLASS)
    out = tmp_path / "grades"
    done = run_grade("hw1", "--submissions", str(folder), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    documents = reports(out)
    for student, path in (("alice", "alice/hw1.py"), ("bob", "bob.py"), ("carol", "carol/hw1.ipynb"),
                          ("erin", "erin.py")):
        single = run_grade("hw1", "--submission", str(folder / path), "--json")
        # A batch report also says which grader made it (its fingerprint, for resume).
        assert {k: v for k, v in documents[student].items() if k != "grader"} == json.loads(single.stdout), student
    assert documents["alice"]["score"] == documents["carol"]["score"] == HW1.points
    assert documents["bob"]["score"] == 0
    assert 0 < documents["erin"]["score"] < HW1.points

    assert documents["dave"]["score"] == 0
    assert "found no hw1.py or hw1.ipynb and no other .py or .ipynb file in dave/ (it is empty)" in \
           documents["dave"]["error"]

    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))
    assert [r["student"] for r in rows] == sorted(documents)
    assert list(rows[0]) == ["student", "total", *(e.name for e in HW1.exercises)]
    for row in rows:
        document = documents[row["student"]]
        assert float(row["total"]) == document["score"]
        assert {e["name"]: float(row[e["name"]]) for e in document["exercises"]} == \
               {e["name"]: e["score"] for e in document["exercises"]}


HOSTILE = {
    "alice.py": REFERENCE_SOURCE,
    "sleeper.py": "import time\ntime.sleep(1000)\n" + REFERENCE_SOURCE,
    "exiter.py": with_function(REFERENCE_SOURCE, "dropout_backward",
                               "def dropout_backward(dout, mask, p):\n    import os\n    os._exit(0)\n"),
    "flooder.py": "for _ in range(200):\n    print('x' * 100_000)\n" + REFERENCE_SOURCE,
    # Touches memory 256 MiB at a time until the worker's memory limit stops it.
    "hog.py": "hoard = [bytearray(256 * 2**20) for _ in range(64)]\n" + REFERENCE_SOURCE,
    "broken.ipynb": "{ this is not json",
    "syntax.py": "def sigmoid(z) return z\n",
}


def test_hostile_submissions_cost_only_their_student(tmp_path):
    if not hasattr(SHORT, "memory_bytes"):
        pytest.skip("this grader sets no memory limit: the memory hog would take the machine's memory")
    folder = write_class(tmp_path / "class", HOSTILE)
    started = time.monotonic()
    result = batch(folder, tmp_path / "grades", jobs=2, limits=dataclasses.replace(SHORT, memory_bytes=2**30))
    assert time.monotonic() - started < 120  # bounded, not fast: the machine may be busy
    documents = result.documents
    assert sorted(documents) == sorted(Path(name).stem for name in HOSTILE) and not result.faults
    assert documents["alice"]["score"] == HW1.points

    # Top-level code that sleeps or exhausts memory is skipped and named; the functions still count.
    assert documents["sleeper"]["score"] == HW1.points
    assert any("(`time.sleep(1000)`)" in note and "skipped" in note for note in documents["sleeper"]["notes"])
    assert documents["hog"]["score"] == HW1.points
    # Stopped by Python's MemoryError, the cgroup's memory limit or its CPU budget (touching a
    # gigabyte takes CPU time too), whichever comes first on this machine: the note names it.
    assert any("(`hoard = [bytearray(" in note for note in documents["hog"]["notes"]), documents["hog"]["notes"]
    assert "could not be read" in documents["broken"]["error"] or "not a valid notebook" in documents["broken"]["error"]
    assert "SyntaxError" in documents["syntax"]["error"]

    exiter = {e["name"]: e for e in documents["exiter"]["exercises"]}
    assert exiter["dropout_backward"]["status"] == "error" and exiter["dropout_backward"]["score"] == 0
    assert documents["exiter"]["score"] == HW1.points - exiter["dropout_backward"]["max_score"]  # the rest counts

    assert documents["flooder"]["score"] == HW1.points  # printing a lot is not a mistake

    problems = dict(summarize(HW1, documents).problems)
    assert set(problems) == {"exiter", "broken", "syntax"}
    assert problems["exiter"] == "crashed in dropout_backward"


def test_coursework_notebooks_and_own_files_in_a_class(tmp_path):
    """A notebook with a never-ending training cell earns full marks with the cell named; a
    student reads their own data file, never a classmate's."""
    alice = tmp_path / "class" / "alice" / "hw1.ipynb"
    reads_data = (f"import numpy as np\nD = np.loadtxt('data.csv', delimiter=',')\nassert D.sum() == 10\n"
                  f"LEAK = open({str(alice)!r}).read()\n")
    folder = write_class(tmp_path / "class", {
        "alice/hw1.ipynb": work.coursework(work.NEVER_ENDS),
        "bob/hw1.py": reads_data + REFERENCE_SOURCE,
        "bob/data.csv": "1,2\n3,4\n",
        "bob/secret.txt": "bob's",
    })
    result = batch(folder, tmp_path / "grades", jobs=2, limits=SHORT)
    assert {s: d["score"] for s, d in result.documents.items()} == {"alice": HW1.points, "bob": HW1.points}
    feedback = (tmp_path / "grades" / "feedback" / "alice.md").read_text()
    assert "code cell 7 (`for epoch in range(10**12):" in feedback and "was skipped" in feedback
    (note,) = result.documents["bob"]["notes"]  # reading the data worked; reading alice's file did not
    assert "(`LEAK = open(" in note and ("PermissionError" in note or "FileNotFoundError" in note)


def test_grader_fault_is_reported_and_not_recorded(tmp_path, monkeypatch):
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE})

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("grader.engine.grade", explode)
    result = batch(folder, tmp_path / "grades", jobs=1)
    assert result.faults == {"alice": "RuntimeError: boom"}
    assert not (tmp_path / "grades" / "reports" / "alice.json").exists()  # a re-run will retry


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_grader_fault_that_does_not_recur_costs_nothing(tmp_path, monkeypatch, jobs):
    """A fault of the grader is retried once, alone, after the others (a rare race under load)."""
    from grader import engine

    folder = write_class(tmp_path / "class", {f"{name}.py": REFERENCE_SOURCE for name in ("alice", "bob", "carol")})
    grade, exploded = engine.grade, []

    def explode_once(homework, submission, *args, **kwargs):
        if submission.path.stem == "bob" and not exploded:
            exploded.append(True)
            raise RuntimeError("boom")
        return grade(homework, submission, *args, **kwargs)

    monkeypatch.setattr("grader.engine.grade", explode_once)
    done = []
    result = batch(folder, tmp_path / "grades", jobs=jobs, on_done=lambda outcome, skipped: done.append(outcome))
    assert exploded and not result.faults
    assert sorted(result.documents) == ["alice", "bob", "carol"]
    assert sorted(outcome.student for outcome in done) == ["alice", "bob", "carol"]  # each told once


# --------------------------------------------------------- resume and kill ---

def test_resume_after_kill_skips_graded_students(tmp_path):
    entries = {f"s{i}.py": (REFERENCE_SOURCE if i % 2 else BUGGY_SOURCE) for i in range(5)}
    entries["zz_slow.py"] = "import time\ntime.sleep(2)\n" + REFERENCE_SOURCE  # graded last, still loading when killed
    folder = write_class(tmp_path / "class", entries)
    out = tmp_path / "grades"
    command = [sys.executable, "-m", "grader.cli", "hw1", "--submissions", str(folder), "--out", str(out),
               "--jobs", "1"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list((out / "reports").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    first = {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.json")}
    assert first and "zz_slow.json" not in first
    _assert_complete(out)

    again = run_grade("hw1", "--submissions", str(folder), "--out", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert f"up to date {len(first)}" in again.stdout
    for name, mtime in first.items():
        assert (out / "reports" / name).stat().st_mtime_ns == mtime, f"{name} was graded again"
    assert sorted(p.stem for p in (out / "reports").glob("*.json")) == sorted(Path(n).stem for n in entries)
    _assert_complete(out)
    assert not list(out.rglob(f"*{atomic.TEMPORARY_SUFFIX}"))
    assert len((out / "gradebook.csv").read_text().splitlines()) == 1 + len(entries)


def _assert_complete(out: Path) -> None:
    """Every visible file is whole: reports parse, feedback ends where the renderer ends it."""
    for report in (out / "reports").glob("*.json"):
        assert json.loads(report.read_text())["assignment"] == "hw1"
    for feedback in (out / "feedback").glob("*.md"):
        assert feedback.read_text().startswith("# hw1: feedback for ")
    if (out / "gradebook.csv").exists():
        assert (out / "gradebook.csv").read_text().startswith("student,total,")


def _as_previous_version(report: Path) -> None:
    document = json.loads(report.read_text())
    report.write_text(json.dumps({**document, "schema_version": 1}))


@pytest.mark.parametrize("change, regraded", [
    pytest.param(lambda folder, out: None, [], id="nothing-changed"),
    pytest.param(lambda folder, out: os.utime(folder / "bob.py"), ["bob"], id="submission-changed"),
    pytest.param(lambda folder, out: (out / "reports" / "bob.json").write_text('{"assign'), ["bob"], id="torn-report"),
    pytest.param(lambda folder, out: (out / "feedback" / "bob.md").unlink(), ["bob"], id="feedback-missing"),
    # The previous version's reports lack the fields the class summary reads (a check's kind set
    # where it happened, error_reason): graded again, not read with guesses.
    pytest.param(lambda folder, out: _as_previous_version(out / "reports" / "bob.json"), ["bob"],
                 id="report-of-the-previous-version"),
])
def test_resume_regrades_only_what_changed(tmp_path, change, regraded):
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE, "bob.py": STUB_SOURCE})
    out = tmp_path / "grades"
    batch(folder, out, jobs=1)
    time.sleep(0.01)  # so a changed file is newer than the report
    change(folder, out)
    result = batch(folder, out, jobs=1)
    assert result.graded == regraded
    assert result.skipped == [s for s in ("alice", "bob") if s not in regraded]
    assert sorted(result.documents) == ["alice", "bob"]


def test_force_regrades_everyone(tmp_path):
    folder = write_class(tmp_path / "class", {"alice.py": REFERENCE_SOURCE, "bob.py": STUB_SOURCE})
    batch(folder, tmp_path / "grades", jobs=1)
    assert sorted(batch(folder, tmp_path / "grades", jobs=2, force=True).graded) == ["alice", "bob"]


# ------------------------------------------------------------ atomic writes ---

def test_write_atomically_replaces_whole_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    write_atomically(target, "new content")
    assert target.read_text() == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_failed_write_keeps_the_old_file_and_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old")

    def disk_full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, "new content that never lands")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    (tmp_path / f".alice.json.x1y2{atomic.TEMPORARY_SUFFIX}").write_text('{"half')
    (tmp_path / "alice.json").write_text("{}")
    assert [p.name for p in remove_leftovers(tmp_path)] == [f".alice.json.x1y2{atomic.TEMPORARY_SUFFIX}"]
    assert [p.name for p in tmp_path.iterdir()] == ["alice.json"]


# ------------------------------------------------------------------ summary ---

def _fake_homework() -> Homework:
    class Points:
        def __init__(self, points):
            self.points, self.description, self.needs_reference = points, "check", False

    return Homework("hwx", "test", (Exercise("f", ("x",), (Points(4.0),)), Exercise("g", ("x",), (Points(6.0),))),
                    reference="nowhere")


CRASHED = "the process running your code stopped while running g (exit status 0)"


def _check(points: float, score: float, status: str, summary: str = "wrong", kind: str = "wrong value") -> dict:
    check = {"description": "d", "points": points, "score": score, "status": status, "hidden": False}
    return check if status == "passed" else {**check, "kind": kind, "summary": summary}


def _document(f: tuple[float, str], g: tuple[float, str], error: str | None = None) -> dict:
    """A report as the engine writes it: g's error is a crash, f's an exception."""
    g_feedback = CRASHED if g[1] == "error" else ""
    document = {"schema_version": SCHEMA_VERSION, "assignment": "hwx", "score": f[0] + g[0], "max_score": 10.0,
                "exercises": [
        {"name": "f", "score": f[0], "max_score": 4.0, "status": f[1], "feedback": "",
         "checks": [_check(4.0, f[0], f[1], kind="raised" if f[1] == "error" else "wrong value")]},
        {"name": "g", "score": g[0], "max_score": 6.0, "status": g[1], "feedback": g_feedback,
         "checks": [_check(6.0, g[0], g[1], g_feedback or "wrong", "crashed" if g[1] == "error" else "wrong value")]},
    ]}
    if error:
        document["error"] = f"your code could not be loaded: {error}"
        document["error_reason"] = error
        for exercise in document["exercises"]:
            exercise["feedback"] = document["error"]
            exercise["checks"] = [_check(c["points"], 0.0, "error", document["error"], "could not be loaded")
                                  for c in exercise["checks"]]
    return document


CLASS_DOCUMENTS = {
    "ann": _document((4.0, "passed"), (6.0, "passed")),
    "ben": _document((2.0, "failed"), (0.0, "error")),
    "cat": _document((0.0, "not_implemented"), (0.0, "timeout")),
    "dan": _document((0.0, "error"), (0.0, "error"), error="SyntaxError"),
}


def test_summary_statistics():
    summary = summarize(_fake_homework(), CLASS_DOCUMENTS)
    f, g = summary.exercises
    assert (f.points, f.mean, f.median, f.full_marks) == (4.0, 1.5, 1.0, 1)
    assert f.histogram == (2, 0, 0, 1, 0, 1)  # 0, 0, 50%, 100%
    assert f.statuses == {"passed": 1, "failed": 1, "not_implemented": 1, "error": 1}
    assert (g.mean, g.median, g.full_marks, g.histogram) == (1.5, 0.0, 1, (3, 0, 0, 0, 0, 1))
    assert (summary.total.mean, summary.total.median) == (3.0, 1.0)
    assert summary.problems == [("ben", "crashed in g"), ("cat", "hung in g"),
                                ("dan", "could not be loaded: SyntaxError")]


def test_summary_renders_as_expected():
    console = Console(file=io.StringIO(), width=80, color_system=None)
    result = BatchResult(documents=CLASS_DOCUMENTS, graded=["ann", "ben", "cat"], skipped=["dan"])
    ignored = ["notes.txt (not a folder, .py or .ipynb)"]
    render_summary("hwx", summarize(_fake_homework(), CLASS_DOCUMENTS), result, ignored, console)
    # Exact but for the spaces rich pads lines with, which editors strip from this file.
    assert [line.rstrip() for line in console.file.getvalue().split("\n")] == EXPECTED_SUMMARY.split("\n")


EXPECTED_SUMMARY = """\
hwx: 4 students

 Function Pts Mean Median Full Wrong Todo Error Hung 0…100%
 ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
 f          4  1.5      1    1     1    1     1    0 █··▄·▄
 g          6  1.5      0    1     0    0     2    1 █····▃

 total     10  3.0      1    1                       █▄···▄

Full: students with full marks. Wrong, Todo, Error, Hung:
students whose function failed a check, is not implemented,
raised or crashed, timed out. 0…100%: students per score bin
(0, <25%, <50%, <75%, <100%, 100%).
Hardest: g (mean 25% of its points)
3 submissions crashed, hung or could not be loaded:
  ben: crashed in g
  cat: hung in g
  dan: could not be loaded: SyntaxError
Ignored: notes.txt (not a folder, .py or .ipynb)
Graded 3, up to date 1
"""


@pytest.mark.parametrize("histogram, line", [
    pytest.param((0, 0, 0, 0, 0, 0), "", id="nobody"),
    pytest.param((1, 0, 0, 0, 0, 0), "█·····", id="one-zero"),
    pytest.param((8, 0, 4, 0, 0, 8), "█·▄··█", id="bimodal"),
])
def test_sparkline(histogram, line):
    assert sparkline(histogram) == line


@pytest.mark.parametrize("document, problem", [
    pytest.param(CLASS_DOCUMENTS["ann"], None, id="all-passed"),
    pytest.param(_document((0.0, "error"), (6.0, "passed")), None, id="raised-is-not-a-crash"),
    pytest.param(CLASS_DOCUMENTS["cat"], "hung in g", id="timeout"),
    pytest.param(CLASS_DOCUMENTS["dan"], "could not be loaded: SyntaxError", id="unloadable"),
])
def test_describe_problem(document, problem):
    assert describe_problem(document) == problem


# What the runner says when the process running the code dies: a student's code can say it too.
DEATH_TEXT = "the process running your code stopped while running sigmoid (exit status 0)"


def test_a_raised_message_that_reads_like_a_crash_is_not_a_crash(tmp_path):
    """The summary reads what happened from the report's fields, never from its text: an
    exception whose message is the runner's words for a crash is an exception."""
    raiser = with_function(REFERENCE_SOURCE, "sigmoid",
                           f"def sigmoid(z):\n    raise RuntimeError({DEATH_TEXT!r})\n")
    folder = write_class(tmp_path / "class", {"raiser.py": raiser})
    document = batch(folder, tmp_path / "grades", jobs=1, limits=SHORT).documents["raiser"]
    sigmoid = next(e for e in document["exercises"] if e["name"] == "sigmoid")
    assert DEATH_TEXT in sigmoid["feedback"] and sigmoid["status"] == "error"
    assert {c["kind"] for c in sigmoid["checks"] if c["status"] == "error"} == {"raised"}
    assert describe_problem(document) is None


def test_a_file_named_like_the_load_message_keeps_its_name_in_the_summary(tmp_path):
    """The reason a submission was not loaded is a field, not the message minus a prefix: a
    file whose name starts with the engine's words keeps its whole name."""
    name = "your code could not be loaded: x.ipynb"
    folder = write_class(tmp_path / "class", {f"ann/{name}": "{ not json"})
    document = batch(folder, tmp_path / "grades", jobs=1, limits=SHORT).documents["ann"]
    assert describe_problem(document).startswith(f"could not be loaded: {name} is not a valid notebook")


def test_a_missing_function_is_not_a_crash(tmp_path):
    """A function the code does not define is said as such (kind "missing function"), and the
    class summary does not list it among the crashes."""
    from conftest import grade_source
    from grader.report import to_json

    source = REFERENCE_SOURCE.replace("def sigmoid(", "def sigmoid_renamed(")
    document = to_json(grade_source(tmp_path, source, only=["sigmoid"], limits=SHORT))
    (sigmoid,) = document["exercises"]
    assert {c["kind"] for c in sigmoid["checks"]} == {"missing function"}
    assert describe_problem(document) is None


def test_the_hard_link_advice_follows_the_cause_not_the_text(tmp_path):
    """The summary's advice about hard links is given for a submission refused as one (a field
    of the report), not for one whose message happens to read "(a hard link)": a student names
    their file."""
    name = "(a hard link).ipynb"
    folder = write_class(tmp_path / "class", {f"ann/{name}": "{ not json"})
    result = batch(folder, tmp_path / "grades", jobs=1, limits=SHORT)
    assert name in result.documents["ann"]["error"]
    console = Console(file=io.StringIO(), width=200)
    render_summary("hw1", summarize(HW1, result.documents), result, [], console)
    assert "ann: could not be loaded" in console.file.getvalue()
    assert "cp -al" not in console.file.getvalue()


def test_a_crash_is_told_by_its_kind():
    """A check whose process died is of kind "crashed", and the summary reads that (the
    feedback's wording is free to change)."""
    document = _document((4.0, "passed"), (0.0, "error"))
    document["exercises"][1]["feedback"] = "the worker went away"
    document["exercises"][1]["checks"][0].update(kind="crashed", summary="the worker went away")
    assert describe_problem(document) == "crashed in g"


def test_feedback_markdown_fences_backticks():
    document = _document((2.0, "failed"), (6.0, "passed"))
    document["exercises"][0]["checks"][0]["summary"] = "got ```weird``` output"
    text = feedback_markdown("ann", document)
    assert text.startswith("# hwx: feedback for ann\n\n**Total: 8/10**\n")
    assert "| `f` | 2/4 | failed |" in text and "| `g` | 6/6 | passed |" in text
    assert "````text\nd: got ```weird``` output\n````" in text
    assert "## `g`" not in text  # passed functions need no section


def test_gradebook_csv_columns_follow_the_homework():
    assert gradebook_csv(_fake_homework(), {"ann": CLASS_DOCUMENTS["ann"], "ben": CLASS_DOCUMENTS["ben"]}) == (
        "student,total,f,g\nann,10,4,6\nben,2,2,0\n")


# -------------------------------------------------------------- bad input ---

@pytest.mark.parametrize("make_args, message", [
    pytest.param(lambda tmp: ["--submissions", str(tmp / "nowhere")], "no such folder", id="missing-dir"),
    pytest.param(lambda tmp: ["--submissions", str(_mkdir(tmp / "empty"))], "holds no submissions", id="empty-dir"),
    pytest.param(lambda tmp: ["--submissions", str(_touch(tmp / "file.py"))], "is not a folder", id="dir-is-a-file"),
    pytest.param(lambda tmp: ["--submissions", str(_class(tmp)), "--out", str(_touch(tmp / "f") / "grades")],
                 "cannot write the grades", id="unwritable-out"),
    pytest.param(lambda tmp: ["--submissions", str(_class(tmp)), "--jobs", "0"], "--jobs must be at least 1",
                 id="zero-jobs"),
    pytest.param(lambda tmp: ["--submissions", str(_class(tmp)), "--json"], "cannot be combined", id="with-json"),
    pytest.param(lambda tmp: ["--jobs", "2"], "only goes with --submissions", id="jobs-alone"),
])
def test_bad_input_is_one_sentence_and_exit_2(tmp_path, make_args, message):
    done = run_grade("hw1", *make_args(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("grade: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _touch(path: Path) -> Path:
    path.write_text("")
    return path


def _class(tmp: Path) -> Path:
    return write_class(tmp / "class", {"alice.py": STUB_SOURCE})


@pytest.mark.parametrize("show", [False, True])
def test_class_feedback_leaves_out_the_references_values_unless_asked(tmp_path, show):
    """Issue 9: feedback/<student>.md, "to send to the student", showed the hidden expected values."""
    wrong = with_function(REFERENCE.read_text(), "mse",
                          "def mse(y_pred, y_true):\n    return float(np.sum((y_pred - y_true) ** 2))\n")
    folder = write_class(tmp_path / "class", {"alice.py": wrong})
    out = tmp_path / "grades"
    done = run_grade("hw1", "--submissions", str(folder), "--out", str(out), *(["--show-expected"] if show else []))
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "reports" / "alice.json").read_text())
    (check,) = [c for e in report["exercises"] if e["name"] == "mse" for c in e["checks"]
                if c["hidden"] and c.get("expected")]
    assert check["expected"]  # the instructor's report keeps it
    markdown = (out / "feedback" / "alice.md").read_text()
    assert "mse(y_pred=" in markdown and "got: " in markdown
    assert (f"expected: {check['expected']}" in markdown) == show


def test_feedback_follows_this_run_s_visibility_for_students_already_graded(tmp_path):
    """A red team: after a run with --show-expected, a run without it skipped the student as up to
    date and left the expected values in feedback/<student>.md."""
    wrong = with_function(REFERENCE.read_text(), "mse",
                          "def mse(y_pred, y_true):\n    return float(np.sum((y_pred - y_true) ** 2))\n")
    folder = write_class(tmp_path / "class", {"alice.py": wrong})
    out = tmp_path / "grades"
    assert run_grade("hw1", "--submissions", str(folder), "--out", str(out), "--show-expected").returncode == 0
    assert "expected: " in (out / "feedback" / "alice.md").read_text()
    again = run_grade("hw1", "--submissions", str(folder), "--out", str(out))
    assert again.returncode == 0 and "up to date 1" in " ".join(again.stdout.split()), again.stdout
    report = json.loads((out / "reports" / "alice.json").read_text())
    hidden = [c["expected"] for e in report["exercises"] for c in e["checks"] if c["hidden"] and c.get("expected")]
    markdown = (out / "feedback" / "alice.md").read_text()
    assert hidden and not any(f"expected: {value}" in markdown for value in hidden)
