"""The worker's limits on itself, set before any student code runs.

Resource limits (memory, CPU time, file size, open files, no core dumps), no new
privileges for any program it starts, and the removal of the few functions that
do what the audit hook cannot see (memfd_create, shm_open, fork_exec); then the
audit hook itself (see audit.py). `harden` does it all, once, in that order.
"""

from __future__ import annotations

import os
import sys

from . import audit

APPLIED: dict = {}  # the limits set, for messages: "exceeded the 2 GiB memory limit"


def harden(config: dict) -> None:
    """Limit this process and install the audit hook, before any student code runs."""
    _set_limits(config)
    _forbid_new_privileges()
    _remove_unaudited_spawn()
    _remove_memfd()
    _remove_shared_memory()
    audit.install(config)


def _forbid_new_privileges() -> None:
    """No program this process ever starts gains privileges: a setuid-root program (su,
    mount) runs with the worker's own. bubblewrap sets this flag for its sandbox; without
    it, code that gets past the audit hook could otherwise run one from the unprivileged
    user's worker. Linux only (prctl PR_SET_NO_NEW_PRIVS), and it cannot be undone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    except (ImportError, OSError, AttributeError):  # no ctypes or no prctl: the other layers remain
        pass


def _remove_memfd() -> None:
    """os.memfd_create makes files that live in memory, outside the address space that
    RLIMIT_AS counts, and raises no audit event: replace it by a function that refuses.
    A submission can get the original back (a fresh `posix` module), so this only stops
    the plain attempt; what bounds memfds is RLIMIT_NOFILE (see _set_limits), and the cgroup."""
    def memfd_create(*args, **kwargs):
        raise PermissionError("grading sandbox: os.memfd_create is not allowed")

    for module in (os, sys.modules.get("posix")):
        if module is not None and hasattr(module, "memfd_create"):
            module.memfd_create = memfd_create


def _remove_shared_memory() -> None:
    """_posixshmem.shm_open (multiprocessing.shared_memory) makes a file in /dev/shm with no
    audit event: memory outside the address space that outlives the worker. Replace it by a
    function that refuses; the hook refuses a fresh import of the original module."""
    try:
        import _posixshmem
    except ImportError:  # Windows, or a Python built without it
        return

    def refuse(*args, **kwargs):
        raise PermissionError("grading sandbox: shared memory is not allowed")

    _posixshmem.shm_open = refuse
    _posixshmem.shm_unlink = refuse


def _remove_unaudited_spawn() -> None:
    """_posixsubprocess.fork_exec starts processes without an audit event (subprocess raises
    its event in Python, before calling it): replace it by a function that refuses, so that
    `import subprocess` (matplotlib, pandas, tqdm do) still works and starting a process
    fails only when it is tried. The hook refuses a fresh import of the original module."""
    try:
        import _posixsubprocess
    except ImportError:  # Windows
        return

    def fork_exec(*args, **kwargs):
        raise PermissionError("grading sandbox: starting a process is not allowed")

    _posixsubprocess.fork_exec = fork_exec
    subprocess = sys.modules.get("subprocess")
    if subprocess is not None and hasattr(subprocess, "_fork_exec"):
        subprocess._fork_exec = fork_exec


# The fewest files a worker may have open at once. The worker with numpy and matplotlib
# holds 6 (8 while saving a figure); a notebook that reads a few files at a time stays far below.
MIN_OPEN_FILES = 32


def open_files_limit(memory_bytes: int, file_bytes: int) -> int:
    """RLIMIT_NOFILE for a worker: open files times the largest file stays near the memory limit."""
    return max(MIN_OPEN_FILES, memory_bytes // max(file_bytes, 1))


def _set_limits(config: dict) -> None:
    """Memory (address space), CPU time, file size, open files, no core dumps.

    Memory in files escapes RLIMIT_AS: a memfd's pages (and a pipe's buffer) are not in the
    address space. Each such file is at most RLIMIT_FSIZE and lives only while a descriptor
    holds it (or a mapping, which RLIMIT_AS counts), so RLIMIT_NOFILE bounds them all:
    at most max(memory limit, MIN_OPEN_FILES x file size limit) beside the address space.
    Where a cgroup exists it counts these pages too, with the rest of the submission's memory.
    """
    APPLIED.update({k: config[k] for k in ("memory_bytes", "file_bytes", "cpu_seconds") if k in config})
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the audit hook and timeouts remain
        return
    cpu = int(config.get("cpu_seconds") or 0)
    memory, file_bytes = config.get("memory_bytes"), config.get("file_bytes")
    files = open_files_limit(int(memory), int(file_bytes)) if memory and file_bytes else None
    wanted = [
        ("RLIMIT_AS", memory, memory),
        ("RLIMIT_CPU", cpu, cpu + 2),  # SIGXCPU at the soft limit, SIGKILL 2 s later
        ("RLIMIT_FSIZE", file_bytes, file_bytes),
        ("RLIMIT_NOFILE", files, files),
        ("RLIMIT_CORE", 0, 0),
    ]
    for name, soft, hard in wanted:
        which = getattr(resource, name, None)
        if which is None or not soft and name != "RLIMIT_CORE":
            continue
        try:
            resource.setrlimit(which, (int(soft), int(hard)))
        except (ValueError, OSError):  # e.g. RLIMIT_AS on macOS
            pass


def refuse_multiprocessing() -> None:
    """Once the submission imported multiprocessing, refuse its processes before they open pipes.

    multiprocessing opens four pipes before it forks and leaves them open when the fork is
    refused: a function that tries at every call would use up the few files a worker may have
    open (see _set_limits) and be told "Too many open files" rather than why it failed.
    """
    try:
        process = sys.modules.get("multiprocessing.process")
        base = getattr(process, "BaseProcess", None)
        if base is not None and getattr(base.start, "__name__", "") != "refused_start":
            def refused_start(self):
                raise PermissionError("grading sandbox: starting a process is not allowed")

            base.start = refused_start
    except BaseException:  # the submission may have replaced the module with anything
        pass
