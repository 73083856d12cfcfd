"""The CPU-time budget of a request, enforced inside the worker.

SIGPROF counts the process's CPU time, so a busy machine gives slow code no less
time than a quiet one. When the budget is spent, the signal handler raises
`Timeout` inside the student's code, saying where that code was. This is the
friendly first line only: it runs in the student's process, which can disarm it,
so the grader also reads the worker's CPU time from outside (grader.cpu_time) and
stops a worker that runs past its budget. Where there is no setitimer (Windows),
the grader's limits alone apply.
"""

from __future__ import annotations

import signal
import sys


class Timeout(BaseException):
    """Raised inside student code when its CPU-time budget is spent (see `arm`).

    A BaseException, so that `except Exception` in student code does not swallow it.
    `where`: the student's frames at that moment, innermost first.
    """

    def __init__(self, where: list[dict]) -> None:
        super().__init__("timed out")
        self.where = where


ARMED: list = [None, None]  # the student files to describe when the budget runs out (or None), and where it did


def install() -> None:
    """Make SIGPROF end the student's code: once, before any request."""
    if hasattr(signal, "SIGPROF"):
        signal.signal(signal.SIGPROF, on_budget_spent)


def arm(seconds: float | None, filenames: set[str]) -> None:
    if not seconds or not hasattr(signal, "setitimer"):
        return
    ARMED[:] = [filenames, None]
    # After the first expiry, again every 50 ms: code that swallows one interrupt gets the next.
    signal.setitimer(signal.ITIMER_PROF, float(seconds), 0.05)


def _line_of(frame) -> int | None:
    """The frame's line; f_lineno is None on an instruction that has no line of its own (the jump
    back of a loop), so take the line of the nearest instruction before it that has one."""
    if frame.f_lineno is not None:
        return frame.f_lineno
    line = None
    for start, _, number in frame.f_code.co_lines():
        if start > frame.f_lasti:
            break
        line = number if number is not None else line
    return line


def spent_where() -> list[dict] | None:
    """Where the code was when the budget ran out, if it did (code that caught the interrupt)."""
    return ARMED[1]


def disarm() -> None:
    ARMED[:] = [None, None]
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, 0)


def on_budget_spent(signum, frame) -> None:
    filenames, where = ARMED
    if filenames is None:  # arrived after the request ended
        return
    if where is None:  # the first expiry says where the code was; later ones (code that went on) repeat it
        where = []
        frame = frame or sys._getframe()  # None when the signal is handled between frames
        while frame is not None and len(where) < 8:
            if frame.f_code.co_filename in filenames:
                where.append({"function": frame.f_code.co_name, "file": frame.f_code.co_filename,
                              "line": _line_of(frame)})
            frame = frame.f_back
        ARMED[1] = where
    raise Timeout(where)
