"""The grading process's side of the worker: start it, ask it, time it, kill it.

A `StudentProcess` is the only way the grader touches student code, and this module
alone starts, restarts and stops worker processes (`Workers` holds a submission's). Every reply
is decoded with ``allow_pickle=False`` and checked for size; a worker that hangs,
dies or sends garbage raises `WorkerFailure`, and the caller decides what that
costs (only the function being graded).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from typing import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader import cpu_time, sandbox
from grader.limits import CPU_POLL_SECONDS, CPU_SLACK_SECONDS, MAX_REPLY_BYTES, Limits, format_bytes
from grader.worker.frames import ProtocolError, as_frame, read_frame, write_frame


DIED = "the process running your code stopped"  # how the message of a death starts

# What a WorkerFailure was (WorkerFailure.kind): callers decide on these, never on the message,
# which may quote what the student's code said.
HUNG = "timeout"  # ran past its time, or the submission's time budget ran out
STOPPED = "died"  # the process ended: it exited, was killed by a signal, or went over a limit
BROKEN = "error"  # the process answered, but not with a valid reply (or could not be started)


class WorkerFailure(Exception):
    """The worker did not answer: it timed out, died, or broke the protocol."""

    def __init__(self, kind: str, message: str, protocol: bool = False) -> None:
        super().__init__(message)
        self.kind = kind  # HUNG, STOPPED or BROKEN
        self.message = message
        self.protocol = protocol  # the worker sent something that is not a valid reply


@dataclass
class Returned:
    """The student's function returned `value`."""

    value: object
    warnings: list[str] = field(default_factory=list)
    generators: dict[str, str] = field(default_factory=dict)  # each Generator argument's state after the call, when asked
    # When asked (call's inputs_after): the arguments as the worker sent them back after the call,
    # [positional, keyword], as untrusted as the value; grader.purity compares them with those sent.
    inputs_after: object = None


@dataclass
class Raised:
    """The student's function raised an exception."""

    error: str
    message: str
    traceback: str
    not_implemented: bool = False
    is_value_error: bool = False
    where: str | None = None
    line: int | None = None
    generators: dict[str, str] = field(default_factory=dict)  # each Generator argument's state after the raise, when asked


Outcome = Returned | Raised


@dataclass(frozen=True)
class Call:
    """One call of a student function: positional and keyword arguments."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


class StudentProcess:
    """A worker process holding one loaded submission."""

    def __init__(self, cells: list[dict], module: str, limits: Limits,
                 private: list[Path] = (), own: Path | None = None) -> None:
        self.cells = cells
        self.module = module
        self.limits = limits
        self.private = list(private)
        self.own = own  # the student's own folder: its files are copied for the code to read
        self.output = _CappedBuffer(limits.output_bytes)
        self.deadline: float | None = None  # monotonic time by which the whole submission must be done
        self._layers: tuple[str, ...] = ()
        self._own_files_left_out = 0
        self._starting: threading.Event | None = None  # set when a start begun by start_soon is done
        self._proc: subprocess.Popen | None = None
        self._replies: queue.Queue = queue.Queue()
        self._loaded = False
        self._scratch: Path | None = None
        self._cgroup: sandbox.Cgroup | None = None
        self._user: tuple[int, int] | None = None  # the unprivileged user the worker runs as, if any
        self._kill_reason: str | None = None
        self._cpu: cpu_time.Clock | None = None  # the worker's CPU time, read from outside it
        self._cpu_limit: float | None = None  # the reading at which to stop it
        self._drains: list[threading.Thread] = []
        self._writer: threading.Thread | None = None  # writing the rest of a request, if any
        self.skipped: set[tuple] = set()  # units of top-level code not to run again
        self.load_events: list[LoadEvent] = []  # what happened to the top-level code, from the first load
        self.more_load_events = 0  # events past the worker's cap, counted only
        self._recorded = False

    # -- life cycle ---------------------------------------------------------

    @property
    def layers(self) -> tuple[str, ...]:
        """The isolation layers of the process started last."""
        self._started()
        return self._layers

    @property
    def own_files_left_out(self) -> int:
        """How many of the student's own files the process started last could not read (see sandbox)."""
        self._started()
        return self._own_files_left_out

    def start(self) -> None:
        """Start the worker process; returns at once (loading is sent with the first ask).

        The previous worker, if any (one that died, or quit after a reply), is stopped first:
        its processes killed, its cgroup and scratch folder removed. If starting fails, what
        was made for the new one is removed too: nothing is left behind in any path.
        """
        self._started()
        self._start()

    def start_soon(self) -> None:
        """start(), in the starter thread (see _Starter), and return at once.

        Starting waits more than it computes: bubblewrap's probe, the cgroup, Popen, each tens of
        milliseconds of a busy machine's time. Meanwhile the caller imports and reads (`grade`
        does this first of all). Whatever needs the process waits for that start first
        (_started); a start that fails is met again, and reported, by the first request.
        """
        self._started()
        self._starting = _STARTER.run(lambda: _start_quietly(self._start))

    def _started(self) -> None:
        """Wait for a start begun by start_soon, if any."""
        starting, self._starting = self._starting, None
        if starting is not None:
            starting.wait()

    def _start(self) -> None:
        self._stop()
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # so that its whole group can be killed
        else:
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        self._kill_reason = None
        self._scratch = sandbox.make_scratch()
        try:
            launch = sandbox.prepare(self.limits, self._scratch, self.private, self.own)
            self._layers = launch.layers
            self._own_files_left_out = launch.own_files_left_out
            self._cgroup = launch.cgroup
            if launch.user is not None:  # a grader running as root without bubblewrap: see sandbox.sandbox_user
                kwargs.update(user=launch.user[0], group=launch.user[1], extra_groups=[])
                self._user = launch.user
            try:
                self._proc = subprocess.Popen(launch.command, cwd=launch.cwd, stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=launch.env, **kwargs)
            except OSError as error:  # e.g. out of processes: this submission's problem, not the class's
                raise WorkerFailure(BROKEN, f"could not start the process to run your code ({error})") from None
            _send_config(self._proc, launch.config)
        except BaseException:
            self._stop()
            raise
        self._replies, self._writer = queue.Queue(), None
        self._cpu = cpu_time.Clock(self._proc.pid)
        threading.Thread(target=self._read_replies, args=(self._proc, self._replies), daemon=True).start()
        drain = threading.Thread(target=self._drain_output, args=(self._proc,), daemon=True)
        drain.start()
        self._drains.append(drain)
        self._loaded = False

    def load(self) -> None:
        """Run the submission's top-level code, unit by unit (a notebook cell, a statement of a .py).

        A unit that runs past its budget is stopped and skipped by the worker itself. One
        that cannot be stopped (C code, or code that catches every exception) or that kills
        the worker is skipped by restarting the worker without it. Units skipped once stay
        skipped when the worker restarts later, so a slow cell costs its time once.
        """
        self._started()
        for _ in range(MAX_HUNG_UNITS + 1):
            if self._proc is None:
                self.start()
            running: list = [None]
            request = {"op": "load", "module": self.module, "cells": self.cells, "skip": sorted(self.skipped),
                       "cell_seconds": self.limits.cell_seconds, "load_seconds": self.limits.load_seconds}
            try:
                reply = self._ask(request, self.limits.cell_seconds, "loading your code",
                                  on_progress=lambda unit: running.__setitem__(0, unit))
            except WorkerFailure as failure:
                unit = running[0]
                if unit is None or failure.protocol or self._budget_spent():
                    raise
                self.skipped.add(unit)
                self.load_events.append(LoadEvent("hung" if failure.kind == HUNG else "died", unit,
                                                  message=failure.message))
                self.start()
                continue
            self._record(reply.get("events"), reply.get("more_events"))
            self._loaded = True
            return
        raise WorkerFailure(STOPPED, f"{MAX_HUNG_UNITS} parts of your code's top-level code each stopped the "
                                     f"process running it")

    def _record(self, raw: object, more: object = 0) -> None:
        """Keep what the worker said of each unit, the first time the submission loads."""
        if not isinstance(raw, list):
            raise WorkerFailure(BROKEN, "the process running your code sent an invalid reply while loading it")
        if self._recorded:
            for event in raw:  # a replay: only what newly timed out is news, and is skipped from now on
                if isinstance(event, dict) and event.get("kind") == "timeout" and _unit(event.get("unit")):
                    self.skipped.add(_unit(event.get("unit")))
            return
        self._recorded = True
        self.more_load_events = more if isinstance(more, int) and more > 0 else 0
        for event in raw:
            if not isinstance(event, dict) or _unit(event.get("unit"), allow_cell=True) is None:
                continue
            kind, unit = clean_text(event.get("kind"), 20), _unit(event.get("unit"), allow_cell=True)
            if kind == "timeout":
                self.skipped.add(unit)
            self.load_events.append(LoadEvent(kind, unit, _line(event), _error_text(event) if kind in ("error", "syntax")
                                              else "", _where(event.get("where")), _also(event.get("also")),
                                              event.get("definitions_only") is True))

    def _budget_spent(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def ensure_running(self) -> None:
        self._started()
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        if not self._loaded:
            self.load()

    def stop(self) -> None:
        self._started()
        self._stop()

    def _stop(self) -> None:
        if self._cpu is not None:
            self._cpu.close()
        self._cpu = None
        if self._proc is not None:
            _kill_tree(self._proc)
            self._proc = None
        if self._cgroup is not None:
            self._cgroup.remove()
            self._cgroup = None
        if self._scratch is not None:
            sandbox.remove_scratch(self._scratch)
            self._scratch = None
        if self._user is not None:
            sandbox.remove_shared_memory_of(self._user[0])

    def printed(self) -> tuple[str, int]:
        """After stop(): the start of what the student's code printed, and how much it printed."""
        self._started()
        for drain in self._drains:
            drain.join(timeout=1.0)
        return self.output.text(), self.output.total

    # -- asking ----------------------------------------------------------------

    def call(self, function: str, calls: list[Call], global_seed: int | None = None,
             pick: int | None = None, meanwhile: Callable[[], None] | None = None,
             inputs_after: bool = False, generators: bool = False) -> list[Outcome]:
        """Call `function` once per entry of `calls`, all in one round trip.

        global_seed: numpy's global RNG is seeded with it before each call.
        pick: return only this element of each result (the loss of a (loss, grads) pair).
        meanwhile: run once the calls are sent, before waiting for their outcomes: the grader
        computes (the reference's values) on one core while the student's code runs on the
        other. It must not raise: the reply is read after it.
        inputs_after: each outcome carries the arguments as they are after its call (see grader.purity).
        generators: each outcome carries the state of each Generator argument after its call
        (Returned.generators and Raised.generators are empty otherwise).
        """
        self.ensure_running()
        request = {
            "op": "call",
            "function": function,
            "calls": [[list(c.args), dict(c.kwargs)] for c in calls],
            "global_seed": global_seed,
            "pick": pick,
            "seconds": self.limits.call_seconds,
            "inputs_after": inputs_after,
            "generators": generators,
        }
        self._arm_cpu(self.limits.call_seconds)
        self._send(request)
        if meanwhile is not None:
            meanwhile()
        reply = self._receive(self.limits.call_seconds, f"running {function}")
        if reply.get("missing"):
            raise MissingFunction(function)
        if "timed_out" in reply:
            where = describe_where(_where(reply["timed_out"]))
            raise WorkerFailure(HUNG, f"timed out after {self.limits.call_seconds:g} s "
                                           f"{where or f'while running {function}'}")
        outcomes = reply.get("outcomes")
        if not isinstance(outcomes, list) or len(outcomes) != len(calls) or \
                not all(isinstance(o, dict) for o in outcomes):
            raise WorkerFailure(BROKEN, "the worker sent a reply of the wrong form")
        return [_outcome(o) for o in outcomes]

    def _ask(self, request: dict, seconds: float, doing: str, on_progress=None) -> dict:
        """Send a request and wait for its reply; never past the submission's deadline.

        `seconds` is the worker's own CPU-time budget for the request (or for each unit of
        top-level code, announced by a progress frame), which the grader also enforces from
        outside (_next_reply); it waits longer, by the wall clock, only as a backstop for
        code that sleeps (or where it cannot read the worker's CPU time).
        The request is never written by a call that may block (see _send): a worker that
        stops reading must not block the grader on a full pipe, the time limit covers the
        writing too.
        """
        self._cpu_limit = None  # top-level code: each unit's budget starts with its progress frame
        self._send(request)
        return self._receive(seconds, doing, on_progress)

    def _send(self, request: dict) -> None:
        """Write what the pipe takes at once here, without waiting (all of most requests), and the
        rest from a thread, which waits for the worker to read it (or for it to be stopped)."""
        assert self._proc is not None
        from grader.worker.wire import encode_request  # not at the top: see _decode

        data = as_frame(encode_request(request))
        if self._writer is None or not self._writer.is_alive():  # else it writes, and this waits its turn
            data = data[_write_now(self._proc.stdin, data):]
            if not data:
                return
        self._writer = threading.Thread(target=_write_request, args=(self._proc.stdin, data), daemon=True)
        self._writer.start()

    def _receive(self, seconds: float, doing: str, on_progress=None) -> dict:
        """The reply to the request sent last (see _ask)."""
        announced, units = None, {}  # the unit of top-level code announced last; {cell: its units at most}
        while True:
            budget_left = None if self.deadline is None else self.deadline - time.monotonic()
            if budget_left is not None and budget_left <= 0:
                self.stop()
                raise WorkerFailure(HUNG, f"the submission used up its whole time budget "
                                               f"({self.limits.total_seconds:g} s) while {doing}")
            backstop = self.limits.backstop(seconds)
            wait = backstop if budget_left is None else min(backstop, budget_left)
            try:
                reply = self._next_reply(wait, seconds, doing)
            except queue.Empty:
                self.stop()
                if wait < backstop:
                    raise WorkerFailure(HUNG, f"the submission used up its whole time budget "
                                                   f"({self.limits.total_seconds:g} s) while {doing}") from None
                raise WorkerFailure(HUNG, f"timed out after {seconds:g} s while {doing} (it could not be "
                                               f"interrupted, or it was waiting rather than computing)") from None
            if isinstance(reply, dict) and "running" in reply and len(reply) == 1:
                unit = _unit(reply["running"])
                if on_progress is None or unit is None or not self._may_start(unit, announced, units):
                    self.stop()
                    raise WorkerFailure(BROKEN, "the worker broke the protocol: an unexpected progress message",
                                        protocol=True)
                announced = unit
                on_progress(unit)
                self._arm_cpu(seconds)
                continue
            break
        if isinstance(reply, WorkerFailure):
            self.stop()
            raise reply
        if reply is None:
            raise self._death(doing)
        if not isinstance(reply, dict) or "worker_error" in reply:
            detail = reply.get("worker_error") if isinstance(reply, dict) else "an invalid reply"
            raise WorkerFailure(BROKEN, f"could not send back what was returned ({clean_text(detail, 300)})")
        return reply

    def _may_start(self, unit: tuple, announced: tuple | None, units: dict[int, int]) -> bool:
        """A unit the worker may announce next: a later one than the last, of a cell of the submission.
        The worker's code may send progress frames itself; each arms a new budget, so the same or a
        made-up unit, again and again, would give top-level code the whole submission's time instead
        of a unit's. `units` keeps each cell's bound, counted once per request."""
        if (announced is not None and unit <= announced) or unit[0] >= len(self.cells):
            return False
        if unit[0] not in units:
            cell = self.cells[unit[0]]
            units[unit[0]] = _statements(cell["source"]) if cell.get("split") else 1
        return unit[1] < units[unit[0]]

    def _arm_cpu(self, seconds: float) -> None:
        """What runs from now on (a request's calls, a unit of top-level code) may use `seconds`
        of CPU time, as the grader reads it from outside the worker (see grader.cpu_time)."""
        used = self._cpu.read() if self._cpu is not None and seconds else None
        self._cpu_limit = None if used is None else used + seconds + CPU_SLACK_SECONDS

    def _next_reply(self, wait: float, seconds: float, doing: str) -> object:
        """The next frame from the worker, within `wait` seconds of the wall clock (else queue.Empty).

        Meanwhile the worker's CPU time is read every CPU_POLL_SECONDS: past the budget armed
        (_arm_cpu), the worker's own timer did not stop its code (disarmed, or stuck in C code),
        so the grader stops the worker, and the request timed out as it would have.
        """
        end = time.monotonic() + wait
        while True:
            try:
                return self._replies.get(timeout=max(0.0, min(CPU_POLL_SECONDS, end - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= end:
                    raise
            used = self._cpu.read(walk=True) if self._cpu is not None and self._cpu_limit else None
            if used is not None and used > self._cpu_limit and self._replies.empty():
                self.stop()
                raise WorkerFailure(HUNG, f"timed out after {seconds:g} s while {doing} "
                                          f"(it could not be interrupted)")

    def _death(self, doing: str) -> WorkerFailure:
        code = self._proc.wait() if self._proc else None
        out_of_memory = self._cgroup is not None and self._cgroup.ran_out_of_memory()
        self.stop()
        if out_of_memory:
            return WorkerFailure(STOPPED, f"exceeded the {format_bytes(self.limits.memory_bytes)} "
                                          f"memory limit while {doing}")
        if self._kill_reason:
            return WorkerFailure(STOPPED, f"{self._kill_reason} while {doing}")
        if _is_cpu_limit(code):
            return WorkerFailure(STOPPED, f"exceeded the CPU time limit of {self.limits.cpu_seconds} s while {doing}")
        return WorkerFailure(STOPPED, f"{DIED} while {doing} ({_describe_exit(code)})")

    # -- threads -----------------------------------------------------------------

    @staticmethod
    def _read_replies(proc: subprocess.Popen, replies: queue.Queue) -> None:
        try:
            while True:
                frame = read_frame(proc.stdout, MAX_REPLY_BYTES)
                if frame is None:
                    replies.put(None)
                    return
                replies.put(_decode(frame))
        except ProtocolError as exc:
            replies.put(WorkerFailure(BROKEN, f"the worker broke the protocol: {exc}", protocol=True))
        except (OSError, ValueError):
            replies.put(None)
        except Exception as exc:  # whatever a hostile reply does, the grader hears of it
            replies.put(WorkerFailure(BROKEN, f"the worker sent an unreadable reply ({type(exc).__name__})"))
        finally:
            _close(proc.stdout)

    def _drain_output(self, proc: subprocess.Popen) -> None:
        while True:
            try:
                chunk = proc.stderr.read1(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                _close(proc.stderr)
                return
            self.output.write(chunk)
            if self.output.total > self.limits.output_kill_bytes and self._kill_reason is None:
                self._kill_reason = (f"printed more than {format_bytes(self.limits.output_kill_bytes)}, "
                                     f"the output limit")
                _kill_tree(proc, wait=False)


class Workers:
    """The worker processes of one submission, started, restarted and stopped here alone.

    `student` answers the checks. `spare` answers only the checks that must not be answered
    from what the student's code remembered (`fresh_process`); `sealed` only the checks
    against the reference when grading uses the course secret (see engine._context_for).
    Those two are started only when wanted, in the background, and share the first one's
    deadline and skipped units of top-level code.
    """

    def __init__(self, cells: list[dict], module: str, limits: Limits,
                 private: list[Path] = (), own: Path | None = None) -> None:
        self.student = StudentProcess(cells, module, limits, private, own)
        self.spare = StudentProcess(cells, module, limits, private, own)
        self.sealed = StudentProcess(cells, module, limits, private, own)
        self.made_for: tuple | None = None  # what for_submission made them for

    @classmethod
    def for_submission(cls, path: Path, homework: str, limits: Limits,
                       private: list[Path] = ()) -> Workers:
        """The workers of the submission at `path`, what they may read decided from its place alone.

        `grade` starts the first one before the submission is read (`give` hands it the code,
        which it loads when first asked): its start-up, a tenth of a second of bubblewrap,
        Python and numpy, overlaps the grader's own imports and the reading of the file.
        """
        hidden = sandbox.private_paths(path, list(private))
        own = sandbox.own_folder(path, homework, list(private))
        workers = cls([], homework, limits, hidden, own)
        workers.made_for = (Path(path), homework, limits, tuple(private))
        return workers

    def give(self, cells: list[dict]) -> None:
        """The submission's code, before any process loads it."""
        for process in (self.student, self.spare, self.sealed):
            process.cells = cells

    def start(self) -> None:
        """Start the first process now, in the background, so that its start-up overlaps other
        work; loading tries again if it could not start, and says why."""
        self.student.start_soon()

    def start_spare(self) -> None:
        """Start the process for checks that compare with a process that has answered no
        other call; now, so that its start-up overlaps the checks before them on another core."""
        self._start_alongside(self.spare)

    def start_sealed(self) -> None:
        """Start the process for checks against the reference on the secret's examples."""
        self._start_alongside(self.sealed)

    def _start_alongside(self, other: StudentProcess) -> None:
        """It loads the submission when first asked, skipping what the first process skipped,
        and within the same deadline. What it prints reaches nothing."""
        other.deadline, other.skipped = self.student.deadline, self.student.skipped
        other.start_soon()

    def restart_student(self) -> bool:
        """A fresh first process with the submission loaded (slow cells skipped as before);
        False if that fails or the deadline has passed."""
        if time.monotonic() > (self.student.deadline or float("inf")):
            return False
        try:
            self.student.ensure_running()
        except (WorkerFailure, MissingFunction):
            return False
        return True

    def stop(self) -> None:
        """Stop every process at once: stopping one waits a moment for its processes to be gone."""
        stopping = [threading.Thread(target=other.stop) for other in (self.spare, self.sealed)]
        for thread in stopping:
            thread.start()
        self.student.stop()
        for thread in stopping:
            thread.join()


class _Starter:
    """One thread that starts workers in the background, for as long as this process lives.

    Only one such thread: bubblewrap's --die-with-parent kills the worker when the *thread*
    that started it ends (PR_SET_PDEATHSIG), so a thread that ended once its start was done
    would kill the worker it started. This one ends with the process, as the main thread does.
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid = 0  # the process the thread belongs to: a forked child has none until it starts one
        self._lock = threading.Lock()

    def run(self, job: Callable[[], None]) -> threading.Event:
        """Run `job` in the starter thread; the event is set when it is done."""
        done = threading.Event()
        with self._lock:
            if self._thread is None or self._pid != os.getpid():
                self._jobs, self._pid = queue.Queue(), os.getpid()
                self._thread = threading.Thread(target=self._serve, args=(self._jobs,), name="start-workers",
                                                daemon=True)
                self._thread.start()
            self._jobs.put((job, done))
        return done

    @staticmethod
    def _serve(jobs: queue.Queue) -> None:
        while True:
            job, done = jobs.get()
            try:
                job()
            except BaseException:  # never the end of this thread: later starts wait on it
                pass
            finally:
                done.set()


_STARTER = _Starter()


def _start_quietly(start: Callable[[], None]) -> None:
    try:
        start()
    except Exception:  # what was made for it is removed: the first request starts it again, and says why it could not
        pass


class MissingFunction(Exception):
    """The submission does not define the function asked for."""


# Units of top-level code that may each hang or kill the worker before loading gives up.
MAX_HUNG_UNITS = 5


@dataclass(frozen=True)
class LoadEvent:
    """Something that happened to one unit of top-level code while the submission loaded.

    kind: "error" (raised), "syntax" (the cell could not be compiled), "timeout" (ran past
    its budget; skipped), "caught" (ran past its budget, and its own code caught the
    interrupt), "hung" (could not be stopped; skipped), "died" (stopped the worker;
    skipped), "budget" (the time for top-level code was spent: only definitions ran).
    unit: (cell index, statement index; None for a whole cell).
    """

    kind: str
    unit: tuple
    line: int | None = None
    message: str = ""
    where: tuple = ()  # for a timeout: the student's frames, innermost first, as (function, file, line)
    also: tuple = ()  # for an error in a notebook cell: the errors after it, as (message, line)
    definitions_only: bool = False  # after the error, only the cell's definitions ran


def _unit(value: object, allow_cell: bool = False) -> tuple | None:
    """A unit id from the worker: [cell, statement], both small non-negative ints."""
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int) or value[0] < 0:
        return None
    if value[1] is None and allow_cell:
        return (value[0], None)
    return (value[0], value[1]) if isinstance(value[1], int) and value[1] >= 0 else None


def _statements(source: str) -> int:
    """How many top-level statements the worker runs one by one in a split cell (a .py): as many
    as it parses. Where the grader cannot parse it, a bound: a statement starts a line (ended by
    \n, \r\n or \r) or follows a semicolon."""
    from grader.slicing import parse  # the grading process's parser lock; not at the top: see _decode

    try:
        return len(parse(source).body)
    except Exception:  # SyntaxError, or too deep: the worker, parsing it too, runs none of it
        return source.count("\n") + source.count("\r") + source.count(";") + 1


def _line(event: dict) -> int | None:
    return event.get("line") if isinstance(event.get("line"), int) else None


def _error_text(event: dict) -> str:
    return f"{clean_text(event.get('error'), 200)}: {clean_text(event.get('message'), 2000)}"


def _also(raw: object) -> tuple:
    """The errors a notebook cell raised after its first: ((message, line), ...)."""
    if not isinstance(raw, list):
        return ()
    return tuple((_error_text(e), _line(e)) for e in raw[:3] if isinstance(e, dict))


def _where(raw: object) -> tuple:
    """The frames the worker reported, cleaned: ((function, file, line), ...), innermost first."""
    if not isinstance(raw, list):
        return ()
    frames = []
    for frame in raw[:8]:
        if isinstance(frame, dict):
            line = frame.get("line") if isinstance(frame.get("line"), int) else None
            frames.append((clean_text(frame.get("function"), 100), clean_text(frame.get("file"), 200), line))
    return tuple(frames)


def describe_where(where: tuple, outside_in: bool = False) -> str:
    """Where the student's code was: 'in mse, hw1.py line 58, called from two_layer_loss_and_grads'.

    outside_in: for top-level code, start from the line of the cell or file that was running
    ('at hw1.ipynb, code cell 5 line 3, in sigmoid, code cell 2 line 7'), so that a training
    loop that was stopped inside a graded function is not mistaken for that function.
    """
    if not where:
        return ""
    function, file, line = where[-1] if outside_in else where[0]
    place = f"{file} line {line}" if line is not None else file
    text = f"at {place}" if function == "<module>" else f"in {function}, {place}"
    if outside_in:
        inner, inner_file, inner_line = where[0]
        if len(where) > 1 and inner != "<module>":
            return f"{text}, inside {inner} ({inner_file} line {inner_line})"
        return text
    callers = [f for f, _, _ in where[1:] if f != "<module>" and f != function]
    return text + (f", called from {callers[0]}" if callers else "")


def _outcome(raw: dict) -> Outcome:
    """An outcome from the worker, every string cleaned and cut (they end up in reports)."""
    if "raised" in raw:
        e = raw["raised"] if isinstance(raw["raised"], dict) else {}
        return Raised(
            error=clean_text(e.get("error"), 200),
            message=clean_text(e.get("message"), 2000),
            traceback=clean_text(e.get("traceback"), 4000),
            not_implemented=e.get("not_implemented") is True,
            is_value_error=e.get("is_value_error") is True,
            where=clean_text(e.get("where"), 200) if e.get("where") is not None else None,
            line=e.get("line") if isinstance(e.get("line"), int) else None,
            generators=_generators(raw),
        )
    warnings = raw.get("warnings")
    return Returned(
        value=raw.get("returned"),
        warnings=[clean_text(w, 500) for w in warnings[:20]] if isinstance(warnings, list) else [],
        generators=_generators(raw),
        inputs_after=raw.get("inputs_after"),
    )


def _generators(raw: dict) -> dict[str, str]:
    """The Generator states a reply reports (worker.generator_states), as cleaned short texts."""
    states = raw.get("generators")
    if not isinstance(states, dict):
        return {}
    return {clean_text(k, 200): clean_text(v, 500) for k, v in list(states.items())[:20]}


_CONTROL = dict.fromkeys([*range(0, 9), *range(11, 32), *range(127, 160)])  # all but \t and \n; C1 too (U+009B: CSI)


def clean_text(value: object, limit: int) -> str:
    """Text from the student's process made safe to print: no terminal control codes, no lone
    surrogates, at most `limit` characters."""
    text = value if isinstance(value, str) else str(value)
    text = text[: limit + 1].encode("utf-8", "replace").decode("utf-8").translate(_CONTROL)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _decode(frame: bytes) -> object:
    """A reply, decoded by the wire format. That needs numpy, which this module imports only when
    the first request is sent (so by then it is imported): `grade` starts a worker before it
    imports numpy, so that the two start-ups overlap (see cli._start_early)."""
    from grader.worker.wire import decode

    return decode(frame)


def _send_config(proc: subprocess.Popen, config: bytes) -> None:
    """The worker's configuration, its first frame. A few hundred bytes: the pipe's buffer takes
    them at once, so this never waits on the worker. One that died already is reported by the
    reader at the first request."""
    try:
        write_frame(proc.stdin, config)
    except (OSError, ValueError):
        pass


def _write_now(stream, data: bytes) -> int:
    """Write what the pipe takes of `data` without waiting; how many bytes that was. A worker
    that died or was stopped takes all: the reader reports what happened to it."""
    if os.name != "posix":
        return 0
    try:
        descriptor = stream.fileno()
        os.set_blocking(descriptor, False)
        try:
            return os.write(descriptor, data)
        finally:
            os.set_blocking(descriptor, True)
    except BlockingIOError:  # the pipe is full: the worker has not read what came before
        return 0
    except (OSError, ValueError):  # the worker is gone (a broken pipe), or stopped (closed)
        return len(data)


def _write_request(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.flush()
    except (OSError, ValueError):  # the worker died or was stopped: the reader reports it
        pass


class _CappedBuffer:
    """Keeps the first `cap` bytes written; counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept = bytearray()
        self.total = 0

    def write(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]

    def text(self) -> str:
        """What was kept, safe to print: a carriage return (progress bars) becomes a new line,
        other control codes (colours, `clear_output`'s erase-line) are dropped."""
        return self.kept.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def _kill_tree(proc: subprocess.Popen, wait: bool = True) -> None:
    """Kill the worker and its process group (with bubblewrap, its whole PID namespace)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    if not wait:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    # stdout and stderr are closed by the threads reading them, at EOF: closing them under
    # a blocked read would wait for every process holding the pipe, a leftover child too.
    _close(proc.stdin)


def _close(stream) -> None:
    try:
        if stream is not None:
            stream.close()
    except (OSError, ValueError):
        pass


def _is_cpu_limit(code: int | None) -> bool:
    """Killed by SIGXCPU (RLIMIT_CPU), directly or as reported through bubblewrap."""
    xcpu = getattr(signal, "SIGXCPU", None)
    return code is not None and xcpu is not None and code in (-xcpu, 128 + xcpu)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"

