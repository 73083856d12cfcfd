"""grader.cpu_time: the CPU time of a process tree, read from /proc by the grader."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from grader import cpu_time

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read from /proc, Linux only")

# A child that spends 0.5 s of CPU, gives its pid, then waits to be killed.
SPINS_THEN_WAITS = ("import os, time\nstart = time.process_time()\nwhile time.process_time() - start < 0.5:\n"
                    "    pass\nprint(os.getpid(), flush=True)\ntime.sleep(600)\n")


def test_the_cpu_time_of_a_descendant_counts():
    """The child of a child (as Python is bubblewrap's grandchild) is found and counted."""
    shell = subprocess.Popen(["/bin/sh", "-c", '"$0" -c "$1"; exit 0', sys.executable, SPINS_THEN_WAITS],
                             stdout=subprocess.PIPE, text=True)
    python = int(shell.stdout.readline())
    try:
        assert python != shell.pid
        assert cpu_time.Clock(shell.pid).read() >= 0.4  # /proc counts in clock ticks: a little may be missing
    finally:
        os.kill(python, signal.SIGKILL)
        shell.wait()


def test_a_process_started_since_the_last_walk_counts_once_walked():
    """A request's baseline reads the processes known; the grader, waiting, walks the tree again."""
    shell = subprocess.Popen(["/bin/sh", "-c", 'read go; "$0" -c "$1"; exit 0', sys.executable, SPINS_THEN_WAITS],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    clock = cpu_time.Clock(shell.pid)
    before = clock.read()  # the shell alone, waiting for its line
    shell.stdin.write("go\n")
    shell.stdin.flush()
    python = int(shell.stdout.readline())
    try:
        assert clock.read() - before < 0.2
        assert clock.read(walk=True) - before >= 0.4
    finally:
        os.kill(python, signal.SIGKILL)
        shell.wait()


def test_a_process_that_is_gone_says_none():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    clock = cpu_time.Clock(process.pid)
    process.wait()
    assert clock.read() is None


def test_time_spent_is_time_counted():
    clock = cpu_time.Clock(os.getpid())
    before = clock.read()
    start = time.process_time()
    while time.process_time() - start < 0.3:
        pass
    assert clock.read() - before >= 0.2


def test_a_reading_reads_again_the_files_opened_by_the_first(monkeypatch):
    """The grader reads the worker's CPU time before every request: each reading opened
    /proc/<pid>/stat of every process of the tree again, most of its cost. The files stay open
    (until close), and each reading still sees the time spent since."""
    clock = cpu_time.Clock(os.getpid())
    before = clock.read()
    opened = []
    real_open = os.open
    monkeypatch.setattr(cpu_time.os, "open", lambda *args, **kwargs: opened.append(args[0]) or real_open(*args, **kwargs))
    monkeypatch.setattr(cpu_time, "open", lambda *args, **kwargs: opened.append(args[0]) or open(*args, **kwargs),
                        raising=False)
    start = time.process_time()
    while time.process_time() - start < 0.3:
        pass
    assert clock.read() - before >= 0.2
    assert opened == []
    clock.close()
    # read again after close: the files are opened anew (this test process's own, and any child's:
    # a Dask cluster's resource tracker, left by tests/test_cluster.py in the same test process)
    assert clock.read() - before >= 0.2 and f"/proc/{os.getpid()}/stat" in opened
    assert all(path.startswith("/proc/") and path.endswith("/stat") for path in opened), opened
    clock.close()


def test_a_process_that_ended_after_a_reading_says_none():
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    clock = cpu_time.Clock(process.pid)
    assert clock.read() is not None
    process.communicate(b"")
    assert clock.read() is None
    clock.close()
