"""The worker: the wire format (what crosses from the student's process, and what is refused),
and the worker's own modules, which stay out of the student's way."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest

from grader import runner, sandbox
from grader.settings import Limits
from grader.worker.wire import (ProtocolError, Rng, Unsupported, decode, decode_request, encode, encode_request, read_frame,
                                write_frame)

VALUES = {
    "float array": np.arange(6.0).reshape(2, 3),
    "float32 scalar": np.float32(2.5),
    "0-d array": np.array(3.0),
    "bool mask": np.array([[True, False]]),
    "empty": np.zeros((0, 3)),
    "nested": {"loss": 1.5, "grads": {"W1": np.ones((2, 2)), "b1": np.zeros(2)}},
    "tuple": (np.ones(3), None, "text", [1, 2.5]),
    "rng": Rng(7),
}


@pytest.mark.parametrize("name", list(VALUES), ids=list(VALUES))
def test_round_trip(name):
    value = VALUES[name]
    back = decode(encode(value))
    _assert_same(value, back)


def _assert_same(a, b):
    if isinstance(a, (np.ndarray, np.generic)):
        assert type(b) is type(a) or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray))
        assert np.asarray(a).dtype == np.asarray(b).dtype and np.asarray(a).shape == np.asarray(b).shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    else:
        assert a == b


def test_decoded_arrays_are_writable_and_independent():
    a, b = decode(encode((np.zeros(3), np.zeros(3))))
    a[0] = 1
    assert b[0] == 0


class _Lying(np.ndarray):
    def __eq__(self, other):
        return True


def test_array_subclasses_arrive_as_plain_arrays():
    back = decode(encode(np.zeros(3).view(_Lying)))
    assert type(back) is np.ndarray
    assert not np.array_equal(back, np.ones(3))


@pytest.mark.parametrize("value", [object(), np.array([object()], dtype=object), {1}],
                         ids=["object", "object array", "set"])
def test_other_objects_arrive_as_unsupported(value):
    assert isinstance(decode(encode(value)), Unsupported)


def test_float_subclass_is_unsupported():
    class Sneaky(float):
        def __eq__(self, other):
            return True
    assert isinstance(decode(encode(Sneaky(1.0))), Unsupported)


def test_pickles_are_refused():
    header = b'{"__nd__": [0, 0, [1]]}'
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array([object()], dtype=object), allow_pickle=True)
    payload = struct.pack("<I", len(header)) + header + buffer.getvalue()
    with pytest.raises(ProtocolError):
        decode(payload)


@pytest.mark.parametrize("payload", [b"", b"\x05\x00\x00\x00{not", struct.pack("<I", 2) + b"{}" + b"garbage"],
                         ids=["empty", "bad json", "bad npy"])
def test_garbage_is_a_protocol_error(payload):
    with pytest.raises(ProtocolError):
        decode(payload)


def test_out_of_range_array_reference_is_refused():
    forged = encode(np.zeros(2)).replace(b"[0, 0, [2]]", b"[0, 1, [9]]")
    assert forged != encode(np.zeros(2))
    with pytest.raises(ProtocolError):
        decode(forged)


@pytest.mark.parametrize("ref", [b"[0, 0, [-1, -2]]", b"[0, -1, [2]]", b"[0, 0, [2, -1, -1]]", b"[0, 0.5, [3]]"],
                         ids=["negative dimensions of the right size", "negative offset", "one more negative pair",
                              "past the end once converted"])
def test_array_references_with_negative_or_odd_numbers_are_refused(ref):
    """Each number of a reference is checked as int() makes it (json gives exact ints; the decoder
    takes those as they are): a shape whose negative dimensions multiply to the right size too."""
    forged = encode(np.zeros(2)).replace(b"[0, 0, [2]]", ref)
    assert forged != encode(np.zeros(2))
    with pytest.raises(ProtocolError):
        decode(forged)


def test_frames_and_the_size_limit():
    stream = io.BytesIO()
    write_frame(stream, b"hello")
    stream.seek(0)
    assert read_frame(stream) == b"hello"
    assert read_frame(stream) is None
    stream = io.BytesIO(struct.pack("<Q", 10**12))
    with pytest.raises(ProtocolError, match="limit"):
        read_frame(stream, limit=1000)


def test_many_references_to_one_region_are_refused():
    """Views cost nothing to send and gigabytes to convert: the data referenced in all is capped."""
    import json as _json

    from grader.worker.wire import MAX_REFERENCED_BYTES

    refs = [{"__nd__": [0, 0, [1024 * 1024]]} for _ in range(MAX_REFERENCED_BYTES // 2**20 + 1)]
    header = _json.dumps({"__seq__": refs}).encode()
    blob = io.BytesIO()
    np.lib.format.write_array(blob, np.zeros(2**20, dtype=np.int8), allow_pickle=False)
    with pytest.raises(ProtocolError, match="referring to more than"):
        decode(struct.pack("<I", len(header)) + header + blob.getvalue())


@pytest.mark.parametrize("header", [b'{"__rng__": Infinity}', b'{"__nd__": [0, Infinity, [1]]}'],
                         ids=["infinite seed", "infinite offset"])
def test_infinities_are_protocol_errors(header):
    with pytest.raises(ProtocolError):
        decode(struct.pack("<I", len(header)) + header)


def test_strings_from_student_code_are_cleaned_but_requests_are_not():
    hostile = "\ud800\x1b[2J" + "x" * 5000
    back = decode(encode({"a": hostile}))
    assert "\x1b" not in back["a"] and len(back["a"]) <= 2000
    back["a"].encode("utf-8")
    source = "y = '''" + "x" * 5000 + "'''\n"
    assert decode(encode({"source": source}), clean_text=False)["source"] == source


# ------------------------------------------------------- requests, from the grader ---

@pytest.mark.parametrize("name", list(VALUES), ids=list(VALUES))
def test_request_round_trip(name):
    _assert_same(VALUES[name], decode_request(encode_request(VALUES[name])))


def test_a_request_carries_arrays_of_numbers_as_their_bytes():
    """numpy's own pickling of an array (numpy's _reconstruct and a state) cost the grader three
    times as much as the bytes, dtype and shape: a request carries those, and the worker makes the
    same arrays again, C-ordered, and gives each use a writable copy of its own (materialize)."""
    from grader.worker.wire import materialize

    arrays = [np.arange(6.0).reshape(2, 3), np.asfortranarray(np.arange(6).reshape(2, 3)),
              np.arange(4, dtype=">f4"), np.array(2.5, dtype=np.float32), np.zeros((0, 3)), np.array([[True, False]]),
              np.arange(3) + 1j]
    payload = encode_request({"calls": [[arrays, {}]]})
    assert b"_reconstruct" not in payload and b"_array" in payload
    back = decode_request(payload)["calls"][0][0]
    for sent, got in zip(arrays, back):
        assert type(got) is np.ndarray and got.dtype == sent.dtype and got.shape == sent.shape
        np.testing.assert_array_equal(got, sent)
        fresh = materialize(got, fresh=True)
        fresh[...] = 0
        np.testing.assert_array_equal(got, sent)


@pytest.mark.parametrize("forged", ["posix.system", "builtins.eval", "numpy.ma.core._mareconstruct"])
def test_a_request_makes_nothing_but_what_requests_hold(forged):
    """Requests are pickled (they come from the grader, and pickle is fast); still, unpickling one
    makes numpy arrays, dtypes and scalars and Rng placeholders only."""
    import pickle

    module, name = forged.rsplit(".", 1)
    payload = b"\x80\x04" + pickle.SHORT_BINUNICODE + bytes([len(module)]) + module.encode() + \
        pickle.SHORT_BINUNICODE + bytes([len(name)]) + name.encode() + pickle.STACK_GLOBAL + pickle.STOP
    with pytest.raises(pickle.UnpicklingError, match=name):
        decode_request(payload)


def test_an_array_sent_twice_arrives_as_two():
    """An unpickled request holds an array (or a list, a dict) sent twice as one object; each use
    gets its own, as `decode` made them, so code that writes into one argument changes no other
    argument, in the same call or the next."""
    from grader.worker import student_code

    source = ("def f(x, y):\n    x += 1\n    return float(y.sum())\n"
              "def g(p, q):\n    p['W'] += 1\n    p['W'] = None\n    return float(q['W'].sum())\n"
              "def h(xs, ys):\n    xs[0] += 1\n    xs.append(0)\n    return [float(ys[0].sum()), len(ys)]\n")
    worker = student_code.Worker()
    worker.load({"module": "hw", "cells": [{"source": source, "filename": "hw.py"}]})
    shared, fortran = np.zeros(3), np.asfortranarray(np.zeros((2, 2)))
    params, arrays = {"W": shared}, [shared]
    for function, args, expected in (("f", [shared, shared], 0.0), ("f", [fortran, fortran], 0.0),
                                     ("g", [params, params], 0.0), ("h", [arrays, arrays], [0.0, 1])):
        request = decode_request(encode_request({"op": "call", "function": function, "calls": [[args, {}]] * 2}))
        reply = worker.call(request)
        assert [o["returned"] for o in reply["outcomes"]] == [expected, expected], (function, reply)
    assert not shared.any() and not fortran.any()


def test_each_call_reports_its_own_warnings_whatever_an_earlier_call_did_to_the_warnings_machinery():
    """The calls of one request share one catch_warnings (see RecordedWarnings): a call's reply holds
    the warnings of that call only, and one that silences warnings (a filter of its own, filters or
    showwarning replaced) silences nothing for the calls after it, as a catch_warnings per call did."""
    import warnings

    from grader.worker import student_code

    source = ("import warnings\nimport numpy as np\n"
              "def f(mode):\n"
              "    if mode == 'filter':\n        warnings.simplefilter('ignore')\n"
              "    elif mode == 'replace':\n        warnings.filters = []\n"
              "    elif mode == 'empty':\n        warnings.filters.clear()\n"
              "    elif mode == 'show':\n        warnings.showwarning = lambda *a, **k: None\n"
              "    elif mode == 'gone':\n        del warnings.filters\n"
              "    warnings.warn(f'from {mode}')\n"
              "    return float(np.exp(np.float64(1000.0)))\n")
    worker = student_code.Worker()
    worker.load({"module": "hw", "cells": [{"source": source, "filename": "hw.py"}]})
    modes = ["plain", "filter", "plain", "replace", "plain", "empty", "plain", "show", "plain", "gone", "plain"]
    before = (warnings.filters[:], warnings.showwarning)
    reply = worker.call(decode_request(encode_request({"op": "call", "function": "f",
                                                       "calls": [[[mode], {}] for mode in modes]})))
    assert (warnings.filters, warnings.showwarning) == before  # the grader's own machinery as it was
    for mode, outcome in zip(modes, reply["outcomes"]):
        if mode == "plain":  # whatever the call before it did, this one's warnings are all there
            assert outcome["warnings"] == ["UserWarning: from plain", "RuntimeWarning: overflow encountered in exp"]
        else:
            assert all("plain" not in w for w in outcome["warnings"]), (mode, outcome)


def test_a_unit_stopped_for_its_time_costs_its_whole_budget(monkeypatch):
    """A busy CI machine: the timer that stops a unit counts CPU by clock ticks, which ran ahead of
    process_time, so three units stopped at 1 s had 'spent' under 3 s and a fourth still ran."""
    import signal

    from grader.worker import budget, student_code

    monkeypatch.setattr(student_code.time, "process_time", lambda: 0.0)  # a clock that sees no time pass
    previous = signal.signal(signal.SIGPROF, budget.on_budget_spent)
    loop = "x = 0\nwhile True:\n    x += 1\n"
    cells = [{"source": source, "filename": f"cell{i}"} for i, source in
             enumerate([loop, loop, loop, loop, "def f():\n    return 1\n"])]
    try:
        reply = student_code.Worker().load({"module": "hw", "cells": cells, "cell_seconds": 0.1,
                                            "load_seconds": 0.3, "skip": [[0, 0]]})
    finally:
        signal.signal(signal.SIGPROF, previous)
    kinds = [(tuple(e["unit"]), e["kind"]) for e in reply["events"]]
    # cell 0 skipped (costs 0.1), cells 1 and 2 stopped (0.1 each): the budget is spent before cell 3
    assert kinds == [((1, 0), "timeout"), ((2, 0), "timeout"), ((3, 0), "budget")], kinds


# ------------------------------------------------------- the worker's own modules ---

WORKER_MODULES = sorted(path.stem for path in sandbox.WORKER_FOLDER.glob("*.py") if not path.stem.startswith("__"))


def test_a_student_module_named_like_a_worker_module_is_the_students(tmp_path, isolation):
    """A student may well have wire.py, limits.py or loop.py beside the notebook: `import wire`
    imports that file, not the worker's module of that name."""
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in WORKER_MODULES:
        (folder / f"{name}.py").write_text(f"WHO = 'the student file {name}.py'\n")
    imports = "".join(f"import {name}\n" for name in WORKER_MODULES)
    source = imports + f"def who():\n    return [m.WHO for m in ({', '.join(WORKER_MODULES)},)]\n"
    (folder / "hw1.py").write_text(source)
    cells = [{"source": source, "filename": "hw1.py", "label": "hw1.py", "split": True}]
    student = runner.StudentProcess(cells, "hw1", Limits(call_seconds=30), own=folder)
    try:
        [outcome] = student.call("who", [runner.Call(())])
    finally:
        student.stop()
    assert isinstance(outcome, runner.Returned), outcome
    assert outcome.value == [f"the student file {name}.py" for name in WORKER_MODULES]
    assert len(WORKER_MODULES) >= 5  # the modules were found: wire, loop, audit, limits, ...


# ------------------------------------------------------- starting in the background ---

def test_a_worker_started_in_the_background_outlives_the_start(isolation):
    """`grade` starts the worker while it imports (StudentProcess.start_soon), in a thread that lives
    as long as the grader. Started from a thread that ended once the start was done, the worker
    was killed by SIGKILL while loading in 4 of 8 runs of `grade hw1` on the reference (0 points);
    bubblewrap ties the worker's life to its parent (--die-with-parent)."""
    import threading
    import time

    cells = [{"source": "def twice(x):\n    return 2 * x\n", "filename": "hw.py", "label": "hw.py", "split": True}]
    student = runner.StudentProcess(cells, "hw", Limits(call_seconds=30))
    asker = threading.Thread(target=student.start_soon)  # asked from a thread that ends at once, too
    asker.start()
    asker.join()
    student._started()
    time.sleep(0.5)  # a worker killed when its starter ended is gone by now
    try:
        outcomes = student.call("twice", [runner.Call((2.0,))])
    finally:
        student.stop()
    assert [o.value for o in outcomes if isinstance(o, runner.Returned)] == [4.0], outcomes
