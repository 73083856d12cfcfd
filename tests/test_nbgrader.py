"""A real nbgrader course built from this repository: release, autograde, feedback, export.

One temporary course directory for the whole module (nbgrader is slow to start):
seven students submit, `nbgrader autograde hw1` grades them in one run, and each
test reads the gradebook or the feedback. Scores are compared with what `grade`
gives the same notebook, never with hard-coded numbers.
"""

from __future__ import annotations

import copy
import csv
import html
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute, LimitOutput, SaveAutoGrades

from grader.engine import grade
from grader.errors import GraderError
from grader.homeworks import HOMEWORKS
from grader.nbgrader_plugin import GradeOutsideKernel, autograde_preprocessors
from grader.testcells import exercise_of, grade_id_of_test, is_test_cell
from grader.stubs import solution_regions
from grader.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent

# One test process builds the course for all these tests (pytest-xdist).
pytestmark = pytest.mark.xdist_group("nbgrader-course")

HW1 = HOMEWORKS["hw1"]
FULL_MARKS = {e.name: e.points for e in HW1.exercises}
REGIONS = solution_regions((ROOT / "solutions" / "hw1" / "hw1.py").read_text())

WRONG_ADAGRAD = '''\
def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
    new_cache = grad**2  # forgets the earlier steps
    return param - lr * grad / (np.sqrt(new_cache) + eps), new_cache
'''
WARNING_SIGMOID_GRAD = '''\
def sigmoid_grad(z):
    import warnings
    warnings.warn("a harmless warning from the student", UserWarning)
    s = sigmoid(z)
    return s * (1.0 - s)
'''
STDERR_CELL = 'import sys\nprint("a harmless note on stderr", file=sys.stderr)'
PATCH_GRADER = '''\
import grader.notebook_checks, grader.engine
from grader.homeworks import HOMEWORKS
grader.notebook_checks.check = lambda homework, name, reference=False: float(
    HOMEWORKS[homework].exercise(name).points)
grader.engine.grade = None
'''
STEAL_SOLUTIONS = f'''\
for path in [{str(ROOT / "solutions" / "hw1" / "hw1.py")!r}, {str(ROOT / "source" / "hw1" / "hw1.ipynb")!r}]:
    try:
        print(open(path).read())
    except OSError as error:
        print("refused:", error)
'''
PATCH_NUMPY = '''\
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.abs = np.absolute = lambda x, *args, **kwargs: np.zeros(np.shape(x))
'''


NEVER_ENDING_TRAINING = "losses = []\nfor epoch in range(10**12):  # the training loop\n    losses.append(epoch % 7)"


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def by_grade_id(nb, grade_id: str):
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def with_answers(nb, answers: dict[str, str]):
    nb = copy.deepcopy(nb)
    for name, source in answers.items():
        by_grade_id(nb, name).source = source
    return nb


def with_cell_after_setup(nb, source: str):
    nb = copy.deepcopy(nb)
    at = nb.cells.index(by_grade_id(nb, "setup")) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


def submissions(release, source) -> dict:
    solutions = {e.name: by_grade_id(source, e.name).source for e in HW1.exercises}
    full = with_answers(release, solutions)
    one_wrong = with_answers(full, {"adagrad_step": WRONG_ADAGRAD, "sigmoid_grad": WARNING_SIGMOID_GRAD,
                                    "sigmoid": solutions["sigmoid"] + "\n\n" + STDERR_CELL})
    return {
        "full": full,
        "untouched": release,
        "one_wrong": one_wrong,
        "patch_numpy": with_cell_after_setup(with_answers(full, {"adagrad_step": WRONG_ADAGRAD}), PATCH_NUMPY),
        "patch_grader": with_cell_after_setup(release, PATCH_GRADER),
        "steals_solutions": with_cell_after_setup(release, STEAL_SOLUTIONS),
        "coursework": with_cells_at_the_end(with_cell_after_setup(full, "import matplotlib.pyplot as plt"),
                                            NEVER_ENDING_TRAINING, "plt.plot([3, 2, 1])\nplt.show()"),
    }


def with_cells_at_the_end(nb, *sources: str):
    nb = copy.deepcopy(nb)
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """generate_assignment, seven submissions, autograde, generate_feedback, export."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    started = time.monotonic()
    nbgrader(course, "generate_assignment", "hw1")
    release = nbformat.read(course / "release" / "hw1" / "hw1.ipynb", as_version=4)
    source = nbformat.read(course / "source" / "hw1" / "hw1.ipynb", as_version=4)
    for student, nb in submissions(release, source).items():
        folder = course / "submitted" / student / "hw1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "hw1.ipynb")
    nbgrader(course, "autograde", "hw1", "--GradeOutsideKernel.cell_seconds=1")  # the training cell: 1 s
    nbgrader(course, "generate_feedback", "hw1")
    nbgrader(course, "export")
    print(f"nbgrader pipeline: {time.monotonic() - started:.1f} s")
    return course


def autograded_scores(course: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook("hw1", "hw1", student)
        return {exercise_of(g.name): g.auto_score for g in notebook.grades}


def honest_scores(course: Path, student: str) -> dict[str, float]:
    """What `grade` gives the submitted notebook, outside any kernel."""
    report = grade(HW1, load_submission(course / "submitted" / student / "hw1" / "hw1.ipynb"))
    return {e.name: e.score for e in report.exercises}


def feedback_text(course: Path, student: str) -> str:
    page = (course / "feedback" / student / "hw1" / "hw1.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))  # code is highlighted: drop the tags


# ------------------------------------------------------------------ scores ---

def test_the_solution_earns_full_marks(course):
    assert autograded_scores(course, "full") == FULL_MARKS


def test_a_notebook_with_plots_and_a_never_ending_training_cell_earns_full_marks(course):
    assert autograded_scores(course, "coursework") == FULL_MARKS
    text = feedback_text(course, "coursework")
    assert re.search(r"Note: code cell \d+ \(`losses = \[\]`\) ran past 1 s .* and was skipped", text), text[-3000:]


def test_the_untouched_release_earns_nothing(course):
    assert autograded_scores(course, "untouched") == {name: 0.0 for name in FULL_MARKS}


def test_one_wrong_function_loses_points_only_in_its_cell(course):
    scores = autograded_scores(course, "one_wrong")
    assert scores == honest_scores(course, "one_wrong")
    assert scores["adagrad_step"] < FULL_MARKS["adagrad_step"]
    # sigmoid_grad warns and the sigmoid cell prints to stderr: harmless, full marks.
    others = [name for name in FULL_MARKS if name != "adagrad_step"]
    assert {k: scores[k] for k in others} == {k: FULL_MARKS[k] for k in others}


@pytest.mark.parametrize("student", ["patch_numpy", "patch_grader"])
def test_tampering_in_the_kernel_earns_nothing_beyond_the_honest_score(course, student):
    assert autograded_scores(course, student) == honest_scores(course, student)


@pytest.mark.parametrize("student", ["patch_numpy", "patch_grader"])
def test_the_tampering_would_have_worked_in_the_kernel(course, student, tmp_path):
    """Without the outside-the-kernel grading, these notebooks would score more: the
    tests above are not passing by accident."""
    from nbclient import NotebookClient

    nb = nbformat.read(course / "submitted" / student / "hw1" / "hw1.ipynb", as_version=4)
    source = nbformat.read(course / "source" / "hw1" / "hw1.ipynb", as_version=4)
    for cell in nb.cells:  # as nbgrader's OverwriteCells does: the tests with their hidden part
        if is_test_cell(cell):
            cell.source = by_grade_id(source, cell.metadata.nbgrader["grade_id"]).source
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    in_kernel = {exercise_of(c.metadata.nbgrader["grade_id"]): utils.determine_grade(c)[0]
                 for c in nb.cells if is_test_cell(c)}
    assert sum(in_kernel.values()) > sum(honest_scores(course, student).values())


def test_grades_csv_has_every_student(course):
    with open(course / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    expected = {student: sum(autograded_scores(course, student).values()) for student in rows}
    assert rows == pytest.approx(expected)
    assert set(rows) == {"full", "untouched", "one_wrong", "patch_numpy", "patch_grader", "steals_solutions",
                         "coursework"}


# ---------------------------------------------------------------- feedback ---

def test_the_autograded_notebook_keeps_hidden_tests_for_the_instructor(course):
    # The control for the next test: the search below does find hidden tests where they are.
    text = (course / "autograded" / "full" / "hw1" / "hw1.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in text and "reference=True" in text


@pytest.mark.parametrize("student", ["full", "untouched", "one_wrong", "patch_numpy", "patch_grader",
                                     "steals_solutions"])
def test_feedback_has_no_hidden_tests(course, student):
    text = feedback_text(course, student)
    assert 'check("hw1", "mse")' in text  # the visible part of the tests is there
    assert "HIDDEN TESTS" not in text
    assert "reference=True" not in text


@pytest.mark.parametrize("student", ["untouched", "patch_grader", "steals_solutions"])
def test_feedback_has_no_solution_code(course, student):
    """The repository's nbgrader_config.py leaves nbgrader's kernel run out, so a notebook
    that reads solutions/ runs only in the sandboxed worker, which cannot read it."""
    text = feedback_text(course, student)
    assert [region for region in REGIONS if region.strip() in text] == []


def test_solution_search_finds_code_where_it_is(course):
    # The control for the previous test: the full submission's feedback shows its code.
    text = feedback_text(course, "full")
    assert all(region.strip() in text for region in REGIONS)


def test_feedback_explains_a_wrong_function_without_expected_values(course):
    text = feedback_text(course, "one_wrong")
    assert re.search(r"adagrad_step: [\d.]+/12 points \(failed\)", text)
    assert "likely cause: the cache must accumulate" in text  # the hint of the catalogued mistake
    # the check against the reference shows no expected value; a check of a public rule may
    hidden = text.split("one step matches the reference")[1].split("accumulates over")[0]
    assert "got:" in hidden and "expected" not in hidden, text


# ------------------------------------------------- the preprocessor alone ---

def test_preprocessor_sits_between_execute_and_saving_grades():
    steps = autograde_preprocessors()
    assert steps.index(Execute) < steps.index(LimitOutput) < steps.index(GradeOutsideKernel)
    assert steps.index(GradeOutsideKernel) + 1 == steps.index(SaveAutoGrades)
    assert set(steps) - {GradeOutsideKernel} == set(Autograde.class_traits()["autograde_preprocessors"].default())
    assert Execute not in autograde_preprocessors(execute=False)


def _resources(folder: Path) -> dict:
    return {"nbgrader": {"notebook": "hw1", "assignment": "hw1"}, "metadata": {"path": str(folder)}}


def test_preprocessor_grades_an_unexecuted_notebook_once(tmp_path, monkeypatch):
    """With execute=False nothing runs in a kernel: the verdicts come from the worker alone."""
    import grader.nbgrader_plugin as plugin

    calls = []
    monkeypatch.setattr(plugin, "grade", lambda *args, **kwargs: calls.append(args) or grade(*args, **kwargs))
    source = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    nb = with_answers(source, {"adagrad_step": WRONG_ADAGRAD})
    nb, _ = GradeOutsideKernel().preprocess(nb, _resources(tmp_path))
    assert len(calls) == 1
    got = {exercise_of(c.metadata.nbgrader["grade_id"]): utils.determine_grade(c) for c in nb.cells if is_test_cell(c)}
    path = tmp_path / "hw1.ipynb"
    nbformat.write(nb, path)
    honest = {e.name: (e.score, e.points) for e in grade(HW1, load_submission(path)).exercises}
    assert got == honest
    assert all(o.get("name") != "stderr" for c in nb.cells if is_test_cell(c) for o in c.outputs)


def test_preprocessor_refuses_a_notebook_whose_points_disagree_with_the_grader(tmp_path):
    nb = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    by_grade_id(nb, grade_id_of_test("mse")).metadata.nbgrader["points"] = 3
    with pytest.raises(GraderError, match="regenerate the notebook"):
        GradeOutsideKernel().preprocess(nb, _resources(tmp_path))
