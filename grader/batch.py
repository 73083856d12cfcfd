"""Grade a whole class: one submission per student, in parallel, resumable.

Layout of the submissions folder: each entry is one student, either a folder
named by the student id (its file is found by grader.submission.find_in_folder,
the rule of every entry point), or a file <student>.py or <student>.ipynb.
Layout of the output folder:

    reports/<student>.json   the document of ``grade --json`` (grader.report.to_json)
    feedback/<student>.md    the same, readable
    gradebook.csv            student, total, one column per function

Every file is written atomically, and a student's JSON report is written last:
a report newer than the submission means that student is done, so a killed batch
resumes where it stopped. The gradebook is rebuilt from the reports at the end.
Each report stores the fingerprint of the grader that made it (grader/fingerprint.py),
so that resume grades again a report of another grader (another checkout, secret, numpy).

The students may be graded by a Dask cluster's workers instead of this machine's
threads (grader/cluster.py); this process still writes every file. A shard (a job
array's task) grades a slice of the class and writes its students' files only; the
gradebook of the whole class is built once every shard is done (`--merge`).

Parallelism is a thread pool: `grade()` runs the student's code in its own
process, so the threads mostly wait on pipes, and they share the engine's cache
of drawn examples (drawn once per process). Each student's result depends only
on the submission, so the order of completion changes nothing. Hypothesis runs
from several threads at once when failures are shrunk: it supports that from
6.136.9 on (6.155.7 fixed a rare error when threads share a strategy).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import stat
import statistics
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from grader import settings
from grader.atomic import remove_leftovers, write_atomically
from grader.documents import unloadable_document
from grader.errors import SubmissionError, UsageError
from grader.exercise import CRASHED, PASSED, TIMEOUT, Homework
from grader.fingerprint import fingerprint
from grader.submission import (
    HARD_LINKED,
    SUBMIT_ONE,
    Submission,
    find_in_folder,
    load_submission,
    not_graded,
    shown_name,
)

SUBMISSION_SUFFIXES = (".py", ".ipynb")
# The report's field that holds the fingerprint of the grader that made it (grader/fingerprint.py).
FINGERPRINT = "grader"
# Folders an archive tool or an OS adds next to the students' entries.
_NOT_STUDENTS = {"__MACOSX", "__pycache__"}


@dataclass(frozen=True)
class Student:
    id: str
    entry: Path  # the folder or file in the submissions folder
    submission: Path | None  # the file to grade; None when the folder holds none
    notes: tuple[str, ...] = ()  # how the file was chosen, when that needs saying (for the report)
    problem: str = ""  # why the folder holds nothing to grade (for the report)

    @property
    def changed_at(self) -> float:
        """When the submission last changed (the folder's time when it holds no file).

        lstat: a link's own time; where it points is never looked at (nor graded)."""
        return (self.submission or self.entry).lstat().st_mtime


@dataclass(frozen=True)
class Layout:
    """Where a batch writes its files."""

    root: Path

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.csv"

    def report_of(self, student: str) -> Path:
        return self.reports / f"{student}.json"

    def feedback_of(self, student: str) -> Path:
        return self.feedback / f"{student}.md"

    def prepare(self, clean: bool = True) -> None:
        """Create the folders and make sure they can be written, or raise UsageError.

        `clean`: delete the temporary files a killed run left; not in a shard, whose
        temporary files may be another shard's, being written at this moment."""
        try:
            for folder in (self.root, self.reports, self.feedback):
                folder.mkdir(parents=True, exist_ok=True)
                with tempfile.TemporaryFile(dir=folder):
                    pass
        except OSError as error:
            raise UsageError(f"cannot write the grades to {self.root} ({error.strerror or error}); "
                             f"pass a writable folder with --out") from None
        for folder in (self.root, self.reports, self.feedback) if clean else ():
            remove_leftovers(folder)


@dataclass
class Outcome:
    """What grading one student produced: a document, or a fault of the grader."""

    student: str
    document: dict | None
    fault: str | None = None  # the grader itself failed; no report is written, a re-run retries
    final: bool = False  # a fault not tried again in this run (on a cluster: it killed every worker it was sent to)


@dataclass
class BatchResult:
    documents: dict[str, dict]  # student -> report, for every student that has one
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # up to date from an earlier run
    faults: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------ finding ---

def find_students(folder: Path, homework: str) -> tuple[list[Student], list[str]]:
    """The students in `folder`, sorted by id, and the entries that were left out (with why, shown).

    `folder` may be a link (the instructor made it); an entry in it that is a link or a
    special file (a named pipe) is a student with nothing to grade, told why.
    """
    if not folder.exists():
        raise UsageError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; --submissions takes a folder with one entry per student")
    students: dict[str, Student] = {}
    ignored: list[str] = []
    with os.scandir(folder) as listing:  # folders win over files
        entries = sorted(listing, key=lambda e: (not e.is_dir(follow_symlinks=False), e.name))
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _NOT_STUDENTS:
            continue
        path = folder / entry.name
        is_work = path.suffix in SUBMISSION_SUFFIXES
        if entry.is_dir(follow_symlinks=False):
            student = _student_in(path, homework)
        elif entry.is_file(follow_symlinks=False) and is_work:
            student = Student(path.stem, path, path)
        elif entry.is_symlink() and (is_work or _is_folder_link(entry)):
            problem = not_graded(entry.name, stat.S_IFLNK, folder=not is_work)
            student = Student(path.stem if is_work else entry.name, path, None, problem=problem)
        elif is_work:  # a named pipe, a socket, a device: never opened
            student = Student(path.stem, path, None, problem=not_graded(entry.name, _mode(entry)))
        else:
            ignored.append(f"{shown_name(entry.name)} (not a folder, .py or .ipynb)")
            continue
        if student.id in students:
            ignored.append(f"{shown_name(entry.name)} (student {shown_name(student.id)} already has "
                           f"{shown_name(students[student.id].entry.name)})")
            continue
        students[student.id] = student
    if not students:
        raise UsageError(f"{folder} holds no submissions; it should hold one folder (with {homework}.py or "
                         f"{homework}.ipynb) or one <student>.py or <student>.ipynb file per student")
    return sorted(students.values(), key=lambda s: s.id), ignored


def _is_folder_link(entry: os.DirEntry) -> bool:
    """A link to a folder (only looked at, to tell a student's folder from a stray file)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _mode(entry: os.DirEntry) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return 0


def _student_in(folder: Path, homework: str) -> Student:
    """A student's folder; one with nothing to grade is still a student, who gets a report saying why."""
    try:
        found = find_in_folder(folder, homework, SUBMIT_ONE)
    except SubmissionError as error:
        return Student(folder.name, folder, None, problem=str(error))
    except OSError as error:  # the folder changed as it was looked at (the student may be changing it)
        return Student(folder.name, folder, None, problem=f"{shown_name(folder.name)}/ could not be looked at "
                                                          f"({error.strerror or error}); submit your work again")
    return Student(folder.name, folder, found.path, found.notes)


# ------------------------------------------------------------------ grading ---

def grade_student(homework: Homework, student: Student, limits: settings.Limits = settings.Limits(),
                  reference: bool = True, private: list[Path] = ()) -> Outcome:
    """Grade one student; never raises: whatever goes wrong costs this student only.

    `private`: folders the student's code must not read (the class's submissions and grades).
    """
    from grader.engine import grade
    from grader.report import to_json

    submission = load_student(homework, student)
    if isinstance(submission, Outcome):
        return submission
    try:
        report = grade(homework, submission, limits=limits, reference=reference, private=list(private))
        return Outcome(student.id, to_json(report))
    except Exception as error:  # a fault of the grader: reported, not recorded as the student's zero
        return Outcome(student.id, None, fault=f"{type(error).__name__}: {error}")


def load_student(homework: Homework, student: Student) -> Submission | Outcome:
    """The student's submission, read here by the rules of every entry point (no link followed, no
    special file opened), or the outcome of a student with nothing that could be read."""
    if student.submission is None:
        return Outcome(student.id, unloadable_document(homework, None, student.problem))
    try:  # read below the submissions folder: no link on the way is followed
        submission = load_submission(student.submission, student.notes, root=student.entry.parent)
    except SubmissionError as error:
        return Outcome(student.id, unloadable_document(homework, None, str(error), student.notes, error.cause))
    except OSError as error:
        message = f"{shown_name(student.submission.name)} could not be read ({error.strerror or error})"
        return Outcome(student.id, unloadable_document(homework, None, message, student.notes))
    except Exception as error:  # whatever a malformed file does to the loader costs this student only
        message = f"{shown_name(student.submission.name)} could not be read ({type(error).__name__}: {error})"
        return Outcome(student.id, unloadable_document(homework, None, message, student.notes))
    return submission


def is_up_to_date(student: Student, layout: Layout, homework: Homework, examples: str | None = None,
                  stamp: dict | None = None) -> bool:
    """True when an earlier run left a complete report newer than the submission (and, given
    `examples`, drawn from the same examples: a report of another course secret is graded again;
    given `stamp`, made by a grader of this fingerprint: see grader/fingerprint.py)."""
    report, feedback = layout.report_of(student.id), layout.feedback_of(student.id)
    try:
        if report.stat().st_mtime <= student.changed_at or not feedback.exists():
            return False
        document = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp is not None and (not isinstance(document, dict) or document.get(FINGERPRINT) != stamp):
        return False
    return is_report_of(document, homework, examples)


def is_report_of(document: object, homework: Homework, examples: str | None = None) -> bool:
    """The document is a whole report for the homework as it is declared now, in today's schema
    (and, given `examples`, graded with those: "public" or "course secret <id>")."""
    from grader.report import SCHEMA_VERSION

    if not isinstance(document, dict) or document.get("assignment") != homework.name:
        return False
    if examples is not None and document.get("examples") != examples:
        return False
    if document.get("schema_version") != SCHEMA_VERSION:
        return False
    exercises = document.get("exercises")
    return isinstance(exercises, list) and [e.get("name") for e in exercises if isinstance(e, dict)] == [
        e.name for e in homework.exercises
    ]


def _refresh_feedback(student: Student, layout: Layout, render_feedback: Callable[[str, dict], str]) -> bool:
    """Rewrite a graded student's feedback from their report, under this run's visibility (a
    batch run with --show-expected, then without, must not leave the expected values there)."""
    try:
        document = json.loads(layout.report_of(student.id).read_text(encoding="utf-8"))
        write_atomically(layout.feedback_of(student.id), render_feedback(student.id, document))
    except (OSError, ValueError, KeyError, TypeError):  # unreadable, or not a report of today's form
        return False  # graded again instead
    return True


def run_batch(
    homework: Homework,
    students: list[Student],
    layout: Layout,
    render_feedback: Callable[[str, dict], str],
    jobs: int,
    force: bool = False,
    limits: settings.Limits = settings.Limits(),
    reference: bool = True,
    private: list[Path] = (),
    on_done: Callable[[Outcome, bool], None] = lambda outcome, skipped: None,
    cluster=None,
    gradebook: bool = True,
) -> BatchResult:
    """Grade the students not yet graded, write their files, then rebuild the gradebook.

    `render_feedback(student, document)` makes the Markdown; `on_done(outcome, skipped)`
    is told of each student as it finishes (for a progress bar). `private`: folders no
    student's code may read; the output folder is always one of them. `cluster`: a
    grader.cluster.Cluster whose workers grade instead of this machine's threads (this
    process still writes every file). `gradebook`: False in a shard, which writes its
    students' files only.
    """
    private = [*private, layout.root]
    result = BatchResult(documents={})
    pending = []
    from grader.engine import examples_label

    examples = examples_label(homework, reference)
    stamp = fingerprint(homework, reference)
    if cluster is not None:
        cluster.check_workers(homework, reference, stamp)
    for student in students:
        if not force and is_up_to_date(student, layout, homework, examples, stamp) and \
                _refresh_feedback(student, layout, render_feedback):
            result.skipped.append(student.id)
            on_done(Outcome(student.id, None), True)
        else:
            pending.append(student)

    def finish(outcome: Outcome) -> None:
        # Only this (the calling) thread writes files.
        if outcome.document is not None:
            outcome.document[FINGERPRINT] = stamp
            try:
                write_atomically(layout.feedback_of(outcome.student),
                                 render_feedback(outcome.student, outcome.document))
                write_atomically(layout.report_of(outcome.student), json.dumps(outcome.document, indent=2) + "\n")
                result.graded.append(outcome.student)
            except OSError as error:  # this student's files only (a name too long, a full disk): the class goes on
                outcome.document, outcome.fault = None, _unwritable(outcome.student, layout, error)
        if outcome.document is None:
            result.faults[outcome.student] = outcome.fault or "unknown fault"
        on_done(outcome, False)

    faulted: list[Student] = []

    def finish_or_retry(student: Student, outcome: Outcome) -> None:
        # A fault of the grader is retried once, alone, after the others: a rare race between
        # threads (seen under load, not reproduced) must not cost a student their report.
        if outcome.document is None and not outcome.final and student not in faulted:
            faulted.append(student)
        else:
            finish(outcome)

    if cluster is not None:
        cluster.grade(homework, pending, stamp, limits, reference, private, finish_or_retry)
    elif jobs <= 1 or len(pending) <= 2:
        for student in pending:
            finish_or_retry(student, grade_student(homework, student, limits, reference, private))
    else:
        # The first student alone: the engine draws and caches the examples once, instead
        # of every thread drawing the same strategies at the same moment.
        first = next((s for s in pending if s.submission is not None), pending[0])
        finish_or_retry(first, grade_student(homework, first, limits, reference, private))
        rest = [s for s in pending if s is not first]
        pool = ThreadPoolExecutor(max_workers=min(jobs, len(rest)), thread_name_prefix="grade")
        try:
            futures = {pool.submit(grade_student, homework, s, limits, reference, private): s for s in rest}
            for future in as_completed(futures):
                finish_or_retry(futures[future], future.result())
        finally:
            # On an interrupt, start nothing new; the submissions under way end within their limits.
            pool.shutdown(wait=True, cancel_futures=True)
    if cluster is not None and faulted:
        cluster.grade(homework, faulted, stamp, limits, reference, private, lambda student, outcome: finish(outcome))
    else:
        for student in faulted:
            finish(grade_student(homework, student, limits, reference, private))

    result.documents = read_reports(layout, [s.id for s in students], homework)
    if gradebook:
        write_gradebook(layout.gradebook, homework, result.documents)
    return result


# ------------------------------------------------------------------ shards ---

def parse_shard(text: str) -> tuple[int, int]:
    """'2/8' -> (2, 8): the shard's index, from 0 (as Slurm's, Kubernetes' and most job arrays
    number their tasks), and how many shards there are; UsageError otherwise."""
    index, _, count = text.partition("/")
    try:
        index, count = int(index), int(count)
    except ValueError:
        index = count = -1
    if count < 1 or not 0 <= index < count:
        raise UsageError(f"--shard takes I/N with 0 <= I < N (e.g. --shard 0/4 ... --shard 3/4), got {text!r}")
    return index, count


def in_shard(student: str, index: int, count: int) -> bool:
    """Whether the student belongs to shard `index` of `count`: decided by the student's id alone
    (a hash), so that shards listing the folder at different moments still split it the same way."""
    digest = hashlib.sha256(os.fsencode(student)).digest()
    return int.from_bytes(digest[:8], "big") % count == index


def merge_problems(layout: Layout, students: list[Student], homework: Homework, reference: bool) -> list[str]:
    """The students without a report that is up to date and made by this grader: a merge of
    shards' reports builds the gradebook only when there are none. (The fingerprint holds the
    examples' source; a report of a submission that could not be loaded names none.)"""
    stamp = fingerprint(homework, reference)
    return [s.id for s in students if not is_up_to_date(s, layout, homework, stamp=stamp)]


def _unwritable(student: str, layout: Layout, error: OSError) -> str:
    """Why a student's report or feedback could not be written, and what to do about it."""
    if error.errno == errno.ENAMETOOLONG:
        return (f"the file name of this student's report (<id>.json, {len(os.fsencode(student)) + 5} bytes) is too "
                f"long for the file system; give the student's entry a shorter name (at most 240 bytes) and grade "
                f"again")
    return f"the grades of this student could not be written to {layout.root} ({error.strerror or error})"


# --------------------------------------------------------------- gradebook ---

def read_reports(layout: Layout, students: list[str], homework: Homework) -> dict[str, dict]:
    """The reports on disk of these students (a student without a valid one is left out)."""
    documents = {}
    for student in students:
        try:
            document = json.loads(layout.report_of(student).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if is_report_of(document, homework):
            documents[student] = document
    return documents


def gradebook_csv(homework: Homework, documents: dict[str, dict]) -> str:
    names = [e.name for e in homework.exercises]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "total", *names])
    for student in sorted(documents):
        document = documents[student]
        scores = {e["name"]: e["score"] for e in document["exercises"]}
        writer.writerow([_text_cell(student), _number(document["score"]), *(_number(scores[n]) for n in names)])
    return out.getvalue()


# A cell starting with one of these is a formula to a spreadsheet program (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A text cell the way spreadsheet programs need it: shown as every name is, and quoted with a
    leading ' where it would start a formula (the ' is not shown). Numbers are written as numbers."""
    text = shown_name(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_gradebook(path: Path, homework: Homework, documents: dict[str, dict]) -> None:
    write_atomically(path, gradebook_csv(homework, documents))


def _number(value: float) -> str:
    return f"{value:g}"


# ----------------------------------------------------------------- summary ---

# Score bins of the distribution, as fractions of the function's points.
BINS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class ExerciseSummary:
    name: str
    points: float
    mean: float
    median: float
    full_marks: int  # students with every point of it
    statuses: dict[str, int]  # how many students ended with each status
    histogram: tuple[int, ...]  # students per bin: 0, (0, 25%), [25%, 50%), [50%, 75%), [75%, 100%), 100%

    @property
    def mean_fraction(self) -> float:
        return self.mean / self.points if self.points else 1.0


@dataclass(frozen=True)
class ClassSummary:
    students: int
    total: ExerciseSummary
    exercises: list[ExerciseSummary]
    problems: list[tuple[str, str]]  # (student, what went wrong) for crashed, hung or unloadable submissions
    hard_links: list[str] = field(default_factory=list)  # students whose file was refused as a hard link


def summarize(homework: Homework, documents: dict[str, dict]) -> ClassSummary:
    exercises = []
    for exercise in homework.exercises:
        rows = [next(e for e in d["exercises"] if e["name"] == exercise.name) for d in documents.values()]
        exercises.append(_summarize_scores(exercise.name, [r["score"] for r in rows],
                                           [r["max_score"] for r in rows], [r["status"] for r in rows]))
    total = _summarize_scores("total", [d["score"] for d in documents.values()],
                              [d["max_score"] for d in documents.values()],
                              [PASSED if d["score"] == d["max_score"] else "short" for d in documents.values()])
    problems = [(student, problem) for student, document in sorted(documents.items())
                if (problem := describe_problem(document))]
    hard_links = [student for student, document in sorted(documents.items())
                  if document.get("error_cause") == HARD_LINKED]
    return ClassSummary(len(documents), total, exercises, problems, hard_links)


def _summarize_scores(name: str, scores: list[float], maxima: list[float], statuses: list[str]) -> ExerciseSummary:
    points = max(maxima, default=0.0)
    histogram = [0] * (len(BINS) + 1)
    for score, most in zip(scores, maxima):
        histogram[_bin(score, most)] += 1
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return ExerciseSummary(
        name=name,
        points=points,
        mean=statistics.fmean(scores) if scores else 0.0,
        median=statistics.median(scores) if scores else 0.0,
        full_marks=sum(score >= most for score, most in zip(scores, maxima)),
        statuses=counts,
        histogram=tuple(histogram),
    )


def _bin(score: float, most: float) -> int:
    if most <= 0 or score >= most:
        return len(BINS)
    if score <= 0:
        return 0
    fraction = score / most
    return next(i for i in range(1, len(BINS)) if fraction < BINS[i])


def describe_problem(document: dict) -> str | None:
    """Why a submission could not be graded normally: not loaded, hung or crashed; None if it was.

    Read from the document's fields alone: its text quotes what the student's code raised."""
    if document.get("error"):
        return "could not be loaded: " + document["error_reason"]
    hung = [e["name"] for e in document["exercises"] if e["status"] == TIMEOUT]
    crashed = [e["name"] for e in document["exercises"] if any(c.get("kind") == CRASHED for c in e["checks"])]
    parts = []
    if crashed:
        parts.append(f"crashed in {', '.join(crashed)}")
    if hung:
        parts.append(f"hung in {', '.join(hung)}")
    return "; ".join(parts) or None


def default_jobs() -> int:
    """As many parallel submissions as this process may use cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
