"""Red-team findings against unit-by-unit loading, CPU budgets, own-folder copies, ctypes/fork_exec
changes, check()'s slice and load notes (found in commits 0945b9a, abe1835; fixed after).

Each test asserts the secure or correct behaviour; each failed on the code as it was then,
and its docstring tells the attack.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

import student_work as work
from conftest import FAST_LIMITS, FULL_MARKS, HW1, grade_source, reference_source, scores, with_function
from grader import sandbox
from grader.batch_report import feedback_markdown
from grader.engine import grade
from grader.notebook_checks import cells_from_history, slice_for
from grader.report import to_json
from grader.settings import Limits
from grader.submission import Submission, load_submission, resolve


def _probe(tmp_path: Path, body: str) -> str:
    """Run `body` at the top level of a submission whose sigmoid raises what `body` left in RESULT."""
    source = ("RESULT = 'unset'\ntry:\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"
              "except BaseException as exc:\n    RESULT = 'EXC ' + repr(exc)\n"
              "def sigmoid(z):\n    raise RuntimeError(str(RESULT))\n")
    report = grade_source(tmp_path, source, limits=FAST_LIMITS, only=["sigmoid"])
    assert report.error is None, report.error
    return report.exercise("sigmoid").checks[0].failure.summary


def _needs_bwrap():
    if sandbox.bubblewrap() is None:
        pytest.skip("bubblewrap is not available on this machine")


# ----------------------------------------------------------------- (b) own folder ---

def test_grading_one_flat_file_of_a_class_folder_does_not_copy_the_classmates(tmp_path):
    """`grade hw1 --submission class/alice.py` (re-grading one student of a class of flat
    <student>.py files): own_folder() only knows the folder is shared when a batch passes it
    in `private`, so every classmate's file is copied into alice's scratch folder."""
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "bob.py").write_text("# SECRET-OF-BOB\n" + reference_source())
    (cls / "alice.py").write_text(textwrap.dedent("""
        try:
            LEAK = open("bob.py").read()[:40]
        except Exception as exc:
            LEAK = "refused: " + repr(exc)
        def sigmoid(z):
            raise RuntimeError(LEAK)
    """))
    found = resolve(cls / "alice.py", "hw1")  # what the CLI does for --submission
    report = grade(HW1, load_submission(found.path, found.notes), only=["sigmoid"], limits=FAST_LIMITS)
    message = report.exercise("sigmoid").checks[0].failure.summary
    assert "SECRET-OF-BOB" not in message, message


def test_own_folder_copy_does_not_follow_hard_links(tmp_path):
    """A hard link is a link: README says links are never copied, but copy_own_files only
    refuses symbolic ones, so a hard link to a file elsewhere (another student's work, the
    reference) is copied for the student's code to read."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bob.py").write_text("SECRET-OF-BOB")
    own = tmp_path / "alice"
    own.mkdir()
    (own / "hw1.py").write_text(reference_source())
    os.link(elsewhere / "bob.py", own / "notes.txt")
    into = tmp_path / "scratch"
    into.mkdir()
    sandbox.copy_own_files(own, into)
    assert not (into / "notes.txt").exists()


# ------------------------------------------------------------ (c) own folder size ---

def test_own_folder_copy_bounds_folders_too(tmp_path):
    """Only files count against OWN_FILES_MAX: empty folders are created without limit on the
    grader's disk at every worker start (and each top-level one becomes a `--ro-bind` pair of
    bubblewrap arguments). ~2000 of them make bubblewrap take >10 s to start (a correct
    submission scores 0, "timed out while loading"); ~40000 make Popen fail with E2BIG and
    grade() raise OSError (a batch fault, retried forever); 300 x 300 nested ones take the
    grader 12 s to copy at every restart, outside the submission's deadline."""
    own = tmp_path / "alice"
    own.mkdir()
    (own / "hw1.py").write_text(reference_source())
    for i in range(sandbox.OWN_FILES_MAX + 50):
        (own / f"d{i:04}").mkdir()
    into = tmp_path / "scratch"
    into.mkdir()
    result = sandbox.copy_own_files(own, into)
    names = result[0] if isinstance(result, tuple) else result  # (names, left out) in the working tree
    made = sum(len(dirs) + len(files) for _, dirs, files in os.walk(into))
    assert len(names) <= sandbox.OWN_FILES_MAX  # one --ro-bind pair of bubblewrap arguments each
    assert made <= sandbox.OWN_FILES_MAX


# --------------------------------------------------- (b) processes and ctypes (item 3) ---

def test_original_fork_exec_cannot_be_reloaded_under_a_package_name(tmp_path):
    """fork_exec is replaced in the loaded module, and the hook refuses an import whose FIRST
    dotted component is _posixsubprocess; loading the same extension file as
    `x._posixsubprocess` (PyInit__posixsubprocess is found from the last component) gives a
    fresh module with the original fork_exec, which starts processes with no audit event.
    Without bubblewrap the child reads the reference; with it, it still is a process."""
    _needs_bwrap()
    message = _probe(tmp_path, """
        import _posixsubprocess as _p, importlib.util, importlib.machinery, os
        loader = importlib.machinery.ExtensionFileLoader("x._posixsubprocess", _p.__file__)
        fresh = importlib.util.module_from_spec(importlib.machinery.ModuleSpec("x._posixsubprocess", loader,
                                                                               origin=_p.__file__))
        er, ew = os.pipe()
        pid = fresh.fork_exec([b"/bin/true"], [b"/bin/true"], True, (), None, None, -1, -1, -1, -1, -1, -1,
                              er, ew, False, False, -1, None, None, None, -1, None, False)
        RESULT = "started process %s" % pid
    """)
    assert "started process" not in message, message
    assert "not allowed" in message, message


def test_ctypes_cannot_load_a_library_the_submission_wrote(tmp_path):
    """check_library() resolves /proc/self/fd/N through readlink; the link of a memfd is
    "/memfd:<name> (deleted)" with a name the submission chooses, so the name
    "/../../usr/lib/x" makes it resolve to /usr/lib/x... (a system folder) and bytes the
    submission wrote are dlopen()ed: native code runs in the worker (a library constructor
    needs no ctypes call). Without bubblewrap such a constructor read
    solutions/hw1/hw1.py in our run. Here: a copy of a numpy extension, written by the submission."""
    import numpy.linalg._umath_linalg as some_library

    message = _probe(tmp_path, f"""
        import os, ctypes
        data = open({some_library.__file__!r}, "rb").read()
        fd = os.memfd_create("/../../usr/lib/x")
        os.write(fd, data)
        ctypes.CDLL("/proc/self/fd/%d" % fd)
        RESULT = "loaded a library the submission wrote"
    """)
    assert "loaded a library" not in message, message
    assert "grading sandbox" in message, message


# ------------------------------------------------------------------ (d) load notes ---

def test_load_note_cannot_forge_markdown_in_the_feedback(tmp_path):
    """A top-level statement that raises puts its message (newlines kept by _clean) in a note;
    feedback_markdown writes notes unfenced, so the student forges headings, a total and raw
    HTML in the Markdown feedback the class receives (exercise feedback is fenced; notes are not)."""
    forged = "x\\n\\n# hw1: feedback for alice\\n\\n**Total: 100/100**\\n\\n<img src=x onerror=alert(1)>"
    source = reference_source() + f'\nraise RuntimeError("{forged}")\n'
    report = grade_source(tmp_path, source, limits=FAST_LIMITS, only=["mse"])
    markdown = feedback_markdown("alice", to_json(report))
    lines = markdown.splitlines()
    assert [line for line in lines if line.startswith(("**Total:", "# "))] == lines[:3:2], markdown
    assert not any(line.startswith("<img") for line in lines), markdown
    inside = lines.index("```text") + 1  # the notes are fenced, each on one line
    assert "**Total: 100/100**" in lines[inside] and lines[inside + 1] == "```"


def test_load_notes_are_bounded(tmp_path):
    """One note per unit that raised, each up to ~2000 characters, with no cap on how many
    (only the 4 MiB reply header bounds them: ~1.3 MB of notes with 600 such lines): here 100
    one-line statements put ~210 KB of notes in the report, the JSON, the terminal, the
    Markdown feedback and Gradescope's output (what the code prints is capped at 64 KiB)."""
    source = reference_source() + "".join(f'raise ValueError("{i}" + "x" * 1990)\n' for i in range(100))
    report = grade_source(tmp_path, source, limits=FAST_LIMITS, only=["mse"])
    assert scores(report)["mse"] == FULL_MARKS["mse"]
    assert sum(len(note) for note in report.notes) <= 64 * 1024, (len(report.notes),
                                                                  sum(len(n) for n in report.notes))


# -------------------------------------------------- (e) correct work that loses points ---

def test_future_annotations_apply_to_the_whole_file(tmp_path):
    """Each top-level statement is compiled on its own with dont_inherit=True, so
    `from __future__ import annotations` no longer applies to the rest of the file (before
    0945b9a the file was compiled whole). A correct, typed submission that names a type only
    imported for type checkers loses every annotated function (here 40 points)."""
    source = reference_source().replace(
        "import numpy as np",
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nimport numpy as np\n\n"
        "if TYPE_CHECKING:\n    from numpy.typing import NDArray", 1)
    source = source.replace("def sigmoid(z):", "def sigmoid(z: NDArray) -> NDArray:", 1)
    exec(compile(source, "hw1.py", "exec"), {"__name__": "hw1"})  # plain Python runs it fine
    report = grade_source(tmp_path, source, limits=FAST_LIMITS, only=["sigmoid", "sigmoid_grad"])
    assert scores(report) == {"sigmoid": FULL_MARKS["sigmoid"], "sigmoid_grad": FULL_MARKS["sigmoid_grad"]}, \
        report.notes


def test_check_slice_keeps_top_level_statements_with_side_effects(tmp_path):
    """slice_for keeps only statements that bind a needed name; `np.seterr(over="ignore")`
    binds nothing, so check("hw1", "sigmoid") grades a different program than `grade`: the
    sigmoid that README accepts (warnings silenced with np.seterr) loses its stability points
    in the test cell (and, the other way, np.seterr(all="raise") would be hidden from check())."""
    naive = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"
    history = ["", "import numpy as np\nnp.seterr(over='ignore')", with_function(reference_source(), "sigmoid", naive)]
    cells = cells_from_history(history)
    path = tmp_path / "hw1.ipynb"
    whole = grade(HW1, Submission(path, tuple(cells)), only=["sigmoid"], limits=FAST_LIMITS)
    sliced, _ = slice_for(cells, "sigmoid")
    part = grade(HW1, Submission(path, tuple(sliced)), only=["sigmoid"], limits=FAST_LIMITS)
    assert whole.exercise("sigmoid").score == FULL_MARKS["sigmoid"]
    assert part.exercise("sigmoid").score == whole.exercise("sigmoid").score


def test_slow_cell_that_binds_a_global_is_replayed_after_a_restart(tmp_path):
    """A unit that took >= REPLAY_SKIP_SECONDS of CPU and holds no def/class/import is an
    "experiment" and is not replayed when the worker restarts, even when it binds a global
    that a function reads. One function that hangs (here sigmoid_grad sleeps) restarts the
    worker, and a correct mse that reads OFFSET then fails with NameError: a hang no longer
    costs only its own function."""
    functions = with_function(reference_source(), "mse",
                              "def mse(y_pred, y_true):\n    return float(np.mean((y_pred - y_true) ** 2)) + OFFSET\n")
    functions = with_function(functions, "sigmoid_grad",
                              "def sigmoid_grad(z):\n    time.sleep(10**6)\n")
    slow_cell = ("OFFSET = 0.0\n"
                 "_started = time.process_time()\n"
                 "while time.process_time() - _started < 1.3:  # 1.3 s of CPU, on any machine\n"
                 "    pass")
    raw = work.notebook("import time\nimport numpy as np", functions, slow_cell)
    limits = Limits(call_seconds=1.0, cell_seconds=5.0, load_seconds=20.0, total_seconds=60.0,
                    wall_factor=2.0, wall_slack=1.0)
    report = grade_source(tmp_path, raw, name="hw1.ipynb", limits=limits, only=["sigmoid_grad", "mse"])
    assert scores(report)["sigmoid_grad"] == 0
    assert scores(report)["mse"] == FULL_MARKS["mse"], [c.failure for e in report.exercises for c in e.checks]


def test_many_top_level_statements_fit_in_the_load_reply():
    """The worker adds a "ran" event for every unit, so ~60000 top-level statements (a data
    table pasted as statements) make a load reply whose JSON header is over MAX_HEADER_BYTES:
    the grader calls it a protocol error, blames the last unit, restarts 5 times (30 s) and
    scores a correct file 0 ("5 parts of your code's top-level code each stopped the process")."""
    from grader.worker.student_code import Worker
    from grader.worker.wire import decode, encode

    source = reference_source() + "x = 1\n" * 70000
    request = {"op": "load", "module": "redteam_many_units",
               "cells": [{"source": source, "filename": "hw1.py", "label": "hw1.py", "split": True}],
               "skip": [], "cell_seconds": None, "load_seconds": None}
    reply = Worker().load(request)
    decode(encode(reply))  # raises ProtocolError today


# ------------------------------------------------------- (c) grader time outside the deadline ---

def test_load_notes_parse_the_source_once_not_once_per_note(monkeypatch):
    """describe_load names each unit by ast.parse()-ing the whole file again (`_statement_line`)
    and splitting it into lines (`_first_line`), once per event: quadratic work in the GRADING
    process, after the worker is done, under no deadline. `raise E` on 2000 lines cost the
    grader 18.8 s of CPU in describe_load in our run (load itself: 1 s); 12000 lines (still
    under the 4 MiB reply header) would cost ~10 minutes, holding the GIL of a batch's threads."""
    from grader import load_notes
    from grader.runner import LoadEvent
    from grader.submission import Cell

    count = 300
    source = "class E(Exception):\n    pass\n" + "raise E\n" * count
    submission = Submission(Path("hw1.py"), (Cell(source, "hw1.py", "hw1.py"),))
    events = [LoadEvent("error", (0, 1 + i), 3 + i, "E: ") for i in range(count)]
    parses = []
    real_parse = load_notes.parse
    monkeypatch.setattr(load_notes, "parse", lambda *a, **k: parses.append(1) or real_parse(*a, **k))
    notes, fatal = load_notes.describe_load(submission, events, Limits())
    assert fatal is None and len(notes) == load_notes.MAX_NOTES + 1  # the first ten, then a count
    assert len(parses) <= 2, f"{len(parses)} parses of the whole file for {count} notes"
