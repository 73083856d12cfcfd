"""Checks built from the worker's own answers cannot be forged (issue 10, items 6 and 8).

The worker is a persistent process: a submission can remember what it was asked
and shape later answers to fit. Each forger below is wrong code that adds such a
memory to pass a check it fails honestly. With the reference installed it must
score no more than the same mistake written honestly. In the student release a
gradient check still differentiates the student's own function (there a student
can only fool themselves); that it passes there shows each forger really forges.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import CATALOGUES, write_submission
from conftest import HW1
from grader.engine import grade
from grader.exercise import ERROR, PASSED
from grader.submission import load_submission

# --------------------------------------------------------- forged gradient checks ---

# Backprop without sigma'(z) (the catalogue's net-missing-sigmoid-derivative); the loss remembers
# the last point it gave gradients at, and answers a call a step away from it as
# "loss there + my gradient . step": finite differences of that loss confirm any gradient.
FORGED_BACKPROP = '''
    _START = {}

    def _step_from(start, params):
        """params - start, when params is start moved by a finite-difference step; else None."""
        if set(params) != set(start) or any(np.shape(params[k]) != start[k].shape for k in start):
            return None
        step = {k: np.asarray(params[k], dtype=np.float64) - start[k] for k in start}
        moved = max(float(np.max(np.abs(s), initial=0.0)) for s in step.values())
        return step if 0 < moved < 1e-4 else None

    def two_layer_loss_and_grads(params, X, Y):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        z = X @ W1 + b1
        h = sigmoid(z)
        y_pred = h @ W2 + b2
        loss = mse(y_pred, Y)
        dy = mse_grad(y_pred, Y)
        dz = dy @ W2.T
        grads = {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}
        if "at" in _START and np.array_equal(_START["X"], X) and np.array_equal(_START["Y"], Y):
            step = _step_from(_START["at"], params)
            if step is not None:
                return _START["loss"] + sum(float(np.sum(_START["grads"][k] * step[k])) for k in step), grads
        _START.update(at={k: np.array(v, dtype=np.float64) for k, v in params.items()}, X=X.copy(), Y=Y.copy(),
                      loss=loss, grads=grads)
        return loss, grads
'''

# sigma' = s * s (wrong); sigmoid answers z a step away from any z sigmoid_grad saw linearly from it.
FORGED_SIGMOID = '''
    _SEEN = []

    def sigmoid(z):
        for at, grad in _SEEN:
            if np.shape(z) == at.shape:
                step = np.asarray(z, dtype=np.float64) - at
                if 0 < np.max(np.abs(step), initial=0.0) < 1e-4:
                    return sigmoid(at) + grad * step
        return np.exp(-np.logaddexp(0, -z))
'''
WRONG_SIGMOID_GRAD = '''
    def sigmoid_grad(z):
        s = sigmoid(z)
        grad = s * s
        _SEEN.append((np.array(z, dtype=np.float64), np.asarray(grad, dtype=np.float64)))
        return grad
'''

# mse_grad without its 2; mse answers y_pred a step away from any it saw linearly from it.
FORGED_MSE = '''
    _SEEN = []

    def mse(y_pred, y_true):
        for at, truth, grad in _SEEN:
            if np.shape(y_pred) == at.shape and np.array_equal(y_true, truth):
                step = np.asarray(y_pred, dtype=np.float64) - at
                if 0 < np.max(np.abs(step), initial=0.0) < 1e-4:
                    return mse(at, truth) + float(np.sum(grad * step))
        return float(np.mean((y_pred - y_true) ** 2))
'''
WRONG_MSE_GRAD = '''
    def mse_grad(y_pred, y_true):
        grad = (y_pred - y_true) / y_pred.size
        _SEEN.append((np.array(y_pred, dtype=np.float64), np.array(y_true), np.asarray(grad, dtype=np.float64)))
        return grad
'''

# dropout_backward without 1 / (1 - p); dropout_forward answers x a step away from any x it saw
# as if the kept values were not scaled.
FORGED_DROPOUT_FORWARD = '''
    _SEEN = []

    def dropout_forward(x, p, rng, train=True):
        if not 0 <= p < 1:
            raise ValueError("p must be in [0, 1)")
        if not train:
            return x, None
        mask = np.asarray(rng.random(x.shape) >= p)
        out = np.where(mask, x / (1.0 - p), 0.0)
        for at, seen_out in _SEEN:
            if np.shape(x) == at.shape:
                step = np.asarray(x, dtype=np.float64) - at
                if 0 < np.max(np.abs(step), initial=0.0) < 1e-4:
                    return seen_out + np.where(mask, step, 0.0), mask
        _SEEN.append((np.array(x, dtype=np.float64), out))
        return out, mask
'''
WRONG_DROPOUT_BACKWARD = '''
    def dropout_backward(dout, mask, p):
        return np.where(mask, dout, 0.0)
'''

FORGED_GRADIENTS = {
    "two_layer_loss_and_grads": {"two_layer_loss_and_grads": FORGED_BACKPROP},
    "sigmoid_grad": {"sigmoid": FORGED_SIGMOID, "sigmoid_grad": WRONG_SIGMOID_GRAD},
    "mse_grad": {"mse": FORGED_MSE, "mse_grad": WRONG_MSE_GRAD},
    "dropout_backward": {"dropout_forward": FORGED_DROPOUT_FORWARD, "dropout_backward": WRONG_DROPOUT_BACKWARD},
}


def _gradient_check(report, exercise: str):
    """The result of the exercise's finite-difference check."""
    (result,) = [e for e in report.exercises if e.name == exercise]
    (check,) = [c for c in result.checks if c.description.startswith("gradient check")]
    return check


@pytest.mark.parametrize("exercise", FORGED_GRADIENTS)
def test_a_forged_gradient_check_fails_with_the_reference(exercise: str, tmp_path: Path) -> None:
    submission = load_submission(write_submission(FORGED_GRADIENTS[exercise], tmp_path))
    release = grade(HW1, submission, only=[exercise], reference=False)
    assert _gradient_check(release, exercise).status == PASSED, "the forger no longer forges: fix the test"
    check = _gradient_check(grade(HW1, submission, only=[exercise]), exercise)
    assert check.status != PASSED and check.score == 0, check
    assert check.failure.summary.startswith("gradient check failed"), check.failure


def test_forged_backprop_scores_no_more_than_the_honest_mistake(tmp_path: Path) -> None:
    """Issue 10: backprop missing sigma' scored 4/20 honestly and 10/20 forged."""
    (honest,) = [m for m in CATALOGUES["hw1"].mutants if m.id == "net-missing-sigmoid-derivative"]
    scores = {}
    for label, source in (("honest", honest.source), ("forged", FORGED_BACKPROP)):
        (tmp_path / label).mkdir()
        path = write_submission({"two_layer_loss_and_grads": source}, tmp_path / label)
        report = grade(HW1, load_submission(path), only=["two_layer_loss_and_grads"])
        (result,) = [e for e in report.exercises if e.name == "two_layer_loss_and_grads"]
        scores[label] = result.score
    assert scores["forged"] == scores["honest"] < HW1_POINTS["two_layer_loss_and_grads"], scores


HW1_POINTS = {e.name: e.points for e in HW1.exercises}


# ------------------------------------------------------------- forged dropout mask ---

# Draws from numpy's global RNG (forbidden), skipped ahead by the number of masks it knows
# (so that two new generators get different masks even where the global RNG is reseeded),
# remembers each mask by the generator's state, and advances the generator it was given.
DROPOUT_MEMO = '''
    _MASKS = {}

    def dropout_forward(x, p, rng, train=True):
        if not 0 <= p < 1:
            raise ValueError("p must be in [0, 1)")
        if not train:
            return x, None
        key = (repr(rng.bit_generator.state), np.shape(x), p)
        if key not in _MASKS:
            np.random.random(len(_MASKS))
            _MASKS[key] = np.asarray(np.random.random(np.shape(x)) >= p)
        rng.random()
        mask = _MASKS[key]
        return np.where(mask, x / (1.0 - p), 0.0), mask
'''

# The same memo kept in files too, where a second process might look for it.
DROPOUT_MEMO_IN_FILES = DROPOUT_MEMO.replace('''        if key not in _MASKS:''', '''        name = "memo-" + hashlib.sha256(repr(key).encode()).hexdigest()[:16] + ".npy"
        for folder in ("/tmp", os.path.expanduser("~"), "."):
            try:
                _MASKS.setdefault(key, np.load(os.path.join(folder, name)))
            except Exception:
                pass
        if key not in _MASKS:''').replace('''        rng.random()''', '''        for folder in ("/tmp", os.path.expanduser("~"), "."):
            try:
                np.save(os.path.join(folder, name), _MASKS[key])
            except Exception:
                pass
        rng.random()''').replace("    _MASKS = {}", "    import hashlib\n    import os\n\n    _MASKS = {}")

# No memo needs to cross processes when the mask is chosen by how many new generators came
# before: the fresh process asked for the same first generator would draw the same mask.
DROPOUT_BY_COUNT = '''
    _MASKS, _COUNTS = {}, {}

    def dropout_forward(x, p, rng, train=True):
        if not 0 <= p < 1:
            raise ValueError("p must be in [0, 1)")
        if not train:
            return x, None
        key = (repr(rng.bit_generator.state), np.shape(x), p)
        if key not in _MASKS:
            n = _COUNTS.get((np.shape(x), p), 0)
            _COUNTS[(np.shape(x), p)] = n + 1
            np.random.seed(n)
            _MASKS[key] = np.asarray(np.random.random(np.shape(x)) >= p)
        rng.random()
        mask = _MASKS[key]
        return np.where(mask, x / (1.0 - p), 0.0), mask
'''

# Never touches rng: a counter of calls decides the mask, on a schedule that replays the
# order in which the check asks, as the student release computes it (without a secret).
DROPOUT_BY_SCHEDULE = '''
    import zlib

    _STATE = {"calls": 0, "n2030": 0}

    def _fresh_order():
        order = np.random.default_rng(10)
        others = order.integers(10_000, 2**31, size=int(order.integers(1, 4)))
        asked = ["eight", "seven"] + [f"other-{i}" for i in range(len(others))]
        return [asked[int(i)] for i in order.permutation(len(asked))]

    def dropout_forward(x, p, rng, train=True):
        if not 0 <= p < 1:
            raise ValueError("p must be in [0, 1)")
        if not train:
            return x, None
        _STATE["calls"] += 1
        key = (np.shape(x), p, _STATE["calls"])
        if np.shape(x) == (20, 30):
            _STATE["n2030"] += 1
            fresh = _STATE["calls"] == _STATE["n2030"]  # no other dropout call came before
            order = _fresh_order() if fresh else ["seven", "seven", "eight", "nine-1", "nine-2"]
            key = order[(_STATE["n2030"] - 1) % len(order)]
        mask = np.random.default_rng(zlib.crc32(str(key).encode())).random(np.shape(x)) >= p
        return np.where(mask, x / (1.0 - p), 0.0), mask
'''


def test_a_mask_on_a_schedule_of_calls_passes_only_where_the_order_is_public(tmp_path: Path) -> None:
    """Red team: the order of the check's calls was fixed and public, so a schedule keyed on it
    passed; with the course secret the fresh process is asked in an order no code can plan for."""
    (tmp_path / "public").mkdir()
    (tmp_path / "secret").mkdir()
    _, public = _dropout_score(tmp_path / "public", DROPOUT_BY_SCHEDULE, secret=None)
    _, secret = _dropout_score(tmp_path / "secret", DROPOUT_BY_SCHEDULE)
    assert public.status == PASSED  # the schedule replays the public order: the attack is real
    assert secret.status != PASSED, secret


def _dropout_score(tmp_path: Path, source: str, **kwargs) -> tuple[float, object]:
    report = grade(HW1, load_submission(write_submission({"dropout_forward": source}, tmp_path)),
                   only=["dropout_forward"], **kwargs)
    (result,) = report.exercises
    (check,) = [c for c in result.checks if c.description.startswith("same seed, same mask")]
    return result.score, check


@pytest.mark.parametrize("forger", [DROPOUT_MEMO, DROPOUT_MEMO_IN_FILES, DROPOUT_BY_COUNT],
                         ids=["memo", "memo-in-files", "by-count"])
def test_a_mask_remembered_by_generator_state_is_not_from_the_generator(forger: str, tmp_path: Path,
                                                                         isolation: str) -> None:
    """Issue 10: such a dropout_forward scored 14/14; drawing from np.random honestly scores 12/14."""
    (honest,) = [m for m in CATALOGUES["hw1"].mutants if m.id == "dropout-global-np-random"]
    (tmp_path / "honest").mkdir()
    (tmp_path / "forged").mkdir()
    honest_score, _ = _dropout_score(tmp_path / "honest", honest.source)
    forged_score, check = _dropout_score(tmp_path / "forged", forger)
    assert check.status != PASSED, check
    assert forged_score == honest_score < HW1_POINTS["dropout_forward"]


def test_a_fresh_process_that_cannot_answer_costs_only_that_check(tmp_path: Path, monkeypatch) -> None:
    """Clear message, this check's points only, the rest graded as usual."""
    from grader.runner import WorkerFailure, Workers

    def broken() -> None:
        raise WorkerFailure("error", "the process running your code stopped while loading your code")

    def start_broken(workers) -> None:
        start(workers)
        workers.spare.ensure_running = broken

    start = Workers.start_spare
    monkeypatch.setattr(Workers, "start_spare", start_broken)
    score, check = _dropout_score(tmp_path, REFERENCE_DROPOUT)
    assert check.status == ERROR and "in a fresh process" in check.failure.summary, check
    assert score == HW1_POINTS["dropout_forward"] - check.points


def test_both_processes_leave_no_scratch_folder(tmp_path: Path, monkeypatch) -> None:
    from grader import sandbox

    made = []
    make = sandbox.make_scratch
    monkeypatch.setattr(sandbox, "make_scratch", lambda: made.append(make()) or made[-1])
    score, _ = _dropout_score(tmp_path, REFERENCE_DROPOUT)
    assert score == HW1_POINTS["dropout_forward"]
    assert len(made) >= 2 and not any(path.exists() for path in made)


REFERENCE_DROPOUT = '''
    def dropout_forward(x, p, rng, train=True):
        if not 0 <= p < 1:
            raise ValueError("p must be in [0, 1)")
        if not train:
            return x, None
        mask = np.asarray(rng.random(x.shape) >= p)
        return np.where(mask, x / (1.0 - p), 0.0), mask
'''
