"""Untrusted submissions: each test is named by what the submission tries.

Every hostile submission must earn nothing beyond what its honest code earns,
must not stop or break the grader, and must leave nothing behind. Each runs with
the bubblewrap sandbox and again with only the in-process layers (audit hooks,
resource limits), as on a laptop without bubblewrap.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import (FAST_LIMITS, FULL_MARKS, ROOT, STUBS, grade_source, processes, reference_source, run_grade,
                      scores, statuses, with_function)
from grader import runner, sandbox
from grader.settings import Limits
from grader.submission import load_submission

STUB_SOURCE = STUBS.read_text()
WRONG_MSE = "def mse(y_pred, y_true):\n    return 0.0\n"


def honest_wrong_mse() -> str:
    return with_function(reference_source(), "mse", WRONG_MSE)


# --------------------------------------------------------- gaining points ---

TAMPERING = {
    "patches numpy comparisons": """
        import numpy as np
        np.allclose = lambda *a, **k: True
        np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)
        np.array_equal = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        np.abs = lambda x, *a, **k: 0 * x
    """,
    "patches math": """
        import math
        math.isclose = lambda *a, **k: True
        math.isfinite = lambda x: True
    """,
    "patches grader modules": """
        import sys, types
        for name in ["grader", "grader.compare", "grader.checks", "grader.engine"]:
            fake = types.ModuleType(name)
            fake.compare = lambda *a, **k: None
            sys.modules[name] = fake
        try:
            import grader.compare
            grader.compare.compare = lambda *a, **k: None
        except Exception:
            pass
    """,
    "prints a fake report": """
        import json
        print(json.dumps({"assignment": "hw1", "score": 100.0, "max_score": 100.0, "exercises": []}))
        print("Total: 100/100")
    """,
    "hunts expected values with gc and inspect": """
        import gc, inspect
        def _hunt():
            try:
                for obj in gc.get_objects():
                    pass
            except Exception:
                pass
            for frame in inspect.stack():
                for value in frame.frame.f_locals.values():
                    pass
        _hunt()
    """,
    "imports the reference solutions": """
        try:
            from solutions.hw1.hw1 import *  # noqa
        except Exception:
            pass
        try:
            import importlib
            _ref = importlib.import_module("solutions.hw1.hw1")
            globals().update({k: getattr(_ref, k) for k in dir(_ref) if not k.startswith("_")})
        except Exception:
            pass
    """,
    "reads the reference solutions from disk": """
        import os, sys
        def _steal():
            starts = [os.getcwd(), os.path.dirname(os.path.abspath(__file__ or ".")), *sys.path, "/", "/work", "/root", "/tmp"]
            for start in starts:
                folder = os.path.abspath(start)
                for _ in range(8):
                    for candidate in (os.path.join(folder, "solutions", "hw1", "hw1.py"),
                                      os.path.join(folder, "source", "hw1", "hw1.ipynb")):
                        try:
                            with open(candidate) as handle:
                                exec(handle.read(), globals())
                            return True
                        except Exception:
                            pass
                    folder = os.path.dirname(folder)
            for top in ("/work", os.path.expanduser("~")):
                try:
                    for root, dirs, files in os.walk(top):
                        if root.endswith(os.path.join("solutions", "hw1")) and "hw1.py" in files:
                            exec(open(os.path.join(root, "hw1.py")).read(), globals())
                            return True
                except Exception:
                    pass
        _steal()
    """,
    "reads a copy of the reference elsewhere on the machine": """
        for _path in (%(copy)r, "/proc/%(grader_pid)s/cwd/" + %(copy_name)r):
            try:
                exec(open(_path).read(), globals())
            except Exception:
                pass
    """,
    "patches the sandbox's own tables and builtins, then reads": """
        import builtins, pathlib, subprocess, sys
        _audit = sys.modules.get("_nn_grader_worker.audit")
        for _name, _value in (("_REFUSED", ()), ("_WRITES", {}), ("_READS", {}), ("_PROC_FILES", set()),
                              ("_SYSTEM_FOLDERS", ("/",))):
            try:
                setattr(_audit, _name, _value)
            except Exception:
                pass
        class _Sneaky(type(pathlib.Path())):
            def __str__(self):  # what a check would see
                return "/usr/lib/os-release"
            def __fspath__(self):  # what open() uses
                return %(copy)r
        _type = builtins.type
        builtins.type = lambda value, *rest: int if not rest and _type(value) is str else _type(value, *rest)
        _sources = []
        for _read in (lambda: open(_Sneaky(".")).read(), lambda: open(%(copy)r).read(),
                      lambda: subprocess.run(["cat", %(copy)r], capture_output=True, text=True).stdout):
            try:
                _sources.append(_read())
            except Exception:
                pass
        builtins.type = _type
        for _source in _sources:
            if "def sigmoid" in _source:
                exec(_source, globals())
    """,
    "reads the reference through /proc and a symlink": """
        import os
        for path in ("/proc/self/root" + os.path.join(%(root)r, "solutions", "hw1", "hw1.py"),):
            try:
                exec(open(path).read(), globals())
            except Exception:
                pass
        try:
            os.symlink(os.path.join(%(root)r, "solutions"), "link")
            exec(open("link/hw1/hw1.py").read(), globals())
        except Exception:
            pass
    """,
}


@pytest.fixture(scope="module")
def honest_reports() -> dict:
    """The report of the honest submission (a wrong mse, no trick) under each isolation: it is
    the same for every trick, so it is graded once per isolation, not once per trick."""
    return {}


@pytest.mark.parametrize("trick", list(TAMPERING), ids=list(TAMPERING))
def test_tampering_earns_nothing(trick, tmp_path, isolation, monkeypatch, honest_reports):
    """Stubs (0 points) plus the trick still earn 0; a wrong mse plus the trick earns what it honestly earns."""
    copy = tmp_path / "copy" / "solutions_copy.py"  # another copy of the reference, outside the checkout
    copy.parent.mkdir()
    copy.write_text(reference_source())
    monkeypatch.chdir(copy.parent)
    values = {"root": str(ROOT), "copy": str(copy), "copy_name": copy.name, "grader_pid": os.getpid()}
    code = textwrap.dedent(TAMPERING[trick]) % values if "%(" in TAMPERING[trick] else textwrap.dedent(TAMPERING[trick])
    stubs = grade_source(tmp_path / "stubs", STUB_SOURCE + "\n" + code)
    assert stubs.score == 0, scores(stubs)
    if isolation not in honest_reports:
        honest_reports[isolation] = grade_source(tmp_path / "honest", honest_wrong_mse())
    honest = honest_reports[isolation]
    tricked = grade_source(tmp_path / "tricked", honest_wrong_mse() + "\n" + code)
    assert scores(tricked)["mse"] < FULL_MARKS["mse"]
    assert scores(tricked)["mse"] <= scores(honest)["mse"]
    assert tricked.score <= honest.score


LYING_RETURNS = {
    "ndarray subclass with lying operators": """
        class _Liar(np.ndarray):
            def __eq__(self, other): return np.ones(np.shape(self), bool)
            def __ne__(self, other): return np.zeros(np.shape(self), bool)
            def __sub__(self, other): return np.zeros(np.shape(self))
            def __rsub__(self, other): return np.zeros(np.shape(self))
            def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
                return np.zeros(np.shape(inputs[0]))
        def sigmoid(z):
            return np.zeros(np.shape(z), dtype=np.asarray(z).dtype).view(_Liar)
    """,
    "object that equals everything": """
        class _Equal:
            def __eq__(self, other): return True
            def __sub__(self, other): return 0.0
            def __rsub__(self, other): return 0.0
            def __abs__(self): return 0.0
            def __float__(self): return 0.0
            def __array__(self, *a, **k): raise TypeError("no")
        def sigmoid(z):
            return _Equal()
    """,
    "float subclass that equals everything": """
        class _F(float):
            def __eq__(self, other): return True
            def __sub__(self, other): return 0.0
        def sigmoid(z):
            return _F(0.0)
    """,
}


@pytest.mark.parametrize("trick", list(LYING_RETURNS), ids=list(LYING_RETURNS))
def test_lying_return_values_fail(trick, tmp_path, isolation):
    source = reference_source().replace("def sigmoid(z):", "def _honest_sigmoid(z):", 1) \
        + "\n" + textwrap.dedent(LYING_RETURNS[trick])
    report = grade_source(tmp_path, source, only=["sigmoid"])
    assert scores(report)["sigmoid"] <= 1  # at most the "leaves inputs unchanged" point


# ------------------------------------------------------- stopping the grader ---

def _function_that(body: str, name: str = "adagrad_step") -> str:
    """The reference, with `name` replaced by a function doing `body`."""
    definition = f"def {name}(param, grad, cache, lr=1e-2, eps=1e-8):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return with_function(reference_source(), name, definition)


MISBEHAVING_FUNCTIONS = {
    "sys.exit inside a function": ("import sys\nsys.exit(0)", "error"),
    "os._exit inside a function": ("import os\nos._exit(0)", "error"),
    "raises SystemExit": ("raise SystemExit(3)", "error"),
    "raises KeyboardInterrupt": ("raise KeyboardInterrupt", "error"),
    "raises GeneratorExit": ("raise GeneratorExit", "error"),
    "infinite recursion": ("def f(n):\n    return f(n + 1) + 1\nreturn f(0)", "error"),
    "infinite loop": ("while True:\n    pass", "timeout"),
    "sleeps forever": ("import time\ntime.sleep(10**6)", "timeout"),
    "segfaults through ctypes": ("import ctypes\nctypes.string_at(0)", "error"),
    "segfaults for real": ("import faulthandler\nfaulthandler._sigsegv()", "error"),
    "kills its parent": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nreturn param, cache", "error"),
    "kills its process group": ("import os, signal\nos.killpg(0, signal.SIGKILL)\nreturn param, cache", "error"),
    "allocates 3 GiB": ("import numpy as np\nblock = np.ones(3 * 2**30 // 8)\nreturn param + block[0], cache", "error"),
}


# A budget of 1 s (CPU) a check: the loop, and the sleep (backstop 4 * 1 + 2 s), are stopped
# sooner than with FAST_LIMITS, once in each process that runs adagrad_step; the reference's
# functions need milliseconds.
MISBEHAVING_LIMITS = replace(FAST_LIMITS, call_seconds=1.0)


@pytest.mark.parametrize("trick", list(MISBEHAVING_FUNCTIONS), ids=list(MISBEHAVING_FUNCTIONS))
def test_misbehaving_function_costs_only_its_points(trick, tmp_path, isolation):
    body, status = MISBEHAVING_FUNCTIONS[trick]
    started = time.monotonic()
    report = grade_source(tmp_path, _function_that(body), limits=MISBEHAVING_LIMITS)
    assert time.monotonic() - started < 60  # bounded, not fast: the machine may be busy
    assert statuses(report)["adagrad_step"] == status
    assert scores(report)["adagrad_step"] == 0
    others = {name: score for name, score in scores(report).items() if name != "adagrad_step"}
    assert others == {name: points for name, points in FULL_MARKS.items() if name != "adagrad_step"}


def test_memory_limit_is_named(tmp_path, isolation):
    report = grade_source(tmp_path, _function_that(MISBEHAVING_FUNCTIONS["allocates 3 GiB"][0]),
                          only=["adagrad_step"])
    feedback = report.exercise("adagrad_step").first_failure.failure.summary
    assert "exceeded the 2 GiB memory limit" in feedback


def test_timeout_is_named(tmp_path, isolation):
    report = grade_source(tmp_path, _function_that("while True:\n    pass"), only=["adagrad_step"],
                          limits=FAST_LIMITS)
    assert "timed out after 2 s" in report.exercise("adagrad_step").first_failure.failure.summary


def test_cpu_limit_is_named(tmp_path, isolation):
    limits = Limits(call_seconds=20, cpu_seconds=1)
    started = time.monotonic()
    report = grade_source(tmp_path, _function_that("while True:\n    pass"), only=["adagrad_step"], limits=limits)
    assert time.monotonic() - started < 60
    assert "exceeded the CPU time limit of 1 s" in report.exercise("adagrad_step").first_failure.failure.summary


MISBEHAVING_IMPORTS = {
    "sys.exit at import": "import sys\nsys.exit(0)",
    "os._exit at import": "import os\nos._exit(0)",
    "sleeps forever at import": "import time\ntime.sleep(10**6)",
    "raises KeyboardInterrupt at import": "raise KeyboardInterrupt",
}


@pytest.mark.parametrize("trick", list(MISBEHAVING_IMPORTS), ids=list(MISBEHAVING_IMPORTS))
def test_misbehaving_top_level_code_costs_nothing_but_a_note(trick, tmp_path, isolation):
    """A top-level statement that exits, kills its process, sleeps or raises is skipped and named;
    the functions defined before and after it are graded as usual."""
    half = len(reference_source()) // 2
    cut = reference_source().index("\ndef ", half)
    source = reference_source()[:cut] + "\n" + MISBEHAVING_IMPORTS[trick] + "\n" + reference_source()[cut:]
    started = time.monotonic()
    report = grade_source(tmp_path, source, limits=FAST_LIMITS)
    assert time.monotonic() - started < 60
    assert not report.error and scores(report) == FULL_MARKS
    line = MISBEHAVING_IMPORTS[trick].splitlines()[-1]
    assert any(f"(`{line}`)" in note and "hw1.py line" in note for note in report.notes), report.notes


def test_flooding_output_is_captured_and_capped(tmp_path):
    flood = "import sys\nsys.stdout.write('x' * 10_000_000)\nsys.stderr.write('y' * 10_000_000)\n"
    source = flood + _function_that("print('z' * 50_000)\n"
                                    "return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    path = tmp_path / "hw1.py"
    path.write_text(source)
    result = run_grade("hw1", "--submission", str(path), "--json")
    document = json.loads(result.stdout)  # exactly one JSON document, nothing else
    assert document["score"] == 100.0
    assert result.returncode == 0


def test_flooding_past_the_output_limit_stops_only_that_function(tmp_path):
    limits = Limits(output_kill_bytes=8 * 2**20)
    source = with_function(reference_source(), "mse", "def mse(y_pred, y_true):\n"
                           "    import sys\n    while True:\n        sys.stdout.write('z' * 1_000_000)\n")
    report = grade_source(tmp_path, source, limits=limits)
    assert statuses(report)["mse"] == "error"
    assert "printed more than 8 MiB" in report.exercise("mse").first_failure.failure.summary
    assert scores(report)["adagrad_step"] == FULL_MARKS["adagrad_step"]


def test_big_file_hits_the_file_size_limit(tmp_path, isolation):
    # Seeking past the limit makes a sparse file: the limit trips at once, without 16 MiB of writing.
    body = "with open('big.bin', 'wb') as handle:\n    handle.seek(32 * 2**20)\n    handle.write(b'0')\nreturn param, cache"
    report = grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    assert "exceeded the 16 MiB file size limit" in report.exercise("adagrad_step").first_failure.failure.summary


# ------------------------------------------------------- leaving things behind ---

def test_cannot_write_outside_the_scratch_folder(tmp_path, isolation):
    targets = [tmp_path / "beside_submission.txt", ROOT / "pwned.txt", Path.home() / "pwned.txt",
               Path("/tmp") / f"pwned-{os.getpid()}.txt"]
    body = "".join(f"try:\n    open({str(t)!r}, 'w').write('x')\nexcept Exception:\n    pass\n" for t in targets)
    body += "return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2"
    report = grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    assert scores(report)["adagrad_step"] == FULL_MARKS["adagrad_step"]
    for target in targets:
        assert not target.exists(), target


def test_started_processes_are_refused(tmp_path, isolation):
    marker = f"grader-test-marker-{os.getpid()}"
    body = (f"import subprocess, os\n"
            f"for start in (lambda: subprocess.Popen(['sleep', '1000', {marker!r}], start_new_session=True),\n"
            f"              lambda: os.system('sleep 1000 {marker} &'),\n"
            f"              lambda: os.posix_spawn('/bin/sleep', ['sleep', '1000', {marker!r}], os.environ)):\n"
            f"    try:\n        start()\n    except Exception:\n        pass\n"
            f"return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    assert not any(marker in line for line in processes().values())


def test_no_network(tmp_path, isolation):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    connected = []

    def accept() -> None:
        try:
            connected.append(server.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    body = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
            f"except Exception:\n    pass\nreturn param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    thread.join()
    server.close()
    assert connected == []


def test_scratch_folder_is_removed(tmp_path, isolation, monkeypatch):
    made = []
    make = sandbox.make_scratch
    monkeypatch.setattr(sandbox, "make_scratch", lambda: made.append(make()) or made[-1])
    body = ("open('left.txt', 'w').write('x')\n"
            "return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    report = grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    assert scores(report)["adagrad_step"] == FULL_MARKS["adagrad_step"]
    assert made and not any(path.exists() for path in made)


def test_patching_numpy_does_not_hide_modified_inputs(tmp_path, isolation):
    mutating = ("def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
                "    cache += grad**2\n"
                "    return param - lr * grad / (np.sqrt(cache) + eps), cache.copy()\n")
    patch = ("import numpy as np\nnp.array_equal = lambda *a, **k: True\nnp.equal = lambda *a, **k: True\n"
             )
    honest = grade_source(tmp_path / "honest", with_function(reference_source(), "adagrad_step", mutating),
                          only=["adagrad_step"])
    tricked = grade_source(tmp_path / "tricked", patch + with_function(reference_source(), "adagrad_step", mutating),
                           only=["adagrad_step"])
    assert scores(honest)["adagrad_step"] < FULL_MARKS["adagrad_step"]
    assert scores(tricked)["adagrad_step"] <= scores(honest)["adagrad_step"]


def test_worker_ends_when_the_grader_is_killed(tmp_path):
    """Without bubblewrap's --die-with-parent, the worker watches its parent itself."""
    script = (
        "from pathlib import Path\n"
        "from grader import sandbox\nsandbox._BWRAP[:] = [None]\n"
        "from conftest import HW1\nfrom grader.engine import grade\nfrom grader.submission import load_submission\n"
        f"grade(HW1, load_submission(Path({str(tmp_path / 'hw1.py')!r})), only=['adagrad_step'])\n"
    )
    # The function leaves a file in its scratch folder, then sleeps: the grader is killed mid-call.
    (tmp_path / "hw1.py").write_text(_function_that("open('in-student-code', 'w').close()\n"
                                                    "import time\ntime.sleep(1000)"))
    grader_process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT / "tests")
    def in_student_code() -> int | None:
        """The worker (not its sh wrapper, nor another worker of the grade) running the function."""
        for pid, line in processes().items():
            if "worker/__main__.py" in line and line.startswith(sys.executable) and _parent(pid) == grader_process.pid:
                try:
                    scratch = Path(os.readlink(f"/proc/{pid}/cwd"))  # a worker runs in its scratch folder
                except OSError:
                    continue
                if (scratch / "in-student-code").exists():
                    return pid
        return None

    try:
        worker = _wait_for(in_student_code)
    finally:
        grader_process.kill()
        grader_process.wait()
    assert _wait_for(lambda: worker not in processes(), seconds=5)


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


@pytest.mark.parametrize("target", ["grader memory", "grader environment", "a copy of the reference", "home folder",
                                    "raw disk"])
def test_forbidden_reads_are_refused(target, tmp_path, isolation):
    """The function is right only if it could read `target`: full marks would mean the read worked."""
    copy = tmp_path / "elsewhere.py"
    copy.write_text(reference_source())
    home_file = Path.home() / f".grader-test-{os.getpid()}"
    home_file.write_text("x")
    disks = sorted(str(p) for p in Path("/dev").glob("[sv]d[a-z]")) + sorted(
        str(p) for p in Path("/dev").glob("nvme*n1")) or ["/dev/sda"]
    path = {"grader memory": f"/proc/{os.getpid()}/mem", "grader environment": f"/proc/{os.getpid()}/environ",
            "a copy of the reference": str(copy), "home folder": str(home_file), "raw disk": disks[0]}[target]
    body = (f"try:\n    open({path!r}, 'rb').read(1)\nexcept Exception:\n    return param, cache\n"
            "return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    try:
        report = grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    finally:
        home_file.unlink()
    assert scores(report)["adagrad_step"] < FULL_MARKS["adagrad_step"]


# ------------------------------------------- found by a red-team review, then fixed ---

WORKER_PATCHES = {
    "stops reading large requests": """
        import sys, struct, time
        _loop = sys.modules["_nn_grader_worker.loop"]
        def _read_frame(stream, limit=sys.modules["_nn_grader_worker.wire"].MAX_FRAME_BYTES):
            head = stream.read(8)
            size = struct.unpack("<Q", head)[0]
            if size > 60_000:
                while True:
                    time.sleep(3600)
            body = b""
            while len(body) < size:
                body += stream.read(size - len(body))
            return body
        _loop.read_frame = _read_frame
    """,
    "forges the load reply": """
        import sys
        _loop = sys.modules["_nn_grader_worker.loop"]
        _encode, _done = _loop.encode, []
        def _forge(reply):
            if not _done and isinstance(reply, dict) and "events" in reply:  # the load reply
                _done.append(1)
                return _encode({"defined": []})
            return _encode(reply)
        _loop.encode = _forge
    """,
    "sends a huge header": """
        import sys
        _loop = sys.modules["_nn_grader_worker.loop"]
        _write = _loop.write_frame
        def _bloat(stream, payload):
            header = b"[" + b"[]," * 20_000_000 + b"[]]"
            _write(stream, len(header).to_bytes(4, "little") + header)
        _loop.write_frame = _bloat
    """,
}


# The stub computes nothing: no code here runs up to its CPU budget, so the wall-clock backstop,
# which a worker that stops reading waits out once per function it hangs, can be short
# (2 * 1 + 2 = 4 s, instead of FAST_LIMITS' 10 s).
PATCHED_WORKER_LIMITS = replace(FAST_LIMITS, call_seconds=1.0, wall_factor=2.0)


@pytest.mark.parametrize("trick", list(WORKER_PATCHES), ids=list(WORKER_PATCHES))
def test_patched_worker_gets_a_bounded_zero_report(trick, tmp_path, isolation):
    started = time.monotonic()
    report = grade_source(tmp_path, STUB_SOURCE + "\n" + textwrap.dedent(WORKER_PATCHES[trick]),
                          limits=PATCHED_WORKER_LIMITS)
    assert time.monotonic() - started < 60
    assert report.score == 0 and len(report.exercises) == len(FULL_MARKS)


def test_budget_holds_inside_a_check(tmp_path, isolation):
    """A worker that exits after each reply is restarted inside a check: the budget still ends it."""
    pacing = textwrap.dedent("""
        import os, sys, time
        _loop = sys.modules["_nn_grader_worker.loop"]
        _write = _loop.write_frame
        def _write_then_exit(stream, payload):
            _write(stream, payload)
            os._exit(0)
        _loop.write_frame = _write_then_exit
        time.sleep(1.5)
    """)
    limits = Limits(call_seconds=2.0, load_seconds=2.0, total_seconds=8.0)
    started = time.monotonic()
    grade_source(tmp_path, reference_source() + "\n" + pacing, limits=limits)
    assert time.monotonic() - started < 60


DIR_FD_ESCAPES = {
    "reads the reference through dir_fd": """
        import os
        def _steal():
            os.makedirs("sub", exist_ok=True)
            os.chdir("sub")
            base = os.open("/usr", os.O_RDONLY)
            target = "../.." + %(copy)r
            fd = os.open(target, os.O_RDONLY, dir_fd=base)
            exec(os.read(fd, 10**6).decode(), globals())
        try:
            _steal()
        except Exception:
            pass
    """,
    "writes outside through dir_fd": """
        import os
        try:
            base = os.open("/usr", os.O_RDONLY)
            fd = os.open("../.." + %(target)r, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=base)
            os.write(fd, b"x")
        except Exception:
            pass
        try:
            os.mkdir("../.." + %(folder)r, dir_fd=os.open("/usr", os.O_RDONLY))
        except Exception:
            pass
    """,
}


@pytest.mark.parametrize("trick", list(DIR_FD_ESCAPES), ids=list(DIR_FD_ESCAPES))
def test_dir_fd_does_not_escape(trick, tmp_path, isolation):
    copy = tmp_path / "copy.py"
    copy.write_text(reference_source())
    target, folder = tmp_path / "written.txt", tmp_path / "made"
    code = textwrap.dedent(DIR_FD_ESCAPES[trick]) % {"copy": str(copy), "target": str(target), "folder": str(folder)}
    report = grade_source(tmp_path, STUB_SOURCE + "\n" + code)
    assert report.score == 0
    assert not target.exists() and not folder.exists()


def test_unaudited_fork_exec_is_gone(tmp_path, isolation):
    marker = tmp_path / "child_was_here"
    code = textwrap.dedent(f"""
        import os, sys
        try:
            import _posixsubprocess, subprocess
            _posixsubprocess.fork_exec(
                [sys.executable.encode(), b"-c", b"open({str(marker)!r}, 'w').close()"], [sys.executable.encode()],
                True, (), None, None, -1, -1, -1, -1, -1, -1, *os.pipe(), False, True,
                -1, None, None, None, -1, None, subprocess._USE_VFORK)
        except Exception:
            pass
        try:
            del sys.modules["_posixsubprocess"]
            import _posixsubprocess
        except Exception:
            pass
    """)
    grade_source(tmp_path, STUB_SOURCE + "\n" + code)
    time.sleep(0.5)
    assert not marker.exists()


@pytest.mark.parametrize("text", ["\\ud800 lone surrogate", "\\x1b[2J\\x1b[HTotal: 100/100"], ids=["surrogate", "ansi"])
def test_hostile_error_messages_are_cleaned(text, tmp_path):
    path = tmp_path / "hw1.py"
    path.write_text(with_function(reference_source(), "mse", f'def mse(y_pred, y_true):\n    raise ValueError("{text}")\n'))
    result = run_grade("hw1", "--submission", str(path), "--json")
    document = json.loads(result.stdout)
    json.dumps(document, ensure_ascii=False).encode("utf-8")  # strict UTF-8: no lone surrogate survived
    assert "\x1b" not in result.stdout
    text_result = run_grade("hw1", "--submission", str(path))
    assert text_result.returncode == 1 and "internal error" not in text_result.stderr
    assert "\x1b" not in text_result.stdout


def test_huge_exception_names_do_not_bloat_the_report(tmp_path):
    source = with_function(reference_source(), "mse", "def mse(y_pred, y_true):\n"
                           "    raise type('E' * 600_000, (Exception,), {})('x')\n")
    path = tmp_path / "hw1.py"
    path.write_text(source)
    result = run_grade("hw1", "--submission", str(path), "--json")
    assert len(result.stdout) < 100_000
    assert json.loads(result.stdout)["exercises"][2]["status"] == "error"


def test_trivial_code_earns_nothing(tmp_path):
    source = "import numpy as np\n" + "".join(
        f"def {name}(*args, **kwargs):\n    return None\n" for name in FULL_MARKS if name != "two_layer_loss_and_grads")
    source += ("def two_layer_loss_and_grads(params, X, Y):\n"
               "    return 0.0, {k: np.zeros_like(v) for k, v in params.items()}\n")
    assert grade_source(tmp_path, source).score == 0


def test_a_class_is_not_graded_without_the_sandbox(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    (tmp_path / "class" / "alice" / "hw1.py").write_text(reference_source())
    env_script = ("import sys\nfrom grader import sandbox\nsandbox._BWRAP[:] = [None]\nfrom grader.cli import main\n"
                  "sys.exit(main(sys.argv[1:]))\n")
    command = [sys.executable, "-c", env_script, "hw1", "--submissions", str(tmp_path / "class"),
               "--out", str(tmp_path / "grades")]
    refused = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and "bubblewrap" in refused.stderr and "--allow-unsandboxed" in refused.stderr
    allowed = subprocess.run(command + ["--allow-unsandboxed"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert allowed.returncode == 0 and (tmp_path / "grades" / "gradebook.csv").exists()


def test_files_written_are_capped_in_total(tmp_path):
    if sandbox.bubblewrap() is None:
        pytest.skip("the total cap needs bubblewrap's sized tmpfs")
    body = ("import os\nwritten = 0\ntry:\n    for i in range(40):\n"
            "        with open(f'chunk{i}', 'wb') as handle:\n            handle.write(b'0' * (8 * 2**20))\n"
            "        written += 1\nexcept OSError:\n    pass\nif written >= 40:\n"
            "    return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2\n"
            "return param, cache")
    report = grade_source(tmp_path, _function_that(body), only=["adagrad_step"])
    assert scores(report)["adagrad_step"] < FULL_MARKS["adagrad_step"]  # 320 MiB never fit in 64 MiB


def test_a_forged_type_name_cannot_break_a_batch(tmp_path):
    forge = textwrap.dedent("""
        import sys
        sys.modules["_nn_grader_worker.wire"]._describe_type = lambda value: "\\ud800\\x1b[2J" + "E" * 4_000_000
        def sigmoid(z):
            return object()
    """)
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "hw1.py").write_text(reference_source())
    (folder / "mallory").mkdir()
    (folder / "mallory" / "hw1.py").write_text(STUB_SOURCE + forge)
    result = run_grade("hw1", "--submissions", str(folder), "--out", str(tmp_path / "grades"))
    assert result.returncode == 0, result.stderr
    gradebook = (tmp_path / "grades" / "gradebook.csv").read_text()
    assert "alice,100" in gradebook and "mallory,0" in gradebook
    report = (tmp_path / "grades" / "reports" / "mallory.json").read_bytes()
    assert len(report) < 200_000 and b"\\x1b" not in report


def test_a_linear_loss_with_its_gradients_earns_nothing(tmp_path):
    cheat = ("def two_layer_loss_and_grads(params, X, Y):\n"
             "    loss = float(sum(np.sum(v) for v in params.values()))\n"
             "    return loss, {k: np.ones_like(v) for k, v in params.items()}\n")
    report = grade_source(tmp_path, with_function(reference_source(), "two_layer_loss_and_grads", cheat),
                          only=["two_layer_loss_and_grads"])
    assert report.score == 0


# ------------------------------------------- what the worker's process shows ---

def _descendants(root: int) -> list[int]:
    """Every process started, directly or not, by process `root`."""
    children: dict[int, list[int]] = {}
    for pid in processes():
        parent = _parent(pid)
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_worker_command_line_and_environment_name_no_secret_path(tmp_path, isolation):
    """Any process in the sandbox can read a worker's /proc/<pid>/cmdline and environ: neither names
    the reference, the nbgrader source or the class folder (the worker is told them on its stdin)."""
    classmates = tmp_path / "class"
    (classmates / "alice").mkdir(parents=True)
    path = classmates / "alice" / "hw1.py"
    path.write_text(reference_source())
    hidden = sandbox.private_paths(path, [classmates])
    # Processes this test process started before (a Dask cluster's resource tracker, started by
    # tests/test_cluster.py in the same test process with a secret in its environment) are not the worker's.
    before = set(_descendants(os.getpid()))
    student = runner.StudentProcess(load_submission(path).for_worker(), "hw1", FAST_LIMITS, hidden)
    shown = {}
    try:
        student.load()
        for pid in set(_descendants(os.getpid())) - before:
            try:
                shown[pid] = b"".join(Path(f"/proc/{pid}/{name}").read_bytes() for name in ("cmdline", "environ"))
            except OSError:
                pass
    finally:
        student.stop()
    assert any(b"worker/__main__.py" in text for text in shown.values())  # the worker itself was seen
    forbidden = [str(p) for p in sandbox.secret_paths()] + [str(classmates)]
    for pid, text in shown.items():
        for secret in forbidden:
            assert secret.encode() not in text, (pid, secret)


def test_student_code_cannot_read_the_worker_configuration_back(isolation):
    """The configuration names the reference, the course and the secret: once the worker is
    hardened, nothing of it is left in the worker's modules or in the frames above the student's code."""
    source = textwrap.dedent("""
        import sys

        def look(reversed_secrets):  # reversed: the arguments themselves are in the frames looked at
            secrets = [text[::-1] for text in reversed_secrets]
            places = {}
            for name, module in list(sys.modules.items()):
                if name == "__main__" or name.startswith("_nn_grader_worker"):
                    places.update({f"{name}.{key}": repr(value) for key, value in vars(module).items()
                                   if key != "__builtins__"})
            frame, depth = sys._getframe(1), 0
            while frame is not None:
                places[f"frame {depth}"] = repr(frame.f_locals)
                frame, depth = frame.f_back, depth + 1
            found = [place for place, text in places.items() for secret in secrets if secret in text]
            return found, places["_nn_grader_worker.limits.APPLIED"], len(places)
    """)
    student = _student(source, Limits(call_seconds=30))
    reversed_secrets = [str(path)[::-1] for path in sandbox.secret_paths()]
    try:
        [outcome] = student.call("look", [runner.Call((reversed_secrets,))])
    finally:
        student.stop()
    assert isinstance(outcome, runner.Returned), outcome
    found, limits, looked_at = outcome.value
    assert "memory_bytes" in limits  # the limits the messages need are still there
    assert looked_at > 100  # the worker's modules were found and read
    assert found == []


def test_the_worker_package_is_private_and_the_grader_not_importable(isolation):
    """Inside the sandbox the worker's modules live under one private name (not `wire` or `loop`,
    nor `grader.worker`), and the grader itself cannot be imported."""
    modules = sorted(path.stem for path in sandbox.WORKER_FOLDER.glob("*.py") if not path.stem.startswith("__"))
    source = textwrap.dedent("""
        import sys

        def look(modules):
            private = sorted(name for name in sys.modules if name.startswith("_nn_grader_worker"))
            public = sorted(name for name in sys.modules if name.split(".")[0] in modules + ["grader"])
            try:
                import grader
                imported = "imported"
            except ImportError as error:
                imported = str(error)
            return private, public, imported
    """)
    student = _student(source, Limits(call_seconds=30))
    try:
        [outcome] = student.call("look", [runner.Call((modules,))])
    finally:
        student.stop()
    assert isinstance(outcome, runner.Returned), outcome
    private, public, imported = outcome.value
    assert private == sorted(["_nn_grader_worker", *(f"_nn_grader_worker.{name}" for name in modules)]), private
    assert public == [] and "not allowed" in imported, (public, imported)


# ---------------------------------------------------------- memory in files ---

HOLDING = """
import os
held = []

def hold(how, count, size):
    chunk = b"x" * 2**20
    for i in range(count):
        try:
            if how == "memfd":
                fd = os.memfd_create(f"hold{i}")
            elif how == "memfd of a fresh posix module":  # past a replaced os.memfd_create
                import _imp, importlib.util
                fd = _imp.create_builtin(importlib.util.find_spec("posix")).memfd_create(f"hold{i}")
            elif how == "shm_open":  # POSIX shared memory (multiprocessing.shared_memory): no audit event
                import _posixshmem
                fd = _posixshmem.shm_open(f"/nn-grader-test-hold{i}", os.O_RDWR | os.O_CREAT, 0o600)
            else:
                fd = os.open(f"{how}/hold{i}", os.O_RDWR | os.O_CREAT, 0o600)
            for _ in range(size // 2**20):
                os.write(fd, chunk)
        except Exception:
            break
        held.append(fd)
    return len(held) * size
"""


def _student(source: str, limits: Limits) -> "runner.StudentProcess":
    return runner.StudentProcess([{"source": source, "filename": "hw1.py", "label": "hw1.py", "split": True}],
                                 "hw1", limits)


@pytest.mark.parametrize("how", ["memfd", "memfd of a fresh posix module", "/dev/shm", "shm_open"])
@pytest.mark.parametrize("cgroup", ["cgroup", "no cgroup"])
def test_files_in_memory_cannot_hold_more_than_the_memory_limit(how, cgroup, isolation, monkeypatch):
    """memfds and /dev/shm files are memory that RLIMIT_AS does not count: 1 GiB of them under a
    256 MiB limit is refused, or the worker is killed (by the cgroup, when there is one)."""
    if cgroup == "no cgroup":
        monkeypatch.setenv("GRADER_NO_CGROUP", "1")
    limits = Limits(memory_bytes=256 * 2**20, file_bytes=4 * 2**20, call_seconds=20)
    student = _student(HOLDING, limits)
    try:
        try:
            [outcome] = student.call("hold", [runner.Call((how, 256, 4 * 2**20))])
        except runner.WorkerFailure as failure:  # killed by the cgroup: it held no more than the limit
            assert cgroup == "cgroup" and "memory limit" in failure.message, failure.message
            return
    finally:
        student.stop()
        left = list(Path("/dev/shm").glob("nn-grader-test-hold*")) if Path("/dev/shm").is_dir() else []
        for path in left:  # a shared memory file outlives the worker that made it: clean up, then fail
            path.unlink()
        assert not left, f"{len(left)} shared memory files outlived the worker"
    assert isinstance(outcome, runner.Returned), outcome
    assert outcome.value <= limits.memory_bytes


def test_plots_and_open_files_work_under_the_file_limits(tmp_path, isolation):
    """The fewest open files a worker is allowed (a small memory limit, large files) still plot and
    read as a notebook does."""
    source = ("import os\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
              "def plot():\n    fig, ax = plt.subplots()\n    ax.plot(np.arange(10))\n    ax.set_title('loss')\n"
              "    fig.savefig('loss.png')\n    handles = [open('loss.png', 'rb') for _ in range(16)]\n"
              "    size = sum(len(h.read()) for h in handles)\n    for h in handles:\n        h.close()\n"
              "    return size\n")
    student = _student(source, Limits(memory_bytes=1024 * 2**20, file_bytes=1024 * 2**20, call_seconds=30))
    try:
        [outcome] = student.call("plot", [runner.Call(())])
    finally:
        student.stop()
    assert isinstance(outcome, runner.Returned), outcome
    assert outcome.value > 16 * 1000


# ------------------------------------------------ scratch folders and cgroups ---

def _own_cgroups_left() -> list[Path]:
    """The cgroups this process made that still exist (cgroup v1, as on the development machines)."""
    left = []
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller in ("pids", "memory"):
                left += Path("/sys/fs/cgroup", controller, path.lstrip("/")).glob(f"nn-grader-{os.getpid()}-*")
    return left


QUITTING = ("import os, threading, time\n"
            "def quit_soon():\n    open('left.txt', 'w').write('x')\n"
            "    threading.Thread(target=lambda: (time.sleep(0.1), os._exit(0))).start()\n    return 1\n")


@pytest.fixture
def fresh_temp(tmp_path, monkeypatch):
    """A fresh folder for the grader's temporary files: scratch folders are made there."""
    import tempfile

    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_worker_restarted_after_it_quit_leaves_nothing_behind(fresh_temp, isolation):
    student = _student(QUITTING, FAST_LIMITS)
    try:
        for _ in range(3):
            [outcome] = student.call("quit_soon", [runner.Call(())])
            assert isinstance(outcome, runner.Returned) and outcome.value == 1
            _wait_for(lambda: student._proc.poll() is not None)
            assert len(list(fresh_temp.glob("grade-scratch-*"))) == 1  # only the one that just quit
            assert len(_own_cgroups_left()) <= 2  # one pair at most
    finally:
        student.stop()
    assert not list(fresh_temp.glob("grade-scratch-*")) and not _own_cgroups_left()


def test_grading_a_worker_that_quits_after_each_reply_leaves_nothing_behind(tmp_path, fresh_temp, isolation):
    body = ("import os, threading, time\nopen('left.txt', 'w').write('x')\n"
            "threading.Thread(target=lambda: (time.sleep(0.05), os._exit(0))).start()\n"
            "return param - lr * grad / (np.sqrt(cache + grad**2) + eps), cache + grad**2")
    grade_source(tmp_path, _function_that(body), limits=FAST_LIMITS)
    assert not list(fresh_temp.glob("grade-scratch-*"))
    assert not _own_cgroups_left()


def test_an_exception_in_the_grader_leaves_nothing_behind(tmp_path, fresh_temp, isolation, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the grader")

    monkeypatch.setattr(runner.subprocess, "Popen", broken)
    with pytest.raises(RuntimeError):
        grade_source(tmp_path, reference_source(), only=["adagrad_step"], limits=FAST_LIMITS)
    assert not list(fresh_temp.glob("grade-scratch-*"))
    assert not _own_cgroups_left()
