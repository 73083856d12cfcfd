"""Shared helpers: grade a submission given as source text, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader import sandbox
from grader import secret as course_secret
from grader.engine import grade
from grader.homeworks import HOMEWORKS
from grader.settings import Limits
from grader.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "hw1" / "hw1.py"
STUBS = ROOT / "assignments" / "hw1" / "hw1.py"
HW1 = HOMEWORKS["hw1"]
FULL_MARKS = {e.name: e.points for e in HW1.exercises}


# The suite grades as an instructor does, with a course secret: a fixed one, so that verdicts
# are reproducible and a developer's own course-secret.txt changes nothing. (tests/test_secret.py
# grades without one, and with others.)
TEST_SECRET = "5eed" * 16


@pytest.fixture(autouse=True, scope="session")
def test_course_secret(tmp_path_factory) -> course_secret.Secret:
    path = tmp_path_factory.mktemp("secret") / course_secret.FILE_NAME
    path.write_text(TEST_SECRET + "\n")
    path.chmod(0o600)
    before = os.environ.get(course_secret.ENV_VAR)
    os.environ[course_secret.ENV_VAR] = str(path)  # for the grader here and the `grade` commands the tests run
    yield course_secret.read(path)
    if before is None:
        os.environ.pop(course_secret.ENV_VAR, None)
    else:
        os.environ[course_secret.ENV_VAR] = before


@pytest.fixture(autouse=True, scope="session")
def examples_cache(tmp_path_factory) -> Path:
    """The public examples the suite draws are kept in a folder of its own, not the user's cache."""
    from grader import examples

    folder = tmp_path_factory.mktemp("examples-cache")
    before = os.environ.get(examples.ENV_VAR)
    os.environ[examples.ENV_VAR] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(examples.ENV_VAR, None)
    else:
        os.environ[examples.ENV_VAR] = before


@pytest.fixture(scope="session")
def student_release(tmp_path_factory) -> Path:
    """The student release of every homework (python -m grader.release), built once."""
    from grader.release import build_release

    out = tmp_path_factory.mktemp("release") / "hw-release"
    build_release(out)
    return out


@pytest.fixture(scope="session")
def gradescope_bundle(tmp_path_factory):
    """build(homework) -> its Gradescope bundle (`grade gradescope-bundle`), built once in the
    session for every test that runs it; the tests only read it."""
    built: dict[str, Path] = {}

    def build(homework: str) -> Path:
        if homework not in built:
            out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
            done = run_grade("gradescope-bundle", homework, "--out", str(out))
            assert done.returncode == 0, done.stderr
            built[homework] = out
        return built[homework]

    return build


def reference_source() -> str:
    return REFERENCE.read_text()


def grade_source(tmp_path: Path, source: str, name: str = "hw1.py", **kwargs):
    """Write `source` as a submission in its own folder under tmp_path and grade it."""
    folder = tmp_path / "submission"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(source)
    return grade(HW1, load_submission(path), **kwargs)


def scores(report) -> dict[str, float]:
    return {e.name: e.score for e in report.exercises}


def statuses(report) -> dict[str, str]:
    return {e.name: e.status for e in report.exercises}


def run_grade(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the `grade` command as a student would."""
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(params=["bubblewrap", "audit-only"])
def isolation(request, monkeypatch):
    """Run a test with the OS-level sandbox and again without it (as on macOS or Windows)."""
    if request.param == "bubblewrap":
        if sandbox.bubblewrap() is None:
            pytest.skip("bubblewrap is not available on this machine")
    else:
        monkeypatch.setattr(sandbox, "_BWRAP", [None])
    return request.param


# Small budgets so that tests of code that never ends stay fast. They count CPU time, so
# correct code (milliseconds a check) passes with them on a busy machine too. The wall-clock
# backstop (4 * budget + 2 s) ends code that sleeps or cannot be interrupted; it leaves room
# for code that computes to reach its CPU budget first while other processes share the cores.
FAST_LIMITS = Limits(call_seconds=2.0, cell_seconds=1.0, load_seconds=2.0, total_seconds=90.0,
                     wall_factor=4.0, wall_slack=2.0)


def with_function(source: str, name: str, definition: str) -> str:
    """`source` with the top-level function `name` replaced by `definition`."""
    import ast
    import textwrap

    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    lines = source.splitlines(keepends=True)
    return "".join(lines[: node.lineno - 1]) + textwrap.dedent(definition).strip() + "\n" + "".join(lines[node.end_lineno:])


def processes() -> dict[int, str]:
    """Every process of the machine: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                pass
    return found
