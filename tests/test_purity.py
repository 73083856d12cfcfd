"""grader.purity: which arguments a call changed, judged from the arguments the grader sent and
the ones the worker sends back, never from the worker's word."""

from __future__ import annotations

import numpy as np
import pytest

from grader import runner
from grader.purity import modified
from grader.settings import Limits
from grader.worker.wire import Rng, arguments_digest, decode, decode_request, encode, encode_request, materialize

X = np.array([1.0, np.nan, -0.0])
PARAMS = {"W": np.ones((2, 2), dtype=np.float32), "b": np.zeros(2)}


def _after(call: runner.Call, change=lambda args, kwargs: None) -> object:
    """What a worker sends back: the arguments as it received them, changed by `change`, over the wire."""
    args, kwargs = decode(encode([list(call.args), dict(call.kwargs)]))
    args = [np.random.default_rng(0) if isinstance(a, Rng) else a for a in args]
    change(args, kwargs)
    return decode(encode([args, kwargs]))


CALL = runner.Call((X, PARAMS, [np.arange(3), 2.5, np.nan], 3, Rng(1)), {"scale": np.float32(2.0), "rows": (X,)})

CHANGES = {
    "an array written in place": (lambda a, k: a[0].__setitem__(0, 5.0), ["argument 1"]),
    "an array's dtype changed in place": (lambda a, k: setattr(a[0], "dtype", np.int64), ["argument 1"]),
    "an array reshaped in place": (lambda a, k: setattr(a[0], "shape", (3, 1)), ["argument 1"]),
    "a dict's array scaled": (lambda a, k: a[1]["W"].__imul__(2), ["argument 2"]),
    "a dict entry added": (lambda a, k: a[1].__setitem__("c", 1.0), ["argument 2"]),
    "a list appended to": (lambda a, k: a[2].append(1), ["argument 3"]),
    "a list's number replaced": (lambda a, k: a[2].__setitem__(1, 2.0), ["argument 3"]),
    "a list's nan replaced": (lambda a, k: a[2].__setitem__(2, 0.0), ["argument 3"]),
    "an array inside a keyword's tuple": (lambda a, k: k["rows"][0].__setitem__(2, 1.0), ["rows"]),
    "two arguments": (lambda a, k: (a[0].fill(0), a[2].reverse()), ["argument 1", "argument 3"]),
}


def test_arguments_sent_back_unchanged_are_unchanged():
    """nan equals nan, -0.0 is kept, a Generator is drawn from, numbers and scalars go unchanged."""
    assert modified(CALL, _after(CALL, lambda a, k: a[4].random())) == []


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_is_found_in_the_argument_it_changed(change):
    how, labels = CHANGES[change]
    assert modified(CALL, _after(CALL, how)) == labels


@pytest.mark.parametrize("reply", [None, [], [[], {}], "unchanged", [[1, 2, 3, 4, 5], {"scale": 1}]],
                         ids=["nothing", "empty", "no arguments", "a word", "no keyword rows"])
def test_a_reply_that_does_not_say_counts_every_argument_that_can_change(reply):
    assert modified(CALL, reply) == ["argument 1", "argument 2", "argument 3", "rows"]


def _in_worker(call: runner.Call) -> tuple[list, dict, list, dict]:
    """The arguments as the worker holds them: as the request holds them (unpickled), and as the
    student's code gets them (fresh copies, Generators made)."""
    sent_args, sent_kwargs = decode_request(encode_request({"calls": [[list(call.args), dict(call.kwargs)]]}))["calls"][0]
    generators: dict = {}
    return (sent_args, sent_kwargs, [materialize(a, generators, fresh=True) for a in sent_args],
            {k: materialize(v, generators, fresh=True) for k, v in sent_kwargs.items()})


def test_the_digest_of_the_arguments_is_the_same_in_the_worker_and_in_the_grader():
    """The worker's digest of the arguments it received, and of the copies the student's code gets,
    is the grader's digest of what it sent: a function that leaves them alone is unchanged."""
    sent_args, sent_kwargs, args, kwargs = _in_worker(CALL)
    digest = arguments_digest(list(CALL.args), dict(CALL.kwargs))
    assert arguments_digest(sent_args, sent_kwargs) == arguments_digest(args, kwargs) == digest
    assert modified(CALL, {"digest": digest}) == []


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_argument_changes_the_digest(change):
    how, _ = CHANGES[change]
    _, _, args, kwargs = _in_worker(CALL)
    how(args, kwargs)
    assert arguments_digest(args, kwargs) != arguments_digest(list(CALL.args), dict(CALL.kwargs))


@pytest.mark.parametrize("digest", ["0" * 32, "not a digest", 7],
                         ids=["another digest", "a word", "a number"])
def test_a_digest_of_other_arguments_counts_every_argument_that_can_change(digest):
    assert modified(CALL, {"digest": digest}) == ["argument 1", "argument 2", "argument 3", "rows"]


def test_the_digest_is_of_changed_arguments_too():
    """A hostile worker that sends the digest of the arguments after the call, not of those sent."""
    _, _, args, kwargs = _in_worker(CALL)
    args[0][0] = 5.0
    assert modified(CALL, {"digest": arguments_digest(args, kwargs)}) == ["argument 1", "argument 2", "argument 3",
                                                                          "rows"]


def test_arguments_with_equal_values_but_other_bytes_come_back_as_copies():
    """-0.0 written over 0.0 (or a nan of another payload) changes the bytes but not the value:
    the digests differ, so the worker sends copies, and the values decide, as before digests."""
    from grader.worker.student_code import _inputs_after

    call = runner.Call((np.array([0.0, 1.0]), [0.0, np.nan]))
    sent_args, sent_kwargs, args, kwargs = _in_worker(call)
    args[0][0], args[1][0] = -0.0, -0.0
    after = _inputs_after(args, kwargs, (sent_args, sent_kwargs))
    assert isinstance(after, list)
    assert modified(call, decode(encode(after))) == []
    untouched = _in_worker(call)
    assert _inputs_after(untouched[2], untouched[3], untouched[:2]) == {"digest": arguments_digest(list(call.args), {})}


def test_the_worker_sends_the_arguments_back_only_when_asked():
    """Through a real worker: a function that scales its input in place, and one that does not."""
    source = ("import numpy as np\n"
              "def scale(x, c):\n    x *= c\n    return x.copy()\n"
              "def scaled(x, c):\n    return x * c\n")
    cells = [{"source": source, "filename": "hw.py", "label": "hw.py", "split": True}]
    student = runner.StudentProcess(cells, "hw", Limits(call_seconds=30))
    calls = [runner.Call((np.arange(3.0), 2.0)), runner.Call((np.ones(2), 1.0))]
    try:
        plain = student.call("scale", calls)
        mutating = student.call("scale", calls, inputs_after=True)
        pure = student.call("scaled", calls, inputs_after=True)
    finally:
        student.stop()
    assert [o.inputs_after for o in plain] == [None, None]
    assert [modified(c, o.inputs_after) for c, o in zip(calls, mutating)] == [["argument 1"], []]  # 1.0: no change
    assert [modified(c, o.inputs_after) for c, o in zip(calls, pure)] == [[], []]
    # arguments left as sent come back as their digest alone, a changed one as copies
    assert [isinstance(o.inputs_after, dict) for o in mutating + pure] == [False, True, True, True]


class _Recorder:
    """A student process that records whether each ask wanted the arguments after each call."""

    def __init__(self) -> None:
        self.asked: list[bool] = []

    def call(self, function, calls, global_seed=None, pick=None, meanwhile=None, inputs_after=False,
             generators=False):
        self.asked.append(inputs_after)
        if meanwhile is not None:
            meanwhile()
        return [runner.Returned(None, inputs_after=[[], {}] if inputs_after else None) for _ in calls]


@pytest.mark.parametrize("purity_examples, expected", [(None, [True]), (2, [True, True]), (3, [True])])
def test_examples_are_asked_once_with_the_arguments_after_each_call(purity_examples, expected):
    """The checks of an exercise that judge the same examples share one ask (Context.asked), and
    every ask carries the arguments after each call, also for a check of values alone: a purity
    check judges them all (asked_so_far), so code that writes into its inputs only the first time
    it sees them, in a check of values, and cleanly in the purity check's, is caught."""
    from grader.checks import Context, LeavesInputsUnchanged, MatchesReference, check_slot
    from grader.exercise import Exercise

    strategy = object()  # both checks draw from one strategy: their examples are one list's prefixes
    calls = [runner.Call((np.ones(2),)) for _ in range(3)]
    checks = (MatchesReference(strategy, 1, examples=3),)
    if purity_examples is not None:
        checks += (LeavesInputsUnchanged(strategy, 1, examples=purity_examples),)
    exercise = Exercise("f", checks=checks)
    student = _Recorder()
    ctx = Context(student, exercise, None, {check_slot(exercise, c): calls[: c.examples] for c in checks})
    for check in checks:
        outcomes = ctx.asked(ctx.examples_of(check), lambda: None)
        assert all(o.inputs_after is not None for o in outcomes)
    assert student.asked == expected
    assert [call for call, _ in ctx.asked_so_far()][:3] == calls
