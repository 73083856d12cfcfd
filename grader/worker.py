"""The worker: a thin loop that runs the student's code in its own process.

It loads the submission, calls the functions it is asked to call, and sends back
what they returned. It never sees the reference solution or an expected value:
everything that judges lives in the grading process (see ``grader.runner``).

This file is run as a script (``python -I worker.py``) and imports only the
standard library and numpy, so that nothing of the grader is importable from the
student's code. The grading process imports it as a module for the wire format.

Wire format: each message is a frame ``<8-byte length><payload>``; a payload is
``<4-byte header length><JSON header><.npy blobs>``, one flat blob per dtype.
Arrays appear in the header as ``{"__nd__": [blob, offset, shape]}``; blobs are
read back with ``allow_pickle=False`` and only numeric dtypes are accepted, so
only plain numbers and arrays of numbers ever cross from the student's process.
"""

from __future__ import annotations

import io
import json
import linecache
import os
import struct
import sys
import traceback
import types
import warnings

import numpy as np

MAX_FRAME_BYTES = 256 * 1024 * 1024  # a reply larger than this is refused
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
    if type(value) in (list, tuple):
        return {"__seq__": [_to_jsonable(v, packer) for v in value], "tuple": type(value) is tuple}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: _to_jsonable(v, packer) for k, v in value.items()}}
    if isinstance(value, Rng):
        return {"__rng__": value.seed}
    return {"__unsupported__": _describe_type(value)}


def _describe_type(value: object) -> str:
    try:
        return type(value).__name__
    except Exception:  # a hostile object may lie even about its type
        return "object"


def decode(payload: bytes) -> object:
    """Decode a payload made by :func:`encode`; raise ProtocolError if it is not one."""
    try:
        (header_len,) = struct.unpack_from("<I", payload, 0)
        header = json.loads(payload[4 : 4 + header_len])
        stream = io.BytesIO(payload[4 + header_len :])
        blobs = []
        while stream.tell() < len(payload) - 4 - header_len:
            blob = np.lib.format.read_array(stream, allow_pickle=False)
            if blob.dtype.kind not in _ALLOWED_DTYPE_KINDS or blob.ndim != 1:
                raise ProtocolError(f"an array blob of dtype {blob.dtype} and shape {blob.shape}")
            blobs.append(np.array(blob))  # a writable copy: the callee may write into its inputs
        return _from_jsonable(header, blobs)
    except ProtocolError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, struct.error, RecursionError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from None


def _unpack(blobs: list[np.ndarray], ref: list) -> np.ndarray:
    group, offset, shape = int(ref[0]), int(ref[1]), tuple(int(n) for n in ref[2])
    size = int(np.prod(shape, dtype=np.int64))
    blob = blobs[group]
    if offset < 0 or min(shape, default=0) < 0 or offset + size > blob.size:
        raise ProtocolError("an array reference outside its blob")
    return blob[offset : offset + size].reshape(shape)


def _from_jsonable(value: object, blobs: list[np.ndarray]) -> object:
    if isinstance(value, dict):
        if "__nd__" in value:
            array = _unpack(blobs, value["__nd__"])
            return array[()] if value.get("scalar") else array
        if "__seq__" in value:
            items = [_from_jsonable(v, blobs) for v in value["__seq__"]]
            return tuple(items) if value.get("tuple") else items
        if "__dict__" in value:
            return {k: _from_jsonable(v, blobs) for k, v in value["__dict__"].items()}
        if "__rng__" in value:
            return Rng(int(value["__rng__"]))
        if "__unsupported__" in value:
            return Unsupported(str(value["__unsupported__"]))
        return {k: _from_jsonable(v, blobs) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v, blobs) for v in value]
    return value


class Rng:
    """Stands for ``numpy.random.default_rng(seed)`` in a request: the worker makes it."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __repr__(self) -> str:
        return f"np.random.default_rng({self.seed})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rng) and other.seed == self.seed

    def __hash__(self) -> int:
        return hash(self.seed)


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

def _student_traceback(exc: BaseException, filenames: set[str]) -> str:
    """The traceback lines that belong to the student's own code, then the error."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


def _describe_error(exc: BaseException, filenames: set[str]) -> dict:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable message>"
    return {
        "error": type(exc).__name__,
        "message": message[:2000],
        "is_value_error": isinstance(exc, ValueError),
        "not_implemented": isinstance(exc, NotImplementedError),
        "where": frames[-1].name if frames else None,
        "line": frames[-1].lineno if frames else None,
        "traceback": _student_traceback(exc, filenames)[-4000:],
    }


class Worker:
    def __init__(self) -> None:
        self.namespace: dict = {}
        self.filenames: set[str] = set()

    def load(self, request: dict) -> dict:
        """Run the submission's code cells in a fresh module namespace."""
        module = types.ModuleType(request["module"])
        module.__file__ = request["cells"][0]["filename"] if request["cells"] else None
        sys.modules[request["module"]] = module
        self.namespace = module.__dict__
        cell_errors = []
        for cell in request["cells"]:
            filename = cell["filename"]
            self.filenames.add(filename)
            lines = cell["source"].splitlines(keepends=True)
            linecache.cache[filename] = (len(cell["source"]), None, lines, filename)
            try:
                code = compile(cell["source"], filename, "exec", dont_inherit=True)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    exec(code, self.namespace)
            except BaseException as exc:  # SystemExit and KeyboardInterrupt too
                error = _describe_error(exc, self.filenames)
                if isinstance(exc, SyntaxError):
                    error["line"] = exc.lineno
                    error["traceback"] = "".join(
                        traceback.format_exception_only(type(exc), exc)
                    ).rstrip()
                error["cell"] = cell.get("label")
                cell_errors.append(error)
        defined = sorted(k for k, v in self.namespace.items() if callable(v))
        return {"cell_errors": cell_errors, "defined": defined}

    def call(self, request: dict) -> dict:
        """Call one function on each argument list; report result, mutations, warnings."""
        function = self.namespace.get(request["function"])
        if not callable(function):
            return {"missing": True}
        outcomes = []
        for args, kwargs in request["calls"]:
            if request.get("global_seed") is not None:
                np.random.seed(request["global_seed"])
            outcomes.append(self._call_one(function, list(args), dict(kwargs), request.get("pick")))
        return {"outcomes": outcomes}

    def _call_one(self, function, args: list, kwargs: dict, pick: int | None = None) -> dict:
        """Call once; with `pick`, send back only that element of the result (e.g. the loss)."""
        args = [materialize(a) for a in args]
        kwargs = {k: materialize(v) for k, v in kwargs.items()}
        before = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = function(*args, **kwargs)
                if pick is not None:
                    result = result[pick]
            except BaseException as exc:  # SystemExit, KeyboardInterrupt, GeneratorExit too
                return {"raised": _describe_error(exc, self.filenames)}
        after = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
        names = [f"argument {i + 1}" for i in range(len(args))] + list(kwargs)
        mutated = [name for name, b, a in zip(names, before, after) if not _same(b, a)]
        return {
            "returned": result,
            "mutated": mutated,
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught][:20],
        }


def materialize(value: object) -> object:
    """Turn request placeholders into live objects (an Rng into a Generator)."""
    if isinstance(value, Rng):
        return np.random.default_rng(value.seed)
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    return value


def _snapshot(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return None


def _same(before: object, after: object) -> bool:
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.array_equal(before, after, equal_nan=True))
        )
    if isinstance(before, dict):
        return isinstance(after, dict) and before.keys() == after.keys() and all(
            _same(before[k], after[k]) for k in before
        )
    return True


def main() -> None:
    # The protocol keeps private copies of fds 0 and 1; the student's code gets an
    # empty stdin, and what it prints goes to fd 2, which the grader drains and caps.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    worker = Worker()
    handlers = {"load": worker.load, "call": worker.call}
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        request = decode(frame)
        try:
            reply = handlers[request["op"]](request)
            payload = encode(reply)
        except BaseException as exc:  # a hostile return value must not end the loop
            payload = encode({"worker_error": f"{type(exc).__name__}: {exc}"[:2000]})
        write_frame(replies, payload)


if __name__ == "__main__":
    del sys.path[0]  # the grader's folder: nothing of the grader is importable from here
    main()
