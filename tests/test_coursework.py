"""Real coursework grades right: notebooks with plots and training loops, ordinary imports,
slow or never-ending top-level code, and the student's own files beside the submission."""

from __future__ import annotations

import dataclasses
import json
import textwrap

import pytest

import student_work as work
from conftest import FAST_LIMITS, FULL_MARKS, grade_source, reference_source, run_grade, scores, with_function


def _skipped_notes(report) -> list[str]:
    return [note for note in report.notes if "was skipped" in note]


# ------------------------------------------------------------------ notebooks ---

NOTEBOOKS = {
    "as written: imports, plots, markdown, training": (work.coursework(), []),
    "a cell that raises": (work.coursework(work.RAISES), ["NameError"]),
    "a never-ending cell after the functions": (work.coursework(work.NEVER_ENDS), ["code cell 7", "ran past"]),
    "a never-ending cell before the functions": (work.coursework(before=(work.NEVER_ENDS,)), ["code cell 3",
                                                                                             "ran past"]),
    "a never-ending cell between the functions": (work.coursework(between=(work.NEVER_ENDS,)), ["ran past"]),
    "tqdm progress bar": (work.coursework("from tqdm import tqdm\nfor i in tqdm(range(1000)):\n    pass"), []),
    "an import the grader lacks, then numpy": (
        work.notebook("import torch\nimport numpy as np", *work.functions()), ["ModuleNotFoundError"]),
}


@pytest.mark.parametrize("case", list(NOTEBOOKS), ids=list(NOTEBOOKS))
def test_notebook_grades_like_the_same_functions_in_a_py(case, tmp_path):
    raw, said = NOTEBOOKS[case]
    if "tqdm" in case:
        pytest.importorskip("tqdm")
    report = grade_source(tmp_path, raw, name="hw1.ipynb", limits=FAST_LIMITS)
    assert not report.error
    assert scores(report) == FULL_MARKS
    for words in said:
        assert any(words in note for note in report.notes), report.notes


def test_a_skipped_cell_is_named_by_its_place_and_first_line(tmp_path):
    report = grade_source(tmp_path, work.coursework(work.NEVER_ENDS), name="hw1.ipynb", limits=FAST_LIMITS)
    (note,) = _skipped_notes(report)
    assert note.startswith("code cell 7 (`for epoch in range(10**12):  # a training loop ...`) ")
    assert "ran past 1 s at hw1.ipynb, code cell 7 line" in note and "its functions are still graded" in note


def test_a_cell_that_cannot_be_interrupted_is_skipped_by_restarting_without_it(tmp_path):
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
    report = grade_source(tmp_path, work.coursework(stubborn), name="hw1.ipynb", limits=FAST_LIMITS)
    assert scores(report) == FULL_MARKS
    assert any("could not be interrupted" in note for note in _skipped_notes(report)), report.notes


def test_a_cell_that_kills_its_process_is_skipped(tmp_path):
    report = grade_source(tmp_path, work.coursework(between=("import os\nos._exit(1)",)), name="hw1.ipynb",
                          limits=FAST_LIMITS)
    assert scores(report) == FULL_MARKS
    assert any("stopped the process running your code" in note for note in report.notes), report.notes


def test_once_the_time_for_top_level_code_is_spent_only_definitions_run(tmp_path):
    limits = dataclasses.replace(FAST_LIMITS, cell_seconds=1.0, load_seconds=1.5)
    raw = work.coursework(before=(work.NEVER_ENDS, work.NEVER_ENDS, "print('after the budget')"))
    report = grade_source(tmp_path, raw, name="hw1.ipynb", limits=limits)
    assert scores(report) == FULL_MARKS
    assert any("only definitions" in note for note in report.notes), report.notes
    assert "after the budget" not in report.output


# ----------------------------------------------------------------- .py files ---

SLOW_TOP_LEVEL = "\nfor epoch in range(10**12):\n    pass\n"


def test_slow_top_level_code_in_a_py_is_skipped_with_advice(tmp_path):
    report = grade_source(tmp_path, reference_source() + SLOW_TOP_LEVEL, limits=FAST_LIMITS)
    assert scores(report) == FULL_MARKS
    (note,) = _skipped_notes(report)
    assert "hw1.py line" in note and "(`for epoch in range(10**12):`)" in note
    assert 'if __name__ == "__main__":' in note


def test_experiments_under_a_main_guard_do_not_run(tmp_path):
    guarded = '\nif __name__ == "__main__":\n' + textwrap.indent(SLOW_TOP_LEVEL, "    ")
    report = grade_source(tmp_path, reference_source() + guarded, limits=FAST_LIMITS)
    assert scores(report) == FULL_MARKS and not report.notes


def test_a_statement_that_raises_in_a_py_costs_nothing_else(tmp_path):
    report = grade_source(tmp_path, reference_source() + "\nraise RuntimeError('plot failed')\n")
    assert scores(report) == FULL_MARKS
    assert any("RuntimeError: plot failed" in note for note in report.notes)


# -------------------------------------------------------------------- imports ---

IMPORTS = ["import matplotlib.pyplot as plt", "import subprocess", "import ctypes", "import scipy.optimize",
           "import pandas as pd", "from tqdm import tqdm", "import multiprocessing"]


@pytest.mark.parametrize("line", IMPORTS, ids=IMPORTS)
def test_ordinary_imports_load(line, tmp_path, isolation):
    pytest.importorskip(line.split()[1].split(".")[0])
    report = grade_source(tmp_path, line + "\n" + reference_source(), only=["sigmoid", "mse"])
    assert not report.error and not [n for n in report.notes if "bubblewrap" not in n], report.notes
    assert scores(report) == {"sigmoid": FULL_MARKS["sigmoid"], "mse": FULL_MARKS["mse"]}


def test_a_correct_file_that_plots_scores_full_marks(tmp_path, isolation):
    plot = "\nplt.plot([3, 2, 1])\nplt.savefig('loss.png')\nplt.show()\n"
    report = grade_source(tmp_path, "import matplotlib.pyplot as plt\n" + reference_source() + plot)
    assert scores(report) == FULL_MARKS and not report.error
    assert not [n for n in report.notes if "bubblewrap" not in n], report.notes


SPAWNS = {
    "subprocess.run": "import subprocess\nsubprocess.run(['true'])",
    "os.system": "import os\nos.system('true')",
    "fork_exec directly": "import _posixsubprocess\n_posixsubprocess.fork_exec()",
    "multiprocessing": "import multiprocessing\nmultiprocessing.Process(target=print).start()",
}


@pytest.mark.parametrize("spawn", list(SPAWNS), ids=list(SPAWNS))
def test_starting_a_process_is_refused_and_costs_only_that_function(spawn, tmp_path, isolation):
    body = textwrap.indent(SPAWNS[spawn], "    ")
    source = with_function("import subprocess\n" + reference_source(), "mse",
                           f"def mse(y_pred, y_true):\n{body}\n    return float(np.mean((y_pred - y_true) ** 2))\n")
    report = grade_source(tmp_path, source, only=["sigmoid", "mse"])
    assert scores(report) == {"sigmoid": FULL_MARKS["sigmoid"], "mse": 0}
    failure = next(e for e in report.exercises if e.name == "mse").first_failure.failure
    assert "not allowed" in failure.summary + (failure.traceback or "")


def test_a_library_written_by_the_submission_cannot_be_loaded(tmp_path, isolation):
    source = ("import ctypes, shutil\nshutil.copy(ctypes.util.find_library('c') or '/bin/true', 'mine.so')\n"
              "import os\nctypes.CDLL(os.path.abspath('mine.so'))\n")
    report = grade_source(tmp_path, "import ctypes.util\n" + source + reference_source(), only=["sigmoid"])
    assert any("loading the library" in note and "not allowed" in note for note in report.notes), report.notes


# ----------------------------------------------------------------- timeouts ---

def test_a_function_that_times_out_says_where(tmp_path):
    source = with_function(reference_source(), "mse",
                           "def _mean_of_squares(e):\n    while True:\n        pass\n\n\n"
                           "def mse(y_pred, y_true):\n    return _mean_of_squares(y_pred - y_true)\n")
    report = grade_source(tmp_path, source, only=["mse"], limits=FAST_LIMITS)
    summary = report.exercise("mse").first_failure.failure.summary
    assert "timed out after 2 s in _mean_of_squares, hw1.py line" in summary and "called from mse" in summary


def test_a_slow_loop_implementation_is_not_a_timeout(tmp_path):
    """Explicit loops are legitimate: a check's budget is CPU time, so load on the machine does not
    turn a correct loop into a timeout (the busy-machine run of the suite shows it)."""
    loops = ("def sigmoid(z):\n    z = np.asarray(z)\n    out = np.empty_like(z)\n"
             "    for i in np.ndindex(z.shape):\n        v = z[i]\n"
             "        out[i] = 1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))\n"
             "    return out if out.ndim else out[()]\n")
    report = grade_source(tmp_path, with_function(reference_source(), "sigmoid", loops), only=["sigmoid"])
    assert scores(report) == {"sigmoid": FULL_MARKS["sigmoid"]}


# ------------------------------------------------------------ the student's files ---

def test_the_students_own_files_are_readable(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    (folder / "data.csv").write_text("1,2\n3,4\n")
    top = "import helpers\nimport numpy as np\nD = np.loadtxt('data.csv', delimiter=',')\nprint('sum', helpers.double(D.sum()))\n"
    report = grade_source(tmp_path, top + reference_source(), only=["sigmoid"])
    assert scores(report) == {"sigmoid": FULL_MARKS["sigmoid"]} and not report.notes[1:]
    assert "sum 20.0" in report.output


def test_a_link_beside_the_submission_is_not_followed(tmp_path):
    other = tmp_path / "bob"
    other.mkdir()
    (other / "hw1.py").write_text("SECRET = 'bob'\n")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "notes.py").symlink_to(other / "hw1.py")
    top = "try:\n    print(open('notes.py').read())\nexcept OSError as e:\n    print('refused', type(e).__name__)\n"
    report = grade_source(tmp_path, top + reference_source(), only=["sigmoid"])
    assert "SECRET" not in report.output and "refused" in report.output


# ------------------------------------------------------------- entry points ---

def test_grade_names_the_skipped_cell(tmp_path):
    path = tmp_path / "hw1.ipynb"
    path.write_text(work.coursework(work.NEVER_ENDS))
    result = run_grade("hw1", "--submission", str(path), "--json", "--cell-timeout", "1")
    document = json.loads(result.stdout)
    assert document["score"] == 100.0
    assert any(note.startswith("code cell 7 (`for epoch") for note in document["notes"]), document["notes"]


def test_a_function_lost_to_a_syntax_error_says_so(tmp_path):
    """Issue 9: a cell with an unclosed `(` made its function 'not defined', with no word of why."""
    head, tail = work.functions()
    broken = tail.replace("def mse(y_pred, y_true):", "def mse(y_pred, y_true:", 1)
    report = grade_source(tmp_path, work.notebook(work.IMPORTS, head, broken), name="hw1.ipynb", only=["mse"])
    summary = report.exercise("mse").first_failure.failure.summary
    assert "your code defines no function named mse; code cell 3 (`def mse(y_pred, y_true:`) has a syntax " \
           "error (line 1), so nothing in it ran: fix that first" == summary, summary
