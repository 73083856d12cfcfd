"""The student release: stubs, the released notebook, the grader, and no solution code.

The release is built once per module. Its `grade` command is tested in a fresh
virtual environment where it is pip-installed from the release folder: in this
checkout's own environment the editable install makes `solutions` importable,
which a student never has.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import with_function

from grader.homeworks import HOMEWORKS
from grader.release import INSTRUCTOR_MODULES, ReleaseError, build_release, find_leaks
from grader.stubs import expected_stub, solution_regions

ROOT = Path(__file__).resolve().parent.parent

# One test process builds the release and its virtual environment for all these tests (pytest-xdist).
pytestmark = pytest.mark.xdist_group("release")

SOLUTION = ROOT / "solutions" / "hw1" / "hw1.py"
HW1 = HOMEWORKS["hw1"]
REGIONS = solution_regions(SOLUTION.read_text())
REFERENCE_FREE_POINTS = sum(c.points for e in HW1.exercises for c in e.checks if not c.needs_reference)
# In a release, these gradient checks take the student's own forward function as the truth:
# they are not judged (and cost nothing) while that function fails its own checks.
TAKES_AS_TRUTH = {"sigmoid_grad": "sigmoid", "mse_grad": "mse", "dropout_backward": "dropout_forward"}


def waiting_points(failing: set[str]) -> float:
    """The points of the gradient checks that wait for one of the `failing` functions."""
    return sum(c.points for e in HW1.exercises if TAKES_AS_TRUTH.get(e.name) in failing
               for c in e.checks if c.description.startswith("gradient check"))
NAIVE_SIGMOID = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


@pytest.fixture(scope="module")
def release(student_release) -> Path:
    return student_release


def texts_of(folder: Path) -> dict[str, str]:
    """Every file's text; a notebook's cell sources too, since JSON escapes quotes and newlines."""
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            if path.suffix == ".ipynb":
                text += "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
            texts[str(path.relative_to(folder))] = text
    return texts


def _region_id(region: str) -> str:
    return next(line.strip() for line in region.splitlines() if line.strip())[:40]


# ------------------------------------------------------------- contents ---

@pytest.mark.parametrize("region", REGIONS, ids=_region_id)
def test_no_solution_region_anywhere_in_the_release(release, region):
    assert [name for name, text in texts_of(release).items() if region.strip() in text] == []


def test_the_search_would_find_a_solution_region(tmp_path):
    # The control for the test above, through the same kind of notebook JSON.
    source = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    nbformat.write(source, tmp_path / "hw1.ipynb")
    assert all(region.strip() in texts_of(tmp_path)["hw1.ipynb"] for region in REGIONS)
    assert find_leaks(tmp_path, REGIONS) == {"hw1.ipynb"}


def test_the_stub_is_the_generated_stub(release):
    assert (release / "assignments" / "hw1" / "hw1.py").read_text() == expected_stub(SOLUTION)


def test_the_grader_is_there_without_the_instructor_modules(release):
    shipped = {p.name for p in (release / "grader").glob("*.py")}
    expected = {p.name for p in (ROOT / "grader").glob("*.py")} - INSTRUCTOR_MODULES
    assert shipped == expected
    for name in HOMEWORKS:
        declaration = {p.relative_to(ROOT) for p in (ROOT / "grader" / "homeworks" / name).glob("*.py")}
        assert declaration and all((release / path).is_file() for path in declaration)
    assert not (release / "solutions").exists() and not (release / "source").exists()
    assert (release / "pyproject.toml").exists() and (release / "README.md").exists()


def test_the_notebook_is_released_without_solutions_or_hidden_tests(release):
    nb = nbformat.read(release / "assignments" / "hw1" / "hw1.ipynb", as_version=4)
    sources = "\n".join(cell.source for cell in nb.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "reference=True"):
        assert marker not in sources
    for exercise in HW1.exercises:
        answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == exercise.name)
        test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"test_{exercise.name}")
        assert "raise NotImplementedError" in answer.source
        assert f'check("hw1", "{exercise.name}")' in test.source
        assert test.metadata.editable is False and test.metadata.nbgrader["checksum"]


def test_a_leak_fails_the_build_and_leaves_nothing(tmp_path):
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "grader", root / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "solutions", root / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root)
    (root / "grader" / "leaky.py").write_text("# a helper\n" + REGIONS[0])
    with pytest.raises(ReleaseError, match="leaky.py"):
        build_release(tmp_path / "out", root)
    assert not (tmp_path / "out").exists()


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReleaseError, match="not empty"):
        build_release(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# -------------------------------------------------- installed, as a student ---

@pytest.fixture(scope="module")
def student_python(release, tmp_path_factory) -> Path:
    """A fresh virtual environment with the release pip-installed (dependencies from the package index)."""
    venv = tmp_path_factory.mktemp("venv") / "student"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    built = tmp_path_factory.mktemp("build") / "release"
    shutil.copytree(release, built)  # pip may write build/ next to the sources
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", str(built)], check=False, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return python


def run_grade(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    grade = python.parent / "grade"  # the console script pip installed
    return subprocess.run([str(grade), *args], check=False, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_student_environment_has_no_reference(student_python, tmp_path):
    done = subprocess.run([str(student_python), "-c", "import solutions"], check=False, cwd=tmp_path,
                          capture_output=True, text=True)
    assert "No module named 'solutions'" in done.stderr


def test_grade_in_the_release_grades_the_stubs_without_the_reference(student_python, release):
    done = run_grade(student_python, "hw1", cwd=release)
    assert done.returncode == 1, done.stdout + done.stderr  # graded: fell short
    assert "Traceback" not in done.stdout + done.stderr
    waiting = waiting_points(set(TAKES_AS_TRUTH.values()))
    assert f"Total: 0/{REFERENCE_FREE_POINTS - waiting:g}" in done.stdout
    assert f"{waiting:g} points are not judged yet" in " ".join(done.stdout.split())  # the total says why
    assert f"{HW1.points - REFERENCE_FREE_POINTS:g} points come from checks against the instructor's reference" \
        in " ".join(done.stdout.split())


def test_grade_in_the_release_names_the_checks_it_skipped(student_python, release, tmp_path):
    work = tmp_path / "hw1.py"  # all correct, but sigmoid overflows for large negative z
    work.write_text(with_function(SOLUTION.read_text(), "sigmoid", NAIVE_SIGMOID))
    done = run_grade(student_python, "hw1", "--json", "--submission", str(work), cwd=release)
    document = json.loads(done.stdout)
    assert document["max_score"] == REFERENCE_FREE_POINTS - waiting_points({"sigmoid"})
    assert document["examples"] == "public"  # no reference, so no secret (even with GRADER_SECRET_FILE set)
    sigmoid_grad = next(e for e in document["exercises"] if e["name"] == "sigmoid_grad")
    (waiting,) = [c for c in sigmoid_grad["checks"] if c["status"] == "not_judged"]
    assert "not judged yet" in waiting["summary"] and "your sigmoid" in waiting["summary"]
    sigmoid = next(e for e in document["exercises"] if e["name"] == "sigmoid")
    assert sigmoid["status"] == "failed"
    skipped = [c.description for c in HW1.exercise("sigmoid").checks if c.needs_reference]
    assert f"needs the instructor's reference): {'; '.join(skipped)}" in sigmoid["feedback"]
    others = [e for e in document["exercises"] if e["name"] != "sigmoid"]
    assert all(e["score"] == e["max_score"] for e in others)


def test_grade_in_the_release_grades_the_released_notebook(student_python, release):
    done = run_grade(student_python, "hw1", "--json", "--submission", "assignments/hw1/hw1.ipynb", cwd=release)
    document = json.loads(done.stdout)
    assert done.returncode == 1 and document["score"] == 0
    assert [e["status"] for e in document["exercises"]] == ["not_implemented"] * len(HW1.exercises)
    # Its test cells run as plain code there: they must neither fail nor start a grader.
    assert not [note for note in document.get("notes", []) if "raised an error" in note]
