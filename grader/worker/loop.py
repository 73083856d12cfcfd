"""The worker's request loop: read a request, run it, send the reply, until the grader hangs up.

The configuration, which names the secret paths, is the first frame on stdin:
never on the command line, which any process in the sandbox can read. It is read
before anything else, used to harden the process, and dropped before any
student code runs.
"""

from __future__ import annotations

import os
import sys

from . import budget
from .limits import harden, refuse_multiprocessing
from .student_code import Worker
from .wire import decode, decode_request, encode, read_frame, write_frame


def main() -> None:
    # The protocol keeps private copies of fds 0 and 1; the student's code gets an
    # empty stdin, and what it prints goes to fd 2, which the grader drains and caps.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    # The first frame is the configuration (see sandbox.prepare), read before any hardening.
    frame = read_frame(requests)
    if frame is None:
        return
    config = decode(frame, clean_text=False)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    worker = Worker(progress=lambda message: write_frame(replies, encode(message)))
    handlers = {"load": worker.load, "call": worker.call}
    _exit_with_parent()
    budget.install()
    if config:
        harden(config)
    if config.get("own_files"):  # copies of the student's own files (a helper module, data) in the working folder
        sys.path.append(os.getcwd())
    del config, frame  # it names the secret paths: nothing of it stays where student code could look
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        request = decode_request(frame)
        try:
            reply = handlers[request["op"]](request)
            payload = encode(reply)
        except BaseException as exc:  # a hostile return value must not end the loop
            # a MemoryError says nothing itself: say why (a huge array or string returned)
            too_large = isinstance(exc, MemoryError)
            reason = "it is too large: out of memory" if too_large else f"{type(exc).__name__}: {exc}"
            payload = encode({"worker_error": reason[:2000]})
        refuse_multiprocessing()
        _flush_student_output()
        write_frame(replies, payload)


def _exit_with_parent() -> None:
    """End this process when the grader dies, even while student code runs.

    bubblewrap does this with --die-with-parent; without it, a grader killed
    outright would otherwise leave a worker running until its code returned.
    """
    import threading
    import time

    parent, getppid, exit_now, sleep = os.getppid(), os.getppid, os._exit, time.sleep

    def watch() -> None:
        while getppid() == parent:
            sleep(0.5)
        exit_now(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _flush_student_output() -> None:
    """stdout is a pipe, so block-buffered: flush what the student printed before replying."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # the student may have replaced or closed it
            pass
