"""The OS-level layer on its own: what bubblewrap guarantees even if the audit hooks were bypassed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import processes
from grader import runner, sandbox
from grader.settings import Limits

needs_bwrap = pytest.mark.skipif(sandbox.bubblewrap() is None, reason="bubblewrap is not available")


def _launch_script(tmp_path: Path, script: str) -> tuple[subprocess.Popen, Path]:
    """Start `script` with the worker's bubblewrap command line (its python and options)."""
    scratch = sandbox.make_scratch()
    launch = sandbox.prepare(Limits(), scratch, [tmp_path])
    python_at = launch.command.index(sys.executable)
    command = launch.command[:python_at] + [sys.executable, "-I", "-c", script]
    proc = subprocess.Popen(command, cwd=launch.cwd, env=launch.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, text=True)
    return proc, scratch


@needs_bwrap
def test_setsid_grandchild_dies_with_the_worker(tmp_path):
    marker = f"grader-sandbox-marker-{os.getpid()}"
    script = (f"import subprocess, time\n"
              f"subprocess.Popen(['sleep', '1000', {marker!r}], start_new_session=True)\n"
              f"print('started', flush=True)\ntime.sleep(1000)\n")
    proc, scratch = _launch_script(tmp_path, script)
    try:
        assert proc.stdout.readline().strip() == "started"
        assert any(marker in line for line in processes().values())
        runner._kill_tree(proc)
        deadline = time.monotonic() + 5
        while any(marker in line for line in processes().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(marker in line for line in processes().values())
    finally:
        runner._kill_tree(proc)
        sandbox.remove_scratch(scratch)


@needs_bwrap
def test_reference_and_course_are_out_of_view(tmp_path):
    (tmp_path / "classmate.py").write_text("secret")
    targets = [sandbox.PACKAGE_ROOT / "solutions" / "hw1" / "hw1.py", tmp_path / "classmate.py",
               Path.home() / ".bash_history"]
    script = "import sys\nfor p in sys.argv[1:]:\n    try:\n        open(p).read(); print('READ', p)\n" \
             "    except OSError:\n        pass\n"
    scratch = sandbox.make_scratch()
    launch = sandbox.prepare(Limits(), scratch, [tmp_path])
    python_at = launch.command.index(sys.executable)
    command = launch.command[:python_at] + [sys.executable, "-I", "-c", script, *map(str, targets)]
    result = subprocess.run(command, cwd=launch.cwd, env=launch.env, capture_output=True, text=True, timeout=30)
    sandbox.remove_scratch(scratch)
    assert result.returncode == 0, result.stderr
    assert "READ" not in result.stdout


@needs_bwrap
def test_system_is_read_only_and_network_is_down(tmp_path):
    script = ("import socket\nfor path in ('/usr/pwned', '/etc/pwned'):\n    try:\n        open(path, 'w')\n"
              "        print('WROTE', path)\n    except OSError:\n        pass\n"
              "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1); print('CONNECTED')\n"
              "except OSError:\n    pass\n")
    proc, scratch = _launch_script(tmp_path, script)
    out, _ = proc.communicate(timeout=30)
    sandbox.remove_scratch(scratch)
    assert "WROTE" not in out and "CONNECTED" not in out


def test_layers_are_reported():
    layers = sandbox.layers_available()
    assert "audit hooks" in layers
    assert ("bubblewrap" in layers) == (sandbox.bubblewrap() is not None)
