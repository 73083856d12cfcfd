"""The CPU time a worker has used, read by the grader from outside it.

The worker stops student code at its CPU budget itself (worker/budget.py: a SIGPROF timer
that says where the code was), but that timer lives in the student's process, which can
disarm it: ignore SIGPROF, or replace the function that arms it. So the grader reads the
CPU time of the worker's processes from /proc, which their code cannot change, and stops a
worker whose request runs past its budget (runner.StudentProcess). Linux only: elsewhere
`Clock.read` says None and the wall-clock backstop alone applies, as it did before.
"""

from __future__ import annotations

import os

_PROC = "/proc"
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# The processes of one worker: bubblewrap's two and Python, a few more if the sandbox leaks
# (the cgroup allows 32 tasks): a bound on the walk, whatever the tree holds.
MAX_PROCESSES = 64
# Threads whose children one walk reads, in all: a process's own threads are not bounded by a
# number (only by its address space, without a pids cgroup), and a walk runs ten times a second.
# The main thread's, where bubblewrap and Python start their children, are read first.
MAX_THREADS = 256


class Clock:
    """The CPU time of one worker's processes: the process the grader started and its descendants.

    `read` sums the processes found by the last walk of the tree (a few reads of /proc: it is
    taken before every request); `read(walk=True)` walks the tree again first, so that a process
    started since counts in full (while the grader waits for a reply). So a request's CPU time is
    never under-counted: at worst a process that appeared counts its time before the request too.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.processes: list[int] | None = None
        # /proc/<pid>/stat of each process, kept open and read again from its start: opening it
        # took most of a reading, and the grader reads before every request (some 90 for hw1).
        self._stats: dict[int, int] = {}

    def read(self, walk: bool = False) -> float | None:
        """CPU seconds (user and system, every thread, and children that ended and were waited for);
        None where /proc cannot tell (not Linux, or the worker is gone)."""
        if walk or self.processes is None:
            self.processes = descendants(self.pid)
            for gone in set(self._stats) - set(self.processes):
                os.close(self._stats.pop(gone))
        counted = [ticks for ticks in map(self._ticks, self.processes) if ticks is not None]
        return sum(counted) / _TICKS if counted else None

    def close(self) -> None:
        """Close the files kept open; a later read opens them again."""
        for descriptor in self._stats.values():
            os.close(descriptor)
        self._stats.clear()

    def _ticks(self, pid: int) -> int | None:
        """As _ticks, through the file kept open for `pid`. A process that ended cannot be read
        through it (ESRCH): its pid is looked up again, once, in case a descendant took it since."""
        descriptor = self._stats.get(pid)
        if descriptor is not None:
            try:
                return _parse(os.pread(descriptor, 4096, 0))
            except (OSError, IndexError, ValueError):
                os.close(self._stats.pop(pid))
        try:
            descriptor = os.open(f"{_PROC}/{pid}/stat", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        self._stats[pid] = descriptor
        try:
            return _parse(os.pread(descriptor, 4096, 0))
        except (OSError, IndexError, ValueError):
            os.close(self._stats.pop(pid))
            return None


def descendants(pid: int) -> list[int]:
    """`pid` and its descendants (at most MAX_PROCESSES), through /proc/<pid>/task/<tid>/children."""
    found, todo, reads = [], [pid], [MAX_THREADS]
    while todo and len(found) < MAX_PROCESSES:
        process = todo.pop()
        if process not in found:
            found.append(process)
            todo.extend(_children(process, reads))
    return found


def used_by(processes: list[int]) -> float | None:
    """CPU seconds used by `processes`, those of them still there; None if none is."""
    counted = [ticks for ticks in map(_ticks, processes) if ticks is not None]
    return sum(counted) / _TICKS if counted else None


def _ticks(pid: int) -> int | None:
    """utime + stime + cutime + cstime of /proc/<pid>/stat, in clock ticks."""
    try:
        with open(f"{_PROC}/{pid}/stat", "rb") as stat:
            return _parse(stat.read())
    except (OSError, IndexError, ValueError):
        return None


def _parse(stat: bytes) -> int:
    """utime + stime + cutime + cstime of the text of a /proc/<pid>/stat."""
    fields = stat.rsplit(b")", 1)[1].split()  # after the command's name, which may hold ") "
    return sum(int(field) for field in fields[11:15])  # fields 14 to 17 of proc(5)


def _children(pid: int, reads: list[int]) -> list[int]:
    """The children of the threads of `pid` (/proc/<pid>/task/<tid>/children), the main thread's
    first; `reads` is what is left of the walk's MAX_THREADS, and is counted down."""
    children: list[int] = []
    try:
        threads = os.listdir(f"{_PROC}/{pid}/task")
    except OSError:
        return children
    threads.sort(key=lambda thread: thread != str(pid))
    for thread in threads[: max(reads[0], 0)]:
        reads[0] -= 1
        try:
            with open(f"{_PROC}/{pid}/task/{thread}/children", "rb") as listed:
                children.extend(int(child) for child in listed.read().split())
        except (OSError, ValueError):
            continue
    return children
