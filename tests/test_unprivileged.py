"""Where bubblewrap cannot run (Docker's defaults, as on Gradescope): the audit hook's narrow
view of /etc, and, for a grader running as root, the worker run as an unprivileged user.

A submission that switches the audit hook off (numpy can write raw memory) has the
operating system's view of the machine. These tests ask that view directly, with
calls the hook does not see (os.access, os.stat): as root it could read the reference
and /etc/shadow and write results.json; as the unprivileged user it cannot.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import FAST_LIMITS, FULL_MARKS, HW1, ROOT, grade_source, reference_source, run_grade, with_function
from grader import runner, sandbox
from grader.gradescope import is_valid_results

SHADOW = Path("/etc/shadow")
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can run a worker as another user, or read /etc/shadow")


def _nobody() -> tuple[int, int]:
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("this machine has no user 'nobody'")
    return entry.pw_uid, entry.pw_gid


def _can_run(python: str, user: tuple[int, int]) -> bool:
    try:
        probe = subprocess.run([python, "-I", "-c", "import numpy"], user=user[0], group=user[1], extra_groups=[],
                               cwd="/", capture_output=True, timeout=60)
    except OSError:  # not allowed to run it at all
        return False
    return probe.returncode == 0


@pytest.fixture(scope="module")
def user_python():
    """A Python with numpy (and this environment's packages) that the user 'nobody' can run.

    This one, if it can (as on an image whose Python lies in /usr); else a virtual
    environment of the system's Python of the same version whose packages are this
    environment's (this one may lie under /root, which only root can enter), as the
    bundle's setup.sh makes one the user can run.
    """
    user = _nobody()
    if _can_run(sys.executable, user):
        yield sys.executable
        return
    system = shutil.which(f"python{sys.version_info.major}.{sys.version_info.minor}", path="/usr/bin:/usr/local/bin")
    if system is None:
        pytest.skip("no Python the user 'nobody' can run")
    folder = Path(tempfile.mkdtemp(prefix="grade-test-python-"))
    try:
        folder.chmod(0o755)
        subprocess.run([system, "-m", "venv", "--without-pip", str(folder / "venv")], check=True, timeout=120)
        (packages,) = (folder / "venv" / "lib").glob("python*/site-packages")
        (packages / "this-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
        python = str(folder / "venv" / "bin" / "python")
        if not _can_run(python, user):
            pytest.skip("no Python the user 'nobody' can run")
        yield python
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_bubblewrap(monkeypatch):
    """As in a container where bubblewrap cannot start."""
    monkeypatch.setattr(sandbox, "_BWRAP", [None])
    monkeypatch.setenv("GRADER_NO_BWRAP", "1")


# ------------------------------------------------------ item 12: /etc/shadow ---

PRINTS_SHADOW = """
try:
    print(open("/etc/shadow").read())
except Exception as error:
    print("refused:", error)
"""


def _shadow_lines() -> list[str]:
    if not os.access(SHADOW, os.R_OK):
        pytest.skip("/etc/shadow is not readable here: nothing to leak")
    lines = [line for line in SHADOW.read_text().splitlines() if line.strip()]
    if not lines:
        pytest.skip("/etc/shadow is empty here")
    return lines


@needs_root
def test_etc_shadow_does_not_reach_the_feedback(tmp_path):
    """Issue 10 item 12: /etc was allowed as a whole, so a root grader without bubblewrap
    printed /etc/shadow into the student's feedback."""
    lines = _shadow_lines()
    submission = tmp_path / "hw1.py"
    submission.write_text(reference_source() + PRINTS_SHADOW)
    done = subprocess.run([sys.executable, "-m", "grader.cli", "hw1", "--submission", str(submission),
                           "--exercise", "sigmoid"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GRADER_NO_BWRAP": "1", "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    leaked = [line for line in lines if line in done.stdout or line in done.stderr]
    assert not leaked, f"{len(leaked)} lines of /etc/shadow reached the feedback"
    assert "reading /etc/shadow is not allowed" in done.stdout, done.stdout


USES_THE_SYSTEM = """
import datetime, mimetypes, platform, time, zoneinfo
print("localtime", time.strftime("%Y", time.localtime()))
print("zone", datetime.datetime(2024, 7, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")).utcoffset())
print("platform", platform.system(), bool(platform.platform()))
print("os-release", "ID" in platform.freedesktop_os_release())
print("mime", mimetypes.guess_type("data.csv")[0])
try:
    import matplotlib.pyplot as plt
except ImportError:
    print("plot", "not installed")
else:
    plt.plot([1, 2, 3])
    plt.savefig("plot.png")
    print("plot", "saved")
"""


def test_python_and_numpy_still_read_what_they_need_from_etc(tmp_path, isolation):
    report = grade_source(tmp_path, reference_source() + USES_THE_SYSTEM, only=["sigmoid"])
    assert "not allowed" not in report.output, report.output
    printed = dict(line.split(" ", 1) for line in report.output.splitlines() if " " in line)
    assert printed["localtime"].isdigit() and printed["zone"] == "2:00:00", report.output
    assert printed["platform"] == "Linux True" and printed["os-release"] == "True", report.output
    assert printed["mime"] == "text/csv" and printed["plot"] in ("saved", "not installed"), report.output
    assert report.exercises[0].score == FULL_MARKS["sigmoid"]
