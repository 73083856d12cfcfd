"""Red team, session 2: attacks on what changed today (pickled requests, purity judged in the grader,
the CPU budget read from /proc, the early worker start).

Each test reproduces an attack that worked on the code of the day; each passes now that it is closed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.runner import BROKEN, StudentProcess, WorkerFailure
from grader.settings import Limits

# --------------------------- 1. progress frames that re-arm the grader's CPU budget forever ---

# Top-level code that disarms the worker's own timer, then computes forever while announcing,
# every few hundredths of a second of CPU, that a unit of top-level code starts. Each progress frame
# armed a new cell budget in the grader (and a new wall-clock backstop), and a frame that arrives
# often enough also kept the grader from reading the CPU time at all: only the submission's total
# deadline (180 s by default, and RLIMIT_CPU) stopped it, not the 1 s a unit may use.
SPAM_PROGRESS = '''
import sys, time
sys.modules["_nn_grader_worker.budget"].arm = lambda seconds, filenames: None
frame = sys._getframe()
while not hasattr(frame.f_locals.get("self"), "progress"):
    frame = frame.f_back
announce = frame.f_locals["self"].progress
unit = UNIT
while True:
    start = time.process_time()
    while time.process_time() - start < 0.02:
        pass
    announce({"running": unit})
    unit = NEXT
'''
SPAMS = {  # the first unit announced, the next one, what else the source holds
    "the same unit again": ("[0, 0]", "unit", ""),
    "ever later units": ("[0, 7]", "[0, unit[1] + 1]", ""),
    "units of no cell": ("[1, 0]", "[unit[0] + 1, 0]", ""),
    # a bound on a .py's statements that counted lines and semicolons was raised by a long string
    "units of no statement": ("[0, 7]", "[0, unit[1] + 1]", "PADDING = '" + ";\\n" * 5000 + "'\n"),
}


@pytest.mark.parametrize("spam", SPAMS)
def test_progress_frames_do_not_extend_the_cpu_budget_of_top_level_code(tmp_path: Path, spam: str) -> None:
    """The worker says which unit starts; a unit only once, in order, and one the submission has."""
    unit, following, padding = SPAMS[spam]
    source = SPAM_PROGRESS.replace("UNIT", unit).replace("NEXT", following) + padding
    limits = Limits(call_seconds=1.0, cell_seconds=1.0, load_seconds=2.0, total_seconds=20.0,
                    wall_factor=1000.0, wall_slack=0.0)
    student = StudentProcess([{"filename": str(tmp_path / "spam.py"), "source": source, "split": True}],
                             "spam", limits)
    student.deadline = __import__("time").monotonic() + limits.total_seconds
    try:
        with pytest.raises(WorkerFailure) as failure:
            student.load()
    finally:
        student.stop()
    assert failure.value.kind == BROKEN, failure.value.message
    assert "progress" in failure.value.message


@pytest.mark.parametrize("source", ["a = 1; b = 2; c = 3; d = a + b + c", "a = 1\rb = 2\rc = 3\rd = a + b + c"])
def test_statements_on_one_line_are_units_the_worker_may_announce(tmp_path: Path, source: str) -> None:
    """The bound on a split cell's units counts statements after semicolons and old Mac line ends
    (which Python reads as new lines) too: no honest load breaks."""
    student = StudentProcess([{"filename": str(tmp_path / "one_line.py"), "source": source, "split": True}],
                             "one_line", Limits())
    try:
        student.load()
    finally:
        student.stop()
    assert student.load_events == []


# ------------------------------------ 2. threads that make each reading of /proc slow ---

def test_a_process_with_many_threads_costs_a_walk_of_the_tree_a_bounded_number_of_reads(monkeypatch) -> None:
    """The grader walks the worker's tree every tenth of a second while it waits, reading the children
    of every thread: code that started thousands of sleeping threads (without a pids cgroup, only the
    address space bounds them; 5000 took 0.18 s a walk here) made the grader spend a core walking."""
    import builtins
    import os
    import sys
    import threading

    from grader import cpu_time

    if not sys.platform.startswith("linux"):
        pytest.skip("read from /proc, Linux only")
    opened = []

    def counting_open(path, *args, **kwargs):
        opened.append(path)
        return builtins.open(path, *args, **kwargs)

    release = threading.Event()
    threads = [threading.Thread(target=release.wait, daemon=True) for _ in range(1000)]
    for thread in threads:
        thread.start()
    try:
        monkeypatch.setattr(cpu_time, "open", counting_open, raising=False)
        assert cpu_time.Clock(os.getpid()).read(walk=True) is not None
    finally:
        release.set()
        for thread in threads:
            thread.join()
    assert len(opened) <= 500, len(opened)  # a few hundred at most, whatever the number of threads
