"""Gradescope: results.json from a report, and the autograder bundle run in a mimicked /autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import student_work as work
from conftest import FULL_MARKS, HW1, REFERENCE, ROOT, STUBS, run_grade, with_function

from grader.cli import main
from grader.errors import SubmissionError
from grader.gradescope import (
    build_bundle,
    is_valid_results,
    locate_submission,
    results_from_document,
)

REFERENCE_SOURCE = REFERENCE.read_text()
BUGGY_SOURCE = REFERENCE_SOURCE.replace("/ y_pred.size", "/ y_pred.shape[0]")
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def assert_gradescope_schema(results: dict) -> None:
    """The fields Gradescope's specification describes, with their types."""
    assert is_valid_results(results)
    assert isinstance(results["score"], float) and isinstance(results["execution_time"], (int, float))
    assert isinstance(results["output"], str)
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


@pytest.mark.parametrize("source, score", [
    pytest.param(REFERENCE_SOURCE, HW1.points, id="reference"),
    pytest.param(BUGGY_SOURCE, None, id="buggy"),
    pytest.param(STUBS.read_text(), 0.0, id="stubs"),
])
def test_format_gradescope_matches_the_json_report(tmp_path, source, score):
    (tmp_path / "hw1.py").write_text(source)
    results_path = tmp_path / "results.json"
    done = run_grade("hw1", "--submission", str(tmp_path / "hw1.py"), "--format", "gradescope",
                     "--out", str(results_path))
    assert done.returncode in (0, 1), done.stderr
    results = json.loads(results_path.read_text())
    assert_gradescope_schema(results)

    document = json.loads(run_grade("hw1", "--submission", str(tmp_path / "hw1.py"), "--json").stdout)
    expected = results_from_document(document, seconds=results["execution_time"])
    assert results == expected
    # a test per function for its checks of public rules, then one for its checks against the reference
    names = [name for e in document["exercises"] for name, has in (
        (e["name"], not all(c["hidden"] for c in e["checks"])),
        (f"{e['name']}: against the reference", any(c["hidden"] for c in e["checks"]))) if has]
    assert [t["name"] for t in results["tests"]] == names
    for exercise in document["exercises"]:
        mine = [t for t in results["tests"] if t["name"].split(":")[0] == exercise["name"]]
        assert sum(t["score"] for t in mine) == exercise["score"]
        assert (exercise["status"] == "passed") == all(t["status"] == "passed" for t in mine)
    if score is not None:
        assert results["score"] == score
    else:
        assert 0 < results["score"] < HW1.points


def test_results_from_document_of_an_unloadable_submission():
    check = {"description": "d", "points": 10.0, "score": 0.0, "status": "error", "hidden": False,
             "kind": "could not be loaded", "summary": "SyntaxError: invalid syntax"}
    document = {"schema_version": 1, "assignment": "hw1", "score": 0.0, "max_score": 10.0,
                "error": "SyntaxError: invalid syntax",
                "exercises": [{"name": "f", "score": 0.0, "max_score": 10.0, "status": "error",
                               "feedback": "SyntaxError: invalid syntax", "checks": [check]}]}
    results = results_from_document(document, seconds=1.234)
    assert results == {
        "score": 0.0,
        "execution_time": 1.23,
        "output": "hw1: 0/10 points\nYour code could not be graded: SyntaxError: invalid syntax",
        "tests": [{"name": "f", "score": 0.0, "max_score": 10.0, "status": "failed",
                   "output": "SyntaxError: invalid syntax", "visibility": "visible"}],
    }


def test_missing_submission_still_writes_results(tmp_path):
    (tmp_path / "submission").mkdir()
    results_path = tmp_path / "results.json"
    done = run_grade("hw1", "--submission", str(tmp_path / "submission"), "--format", "gradescope",
                     "--out", str(results_path))
    assert done.returncode == 2 and "found no hw1.py or hw1.ipynb" in done.stderr
    results = json.loads(results_path.read_text())
    assert_gradescope_schema(results)
    assert results["score"] == 0 and "in submission/ (it is empty)" in results["output"]


T = 1_700_000_000


@pytest.mark.parametrize("files, found, note", [
    pytest.param({"hw1.py": 0}, "hw1.py", "", id="top-level"),
    pytest.param({"hw1.ipynb": 0, "notes.txt": 0}, "hw1.ipynb", "", id="notebook"),
    pytest.param({"HW1.py": 0, ".hidden": 0}, "HW1.py", "", id="upper-case-name"),
    pytest.param({"homework/hw1.py": 0, "homework/README.md": 0}, "homework/hw1.py", "", id="zipped-folder"),
    pytest.param({"homework/hw1.ipynb": 0, "homework/hw1.py": 60}, "homework/hw1.py",
                 "several files could be your hw1: graded homework/hw1.py (the most recently modified), "
                 "not homework/hw1.ipynb; to choose, submit only one", id="zipped-folder-newer-wins"),
    pytest.param({"a/hw1.py": 60, "b/hw1.ipynb": 0}, "a/hw1.py", "graded a/hw1.py (the most recently modified), "
                 "not b/hw1.ipynb; to choose, submit only one", id="two-folders"),
    pytest.param({"my work/homework 1.ipynb": 0}, "my work/homework 1.ipynb", "graded my work/homework 1.ipynb: "
                 "there is no hw1.py or hw1.ipynb, and it is the only notebook or .py file", id="only-notebook"),
    pytest.param({"a.py": 0, "b.py": 0}, "several other .py or .ipynb files (a.py, b.py); name the one to grade "
                 "hw1.py or hw1.ipynb, or submit only one", None, id="ambiguous"),
    pytest.param({"README.md": 0}, "found no hw1.py or hw1.ipynb and no other .py or .ipynb file in submission/ "
                 "(it holds README.md); name your file hw1.py or hw1.ipynb", None, id="nothing"),
])
def test_locate_submission(tmp_path, files, found, note):
    """files: name -> seconds newer than T; found: the file graded, or the error's message (note None)."""
    folder = tmp_path / "submission"
    for name, newer in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("")
        os.utime(folder / name, (T + newer, T + newer))
    if note is None:
        with pytest.raises(SubmissionError) as error:
            locate_submission(folder, "hw1")
        assert found in str(error.value)
        return
    located = locate_submission(folder, "hw1")
    assert located.path == folder / found
    assert (len(located.notes) == 1 and note in located.notes[0]) if note else located.notes == ()


def test_the_note_reaches_the_results(tmp_path):
    folder = tmp_path / "submission" / "homework"
    folder.mkdir(parents=True)
    (folder / "hw1.ipynb").write_text("{}")
    os.utime(folder / "hw1.ipynb", (T, T))
    (folder / "hw1.py").write_text(REFERENCE_SOURCE)  # written now: the newer one
    results_path = tmp_path / "results.json"
    status = main(["hw1", "--submission", str(tmp_path / "submission"), "--exercise", "sigmoid",
                   "--format", "gradescope", "--out", str(results_path)])
    results = json.loads(results_path.read_text())
    assert status == 0 and results["score"] == FULL_MARKS["sigmoid"]
    assert "Note: several files could be your hw1: graded homework/hw1.py (the most recently modified), not " \
           "homework/hw1.ipynb; to choose, submit only one" in results["output"].splitlines()


# ------------------------------------------------------------------ bundle ---

@pytest.fixture(scope="module")
def bundle(gradescope_bundle) -> Path:
    return gradescope_bundle("hw1")


def test_bundle_contents(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    for name in ("setup.sh", "run_autograder", "pyproject.toml", "README.md", "grader/cli.py", "grader/worker/__main__.py",
                 "grader/homeworks/hw1/__init__.py", "solutions/hw1/hw1.py"):
        assert name in names
    for module in (HW1.reference, getattr(HW1, "mistakes", None)):  # graded with, outside grader/
        if module:
            assert module.replace(".", "/") + ".py" in names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    # this homework's reference only: no other homework's solutions travel with it
    assert {n for n in names if n.startswith("solutions/")} == {
        "solutions/__init__.py", *(f"solutions/hw1/{p.name}" for p in (ROOT / "solutions" / "hw1").glob("*.py"))}
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_bundle_is_reproducible(tmp_path, bundle):
    again = tmp_path / "again.zip"
    build_bundle(HW1, again)
    assert again.read_bytes() == bundle.read_bytes()


@pytest.mark.parametrize("script", ["setup.sh", "run_autograder"])
def test_bundle_scripts_are_valid_bash(tmp_path, bundle, script):
    with zipfile.ZipFile(bundle) as archive:
        archive.extract(script, tmp_path)
    assert subprocess.run(["bash", "-n", str(tmp_path / script)]).returncode == 0


def _gradescope(tmp_path: Path, bundle: Path, submission: dict[str, str], python: str = sys.executable,
                **env: str) -> dict:
    """Lay out tmp/autograder as Gradescope does, run run_autograder, return results.json."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")  # Gradescope copies it there
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    for name, content in submission.items():
        (root / "submission" / name).write_text(content)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": python, **env}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert is_valid_results(results)
    return results


@pytest.mark.parametrize("submission, score, output", [
    pytest.param({"hw1.py": REFERENCE_SOURCE}, HW1.points, "hw1: 100/100 points", id="reference"),
    pytest.param({"hw1.py": "def sigmoid(z) return z\n"}, 0.0, "SyntaxError", id="broken"),
    pytest.param({}, 0.0, "in submission/ (it is empty)", id="missing"),
])
def test_run_autograder_in_mimicked_layout(tmp_path, bundle, submission, score, output):
    results = _gradescope(tmp_path, bundle, submission)
    assert_gradescope_schema(results)
    assert results["score"] == score and output in results["output"]


def test_run_autograder_names_a_skipped_training_cell(tmp_path, bundle):
    raw = work.coursework(work.NEVER_ENDS)
    results = _gradescope(tmp_path, bundle, {"hw1.ipynb": raw}, GRADER_CELL_TIMEOUT="1")
    assert results["score"] == HW1.points
    assert "Note: code cell 7 (`for epoch in range(10**12):" in results["output"], results["output"]


@pytest.mark.parametrize("show", ["", "0", "1"])
def test_run_autograder_hides_expected_values_unless_asked(tmp_path, bundle, show):
    """Issue 9: Gradescope's output showed the reference's values, harvestable by resubmitting."""
    wrong = with_function(REFERENCE_SOURCE, "mse", "def mse(y_pred, y_true):\n"
                                                   "    return float(np.sum((y_pred - y_true) ** 2))\n")
    results = _gradescope(tmp_path, bundle, {"hw1.py": wrong}, GRADER_SHOW_EXPECTED=show)
    (hidden,) = [t for t in results["tests"] if t["name"] == "mse: against the reference"]
    assert hidden["visibility"] == "after_published" and "got" in hidden["output"]
    assert ("expected" in hidden["output"]) == (show == "1"), hidden["output"]


def test_run_autograder_writes_results_even_when_the_grader_cannot_start(tmp_path, bundle):
    results = _gradescope(tmp_path, bundle, {"hw1.py": REFERENCE_SOURCE}, python=str(tmp_path / "no-python"))
    assert results["score"] == 0.0 and results["tests"] == []
    assert "The autograder failed before it could grade" in results["output"]


def test_run_autograder_uses_the_bundled_grader(tmp_path, bundle):
    """A grader change after bundling must not leak in: PYTHONPATH puts the bundle first."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    show = "import grader, solutions; print(grader.__file__, solutions.__file__)"
    where = subprocess.run([sys.executable, "-c", show],
                           env={**os.environ, "PYTHONPATH": str(root / "source")}, capture_output=True, text=True,
                           cwd=tmp_path)
    assert where.stdout.split() == [str(root / "source" / "grader" / "__init__.py"),
                                    str(root / "source" / "solutions" / "__init__.py")]


@pytest.mark.parametrize("args, message", [
    pytest.param(["gradescope-bundle", "hw9"], "there is no homework 'hw9'", id="unknown-homework"),
    pytest.param(["gradescope-bundle"], "the following arguments are required: homework", id="no-homework"),
    pytest.param(["hw1", "--format", "gradescope", "--json"], "contradict each other", id="json-and-gradescope"),
])
def test_bad_gradescope_input_exits_2(tmp_path, args, message):
    done = run_grade(*args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
