"""Red team, issue 11: attacks on what changed today (kept examples, the worker package, homework discovery).

Each test reproduces an attack that worked on the code of the day; each passes now that it is closed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import write_submission
from conftest import HW1
from grader.engine import grade
from grader.exercise import PASSED
from grader.submission import load_submission

# ------------------------------------------------ 2. forging the worker's purity snapshot ---

# adagrad_step that updates its cache in place (the honest mistake the purity check is for).
MUTATING_ADAGRAD = '''
    def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
        cache += grad ** 2
        return param - lr * grad / (np.sqrt(cache) + eps), cache.copy()
'''
# Top-level code that makes the worker hide the mutation, appended to the same function.
HIDE_MUTATION = {
    # blinds the before/after snapshot the worker used to compare the arguments with
    "snapshot blinded": '''
import sys as _sys
_sys.modules["_nn_grader_worker.student_code"]._snapshot = lambda value: None
''',
    # rewrites each call's outcome: nothing modified, and nothing else said of the arguments
    "outcome rewritten": '''
import sys as _sys
_Worker = _sys.modules["_nn_grader_worker.student_code"].Worker
_call_one = _Worker._call_one
def _forged_call_one(self, *args, **kwargs):
    outcome = _call_one(self, *args, **kwargs)
    if "returned" in outcome:
        for key in [k for k in outcome if k not in ("returned", "warnings", "generators")]:
            del outcome[key]
        outcome["mutated"] = []
    return outcome
_Worker._call_one = _forged_call_one
''',
}


def _purity(report, exercise: str):
    (result,) = [e for e in report.exercises if e.name == exercise]
    (check,) = [c for c in result.checks if c.description == "does not modify its inputs"]
    return check


@pytest.mark.parametrize("hide", HIDE_MUTATION)
def test_hiding_a_mutation_from_the_purity_check_gains_no_points(tmp_path: Path, hide: str) -> None:
    """The worker's word on purity gained every LeavesInputsUnchanged check (13 points in hw1)."""
    honest_folder, forged_folder = tmp_path / "honest", tmp_path / "forged"
    honest_folder.mkdir(), forged_folder.mkdir()
    honest = write_submission({"adagrad_step": MUTATING_ADAGRAD}, honest_folder)
    forged = write_submission({"adagrad_step": MUTATING_ADAGRAD}, forged_folder)
    forged.write_text(forged.read_text() + HIDE_MUTATION[hide])
    honest_report = grade(HW1, load_submission(honest), only=["adagrad_step"])
    forged_report = grade(HW1, load_submission(forged), only=["adagrad_step"])
    assert _purity(honest_report, "adagrad_step").status != PASSED, "the honest mutation is not caught: fix the test"
    assert forged_report.score <= honest_report.score


# ---------------------------------- 1. writing outside the scratch folder without bubblewrap ---

# sqlite3.connect raises the audit event "sqlite3.connect", which the hook lets through: the
# database file is created wherever the worker's user may write (the kept examples' folder,
# another student's folder in a batch, the batch's results), not only in the scratch folder.
SQLITE_WRITE = '''
import sqlite3 as _sqlite3
_db = _sqlite3.connect({target!r})
_db.execute("create table planted (x)")
_db.commit()
_db.close()
'''


def test_student_code_cannot_create_files_outside_the_scratch_folder_with_sqlite(tmp_path: Path, monkeypatch) -> None:
    from grader import sandbox

    monkeypatch.setattr(sandbox, "_BWRAP", [None])  # as the conftest's `isolation` fixture does for "audit-only"
    target = tmp_path / "kept" / "planted.examples"
    target.parent.mkdir()
    folder = tmp_path / "student"
    folder.mkdir()
    submission = write_submission({}, folder)
    submission.write_text(submission.read_text() + SQLITE_WRITE.format(target=str(target)))
    report = grade(HW1, load_submission(submission), only=["sigmoid"])
    assert "bubblewrap" not in report.layers, "bubblewrap is still on: fix the test"
    assert not target.exists()


# ------------------------------------------------- 1. a planted file of public examples ---

# Code that does nothing: every function raises TypeError. Honestly it scores (almost) nothing.
NOTHING = {name: f'''
    def {name}(*args, **kwargs):
        raise TypeError("unsupported operand")
''' for name in ("sigmoid", "sigmoid_grad", "mse", "mse_grad", "two_layer_forward", "two_layer_loss_and_grads",
                 "adagrad_step", "dropout_forward", "dropout_backward")}


def _plant_public_examples(folder: Path) -> None:
    """Replace every kept public example by a call on None, signed as examples.py signs public files
    (a SHA-256 that anyone can compute): the reference raises TypeError on each, so does NOTHING."""
    from grader import examples as kept
    from grader.worker.wire import decode, encode

    (path,) = folder.glob("hw1-public-*.examples")
    head = len(kept.FORMAT) + 32
    columns = decode(path.read_bytes()[head:], clean_text=False)
    payload = encode([[[[None, None, None], {}]] for _ in columns])
    path.write_bytes(kept.FORMAT + kept._mac(payload, path.stem, None) + payload)


def test_a_planted_public_examples_file_gains_no_points(tmp_path: Path, monkeypatch) -> None:
    """Public examples carry a checksum, not a MAC: they are read only from a folder no one else
    may write (the grading user's own files are trusted, by design)."""
    from grader import engine
    from grader import examples as kept
    from grader import secret as course_secret

    cache = tmp_path / "cache"
    monkeypatch.setenv(kept.ENV_VAR, str(cache))
    monkeypatch.delenv(course_secret.ENV_VAR, raising=False)
    if course_secret.find() is not None:
        pytest.skip("a course secret is found at its default path: these are not public examples")
    submission = load_submission(write_submission(NOTHING, tmp_path))
    engine._EXAMPLES.clear()
    try:
        honest = grade(HW1, submission)
        assert honest.examples == "public", "not graded on public examples: fix the test"
        cache.chmod(0o777)  # a cache folder others may write (shared, or made so): its files are not ours
        _plant_public_examples(cache)
        engine._EXAMPLES.clear()
        planted = grade(HW1, submission)
    finally:
        engine._EXAMPLES.clear()
    assert planted.score <= honest.score


# --------------------------------------------- 2. disarming the worker's CPU-time budget ---

# sigmoid spends 4 s of CPU on its first call: far over a call budget of 1 s (the grader stops a
# disarmed budget at 1.25 s; without that, the wall-clock backstop of 12 s let it finish).
SLOW_SIGMOID = '''
    _FIRST = []

    def sigmoid(z):
        if not _FIRST:
            _FIRST.append(1)
            import time
            start = time.process_time()
            while time.process_time() - start < 4.0:
                pass
        return np.exp(-np.logaddexp(0, -z))
'''
DISARM_BUDGET = {
    "worker package": '''
import sys as _sys
_sys.modules["_nn_grader_worker.budget"].arm = lambda seconds, filenames: None
''',
    # No worker package needed: the budget's signal itself, ignored.
    "SIGPROF ignored": '''
import signal as _signal
_signal.signal(_signal.SIGPROF, _signal.SIG_IGN)
''',
}


@pytest.mark.parametrize("disarm", DISARM_BUDGET)
def test_disarming_the_cpu_budget_gains_no_points(tmp_path: Path, disarm: str) -> None:
    """Disarmed, the calls got the wall-clock backstop (wall_factor x budget + slack) instead of the
    CPU budget; the grader now reads the worker's CPU time itself."""
    from grader.settings import Limits

    # A CPU budget of 1 s; a generous wall-clock backstop (8 s + 4 s) so that the forger is not
    # stopped by it on a busy machine.
    limits = Limits(call_seconds=1.0, cell_seconds=1.0, load_seconds=2.0, total_seconds=120.0,
                    wall_factor=8.0, wall_slack=4.0)
    honest_folder, forged_folder = tmp_path / "honest", tmp_path / "forged"
    honest_folder.mkdir(), forged_folder.mkdir()
    honest = write_submission({"sigmoid": SLOW_SIGMOID}, honest_folder)
    forged = write_submission({"sigmoid": SLOW_SIGMOID}, forged_folder)
    forged.write_text(forged.read_text() + DISARM_BUDGET[disarm])
    honest_report = grade(HW1, load_submission(honest), only=["sigmoid"], limits=limits)
    forged_report = grade(HW1, load_submission(forged), only=["sigmoid"], limits=limits)
    assert honest_report.score < honest_report.max_score, "the honest slow code is not stopped: fix the test"
    assert forged_report.score <= honest_report.score


NEVER_ENDING_SIGMOID = '''
    def sigmoid(z):
        while True:
            pass
'''


@pytest.mark.parametrize("disarm", DISARM_BUDGET)
def test_a_call_that_never_ends_is_stopped_by_its_cpu_budget_even_disarmed(tmp_path: Path, disarm: str,
                                                                             isolation: str) -> None:
    """Code that never ends, with the worker's own timer disarmed: the grader stops it once the call
    has used its CPU budget, long before the wall clock (a backstop of 1000 s, a total of 30 s) would."""
    from grader.exercise import TIMEOUT
    from grader.settings import Limits

    limits = Limits(call_seconds=1.0, cell_seconds=1.0, load_seconds=2.0, total_seconds=30.0,
                    wall_factor=1000.0, wall_slack=0.0)
    submission = write_submission({"sigmoid": NEVER_ENDING_SIGMOID}, tmp_path)
    submission.write_text(submission.read_text() + DISARM_BUDGET[disarm])
    report = grade(HW1, load_submission(submission), only=["sigmoid"], limits=limits)
    (result,) = [e for e in report.exercises if e.name == "sigmoid"]
    assert result.status == TIMEOUT
    assert result.first_failure.failure.summary.startswith("timed out after 1 s"), result.first_failure.failure.summary


# ------------------------------------ 1. a kept file whose .npy header does not tokenize ---

def test_a_kept_file_with_an_unparsable_array_header_is_ignored(tmp_path: Path, monkeypatch) -> None:
    from grader import engine
    from grader import examples as kept
    from grader import secret as course_secret

    cache = tmp_path / "cache"
    monkeypatch.setenv(kept.ENV_VAR, str(cache))
    monkeypatch.delenv(course_secret.ENV_VAR, raising=False)
    if course_secret.find() is not None:
        pytest.skip("a course secret is found at its default path: these are not public examples")
    submission = load_submission(write_submission({}, tmp_path))
    engine._EXAMPLES.clear()
    try:
        assert grade(HW1, submission, only=["sigmoid"]).score > 0
        (path,) = cache.glob("hw1-public-*.examples")
        payload = path.read_bytes()[len(kept.FORMAT) + 32:]
        assert b"'shape': (" in payload, "no .npy header where expected: fix the test"
        payload = payload.replace(b"'shape': (", b"'shape': \"", 1)  # an unterminated string in the header
        path.write_bytes(kept.FORMAT + kept._mac(payload, path.stem, None) + payload)
        engine._EXAMPLES.clear()
        report = grade(HW1, submission, only=["sigmoid"])  # raises tokenize.TokenError now
    finally:
        engine._EXAMPLES.clear()
    assert report.score > 0
