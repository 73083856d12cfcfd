"""Where bubblewrap cannot run (Docker's defaults, as on Gradescope): the audit hook's narrow
view of /etc, and, for a grader running as root, the worker run as an unprivileged user.

A submission that switches the audit hook off (numpy can write raw memory) has the
operating system's view of the machine. These tests ask that view directly, with
calls the hook does not see (os.access, os.stat): as root it could read the reference
and /etc/shadow and write results.json; as the unprivileged user it cannot.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from conftest import FAST_LIMITS, FULL_MARKS, ROOT, grade_source, reference_source
from grader import sandbox
from grader.errors import GraderError
from grader.gradescope import is_valid_results

SHADOW = Path("/etc/shadow")
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can run a worker as another user, or read /etc/shadow")
needs_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the files of a Linux system")


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


@needs_linux
def test_python_and_numpy_still_read_what_they_need_from_etc(tmp_path, isolation):
    report = grade_source(tmp_path, reference_source() + USES_THE_SYSTEM, only=["sigmoid"])
    assert "not allowed" not in report.output, report.output
    printed = dict(line.split(" ", 1) for line in report.output.splitlines() if " " in line)
    assert printed["localtime"].isdigit() and printed["zone"] == "2:00:00", report.output
    assert printed["platform"] == "Linux True" and printed["os-release"] == "True", report.output
    assert printed["mime"] == "text/csv" and printed["plot"] in ("saved", "not installed"), report.output
    assert report.exercise("sigmoid").score == FULL_MARKS["sigmoid"]


# ------------------------------------- item 11: the worker as an unprivileged user ---

# Functions of hw1 that call none of the others: a fact's verdict is the function's own.
INDEPENDENT = ("sigmoid", "mse", "mse_grad", "adagrad_step", "dropout_forward", "dropout_backward")


def _asks(facts: dict[str, str]) -> str:
    """The reference, with each named function right only if its fact holds in the worker,
    asked of the operating system with calls the audit hook does not see."""
    assert set(facts) <= set(INDEPENDENT)
    source = reference_source() + "\nimport os as _os\n"
    for function, fact in facts.items():
        source += (f"_right_{function} = {function}\n"
                   f"def {function}(*args, **kwargs):\n"
                   f"    if not ({fact}):\n"
                   f"        raise RuntimeError({'not so in the worker: ' + fact!r})\n"
                   f"    return _right_{function}(*args, **kwargs)\n")
    return source


@needs_root
def test_the_worker_runs_as_the_user_in_its_cgroup(tmp_path, user_python, no_bubblewrap, monkeypatch):
    uid, gid = _nobody()
    monkeypatch.setenv("GRADER_SANDBOX_USER", "nobody")
    monkeypatch.setattr(sys, "executable", user_python)
    secret = tmp_path / "secret.txt"  # root's temporary folders are root's alone
    secret.write_text("x")
    source = _asks({"sigmoid": f"_os.getuid() == {uid} and _os.getgid() == {gid} and _os.getgroups() == []",
                    "mse": f"not _os.access({str(secret)!r}, _os.R_OK)",
                    "mse_grad": "_os.stat(_os.getcwd()).st_uid == _os.getuid()"})  # the scratch folder is its own
    report = grade_source(tmp_path, source, only=["sigmoid", "mse", "mse_grad"], limits=FAST_LIMITS)
    assert {e.name: e.score for e in report.exercises} == {n: FULL_MARKS[n] for n in ("sigmoid", "mse", "mse_grad")}
    assert "unprivileged user" in report.layers and "bubblewrap" not in report.layers
    assert any("runs as an unprivileged user" in note for note in report.notes), report.notes  # not "timeouts only"
    probe = sandbox.Cgroup.create(FAST_LIMITS.memory_bytes)  # where the grader can make one, the worker joins it
    if probe is not None:
        probe.remove()
    assert ("cgroup" in report.layers) == (probe is not None), report.layers


@needs_root
def test_the_users_worker_runs_from_a_copy_it_cannot_change(tmp_path, user_python, no_bubblewrap, monkeypatch):
    """The worker's folder is copied where the user may read it (the grader's own lies beside the
    reference on Gradescope): every module of it, none of them, nor the folder, writable by the user."""
    monkeypatch.setenv("GRADER_SANDBOX_USER", "nobody")
    monkeypatch.setattr(sys, "executable", user_python)
    copy = sandbox._worker_folder_for_user()
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in sandbox.WORKER_FOLDER.glob("*.py"))
    paths = [str(copy), str(copy.parent), *(str(copy / p.name) for p in sandbox.WORKER_FOLDER.glob("*.py"))]
    source = _asks({"sigmoid": f"all(_os.access(p, _os.R_OK) and not _os.access(p, _os.W_OK) for p in {paths!r})"})
    report = grade_source(tmp_path, source, only=["sigmoid"], limits=FAST_LIMITS)
    assert "unprivileged user" in report.layers, report.layers
    assert {e.name: e.score for e in report.exercises} == {"sigmoid": FULL_MARKS["sigmoid"]}, report.exercises


@pytest.mark.skipif(os.name != "posix", reason="users are switched on POSIX only")
def test_no_user_is_chosen_when_it_cannot_or_need_not_be(monkeypatch):
    monkeypatch.setattr(sandbox, "_BWRAP", [None])
    monkeypatch.delenv("GRADER_SANDBOX_USER", raising=False)
    assert sandbox.sandbox_user() is None  # none configured
    monkeypatch.setenv("GRADER_SANDBOX_USER", "nobody")
    if os.geteuid() != 0:
        assert sandbox.sandbox_user() is None  # only root can switch users
    else:
        assert sandbox.sandbox_user() == _nobody()
        monkeypatch.setattr(sandbox, "_BWRAP", ["/usr/bin/bwrap"])  # bubblewrap is the stronger wall
        launch = sandbox.prepare(FAST_LIMITS, Path(tempfile.mkdtemp()), [])
        sandbox.remove_scratch(launch.cwd)
        if launch.cgroup is not None:
            launch.cgroup.remove()
        assert launch.user is None and "unprivileged user" not in launch.layers


@needs_root
def test_a_missing_user_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(sandbox, "_BWRAP", [None])
    monkeypatch.setenv("GRADER_SANDBOX_USER", "no-such-user-here")
    with pytest.raises(GraderError, match="no-such-user-here.*does not exist"):
        sandbox.sandbox_user()


@pytest.fixture(scope="module")
def bundle(gradescope_bundle) -> Path:
    return gradescope_bundle("hw1")


@pytest.fixture
def autograder():
    """A mimicked /autograder that others may enter, as Gradescope's is (pytest's own
    temporary folders are root's alone, which would hide everything in them)."""
    folder = Path(tempfile.mkdtemp(prefix="grade-test-gradescope-"))
    folder.chmod(0o755)
    yield folder / "autograder"
    shutil.rmtree(folder, ignore_errors=True)


@needs_root
def test_gradescope_without_bubblewrap_hides_the_course_from_student_code(autograder, bundle, user_python):
    """Issue 10 item 11: without bubblewrap, the worker ran as root; a submission that switched the
    audit hook off could read the reference in /autograder/source and write results.json."""
    _nobody()
    root = autograder
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "submission_metadata.json").write_text('{"users": [{"email": "someone@example.org"}]}')
    reference = root / "source" / "solutions" / "hw1" / "hw1.py"
    assert reference.is_file()
    # Each function is right only if the attack it names works.
    attacks = {
        "sigmoid": "_os.getuid() == 0",
        "mse": f"_os.access({str(reference)!r}, _os.R_OK)",
        "mse_grad": f"_os.access({str(root / 'results')!r}, _os.W_OK | _os.X_OK)",
        "adagrad_step": "_os.access('/etc/shadow', _os.R_OK)",
        "dropout_backward": f"_os.access({str(root / 'submission_metadata.json')!r}, _os.R_OK)",
    }
    (root / "submission" / "hw1.py").write_text(_asks(attacks))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": user_python, "GRADER_NO_BWRAP": "1",
           "GRADER_SANDBOX_USER": "nobody"}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert is_valid_results(results), results
    scores: dict[str, float] = {}
    for test in results["tests"]:
        name = test["name"].split(":")[0]
        scores[name] = scores.get(name, 0.0) + test["score"]
    held = {name: scores.get(name) for name in attacks if scores.get(name) == FULL_MARKS[name]}
    assert not held, f"these attacks worked: {held}\n{results['output']}"
    control = set(INDEPENDENT) - set(attacks)  # graded as the user, to full marks
    assert control and {n: scores.get(n) for n in control} == {n: FULL_MARKS[n] for n in control}, results["output"]


@needs_linux
def test_no_program_the_worker_starts_gains_privileges(tmp_path, isolation):
    """A user's worker past the audit hook could still run a setuid-root program (su, mount):
    the kernel's no_new_privs flag, which bubblewrap sets, makes that gain nothing."""
    shows = "print([line for line in open('/proc/self/status') if line.startswith('NoNewPrivs')])\n"
    report = grade_source(tmp_path, reference_source() + shows, only=["sigmoid"])
    assert "['NoNewPrivs:\\t1\\n']" in report.output, report.output


@pytest.mark.skipif(os.name != "posix", reason="users are switched on POSIX only")
def test_the_user_joins_a_v1_cgroup_and_not_a_v2_one(tmp_path):
    """v2 also asks for write access to root's cgroup, which the user leaves: the join would fail
    and the worker with it, so no cgroup is used there rather than a broken one."""
    v1, v2 = tmp_path / "pids" / "nn-grader-1-0", tmp_path / "unified" / "nn-grader-1-0"
    for folder in (v1, v2):
        folder.mkdir(parents=True)
        (folder / "cgroup.procs").write_text("")
    (v2 / "cgroup.controllers").write_text("memory pids\n")
    user = _nobody() if os.geteuid() == 0 else (os.getuid(), os.getgid())  # only root can give files away
    assert sandbox._let_user_join(sandbox.Cgroup([v1]), user) is True
    assert (v1 / "cgroup.procs").stat().st_uid == user[0]
    assert sandbox._let_user_join(sandbox.Cgroup([v2]), user) is False
    assert (v2 / "cgroup.procs").stat().st_uid == os.getuid()


@needs_root
def test_shared_memory_the_user_left_is_removed(tmp_path):
    """Code past the audit hook could leave files in /dev/shm (memory no limit counts, after the
    worker is gone): what the sandbox user owns there is removed when its worker stops."""
    uid, gid = _nobody()
    left, kept = tmp_path / "held-by-the-submission", tmp_path / "someone-elses"
    left.write_bytes(b"x" * 4096)
    kept.write_bytes(b"y")
    os.chown(left, uid, gid)
    sandbox.remove_shared_memory_of(uid, tmp_path)
    assert not left.exists() and kept.exists()
