"""Grade a homework's whole catalogue in one go, for the tests that each read one entry's report.

Grading one entry is the grader's own Python (running the checks, computing the reference's
values) while the entry's worker processes start and answer. Threads of one process share
one interpreter lock, so the grader's part of every entry would run on one core at a time:
the entries are split among processes instead (`python -m catalogue.grading`, a clean
interpreter that ends with its share, leaving no helper process behind as multiprocessing's
resource tracker would), one per core, each grading its share one entry after another: as
many submissions at once as before, with no threads sharing the engine (batch.py retries a
rare fault seen between threads under load). A report comes back whole (pickled).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from grader.batch import default_jobs
from grader.exercise import Report

TESTS = Path(__file__).resolve().parent.parent


def grade_catalogue(homework: str, folder: Path) -> dict[str, Report | Exception]:
    """Every entry of the homework's catalogue graded, by entry id; an entry whose grading
    raised gets the exception, with the grader's traceback, for its test to report."""
    from catalogue import CATALOGUES

    catalogue = CATALOGUES[homework]
    ids = [e.id for e in (*catalogue.mutants, *catalogue.alternatives)]
    processes = max(1, min(default_jobs(), len(ids)))
    running = []
    for number in range(processes):
        share, out, errors = ids[number::processes], folder / f"share-{number}.pickle", folder / f"share-{number}.err"
        with open(errors, "wb") as stderr:
            command = [sys.executable, "-m", "catalogue.grading", homework, str(folder), str(out), *share]
            running.append((share, out, errors, subprocess.Popen(command, cwd=TESTS, stderr=stderr)))
    graded: dict[str, Report | Exception] = {}
    for share, out, errors, process in running:
        if process.wait() == 0:
            graded.update(pickle.loads(out.read_bytes()))
        else:  # the process itself failed: each entry of its share says so
            why = errors.read_text(errors="replace")[-3000:]
            graded.update({i: RuntimeError(f"the process grading {i} failed ({process.returncode}):\n{why}")
                           for i in share})
    return graded


def _grade_share(homework: str, ids: list[str], folder: Path) -> dict[str, Report | Exception]:
    """In one of those processes: these entries, one after another."""
    from catalogue import CATALOGUES
    from grader.engine import grade
    from grader.submission import load_submission

    catalogue = CATALOGUES[homework]
    entries = [e for e in (*catalogue.mutants, *catalogue.alternatives) if e.id in ids]

    def one(entry) -> Report | Exception:
        try:
            path = catalogue.submission(entry, Path(tempfile.mkdtemp(dir=folder)))
            return grade(catalogue.homework, load_submission(path))
        except Exception:  # not every exception pickles: send its text
            return RuntimeError(f"grading {entry.id} raised:\n{traceback.format_exc()}")

    return {entry.id: one(entry) for entry in entries}


if __name__ == "__main__":
    homework, folder, out, *ids = sys.argv[1:]
    Path(out).write_bytes(pickle.dumps(_grade_share(homework, ids, Path(folder))))
