"""The wire format between the grader and the worker: both sides import this module.

Each message is a frame ``<8-byte length><payload>``; a payload is
``<4-byte header length><JSON header><.npy blobs>``, one flat blob per dtype.
Arrays appear in the header as ``{"__nd__": [blob, offset, shape]}``; blobs are
read back with ``allow_pickle=False`` and only numeric dtypes are accepted, so
only plain numbers and arrays of numbers ever cross from the student's process.

Requests, from the trusted grader to the worker, are pickled instead (see
`encode_request`): faster, and never used for what comes back.

Standard library and numpy only: the worker runs it inside the sandbox, where
nothing of the grader is importable. The frames themselves are read and written
by ``frames``, which needs no numpy.
"""

from __future__ import annotations

import io
import json
import math
import pickle
import struct
import tokenize

import numpy as np

try:  # the module hashlib takes blake2b from, without loading OpenSSL (milliseconds of the worker's start-up)
    from _blake2 import blake2b as _blake2b
except ImportError:  # another Python than CPython
    from hashlib import blake2b as _blake2b

from .frames import MAX_FRAME_BYTES, ProtocolError, encode_plain, read_frame, write_frame  # noqa: F401 (one module for both sides)

# The JSON part of a message stays small (arrays travel as blobs); a huge one could
# make the grader build millions of Python objects.
MAX_HEADER_BYTES = 4 * 1024 * 1024
_ALLOWED_DTYPE_KINDS = "biufc"  # bool, int, uint, float, complex: no objects, no records


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
        self.groups: dict[np.dtype, list[np.ndarray]] = {}
        self.sizes: dict[np.dtype, int] = {}
        self.numbers: dict[np.dtype, int] = {}  # a dtype's blob number: its group's place in `groups`

    def add(self, array: np.ndarray) -> list:
        key = array.dtype
        if key not in self.groups:
            self.groups[key], self.sizes[key], self.numbers[key] = [], 0, len(self.groups)
        offset = self.sizes[key]
        self.groups[key].append(array.reshape(-1))
        self.sizes[key] = offset + array.size
        return [self.numbers[key], offset, array.shape]

    def blobs(self) -> list[np.ndarray]:
        return [np.concatenate(group) for group in self.groups.values()]


_PLAIN = {type(None), bool, str, int, float}  # exactly these types travel as they are
_MARKERS = frozenset(("__nd__", "__seq__", "__dict__", "__rng__", "__unsupported__"))


def _to_jsonable(value: object, packer: _Packer) -> object:
    # The common cases first, by exact type (most of a message is arrays, lists and dicts):
    # a list is a JSON array, a dict whose keys are no marker a JSON object, as decode reads them.
    kind = type(value)
    if kind is np.ndarray and value.dtype.kind in _ALLOWED_DTYPE_KINDS:
        return {"__nd__": packer.add(value)}
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_to_jsonable(v, packer) for v in value]
    if kind is tuple:
        return {"__seq__": [_to_jsonable(v, packer) for v in value], "tuple": True}
    if kind is dict and all(type(k) is str for k in value) and _MARKERS.isdisjoint(value):
        return {k: _to_jsonable(v, packer) for k, v in value.items()}
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
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, struct.error, RecursionError,
            SyntaxError, tokenize.TokenError) as exc:  # the last two: numpy parsing a broken .npy header
        raise ProtocolError(f"malformed message: {exc}") from None


def _unpack(blobs: list[np.ndarray], ref: list, budget: list[int]) -> np.ndarray:
    # A message holds thousands of arrays (the kept examples, a reply's outcomes): the exact
    # ints json makes are taken as they are, anything else converted as int() does.
    group, offset, shape = ref[0], ref[1], tuple(map(int, ref[2]))
    if type(group) is not int or type(offset) is not int:
        group, offset = int(group), int(offset)
    size = math.prod(shape)  # Python ints: no overflow
    blob = blobs[group]
    if offset < 0 or (shape and min(shape) < 0) or offset + size > blob.size:
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
    text = text[:_MAX_TEXT]
    if text.isascii() and text.isprintable():  # " " to "~": nothing to clean (most keys and names)
        return text
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c for c in text if c in "\t\n" or (c >= " " and c != "\x7f"))


def _from_jsonable(value: object, blobs: list[np.ndarray], budget: list[int], text) -> object:
    kind = type(value)  # json.loads makes exactly dict, list, str, int, float, bool and None
    if kind is dict:
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
        return {text(k): v if type(v) in _NUMBERS else _from_jsonable(v, blobs, budget, text)
                for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _NUMBERS else _from_jsonable(v, blobs, budget, text) for v in value]
    if kind is str:
        return text(value)
    return value


_NUMBERS = frozenset((int, float, bool, type(None)))  # what _from_jsonable returns as it is, without a call


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


def materialize(value: object, generators: dict | None = None, fresh: bool = False) -> object:
    """Turn request placeholders into live objects (an Rng into a Generator).

    `generators` holds the shared Generators of one request, by name. `fresh` (in the worker):
    every array and list its own copy, C-ordered, as `decode` makes them. A request is unpickled,
    where an array or a list sent twice arrives as one object: code that writes into one argument
    must change no other, in the same call or a later one.
    """
    if isinstance(value, Rng):
        if value.shared is None or generators is None:
            return np.random.default_rng(value.seed)
        if value.shared not in generators:
            generators[value.shared] = np.random.default_rng(value.seed)
        return generators[value.shared]
    if isinstance(value, dict):
        return {k: materialize(v, generators, fresh) for k, v in value.items()}
    if not fresh:
        return value
    if type(value) is np.ndarray:
        return value.copy(order="C")
    if type(value) in (list, tuple):
        return type(value)(materialize(v, generators, fresh) for v in value)
    return value


# ------------------------------------------------------------------ requests ---
# A request goes from the grader, which is trusted, to the worker: it is pickled, several times
# faster than `encode` and `decode` for the thousands of small arrays of a check. Never the other
# way: what the worker sends is read by `decode` alone, which makes nothing but numbers, strings,
# arrays of numbers, lists, tuples and dicts. Unpickling still makes only what a request holds.

_REQUEST_GLOBALS = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy._core.multiarray", "_reconstruct"),
                    ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "_reconstruct"),
                    ("numpy.core.multiarray", "scalar")}


def encode_request(request: dict) -> bytes:
    """A request of the grader (plain values, arrays, Rng placeholders) for the worker."""
    out = io.BytesIO()
    _RequestPickler(out, protocol=4).dump(request)
    return out.getvalue()


class _RequestPickler(pickle.Pickler):
    """An array of numbers goes as its bytes, dtype and shape, made again by `_array`: numpy's own
    pickling of an array cost three times as much, most of the grader's time spent sending hw1's
    requests of thousands of small arrays."""

    def reducer_override(self, obj: object) -> object:
        if type(obj) is np.ndarray and obj.dtype.kind in _ALLOWED_DTYPE_KINDS:
            return _array, (obj.tobytes(), obj.dtype, obj.shape)
        return NotImplemented  # anything else as pickle does it


def _array(data: bytes, dtype: np.dtype, shape: tuple) -> np.ndarray:
    """An array of a request, C-ordered and read-only: each use gets a copy of its own (materialize)."""
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def decode_request(payload: bytes) -> dict:
    """A request made by `encode_request`; its arguments go through `materialize(..., fresh=True)`."""
    return _RequestUnpickler(io.BytesIO(payload)).load()


class _RequestUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if module.rpartition(".")[2] == "wire" and name in ("Rng", "_array"):  # grader.worker.wire in the grader
            return Rng if name == "Rng" else _array
        if (module, name) in _REQUEST_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a request holds {module}.{name}, which no request should")


# ------------------------------------------------------------ generator states ---
# After each call the worker reports the state of every numpy Generator among the call's
# arguments, so a check can tell how much the function drew (exactly one permutation,
# nothing before a ValueError) by comparing with a Generator the grader replays itself.
# Both sides use `generator_state`, so the two texts are comparable.

_GENERATOR = np.random.Generator  # taken when the worker starts, before the submission loads


def generator_state(generator: np.random.Generator) -> str:
    """The state of a Generator as a short text: equal texts, equal states."""
    state = generator.bit_generator.state
    inner = state.get("state")
    inner = ",".join(f"{k}={inner[k]}" for k in sorted(inner)) if isinstance(inner, dict) else str(inner)
    return f"{state.get('bit_generator')}:{inner}:{state.get('has_uint32', '')}:{state.get('uinteger', '')}"


def generator_states(args: list, kwargs: dict) -> dict:
    """{label: state} of the Generator arguments: "argument 1" (positional, from 1), or the keyword.
    (Labels are made for Generators only: the grader asks this of every call of the reference.)"""
    states = {f"argument {i + 1}": generator_state(a) for i, a in enumerate(args) if isinstance(a, _GENERATOR)}
    states.update((key, generator_state(value)) for key, value in kwargs.items() if isinstance(value, _GENERATOR))
    return states


# ------------------------------------------------------------ arguments digest ---
# The purity check compares the arguments after a call with those the grader sent (grader.purity).
# Nearly always they are unchanged: the worker then sends this digest of them, which the grader
# computes from what it sent, instead of a copy of each argument to decode and compare. Both sides
# use `arguments_digest`, so equal arguments give equal texts.

_SCALARS = {int: b"i", float: b"f", bool: b"b", str: b"s", type(None): b"n"}


def arguments_digest(args: list, kwargs: dict) -> str:
    """A digest of a call's arguments: equal texts, equal arguments (the same types, structure,
    dtypes, shapes and bytes; dict keys in any order; a Generator, or the Rng that stands for it,
    as any other). Raises TypeError for a value of another kind (an object of a custom class)."""
    digest = _blake2b(digest_size=16)
    _feed(digest.update, [args, kwargs])
    return digest.hexdigest()


def _feed(update, value: object) -> None:
    # Each part says what it is and how long, so that no two structures feed the same bytes.
    if isinstance(value, np.ndarray):
        update(b"a%s%r;" % (value.dtype.str.encode(), value.shape))
        update(value.tobytes())
    elif isinstance(value, np.generic):  # before Python's numbers: np.float64 is a float
        update(b"g%s;" % value.dtype.str.encode())
        update(value.tobytes())
    elif type(value) in _SCALARS:
        text = (value if type(value) is str else repr(value)).encode("utf-8", "surrogatepass")
        update(b"%s%d;" % (_SCALARS[type(value)], len(text)))
        update(text)
    elif isinstance(value, dict):
        if not all(type(key) is str for key in value):
            raise TypeError("a dict with keys other than strings")
        update(b"d%d;" % len(value))
        for key in sorted(value):
            _feed(update, key)
            _feed(update, value[key])
    elif isinstance(value, (list, tuple)):
        update(b"%s%d;" % (b"l" if isinstance(value, list) else b"t", len(value)))
        for item in value:
            _feed(update, item)
    elif isinstance(value, (Rng, _GENERATOR)):
        update(b"r;")
    else:
        raise TypeError(f"no digest for a {type(value).__name__}")
