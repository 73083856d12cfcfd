"""Grade a homework's whole catalogue in one go, for the tests that each read one entry's report.

Grading one entry is the grader's own Python (running the checks, computing the reference's
values) while the entry's worker processes start and answer. Threads of one process share
one interpreter lock, so the grader's part of every entry would run on one core at a time:
the entries are split among processes instead (spawned, a clean interpreter rather than a
fork of pytest with its threads), each grading its share with a few threads, so that one
entry computes while another waits on its workers. A report comes back whole (pickled).
"""

from __future__ import annotations

import multiprocessing
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from grader.batch import default_jobs
from grader.exercise import Report

# Per process: while one entry waits on its worker, another computes.
THREADS = 2


def grade_catalogue(homework: str, folder: Path) -> dict[str, Report | Exception]:
    """Every entry of the homework's catalogue graded, by entry id; an entry whose grading
    raised gets the exception, with the grader's traceback, for its test to report."""
    from catalogue import CATALOGUES

    catalogue = CATALOGUES[homework]
    ids = [e.id for e in (*catalogue.mutants, *catalogue.alternatives)]
    processes = max(1, min(default_jobs(), len(ids)))
    shares = [ids[i::processes] for i in range(processes)]
    graded: dict[str, Report | Exception] = {}
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [(share, pool.submit(_grade_share, homework, share, folder)) for share in shares]
        for share, future in futures:
            try:
                graded.update(future.result())
            except Exception as error:  # the process itself failed: each entry of its share says so
                graded.update({i: RuntimeError(f"the process grading {i} failed: {error!r}") for i in share})
    return graded


def _grade_share(homework: str, ids: list[str], folder: Path) -> dict[str, Report | Exception]:
    """In a process of the pool: these entries, the first alone (it reads or draws the examples
    this process keeps), then the others in threads."""
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

    graded = {entries[0].id: one(entries[0])}
    with ThreadPoolExecutor(THREADS) as pool:
        graded.update(zip([e.id for e in entries[1:]], pool.map(one, entries[1:])))
    return graded
