"""docs/writing-a-homework.md, followed to the letter in a copy of the course.

Every file the guide shows with a path is written into a temporary copy of the checkout;
the stub and the notebook are generated; a right and a wrong submission are graded with
the copy's own `grade`. Nothing outside the new homework's own folders may change: that is
what "adding a homework adds data, not code" means.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GUIDE = ROOT / "docs" / "writing-a-homework.md"
FILE_BLOCK = re.compile(r"^```python file=(\S+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OWN_FOLDERS = ("grader/homeworks/hw0/", "solutions/hw0/", "assignments/hw0/", "source/hw0/", "tests/catalogue/hw0/")
SKIPPED = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "autograded", "submitted", "feedback",
           "release", "gradebook.db", "course-secret.txt"}

# One test process builds the copy for all these tests (pytest-xdist).
pytestmark = pytest.mark.xdist_group("writing-a-homework")


def guide_files() -> dict[str, str]:
    return {path: text for path, text in FILE_BLOCK.findall(GUIDE.read_text())}


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (but caches), by its path, with a hash of its content."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not SKIPPED.intersection(relative.parts) and path.suffix != ".pyc":
            files[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def run(course: Path, *args: str) -> subprocess.CompletedProcess:
    """A command of the copied course, run with the copy's own grader package."""
    env = {**os.environ, "PYTHONPATH": str(course)}
    return subprocess.run([sys.executable, *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the checkout with the guide's homework added, its stub and notebook generated."""
    course = tmp_path_factory.mktemp("course") / "checkout"
    shutil.copytree(ROOT, course, ignore=lambda folder, names: [n for n in names if n in SKIPPED])
    before = snapshot(course)
    for path, text in guide_files().items():
        (course / path).parent.mkdir(parents=True, exist_ok=True)
        (course / path).write_text(text)
    for module in ("grader.stubs", "grader.notebooks"):
        done = run(course, "-m", module)
        assert done.returncode == 0, done.stderr
    course.joinpath("before.json").write_text(json.dumps(before))
    return course


def test_the_guide_writes_every_part_of_a_homework() -> None:
    written = set(guide_files())
    assert {"solutions/hw0/hw0.py", "solutions/hw0/mistakes.py", "grader/homeworks/hw0/__init__.py",
            "tests/catalogue/hw0/mutants.py", "tests/catalogue/hw0/alternatives.py"} <= written


def test_the_copy_runs_its_own_grader(course: Path) -> None:
    done = run(course, "-c", "import grader; print(grader.__file__)")
    assert done.stdout.strip() == str(course / "grader" / "__init__.py")


def test_adding_the_homework_touches_only_its_own_folders(course: Path) -> None:
    before = json.loads(course.joinpath("before.json").read_text())
    after = snapshot(course)
    after.pop("before.json")
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed and all(path.startswith(OWN_FOLDERS) for path in changed), sorted(changed)
    assert {"assignments/hw0/hw0.py", "source/hw0/hw0.ipynb"} <= changed


def test_the_new_homework_is_listed(course: Path) -> None:
    done = run(course, "-m", "grader.cli", "--list")
    assert done.returncode == 0 and "hw0" in done.stdout and "softplus_grad" in done.stdout, done.stdout


def _grade(course: Path, folder: Path, source: str) -> dict:
    folder.mkdir()
    (folder / "hw0.py").write_text(source)
    done = run(course, "-m", "grader.cli", "hw0", "--submission", str(folder / "hw0.py"), "--json")
    assert done.returncode in (0, 1), done.stderr
    return {e["name"]: (e["score"], e["max_score"]) for e in json.loads(done.stdout)["exercises"]}


def test_a_right_submission_earns_full_marks(course: Path, tmp_path: Path) -> None:
    scores = _grade(course, tmp_path / "right", (course / "solutions" / "hw0" / "hw0.py").read_text())
    assert scores == {"softplus": (50, 50), "softplus_grad": (50, 50)}


def test_a_wrong_function_loses_its_own_points_only(course: Path, tmp_path: Path) -> None:
    source = (course / "solutions" / "hw0" / "hw0.py").read_text()
    wrong = re.sub(r"(def softplus_grad.*?### BEGIN SOLUTION\n).*?(\n\s*### END SOLUTION)",
                   r"\1    return 1 / (1 + np.exp(z))\2", source, flags=re.DOTALL)
    assert wrong != source
    scores = _grade(course, tmp_path / "wrong", wrong)
    assert scores["softplus"] == (50, 50) and scores["softplus_grad"][0] < 50, scores


def test_the_stubs_earn_nothing(course: Path, tmp_path: Path) -> None:
    scores = _grade(course, tmp_path / "stub", (course / "assignments" / "hw0" / "hw0.py").read_text())
    assert scores == {"softplus": (0, 50), "softplus_grad": (0, 50)}


def test_the_harness_proves_the_new_homework(course: Path) -> None:
    """The copy's own tests/test_homeworks.py, on hw0 alone: reference, stubs, catalogue, sync."""
    done = run(course, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_homeworks.py", "-k", "hw0")
    assert done.returncode == 0, done.stdout[-3000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed.group(1)) >= 12, done.stdout[-1000:]
