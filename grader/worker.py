"""The worker: a thin loop that runs the student's code in its own process.

It loads the submission, calls the functions it is asked to call, and sends back
what they returned. It never sees the reference solution or an expected value:
everything that judges lives in the grading process (see ``grader.runner``).

This file is run as a script (``python -I worker.py``) and imports only the
standard library and numpy, so that nothing of the grader is importable from the
student's code. The grading process imports it as a module for the wire format.
Its configuration, which names the secret paths, is the first frame on its stdin:
never on its command line, which any process in the sandbox can read.

Wire format: each message is a frame ``<8-byte length><payload>``; a payload is
``<4-byte header length><JSON header><.npy blobs>``, one flat blob per dtype.
Arrays appear in the header as ``{"__nd__": [blob, offset, shape]}``; blobs are
read back with ``allow_pickle=False`` and only numeric dtypes are accepted, so
only plain numbers and arrays of numbers ever cross from the student's process.
"""

from __future__ import annotations

import ast
import io
import json
import linecache
import os
import signal
import struct
import sys
import time
import traceback
import types
import warnings

import numpy as np

MAX_FRAME_BYTES = 256 * 1024 * 1024  # a reply larger than this is refused
# The JSON part of a message stays small (arrays travel as blobs); a huge one could
# make the grader build millions of Python objects.
MAX_HEADER_BYTES = 4 * 1024 * 1024
_ALLOWED_DTYPE_KINDS = "biufc"  # bool, int, uint, float, complex: no objects, no records


class ProtocolError(Exception):
    """A frame that is not valid: truncated, too large, or not of our format."""


# ---------------------------------------------------------------- encoding ---

def encode(value: object) -> bytes:
    """Encode numbers, strings, arrays, lists, tuples and str-keyed dicts.

    Arrays of one dtype travel together as one flat .npy blob: a request of a
    thousand small arrays costs one header per dtype, not one per array.
    """
    packer = _Packer()
    header = json.dumps(_to_jsonable(value, packer)).encode()
    out = io.BytesIO()
    out.write(struct.pack("<I", len(header)))
    out.write(header)
    for blob in packer.blobs():
        np.lib.format.write_array(out, blob, allow_pickle=False)
    return out.getvalue()


class _Packer:
    def __init__(self) -> None:
        self.groups: dict[str, list[np.ndarray]] = {}
        self.sizes: dict[str, int] = {}

    def add(self, array: np.ndarray) -> list:
        key = array.dtype.str
        group = self.groups.setdefault(key, [])
        offset = self.sizes.get(key, 0)
        group.append(array.reshape(-1))
        self.sizes[key] = offset + array.size
        return [list(self.groups).index(key), offset, list(array.shape)]

    def blobs(self) -> list[np.ndarray]:
        return [np.concatenate(group) for group in self.groups.values()]


def _to_jsonable(value: object, packer: _Packer) -> object:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if type(array) is not np.ndarray:  # a subclass: keep only its data
            array = array.view(np.ndarray)
        if array.dtype.kind not in _ALLOWED_DTYPE_KINDS:
            return {"__unsupported__": f"array of dtype {array.dtype}"}
        return {"__nd__": packer.add(array), "scalar": isinstance(value, np.generic)}
    # Subclasses (OrderedDict, defaultdict, namedtuple) travel as their plain base.
    if isinstance(value, (list, tuple)):
        return {"__seq__": [_to_jsonable(v, packer) for v in list(value)], "tuple": isinstance(value, tuple)}
    if isinstance(value, dict) and all(type(k) is str for k in value):
        return {"__dict__": {k: _to_jsonable(v, packer) for k, v in dict(value).items()}}
    if isinstance(value, Rng):
        return {"__rng__": value.seed, "shared": value.shared}
    return {"__unsupported__": _describe_type(value)}


def _describe_type(value: object) -> str:
    try:
        return type(value).__name__
    except Exception:  # a hostile object may lie even about its type
        return "object"


def decode(payload: bytes, clean_text: bool = True) -> object:
    """Decode a payload made by :func:`encode`; raise ProtocolError if it is not one.

    clean_text: cut and clean every string (replies from student code); the worker
    reads the grader's requests, the submission's source among them, as they are.
    """
    try:
        (header_len,) = struct.unpack_from("<I", payload, 0)
        if header_len > MAX_HEADER_BYTES:
            raise ProtocolError(f"a message header of {header_len} bytes is over the {MAX_HEADER_BYTES}-byte limit")
        header = json.loads(payload[4 : 4 + header_len])
        stream = io.BytesIO(payload[4 + header_len :])
        blobs = []
        while stream.tell() < len(payload) - 4 - header_len:
            blob = np.lib.format.read_array(stream, allow_pickle=False)
            if blob.dtype.kind not in _ALLOWED_DTYPE_KINDS or blob.ndim != 1:
                raise ProtocolError(f"an array blob of dtype {blob.dtype} and shape {blob.shape}")
            blobs.append(np.array(blob))  # a writable copy: the callee may write into its inputs
        return _from_jsonable(header, blobs, [MAX_REFERENCED_BYTES], _text if clean_text else str)
    except ProtocolError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, struct.error, RecursionError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from None


def _unpack(blobs: list[np.ndarray], ref: list, budget: list[int]) -> np.ndarray:
    group, offset, shape = int(ref[0]), int(ref[1]), tuple(int(n) for n in ref[2])
    size = int(np.prod(shape, dtype=np.int64))
    blob = blobs[group]
    if offset < 0 or min(shape, default=0) < 0 or offset + size > blob.size:
        raise ProtocolError("an array reference outside its blob")
    # Many references to one region would cost nothing here and gigabytes once the
    # grader converts them: the data referenced in all is capped, not just the bytes sent.
    budget[0] -= size * blob.itemsize
    if budget[0] < 0:
        raise ProtocolError(f"a message referring to more than {MAX_REFERENCED_BYTES} bytes of array data")
    return blob[offset : offset + size].reshape(shape)


MAX_REFERENCED_BYTES = 256 * 1024 * 1024
_MAX_TEXT = 2000


def _text(value: object) -> str:
    """A string from a message, safe to print and to write as UTF-8: cut, no terminal control
    codes, no lone surrogates."""
    text = value if isinstance(value, str) else str(value)
    text = text[:_MAX_TEXT].encode("utf-8", "replace").decode("utf-8")
    return "".join(c for c in text if c in "\t\n" or (c >= " " and c != "\x7f"))


def _from_jsonable(value: object, blobs: list[np.ndarray], budget: list[int], text) -> object:
    if isinstance(value, dict):
        if "__nd__" in value:
            array = _unpack(blobs, value["__nd__"], budget)
            return array[()] if value.get("scalar") else array
        if "__seq__" in value:
            items = [_from_jsonable(v, blobs, budget, text) for v in value["__seq__"]]
            return tuple(items) if value.get("tuple") else items
        if "__dict__" in value:
            return {text(k): _from_jsonable(v, blobs, budget, text) for k, v in value["__dict__"].items()}
        if "__rng__" in value:
            shared = value.get("shared")
            return Rng(int(value["__rng__"]), None if shared is None else text(shared))
        if "__unsupported__" in value:
            return Unsupported(_text(value["__unsupported__"])[:200])
        return {text(k): _from_jsonable(v, blobs, budget, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v, blobs, budget, text) for v in value]
    if isinstance(value, str):
        return text(value)
    return value


class Rng:
    """Stands for ``numpy.random.default_rng(seed)`` in a request: the worker makes it.

    Placeholders with the same `shared` name within one request stand for one and
    the same Generator, passed to call after call (as a training loop would).
    """

    def __init__(self, seed: int, shared: str | None = None) -> None:
        self.seed = seed
        self.shared = shared

    def __repr__(self) -> str:
        return f"np.random.default_rng({self.seed})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rng) and (other.seed, other.shared) == (self.seed, self.shared)

    def __hash__(self) -> int:
        return hash((self.seed, self.shared))


class Unsupported:
    """A value the worker could not send, such as an object of a custom class."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


def write_frame(stream: io.RawIOBase, payload: bytes) -> None:
    stream.write(struct.pack("<Q", len(payload)) + payload)
    stream.flush()


def read_frame(stream: io.RawIOBase, limit: int = MAX_FRAME_BYTES) -> bytes | None:
    """Read one frame; None at a clean end of stream."""
    head = _read_exactly(stream, 8)
    if head is None:
        return None
    (size,) = struct.unpack("<Q", head)
    if size > limit:
        raise ProtocolError(f"a reply of {size} bytes is over the {limit}-byte limit")
    body = _read_exactly(stream, size)
    if body is None:
        raise ProtocolError("the stream ended inside a message")
    return body


def _read_exactly(stream: io.RawIOBase, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            if remaining == size:
                return None
            raise ProtocolError("the stream ended inside a message")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------ worker ---

_SHOWN_FRAMES = 8  # of the student's own, innermost: a recursion 1000 deep shows its last few


def _student_frames(exc: BaseException, filenames: set[str]) -> list[traceback.FrameSummary]:
    """The innermost frames of the traceback that belong to the student's own code.

    Walks the traceback without formatting it: a deep recursion costs microseconds, not
    the seconds that looking up a thousand source lines takes, whatever the machine's load.
    """
    kept, tb = [], exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in filenames:
            kept.append(tb)
            del kept[:-_SHOWN_FRAMES]
        tb = tb.tb_next
    return [traceback.FrameSummary(t.tb_frame.f_code.co_filename, t.tb_lineno, t.tb_frame.f_code.co_name)
            for t in kept]


def _student_traceback(exc: BaseException, frames: list[traceback.FrameSummary]) -> str:
    """The traceback lines that belong to the student's own code, then the error."""
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


def _describe_error(exc: BaseException, filenames: set[str]) -> dict:
    frames = _student_frames(exc, filenames)
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable message>"
    if isinstance(exc, MemoryError) and _LIMITS.get("memory_bytes"):
        size = _LIMITS["memory_bytes"]
        shown = f"{size / 2**30:.4g} GiB" if size >= 2**30 else f"{size / 2**20:.4g} MiB"
        message = f"exceeded the {shown} memory limit"
    elif isinstance(exc, OSError) and getattr(exc, "errno", None) == 27 and _LIMITS.get("file_bytes"):  # EFBIG
        message = f"exceeded the {_LIMITS['file_bytes'] / 2**20:g} MiB file size limit"
    return {
        "error": type(exc).__name__,
        "message": message[:2000],
        "is_value_error": isinstance(exc, ValueError),
        "not_implemented": isinstance(exc, NotImplementedError),
        "where": frames[-1].name if frames else None,
        "line": frames[-1].lineno if frames else None,
        "traceback": _student_traceback(exc, frames)[-4000:],
    }


MAX_LOAD_EVENTS = 50  # events of top-level code sent back (a statement that raised, a cell skipped)


class _Timeout(BaseException):
    """Raised inside student code when its CPU-time budget is spent (see `_arm`).

    A BaseException, so that `except Exception` in student code does not swallow it.
    `where`: the student's frames at that moment, innermost first.
    """

    def __init__(self, where: list[dict]) -> None:
        super().__init__("timed out")
        self.where = where


class Worker:
    def __init__(self, progress=lambda message: None) -> None:
        self.namespace: dict = {}
        self.filenames: set[str] = set()
        self.progress = progress  # sends a frame to the grader before each unit of top-level code
        self.future_flags = 0  # from `from __future__ import ...` statements run so far

    def load(self, request: dict) -> dict:
        """Run the submission's top-level code in a fresh module namespace, one unit at a time.

        A unit is a notebook cell, or one top-level statement of a .py (cells marked
        `split`). Each unit has `cell_seconds` of CPU time; one that runs past it is
        stopped and skipped, like one that raises. Within a notebook cell, a failing
        import does not stop the statements after it. Once `load_seconds` of CPU time
        are spent on top-level code, only definitions run; a unit stopped for its time,
        or listed in `skip` (it hung, or ran past its time, in an earlier worker) and so
        not run at all, counts its whole `cell_seconds`.
        """
        module = types.ModuleType(request["module"])
        module.__file__ = request["cells"][0]["filename"] if request["cells"] else None
        sys.modules[request["module"]] = module
        self.namespace = module.__dict__
        skip = {tuple(unit) for unit in request.get("skip", ())}
        cell_seconds, load_seconds = request.get("cell_seconds"), request.get("load_seconds")
        spent, events = 0.0, []
        for index, cell in enumerate(request["cells"]):
            filename = cell["filename"]
            self.filenames.add(filename)
            lines = cell["source"].splitlines(keepends=True)
            linecache.cache[filename] = (len(cell["source"]), None, lines, filename)
            try:
                tree = compile(cell["source"], filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            except BaseException as exc:  # SyntaxError, or a source too deep to parse
                events.append(self._syntax_error(exc, index))
                continue
            units = [[s] for s in tree.body] if cell.get("split") else [tree.body] if tree.body else []
            for number, statements in enumerate(units):
                unit = (index, number)
                if unit in skip:  # it ran past its time before: it counts its whole budget again
                    spent += cell_seconds or 0.0
                    continue
                if load_seconds is not None and spent >= load_seconds:
                    kept = [s for s in statements if is_definition(s)]
                    if len(kept) < len(statements) and not any(e["kind"] == "budget" for e in events):
                        events.append({"kind": "budget", "unit": list(unit), "line": statements[0].lineno})
                    statements = kept
                if not statements:
                    continue
                self.progress({"running": list(unit)})
                started = time.process_time()
                event = self._run_unit(statements, filename, not cell.get("split"), cell_seconds)
                used = time.process_time() - started
                if event is not None and event["kind"] in ("timeout", "caught"):
                    # The timer that stopped it counts CPU by the clock tick, which on a busy machine
                    # can run ahead of process_time: a unit stopped for its time costs all of it.
                    used = max(used, cell_seconds or 0.0)
                spent += used
                if event is not None:
                    events.append(event | {"unit": list(unit)})
        # A reply of bounded size, however many statements raised: the first ones are what a student reads.
        return {"events": events[:MAX_LOAD_EVENTS], "more_events": max(len(events) - MAX_LOAD_EVENTS, 0)}

    def _run_unit(self, statements: list, filename: str, in_notebook: bool, seconds: float | None):
        """Run statements in order; what went wrong as an event, else None.

        In a notebook cell, a failing import does not stop the statements after it, and
        after any other error the cell's remaining definitions still run (so a setup cell's
        `sns.set()` failing does not lose the functions defined below it).
        """
        errors, definitions_only = [], False
        _arm(seconds, self.filenames)
        try:
            for statement in statements:
                if definitions_only and not is_definition(statement):
                    continue
                try:
                    code = compile(ast.Module([statement], type_ignores=[]), filename, "exec",
                                   flags=self.future_flags, dont_inherit=True)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        exec(code, self.namespace)
                    if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                        self.future_flags |= _future_flags(statement)
                except _Timeout:
                    raise
                except BaseException as exc:  # SystemExit and KeyboardInterrupt too
                    if len(errors) < 3:
                        errors.append(_error_event(exc, self.filenames, statement.lineno))
                    if not in_notebook:
                        break
                    if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                        definitions_only = True
            if _ARMED[1] is not None:  # the budget ran out, and the code caught the interrupt
                return {"kind": "caught", "where": _ARMED[1], "line": statements[0].lineno}
        except _Timeout as timeout:
            return {"kind": "timeout", "where": timeout.where, "line": statements[0].lineno}
        finally:
            _disarm()
        if not errors:
            return None
        return errors[0] | {"also": errors[1:], "definitions_only": definitions_only}

    def _syntax_error(self, exc: BaseException, index: int) -> dict:
        error = {"kind": "syntax", **_describe_error(exc, self.filenames), "unit": [index, None]}
        if isinstance(exc, SyntaxError):
            error["line"] = exc.lineno
            error["message"] = str(exc.msg)[:2000]  # str(exc) repeats the file and line
            error["traceback"] = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        return error

    def call(self, request: dict) -> dict:
        """Call one function on each argument list; report result, mutations, warnings.

        All calls together have `seconds` of CPU time; past it, the reply says where
        the student's code was.
        """
        function = self.namespace.get(request["function"])
        if not callable(function):
            return {"missing": True}
        outcomes, generators = [], {}
        _arm(request.get("seconds"), self.filenames)
        try:
            for args, kwargs in request["calls"]:
                if request.get("global_seed") is not None:
                    np.random.seed(request["global_seed"])
                args = [materialize(a, generators) for a in args]
                kwargs = {k: materialize(v, generators) for k, v in kwargs.items()}
                outcomes.append(self._call_one(function, args, kwargs, request.get("pick")))
        except _Timeout as timeout:
            return {"timed_out": timeout.where}
        finally:
            _disarm()
        return {"outcomes": outcomes}

    def _call_one(self, function, args: list, kwargs: dict, pick: int | None = None) -> dict:
        """Call once; with `pick`, send back only that element of the result (e.g. the loss)."""
        before = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = function(*args, **kwargs)
                if pick is not None:
                    result = result[pick]
            except _Timeout:
                raise
            except BaseException as exc:  # SystemExit, KeyboardInterrupt, GeneratorExit too
                return {"raised": _describe_error(exc, self.filenames), "generators": generator_states(args, kwargs)}
        after = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
        names = [f"argument {i + 1}" for i in range(len(args))] + list(kwargs)
        mutated = [name for name, b, a in zip(names, before, after) if not _same(b, a)]
        return {
            "returned": result,
            "mutated": mutated,
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught][:20],
            "generators": generator_states(args, kwargs),
        }


def _future_flags(statement: ast.ImportFrom) -> int:
    """The compiler flags of a `from __future__ import ...` statement."""
    import __future__

    flags = 0
    for alias in statement.names:
        feature = getattr(__future__, alias.name, None)
        flags |= getattr(feature, "compiler_flag", 0)
    return flags


def _error_event(exc: BaseException, filenames: set[str], line: int) -> dict:
    """What a statement raised; just its type if describing it fails too (out of memory)."""
    try:
        error = {"kind": "error", **_describe_error(exc, filenames)}
        error["line"] = error["line"] or line
        return error
    except BaseException:
        return {"kind": "error", "error": type(exc).__name__, "message": "", "line": line}


def is_definition(statement: ast.stmt) -> bool:
    """What still runs once the time for top-level code is spent: def, class, import, and
    assignments that call nothing (`lr = 0.1`, `relu = lambda z: np.maximum(z, 0)`)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        return not _calls(statement.value)
    return False


def _calls(node: ast.AST) -> bool:
    """The expression calls something when evaluated (a lambda's body is not evaluated)."""
    if isinstance(node, ast.Call):
        return True
    return not isinstance(node, ast.Lambda) and any(_calls(child) for child in ast.iter_child_nodes(node))


# The CPU-time budget of a request: SIGPROF counts the process's CPU time, so a busy
# machine gives slow code no less time than a quiet one. Where there is no
# setitimer (Windows), the grader's wall-clock limit alone applies.
_ARMED: list = [None, None]  # the student files to describe when the budget runs out (or None), and where it did


def _arm(seconds: float | None, filenames: set[str]) -> None:
    if not seconds or not hasattr(signal, "setitimer"):
        return
    _ARMED[:] = [filenames, None]
    # After the first expiry, again every 50 ms: code that swallows one interrupt gets the next.
    signal.setitimer(signal.ITIMER_PROF, float(seconds), 0.05)


def _line_of(frame) -> int | None:
    """The frame's line; f_lineno is None on an instruction that has no line of its own (the jump
    back of a loop), so take the line of the nearest instruction before it that has one."""
    if frame.f_lineno is not None:
        return frame.f_lineno
    line = None
    for start, _, number in frame.f_code.co_lines():
        if start > frame.f_lasti:
            break
        line = number if number is not None else line
    return line


def _disarm() -> None:
    _ARMED[:] = [None, None]
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, 0)


def _on_budget_spent(signum, frame) -> None:
    filenames, where = _ARMED
    if filenames is None:  # arrived after the request ended
        return
    if where is None:  # the first expiry says where the code was; later ones (code that went on) repeat it
        where = []
        frame = frame or sys._getframe()  # None when the signal is handled between frames
        while frame is not None and len(where) < 8:
            if frame.f_code.co_filename in filenames:
                where.append({"function": frame.f_code.co_name, "file": frame.f_code.co_filename,
                              "line": _line_of(frame)})
            frame = frame.f_back
        _ARMED[1] = where
    raise _Timeout(where)


def materialize(value: object, generators: dict | None = None) -> object:
    """Turn request placeholders into live objects (an Rng into a Generator).

    `generators` holds the shared Generators of one request, by name.
    """
    if isinstance(value, Rng):
        if value.shared is None or generators is None:
            return np.random.default_rng(value.seed)
        if value.shared not in generators:
            generators[value.shared] = np.random.default_rng(value.seed)
        return generators[value.shared]
    if isinstance(value, dict):
        return {k: materialize(v, generators) for k, v in value.items()}
    return value


# Taken now, before the submission loads: purity is judged with these even if the
# submission replaces np.array_equal or np.ndarray in the numpy module.
_NDARRAY, _EQUAL, _ISNAN = np.ndarray, np.equal, np.isnan


def _snapshot(value: object) -> object:
    if isinstance(value, _NDARRAY):
        return _NDARRAY.copy(value)
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if type(value) is list:  # a list argument: its length, and each item (numbers by value)
        return _ListSnapshot([_snapshot(v) if isinstance(v, (_NDARRAY, dict, list)) else v for v in value])
    return None


class _ListSnapshot(list):
    """What a list argument held before the call (a list itself may be appended to or sorted)."""


def _same(before: object, after: object) -> bool:
    if isinstance(before, _NDARRAY):
        if not isinstance(after, _NDARRAY) or before.shape != after.shape or before.dtype != after.dtype:
            return False
        equal = _EQUAL(before, after)
        if before.dtype.kind in "fc":
            equal |= _ISNAN(before) & _ISNAN(after)
        return bool(equal.all())  # a method of a C type: not patchable from Python
    if isinstance(before, dict):
        return isinstance(after, dict) and before.keys() == after.keys() and all(
            _same(before[k], after[k]) for k in before
        )
    if isinstance(before, _ListSnapshot):
        return isinstance(after, _ListSnapshot) and len(before) == len(after) and all(
            _same(b, a) if isinstance(b, (_NDARRAY, dict, _ListSnapshot)) else _same_number(b, a)
            for b, a in zip(before, after)
        )
    return True


def _same_number(before: object, after: object) -> bool:
    """An item of a list that is not an array: the same object, or an equal number (nan equals nan)."""
    if before is after:
        return True
    if type(before) is not type(after) or not isinstance(before, (int, float, complex, str)):
        return False
    return before == after or (before != before and after != after)


# ------------------------------------------------- generator states (issue 11) ---
# After each call the worker reports the state of every numpy Generator among the call's
# arguments, so a check can tell how much the function drew (exactly one permutation,
# nothing before a ValueError) by comparing with a Generator the grader replays itself.
# Both sides use `generator_state`, so the two texts are comparable.

_GENERATOR = np.random.Generator  # taken before the submission loads, like _NDARRAY


def generator_state(generator: np.random.Generator) -> str:
    """The state of a Generator as a short text: equal texts, equal states."""
    state = generator.bit_generator.state
    inner = state.get("state")
    inner = ",".join(f"{k}={inner[k]}" for k in sorted(inner)) if isinstance(inner, dict) else str(inner)
    return f"{state.get('bit_generator')}:{inner}:{state.get('has_uint32', '')}:{state.get('uinteger', '')}"


def generator_states(args: list, kwargs: dict) -> dict:
    """{label: state} of the Generator arguments, labelled as `mutated` labels arguments."""
    labelled = [(f"argument {i + 1}", a) for i, a in enumerate(args)] + list(kwargs.items())
    return {label: generator_state(value) for label, value in labelled if isinstance(value, _GENERATOR)}


# --------------------------------------------------------------- hardening ---

def harden(config: dict) -> None:
    """Limit this process and install the audit hook, before any student code runs."""
    _set_limits(config)
    _forbid_new_privileges()
    _remove_unaudited_spawn()
    _remove_memfd()
    _remove_shared_memory()
    _install_audit_hook(config)


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


# Events refused outright: processes, signals, network, raw memory through ctypes, heap
# walking, changing limits. Prefixes end with a dot. (Loading a library, the event
# `import ctypes`, scipy and matplotlib raise, is checked apart: see _LIBRARY_EVENTS.)
_REFUSED = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill", "os.link", "os.symlink",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "resource.setrlimit", "resource.prlimit",
    "socket.", "ctypes.", "winreg.", "_winapi.", "msvcrt.",
)
# ctypes events that only load a library or look up a name in it; calling a function,
# reading an address or making an object from one stays refused.
_LIBRARY_EVENTS = ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle")
# Events whose path arguments are written to (args positions), or read from.
_WRITES = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.truncate": (0,),
    "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,), "os.chflags": (0,), "os.lchflags": (0,),
    "os.setxattr": (0,), "os.removexattr": (0,), "os.mkfifo": (0,), "os.mknod": (0,),
    "shutil.rmtree": (0,), "shutil.move": (0, 1), "shutil.copyfile": (1,), "shutil.copytree": (1,),
    "shutil.copymode": (1,), "shutil.copystat": (1,), "shutil.chown": (0,),
}
# Outside Python's own folders, what a submission may read: system libraries, and the
# harmless devices. Not /home, /tmp, /work, /srv, /mnt, nor raw disks.
_SYSTEM_FOLDERS = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/sys", "/opt/homebrew",
                   "/System", "/Library", "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/shm")
# Of /etc, only files Python's standard library and common libraries open themselves: not
# /etc as a whole, which holds /etc/shadow, keys and passwords, readable by a grader running
# as root. Logging a worker's opens while it used numpy, matplotlib, pandas, scipy, time
# zones and platform found os-release and mime.types; the others are where mimetypes,
# time-zone libraries and Debian's matplotlib also look. (The dynamic loader and the C
# library read ld.so.cache and localtime without an audit event.)
_ETC_FILES = (
    "/etc/os-release",  # platform.freedesktop_os_release
    "/etc/localtime", "/etc/timezone",  # the local time zone, for libraries that look for it
    "/etc/mime.types", "/etc/httpd/mime.types", "/etc/httpd/conf/mime.types",  # mimetypes.knownfiles
    "/etc/apache/mime.types", "/etc/apache2/mime.types",
    "/etc/matplotlibrc",  # Debian's and Ubuntu's packaged matplotlib
)
_SYSTEM_FILES = _ETC_FILES + tuple("/private" + path for path in _ETC_FILES)  # macOS: /etc is /private/etc
_PROC_FILES = {"/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/loadavg", "/proc/self", "/proc/thread-self"}


# Where events carry a dir_fd (a path relative to an open folder, which the hook cannot
# resolve): such calls are refused.
_DIR_FDS = {"os.remove": (1,), "os.rmdir": (1,), "os.mkdir": (2,), "os.rename": (2, 3), "os.chmod": (2,),
            "os.chown": (3,), "os.utime": (3,), "os.mkfifo": (2,), "os.mknod": (3,), "shutil.rmtree": (1,)}
_READS = {"os.listdir": (0,), "os.scandir": (0,), "shutil.copyfile": (0,), "shutil.copytree": (0,),
          "os.listxattr": (0,), "os.getxattr": (0,)}


def _install_audit_hook(config: dict) -> None:
    """Refuse what a submission has no business doing (PEP 578).

    Not a sandbox on its own (C code can go around it); on Linux the bubblewrap
    layer is the wall, this is the second line and the only one elsewhere. The
    hook keeps its own references to every function, builtin and table it uses,
    so patching os, builtins or this module from the submission does not change
    its decisions; and it only accepts paths given as str or bytes, whose meaning
    no Python code can change between the check and the open.
    """
    import stat

    type_, any_, len_, bool_, list_, reversed_ = type, any, len, bool, list, reversed
    refused, proc_files, library_events = _REFUSED, frozenset(_PROC_FILES), frozenset(_LIBRARY_EVENTS)
    writes, reads, dir_fds = dict(_WRITES), dict(_READS), dict(_DIR_FDS)
    unaudited = ("_posixsubprocess", "_posixshmem")  # modules replaced before the hook (see harden)

    # Windows paths compare case-insensitively; POSIX ones as they are. (str.lower, not
    # os.path.normcase: that is Python code the submission could patch.)
    fold = (lambda path: path) if os.name == "posix" else str.lower
    scratch = fold(os.path.realpath(config["scratch"]))
    secret = tuple(fold(os.path.realpath(p)) for p in config.get("secret", ()))
    private = tuple(fold(os.path.realpath(p)) for p in config.get("private", ()))
    python = tuple(fold(os.path.realpath(p)) for p in config.get("python", ()))
    devnull = os.devnull
    lstat, readlink, getcwd, fsdecode = os.lstat, os.readlink, os.getcwd, os.fsdecode
    is_link, is_file, sep = stat.S_ISLNK, stat.S_ISREG, os.sep
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    posix = os.name == "posix"
    system = (_SYSTEM_FOLDERS + _SYSTEM_FILES if posix
              else tuple(fold(os.path.realpath(p)) for p in config.get("system", ())))
    full_path = getattr(__import__("nt"), "_getfullpathname", None) if not posix else None

    def real(path: str) -> str:
        """realpath() built only from the C functions captured above."""
        if not posix:
            return fold(full_path(path) if full_path else path)
        if not path.startswith("/"):
            path = getcwd() + "/" + path
        todo, resolved, hops = list_(reversed_(path.split("/"))), "", 0
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if part == "..":
                resolved = resolved.rsplit("/", 1)[0]
                continue
            candidate = resolved + "/" + part
            try:
                mode = lstat(candidate).st_mode
            except OSError:
                resolved = candidate
                continue
            if is_link(mode):
                hops += 1
                if hops > 40:
                    raise PermissionError("too many symbolic links")
                target = readlink(candidate)
                if target.startswith("/"):
                    resolved = ""
                todo.extend(reversed_(target.split("/")))
            else:
                resolved = candidate
        return resolved or "/"

    def is_absolute(path: object) -> bool:
        text = fsdecode(path) if type_(path) is bytes else path
        return text.startswith("/") if posix else len_(text) > 2 and text[1:3] in (":\\", ":/")

    def under(path: str, roots: tuple) -> bool:
        return any_(path == root or path.startswith(root + sep) for root in roots)

    def as_path(value: object) -> str | None:
        kind = type_(value)
        if kind is str:
            return real(value)
        if kind is bytes:
            return real(fsdecode(value))
        return None  # an fd number (opened earlier, so checked then), None, or refused below

    own_proc = f"/proc/{os.getpid()}"

    def readable(path: str) -> bool:
        """An allow-list: Python's folders, the scratch folder, and the system files Python
        and numpy read; never the reference, the course, other submissions, other
        processes' memory, or raw devices, wherever copies of them may lie."""
        if under(path, secret):
            return False
        if under(path, python) or under(path, (scratch,)):
            return True
        if under(path, private):
            return False
        if path.startswith("/proc/"):
            return under(path, (own_proc,)) or path in proc_files
        return under(path, system)

    def check_read(value: object) -> None:
        path = as_path(value)
        if path is None and type_(value) is not int and value is not None:
            raise PermissionError("grading sandbox: give file paths as str (e.g. str(path))")
        if path is not None and not readable(path):
            raise PermissionError(f"grading sandbox: reading {path} is not allowed")

    def check_write(value: object) -> None:
        check_read(value)
        path = as_path(value)
        if path is not None and path != devnull and not under(path, (scratch,)):
            raise PermissionError(f"grading sandbox: writing outside the scratch folder ({path}) is not allowed")

    def check_library(name: object) -> None:
        """A library found by the system's search (a bare name), or one in a readable folder
        that the submission cannot have written (not the scratch folder)."""
        text = fsdecode(name) if type_(name) is bytes else name
        if type_(text) is not str:
            raise PermissionError("grading sandbox: give library paths as str")
        if "/" in text or sep in text:
            path = real(text)
            # Not through /proc or /dev (a memfd's link names any path it likes), not a file the
            # submission wrote: an existing file in Python's or the system's folders only.
            if text.startswith(("/proc", "/dev")) or path.startswith(("/proc", "/dev")) or \
                    not readable(path) or under(path, (scratch,)) or not is_regular(path):
                raise PermissionError(f"grading sandbox: loading the library {path} is not allowed")

    def is_regular(path: str) -> bool:
        try:
            return is_file(lstat(path).st_mode)
        except OSError:
            return False

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if mode is None and type_(path) in (str, bytes) and not is_absolute(path):
                # os.open(): its event leaves out dir_fd, so a relative path may not mean what it seems
                raise PermissionError("grading sandbox: os.open needs an absolute path")
            writing = bool_(flags & write_flags) or (type_(mode) is str and any_(c in mode for c in "wax+"))
            (check_write if writing else check_read)(path)
        elif event == "os.chdir":
            if args and type_(args[0]) is not int:
                check_read(args[0])
                if not under(as_path(args[0]), (scratch,)):
                    raise PermissionError("grading sandbox: stay in the scratch folder")
            elif args:
                raise PermissionError("grading sandbox: os.fchdir is not allowed")
        elif event in library_events:
            if event == "ctypes.dlopen" and args and args[0] is not None:
                check_library(args[0])
        elif event.startswith(refused):
            raise PermissionError(f"grading sandbox: {event} is not allowed")
        elif event in writes or event in reads:
            for i in dir_fds.get(event, ()):
                if i < len_(args) and args[i] is not None and args[i] != -1:  # -1: no dir_fd given
                    raise PermissionError(f"grading sandbox: {event} with dir_fd is not allowed")
            for i in writes.get(event, ()):
                if i < len_(args):
                    check_write(args[i])
            for i in reads.get(event, ()):
                if i < len_(args):
                    check_read(args[i])
        elif event == "import" and args and type_(args[0]) is str and (
                args[0].split(".")[0] in ("solutions", "grader") or any_(m in args[0] for m in unaudited)
                or (len_(args) > 1 and type_(args[1]) is str and any_(m in args[1] for m in unaudited))):
            # The last: the original fork_exec or shm_open loaded again under another name, from its file.
            raise ImportError(f"grading sandbox: importing {args[0]} is not allowed")
        elif event == "object.__setattr__" and len_(args) > 1 and args[1] == "__code__":
            raise PermissionError("grading sandbox: replacing a function's code is not allowed")

    sys.addaudithook(hook)


def main() -> None:
    # The protocol keeps private copies of fds 0 and 1; the student's code gets an
    # empty stdin, and what it prints goes to fd 2, which the grader drains and caps.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    # The first frame is the configuration (see sandbox.prepare), read before any hardening.
    frame = read_frame(requests)
    if frame is None:
        return
    config = decode(frame, clean_text=False)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    worker = Worker(progress=lambda message: write_frame(replies, encode(message)))
    handlers = {"load": worker.load, "call": worker.call}
    _exit_with_parent()
    if hasattr(signal, "SIGPROF"):
        signal.signal(signal.SIGPROF, _on_budget_spent)
    if config:
        _LIMITS.update({k: config[k] for k in ("memory_bytes", "file_bytes", "cpu_seconds") if k in config})
        harden(config)
    if config.get("own_files"):  # copies of the student's own files (a helper module, data) in the working folder
        sys.path.append(os.getcwd())
    del config, frame  # it names the secret paths: nothing of it stays where student code could look
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        request = decode(frame, clean_text=False)
        try:
            reply = handlers[request["op"]](request)
            payload = encode(reply)
        except BaseException as exc:  # a hostile return value must not end the loop
            payload = encode({"worker_error": f"{type(exc).__name__}: {exc}"[:2000]})
        _refuse_multiprocessing()
        _flush_student_output()
        write_frame(replies, payload)


def _exit_with_parent() -> None:
    """End this process when the grader dies, even while student code runs.

    bubblewrap does this with --die-with-parent; without it, a grader killed
    outright would otherwise leave a worker running until its code returned.
    """
    import threading
    import time

    parent, getppid, exit_now, sleep = os.getppid(), os.getppid, os._exit, time.sleep

    def watch() -> None:
        while getppid() == parent:
            sleep(0.5)
        exit_now(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _refuse_multiprocessing() -> None:
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


def _flush_student_output() -> None:
    """stdout is a pipe, so block-buffered: flush what the student printed before replying."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # the student may have replaced or closed it
            pass


_LIMITS: dict = {}  # for messages: "exceeded the 2 GiB memory limit"


if __name__ == "__main__":
    del sys.path[0]  # the grader's folder: nothing of the grader is importable from here
    main()
