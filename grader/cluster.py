"""Grade a class batch on a Dask cluster: the workers grade, this process writes.

`grade hw1 --submissions DIR --cluster tcp://HOST:8786` (or `tls://`, with Dask's
security settings) sends each student's grade to the workers of a Dask scheduler;
`--cluster local:N` starts a LocalCluster of N worker processes on this machine.
Only the place where a student is graded changes: this process (the client) finds
the students, skips those up to date, and writes every report, feedback file and
the gradebook, exactly as a local batch does (grader/batch.py).

Workers receive the submission, not its path: the client reads each file by the
rules of every entry point (no link followed, no special file opened, odd names
made safe: grader/submission.py), and sends the code read, with the student's own
files (copies of a helper module or data file beside it, which their code may
read), so the workers need no shared file system and never open a student's path.

Each task is a module-level function of this package (`grade_remote`), which Dask
pickles by reference: a worker imports it from its own installation, whose
fingerprint (grader/fingerprint.py) is compared with the client's before anything
is graded; a worker that differs, or lacks bubblewrap where the batch requires it,
is refused with a message that says what to install. Grading never raises on the
worker (grader.batch.grade_student's rule), so a task fails only when its worker
died: Dask then runs it again on another worker, and a submission that kills every
worker it is sent to (Dask's `distributed.scheduler.allowed-failures`, 3 by default)
costs its own student a grader fault, which a re-run retries.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader import sandbox, settings
from grader.batch import Outcome, Student, load_student
from grader.errors import UsageError
from grader.exercise import Homework
from grader.fingerprint import differences, fingerprint
from grader.submission import Submission

INSTALL = 'grading on a cluster needs Dask: install it with pip install -e ".[cluster]" (or pip install "dask[distributed]")'
LOCAL = "local:"
WORKERS_TIMEOUT = 60  # seconds to wait for a first worker to join a scheduler
_BUBBLEWRAP_MISSING = "missing"


class WorkerRefused(Exception):
    """A worker that must not grade this batch (another grader, no sandbox): raised on the client."""


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to grade one student, sent to it whole."""

    homework: str
    student: str
    submission: Submission
    own_files: tuple[tuple[str, bytes | None], ...]  # relative path -> bytes (None: a folder), as copied here
    limits: settings.Limits
    reference: bool
    private: tuple[Path, ...]
    stamp: dict
    sandboxed: bool  # bubblewrap required (the batch was not given --allow-unsandboxed)


def parse_address(text: str) -> str:
    """What --cluster accepts: a scheduler's address (tcp://, tls://) or local:N."""
    if text.startswith(LOCAL):
        count = text[len(LOCAL):]
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--cluster local:N takes a number of worker processes, e.g. local:4, got {text!r}")
        return text
    if "://" not in text:
        raise UsageError(f"--cluster takes a scheduler's address (tcp://HOST:8786, tls://HOST:8786) or local:N, "
                         f"got {text!r}")
    return text


class Cluster:
    """A connection to a Dask scheduler (or an embedded LocalCluster) that grades students."""

    def __init__(self, address: str, sandboxed: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(INSTALL) from None
        self.sandboxed = sandboxed
        self._local = None
        address = parse_address(address)
        try:
            if address.startswith(LOCAL):
                # On the loopback interface only: a scheduler runs whatever it is sent.
                self._local = LocalCluster(n_workers=int(address[len(LOCAL):]), threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
                self.client = Client(self._local)
            else:
                _check_tls(address)
                self.client = Client(address, timeout=WORKERS_TIMEOUT)
        except OSError as error:
            self.close()
            raise UsageError(f"cannot reach the Dask scheduler at {address} ({error}); start it with "
                             f"`dask scheduler`, or check the address and its TLS settings") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            self.close()
            raise UsageError(f"no worker joined the scheduler at {address} within {WORKERS_TIMEOUT} s; start some "
                             f"with `dask worker {address}`") from None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info()["workers"])

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._local is not None:
            self._local.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def check_workers(self, homework: Homework, reference: bool, stamp: dict) -> None:
        """Refuse (UsageError) when a worker would grade otherwise than this machine."""
        facts = self.client.run(worker_facts, homework.name, reference)
        for address, (theirs, bubblewrap) in sorted(facts.items()):
            refused = _refusal(address, stamp, theirs, bubblewrap, self.sandboxed)
            if refused:
                raise UsageError(refused)

    def grade(self, homework: Homework, students: list[Student], stamp: dict, limits: settings.Limits,
              reference: bool, private: list[Path], finish: Callable[[Student, Outcome], None]) -> None:
        """Grade `students` on the workers; `finish(student, outcome)` is called here, as each ends."""
        from distributed import as_completed

        futures = {}
        try:
            for student in students:
                task = _task(homework, student, stamp, limits, reference, private, self.sandboxed)
                if isinstance(task, Outcome):  # nothing to grade (not found, unreadable): no worker needed
                    finish(student, task)
                    continue
                key = f"grade-{homework.name}-{uuid.uuid4().hex}"
                futures[self.client.submit(grade_remote, task, key=key, pure=False, retries=1)] = student
            for future in as_completed(list(futures)):
                student = futures.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # its workers died (KilledWorker) or Dask failed: this student only
                    outcome = Outcome(student.id, None, fault=_lost(error), final=True)
                if isinstance(outcome, WorkerRefused):
                    raise UsageError(str(outcome))
                finish(student, outcome)
        finally:  # on an interrupt or a refusal: the workers drop what is left
            if futures:
                self.client.cancel(list(futures))


def _check_tls(address: str) -> None:
    """A tls:// scheduler is reached with Dask's TLS settings (its configuration or environment)."""
    from distributed.security import Security

    if address.startswith("tls://") and not Security().tls_ca_file:
        raise UsageError(f"{address} is a TLS scheduler, and Dask has no TLS settings here: set "
                         f"DASK_DISTRIBUTED__COMM__TLS__CA_FILE, DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
                         f"DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY (or distributed.comm.tls in ~/.config/dask/)")


def _lost(error: Exception) -> str:
    if type(error).__name__ == "KilledWorker":
        return ("the workers grading this submission died, again on each retry; it is likely to be what kills "
                "them (look at the workers' logs)")
    return f"the cluster could not grade this submission ({type(error).__name__}: {error})"


def _refusal(address: str, stamp: dict, theirs: dict, bubblewrap: str, sandboxed: bool) -> str:
    if theirs != stamp:
        return (f"the Dask worker {address} would not grade as this machine does ({differences(stamp, theirs)}); "
                f"install the same nn-grader, course checkout, course secret, numpy and hypothesis on every worker")
    if sandboxed and bubblewrap == _BUBBLEWRAP_MISSING:
        return (f"the Dask worker {address} has no bubblewrap sandbox, which grading a class requires; install "
                f"bubblewrap there, or pass --allow-unsandboxed (only for trusted submissions)")
    return ""


def _task(homework: Homework, student: Student, stamp: dict, limits: settings.Limits, reference: bool,
          private: list[Path], sandboxed: bool) -> Task | Outcome:
    """What to send for this student, read here; or its outcome when nothing can be read."""
    submission = load_student(homework, student)
    if isinstance(submission, Outcome):
        return submission
    return Task(homework.name, student.id, submission, _own_files(submission.path, homework.name, private),
                limits, reference, tuple(private), stamp, sandboxed)


def _own_files(path: Path, homework: str, private: list[Path]) -> tuple[tuple[str, bytes | None], ...]:
    """The files of the student's own folder that their code may read, copied here by the sandbox's
    own rules (no link, no special file, a budget of files and bytes), as (relative path, bytes)."""
    own = sandbox.own_folder(path, homework, list(private))
    if own is None:
        return ()
    with tempfile.TemporaryDirectory(prefix="grader-own-") as folder:
        sandbox.copy_own_files(own, Path(folder))
        files = []
        for root, folders, names in os.walk(folder):
            for name in sorted(folders):
                files.append((os.path.relpath(os.path.join(root, name), folder), None))
            for name in sorted(names):
                with open(os.path.join(root, name), "rb") as stream:
                    files.append((os.path.relpath(os.path.join(root, name), folder), stream.read()))
    return tuple(files)


# ------------------------------------------------------------ on a worker ---

def worker_facts(homework: str, reference: bool) -> tuple[dict, str]:
    """This worker's fingerprint and whether it has bubblewrap (run on every worker by Client.run)."""
    from grader.homeworks import HOMEWORKS

    return fingerprint(HOMEWORKS[homework], reference), sandbox.bubblewrap() or _BUBBLEWRAP_MISSING


def grade_remote(task: Task) -> Outcome | WorkerRefused:
    """Grade one student on a worker, as grader.batch.grade_student does on the client's machine."""
    from grader.engine import grade
    from grader.homeworks import HOMEWORKS
    from grader.report import to_json
    from grader.runner import Workers

    homework = HOMEWORKS.get(task.homework)
    if homework is None:
        return WorkerRefused(f"a Dask worker has no homework {task.homework}: install the same course checkout on "
                             f"every worker")
    refused = _refusal(_worker_address(), task.stamp, *worker_facts(task.homework, task.reference), task.sandboxed)
    if refused:  # a worker that joined after the check
        return WorkerRefused(refused)
    private = list(task.private)
    submission = task.submission
    try:
        with tempfile.TemporaryDirectory(prefix="grader-own-") as own:
            own = Path(own)
            for name, data in task.own_files:
                target = own / name
                if data is None:
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            # The workers are those Workers.for_submission makes for the file's place on the client,
            # but reading the student's own files from the copy received.
            workers = Workers([], homework.name, task.limits,
                              sandbox.private_paths(submission.path, [*private, own]), own if task.own_files else None)
            workers.made_for = (submission.path, homework.name, task.limits, tuple(private))
            workers.start()
            report = grade(homework, submission, limits=task.limits, reference=task.reference, private=private,
                           started=workers)
            return Outcome(task.student, to_json(report))
    except Exception as error:  # a fault of the grader: reported, not recorded as the student's zero
        return Outcome(task.student, None, fault=f"{type(error).__name__}: {error}")


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "(unknown)"

