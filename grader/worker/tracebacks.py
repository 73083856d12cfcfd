"""What the student's code raised, described from its own frames only.

The grader shows a student the lines of their own code that led to an error,
never the worker's or numpy's, and says which limit a MemoryError or a file
too large ran into.
"""

from __future__ import annotations

import traceback

from .limits import APPLIED

_SHOWN_FRAMES = 8  # of the student's own, innermost: a recursion 1000 deep shows its last few


def _student_frames(exc: BaseException, filenames: set[str]) -> list[traceback.FrameSummary]:
    """The innermost frames of the traceback that belong to the student's own code.

    Walks the traceback without formatting it: a deep recursion costs microseconds, not
    the seconds that looking up a thousand source lines takes, whatever the machine's load.
    """
    kept, tb = [], exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in filenames:
            kept.append(tb)
            del kept[:-_SHOWN_FRAMES]
        tb = tb.tb_next
    return [traceback.FrameSummary(t.tb_frame.f_code.co_filename, t.tb_lineno, t.tb_frame.f_code.co_name)
            for t in kept]


def _student_traceback(exc: BaseException, frames: list[traceback.FrameSummary]) -> str:
    """The traceback lines that belong to the student's own code, then the error."""
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


def describe_error(exc: BaseException, filenames: set[str]) -> dict:
    """The error as the grader reports it: type, message, the student's line and traceback."""
    frames = _student_frames(exc, filenames)
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable message>"
    if isinstance(exc, MemoryError) and APPLIED.get("memory_bytes"):
        size = APPLIED["memory_bytes"]
        shown = f"{size / 2**30:.4g} GiB" if size >= 2**30 else f"{size / 2**20:.4g} MiB"
        message = f"exceeded the {shown} memory limit"
    elif isinstance(exc, OSError) and getattr(exc, "errno", None) == 27 and APPLIED.get("file_bytes"):  # EFBIG
        message = f"exceeded the {APPLIED['file_bytes'] / 2**20:g} MiB file size limit"
    return {
        "error": type(exc).__name__,
        "message": message[:2000],
        "is_value_error": isinstance(exc, ValueError),
        "not_implemented": isinstance(exc, NotImplementedError),
        "where": frames[-1].name if frames else None,
        "line": frames[-1].lineno if frames else None,
        "traceback": _student_traceback(exc, frames)[-4000:],
    }


def error_event(exc: BaseException, filenames: set[str], line: int) -> dict:
    """What a statement raised; just its type if describing it fails too (out of memory)."""
    try:
        error = {"kind": "error", **describe_error(exc, filenames)}
        error["line"] = error["line"] or line
        return error
    except BaseException:
        return {"kind": "error", "error": type(exc).__name__, "message": "", "line": line}
