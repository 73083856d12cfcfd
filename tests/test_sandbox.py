"""The OS-level layer on its own: what bubblewrap guarantees even if the audit hooks were bypassed."""

from __future__ import annotations

import errno
import os
import subprocess
from contextlib import contextmanager
import sys
import time
from pathlib import Path

import pytest

from conftest import processes
from grader import runner, sandbox
from grader.settings import Limits

needs_bwrap = pytest.mark.skipif(sandbox.bubblewrap() is None, reason="bubblewrap is not available")


@contextmanager
def _sandboxed(tmp_path: Path, script: str, limits: Limits = Limits(), args: tuple = ()):
    """Start `script` exactly as a worker would be started (bubblewrap, cgroup), and clean up after."""
    scratch = sandbox.make_scratch()
    launch = sandbox.prepare(limits, scratch, [tmp_path])
    python_at = launch.command.index(sys.executable)
    command = launch.command[:python_at] + [sys.executable, "-I", "-c", script, *args]
    proc = subprocess.Popen(command, cwd=launch.cwd, env=launch.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, text=True)
    try:
        yield proc
    finally:
        runner._kill_tree(proc)
        if launch.cgroup is not None:
            launch.cgroup.remove()
        sandbox.remove_scratch(scratch)


@needs_bwrap
def test_setsid_grandchild_dies_with_the_worker(tmp_path):
    marker = f"grader-sandbox-marker-{os.getpid()}"
    script = (f"import subprocess, time\n"
              f"subprocess.Popen(['sleep', '1000', {marker!r}], start_new_session=True)\n"
              f"print('started', flush=True)\ntime.sleep(1000)\n")
    with _sandboxed(tmp_path, script) as proc:
        assert proc.stdout.readline().strip() == "started"
        assert any(marker in line for line in processes().values())
        runner._kill_tree(proc, wait=True)
        deadline = time.monotonic() + 5
        while any(marker in line for line in processes().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(marker in line for line in processes().values())


@needs_bwrap
def test_reference_and_course_are_out_of_view(tmp_path):
    (tmp_path / "classmate.py").write_text("secret")
    targets = [sandbox.PACKAGE_ROOT / "solutions" / "hw1" / "hw1.py", tmp_path / "classmate.py",
               Path.home() / ".bash_history"]
    script = "import sys\nfor p in sys.argv[1:]:\n    try:\n        open(p).read(); print('READ', p)\n" \
             "    except OSError:\n        pass\n"
    with _sandboxed(tmp_path, script, args=tuple(map(str, targets))) as proc:
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "READ" not in out


@needs_bwrap
def test_system_is_read_only_and_network_is_down(tmp_path):
    script = ("import socket\nfor path in ('/usr/pwned', '/etc/pwned'):\n    try:\n        open(path, 'w')\n"
              "        print('WROTE', path)\n    except OSError:\n        pass\n"
              "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1); print('CONNECTED')\n"
              "except OSError:\n    pass\n")
    with _sandboxed(tmp_path, script) as proc:
        out, _ = proc.communicate(timeout=30)
    assert "WROTE" not in out and "CONNECTED" not in out


def test_layers_are_reported():
    layers = sandbox.layers_available()
    assert "audit hooks" in layers
    assert ("bubblewrap" in layers) == (sandbox.bubblewrap() is not None)


def _cgroups_work() -> bool:
    cgroup = sandbox.Cgroup.create(2**30)
    if cgroup is not None:
        cgroup.remove()
    return cgroup is not None


needs_cgroup = pytest.mark.skipif(not _cgroups_work(), reason="cgroups are not writable here")


@needs_cgroup
def test_cgroup_caps_the_tasks_of_a_whole_submission(tmp_path):
    script = ("import threading, time\nstarted = 0\ntry:\n    for _ in range(200):\n"
              "        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()\n        started += 1\n"
              "except RuntimeError:\n    pass\nprint(started)\n")
    with _sandboxed(tmp_path, script) as proc:
        out, _ = proc.communicate(timeout=60)
    assert 0 < int(out.split()[-1]) < sandbox.MAX_TASKS


@needs_cgroup
def test_cgroup_caps_the_memory_of_all_processes_together(tmp_path):
    """Three processes of 300 MiB each fit one by one under RLIMIT_AS, not together under 512 MiB."""
    script = ("import os, time\nchildren = []\nfor _ in range(3):\n    pid = os.fork()\n    if pid == 0:\n"
              "        block = bytearray(300 * 2**20)\n        time.sleep(2)\n        os._exit(0)\n"
              "    children.append(pid)\nkilled = sum(os.WIFSIGNALED(os.waitpid(pid, 0)[1]) for pid in children)\n"
              "print(killed)\n")
    with _sandboxed(tmp_path, script, Limits(memory_bytes=512 * 2**20)) as proc:
        out, _ = proc.communicate(timeout=60)
    assert out.split() and int(out.split()[-1]) >= 1


def test_cgroups_are_removed(tmp_path):
    cgroup = sandbox.Cgroup.create(2**30)
    if cgroup is None:
        pytest.skip("cgroups are not writable here")
    folders = list(cgroup.folders)
    assert all(folder.is_dir() for folder in folders)
    cgroup.remove()
    assert not any(folder.exists() for folder in folders)


@needs_bwrap
def test_dev_is_read_only(tmp_path):
    """/dev/shm is memory that no limit counts: without the audit hooks, nothing can be written there."""
    script = ("import os\nfor path in ('/dev/shm/held', '/dev/held'):\n    try:\n"
              "        with open(path, 'wb') as handle:\n            handle.write(b'x' * 2**20)\n"
              "        print('WROTE', path)\n    except OSError:\n        pass\n"
              "open('/dev/null', 'w').write('fine')\nprint('done')\n")
    with _sandboxed(tmp_path, script) as proc:
        out, err = proc.communicate(timeout=30)
    assert "done" in out, err
    assert "WROTE" not in out


@needs_bwrap
def test_a_secret_file_in_a_folder_the_sandbox_shows_is_covered(tmp_path, monkeypatch):
    """A course secret beside a non-editable install lies in site-packages, which the sandbox
    shows: without the audit hooks, its content still cannot be read."""
    import numpy

    shown = Path(numpy.__file__).resolve().parent.parent  # site-packages, bound read-only
    secret = shown / f"course-secret-test-{os.getpid()}.txt"
    secret.write_text("the-course-secret-value\n")
    try:
        monkeypatch.setenv("GRADER_SECRET_FILE", str(secret))
        assert secret in sandbox.secret_paths()
        script = (f"try:\n    print('READ', open({str(secret)!r}).read())\n"
                  f"except OSError as error:\n    print('REFUSED', error)\n")
        with _sandboxed(tmp_path, script) as proc:
            out, err = proc.communicate(timeout=30)
        assert "READ" in out or "REFUSED" in out, err
        assert "the-course-secret-value" not in out
    finally:
        secret.unlink()


# -- cgroup v2, against a fake cgroupfs (the development machines have cgroup v1 only) --

def _fake_v2(tmp_path: Path, monkeypatch, enabled: str = "memory pids", controllers: str = "cpu io memory pids",
             own: str = "/user.slice/grader.scope") -> Path:
    """A cgroup v2 mount with the grader in cgroup `own`; returns the folder of `own`."""
    mount = tmp_path / "cgroupfs"
    folder = mount / own.lstrip("/")
    folder.mkdir(parents=True)
    (mount / "cgroup.controllers").write_text(controllers + "\n")
    (folder / "cgroup.controllers").write_text(controllers + "\n")
    (folder / "cgroup.subtree_control").write_text(enabled + "\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(f"0::{own}\n")
    monkeypatch.setattr(sandbox, "CGROUP_MOUNT", mount)
    monkeypatch.setattr(sandbox, "PROC_SELF_CGROUP", proc)
    monkeypatch.delenv("GRADER_NO_CGROUP", raising=False)
    monkeypatch.delenv("GRADER_CGROUP_ROOT", raising=False)
    return folder


def test_cgroup_v2_child_has_the_limits(tmp_path, monkeypatch):
    own = _fake_v2(tmp_path, monkeypatch)
    cgroup = sandbox.Cgroup.create(256 * 2**20)
    assert cgroup is not None and cgroup.version == 2
    [folder] = cgroup.folders
    assert folder.parent == own and folder.name.startswith(f"nn-grader-{os.getpid()}-")
    assert (folder / "memory.max").read_text() == str(256 * 2**20)
    assert (folder / "memory.swap.max").read_text() == "0"
    assert (folder / "pids.max").read_text() == str(sandbox.MAX_TASKS)
    assert str(folder / "cgroup.procs") in " ".join(cgroup.wrap(["python"]))


def test_cgroup_v2_enables_the_controllers_it_needs(tmp_path, monkeypatch):
    own = _fake_v2(tmp_path, monkeypatch, enabled="cpu")
    cgroup = sandbox.Cgroup.create(2**30)
    assert cgroup is not None
    assert set((own / "cgroup.subtree_control").read_text().split()) == {"+memory", "+pids"}


def test_cgroup_v2_in_a_delegated_subtree(tmp_path, monkeypatch):
    _fake_v2(tmp_path, monkeypatch, enabled="")
    delegated = tmp_path / "cgroupfs" / "grading.slice"
    delegated.mkdir()
    (delegated / "cgroup.controllers").write_text("memory pids\n")
    (delegated / "cgroup.subtree_control").write_text("memory pids\n")
    monkeypatch.setenv("GRADER_CGROUP_ROOT", str(delegated))
    cgroup = sandbox.Cgroup.create(2**30)
    assert cgroup is not None and cgroup.folders[0].parent == delegated


def test_cgroup_v2_out_of_memory_verdict_from_memory_events(tmp_path, monkeypatch):
    _fake_v2(tmp_path, monkeypatch)
    cgroup = sandbox.Cgroup.create(2**30)
    events = cgroup.folders[0] / "memory.events"
    events.write_text("low 0\nhigh 0\nmax 12\noom 0\noom_kill 0\noom_group_kill 0\n")
    assert not cgroup.ran_out_of_memory()  # reaching the limit and reclaiming is no verdict
    events.write_text("low 0\nhigh 0\nmax 40\noom 1\noom_kill 1\noom_group_kill 0\n")
    assert cgroup.ran_out_of_memory()


@pytest.mark.parametrize("why", ["controllers not delegated", "no internal processes"])
def test_cgroup_v2_refuses_cleanly(why, tmp_path, monkeypatch):
    """Without memory and pids for its children, no cgroup layer (and no folder left behind)."""
    if why == "controllers not delegated":
        own = _fake_v2(tmp_path, monkeypatch, enabled="", controllers="cpu io")
    else:  # the kernel refuses to enable them in a cgroup that holds processes: EBUSY
        own = _fake_v2(tmp_path, monkeypatch, enabled="")
        write = sandbox._write

        def busy(path, text):
            if path.name == "cgroup.subtree_control":
                raise OSError(errno.EBUSY, "Device or resource busy")
            write(path, text)

        monkeypatch.setattr(sandbox, "_write", busy)
    assert sandbox.Cgroup.create(2**30) is None
    assert not list(own.glob("nn-grader-*"))
    assert "cgroup" not in sandbox.layers_available(None)


def test_cgroup_v1_still_works(tmp_path, monkeypatch):
    mount = tmp_path / "cgroupfs"
    for controller, path in (("pids", "a"), ("memory", "b/c")):
        (mount / controller / path).mkdir(parents=True)
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text("9:name=systemd:/\n8:pids:/a\n4:memory:/b/c\n1:cpu,cpuacct:/\n0::/\n")
    monkeypatch.setattr(sandbox, "CGROUP_MOUNT", mount)
    monkeypatch.setattr(sandbox, "PROC_SELF_CGROUP", proc)
    monkeypatch.delenv("GRADER_NO_CGROUP", raising=False)
    cgroup = sandbox.Cgroup.create(256 * 2**20)
    assert cgroup is not None and cgroup.version == 1
    pids, memory = cgroup.folders
    assert pids.parent == mount / "pids" / "a" and memory.parent == mount / "memory" / "b" / "c"
    assert (pids / "pids.max").read_text() == str(sandbox.MAX_TASKS)
    assert (memory / "memory.limit_in_bytes").read_text() == str(256 * 2**20)
    (memory / "memory.failcnt").write_text("0\n")
    assert not cgroup.ran_out_of_memory()
    (memory / "memory.failcnt").write_text("3\n")
    assert cgroup.ran_out_of_memory()
