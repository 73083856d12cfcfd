"""An exercise's inputs, declared once as data, and what is derived from them.

A declaration names each argument and what it holds, in the notation of the
homework's contract:

    Inputs("(N,C),(N)->()", Array("logits"), Array("y", Labels("C")),
           sizes={"N": (1, 5)}, constraints=("C > 1",))

From it come the hypothesis strategy of `Call`s (a few plain choices, arrays built
with numpy: cheap in bulk, and still shrunk towards the smallest sizes, seed 0 and
small integer values, as in grader/strategies.py) and, for gradient checks, calls
sampled straight from a numpy generator in float64, away from declared kinks.

Named dimensions take sizes in their range (1 to 6 unless given), distinct from
one another unless `distinct=False`, so that a shrunk failure still tells N from C
and rows from columns. Float arrays of one call share one dtype: float32 or
float64 (`dtype="float"`), or float64 only.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

import numpy as np

from grader.runner import Call
from grader.strategies import INTEGERS, KINDS, Strategy, fill, st
from grader.worker.wire import Rng

FLOAT = "float"  # float32 or float64, one dtype for every float array of a call
FLOAT64 = "float64"
DEFAULT_SIZES = (1, 6)

# How float values are drawn: strategies.KINDS (small integers first, readable when shrunk;
# exact zeros and ties included), then standard normals at a few scales.
# Gradient checks draw normals only: integers sit on kinks and ties.
SMOOTH_KINDS = (1.0, 3.0)

# Entries closer than this to a declared kink are moved away from it in gradient checks: a
# hundred central-difference steps (settings.GRADCHECK_STEP = 1e-5), so that no step
# crosses the kink, and small enough to leave the distribution of the inputs as it was.
KINK_MARGIN = 1e-3
_TRIES = 100  # resamples of a problem that a `valid` predicate rejects, before giving up


class DeclarationError(ValueError):
    """An exercise's inputs are declared wrongly (the instructor's mistake, found at import)."""


# ------------------------------------------------------------- value kinds ---
# Each kind fills an array of a given shape from a numpy generator; `kind` is the
# drawn choice among KINDS (integers or a scale), which a kind may ignore.

@dataclass(frozen=True)
class Normal:
    """Any float: small integers or normals times a scale."""

    def fill(self, rng, shape, kind, sizes, scalars):
        return fill(rng, shape, np.dtype(np.float64), kind)


@dataclass(frozen=True)
class Positive:
    """Floats > 0 (a variance, a cache with eps kept out): 1 to 3, or |normal| * scale + 0.1."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(1, 4, size=shape).astype(np.float64)
        return np.abs(rng.standard_normal(shape)) * kind + 0.1


@dataclass(frozen=True)
class NonNegative:
    """Floats >= 0, exact zeros included (an AdaGrad cache)."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(0, 4, size=shape).astype(np.float64)
        return np.abs(rng.standard_normal(shape)) * kind


@dataclass(frozen=True)
class Probability:
    """Probabilities in [0, 1): quarters (0 included), or uniform."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(0, 4, size=shape) / 4.0
        return rng.random(shape)


@dataclass(frozen=True)
class Labels:
    """Integer class labels in [0, size of the named dimension), e.g. Labels("C")."""

    dim: str
    dtype: str = "int64"

    def fill(self, rng, shape, kind, sizes, scalars):
        return rng.integers(0, sizes[self.dim], size=shape)


@dataclass(frozen=True)
class Binary:
    """0s and 1s (logistic regression's targets), as integers unless dtype is given."""

    dtype: str | None = "int64"  # None: the call's float dtype

    def fill(self, rng, shape, kind, sizes, scalars):
        return rng.integers(0, 2, size=shape)


@dataclass(frozen=True)
class Mask:
    """A boolean mask that a dropout forward with drop probability `drop` could give: True = kept.

    `drop` names a scalar argument of the same call (e.g. "p"), or is a number.
    """

    drop: str | float = 0.5
    dtype: str = "bool"

    def fill(self, rng, shape, kind, sizes, scalars):
        p = scalars[self.drop] if isinstance(self.drop, str) else self.drop
        return rng.random(shape) >= p


# ---------------------------------------------------------------- arguments ---

@dataclass(frozen=True)
class Array:
    """An ndarray argument. `shape`: "(N,D)", "()" for 0-d, or None to take the next shape of the
    signature. `kinks`: values where the function is not differentiable in this argument (ReLU's
    0, |x| at 0); gradient checks keep every entry KINK_MARGIN away from them.
    `ties`: the entries along the last axis are kept apart by KINK_MARGIN (max's ties).
    `as_list`: passed as a Python list (of floats), as a contract that takes "a list or an array"."""

    name: str
    values: object = Normal()
    shape: str | None = None
    kinks: tuple[float, ...] = ()
    ties: bool = False
    as_list: bool = False


@dataclass(frozen=True)
class Dict:
    """A dict of arrays, e.g. Dict("params", {"W1": "(D,H)", "b1": "(H)"})."""

    name: str
    shapes: dict
    values: object = Normal()
    kinks: tuple[float, ...] = ()


@dataclass(frozen=True)
class ArrayList:
    """A list of arrays, e.g. ArrayList("weights", ("(D,H)", "(H,C)"))."""

    name: str
    shapes: tuple[str, ...]
    values: object = Normal()


@dataclass(frozen=True)
class Scalar:
    """A Python float or int drawn from `values` (hyperparameters reach student code as Python numbers).

    With a `default` (the function's own), calls leave it out, give it by keyword or by position.
    """

    name: str
    values: tuple
    default: object = field(default=None)
    optional: bool = False  # the function has a default: calls may leave it out

    def __post_init__(self) -> None:
        if not self.values:
            raise DeclarationError(f"Scalar {self.name!r} needs at least one value, e.g. values=(0.1, 0.5)")


@dataclass(frozen=True)
class Generator:
    """A numpy Generator argument: np.random.default_rng(seed), made where the call runs."""

    name: str


LEAVE_OUT, BY_KEYWORD, BY_POSITION = "leave out", "by keyword", "by position"


# --------------------------------------------------------------- declaration ---

def parse_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """'(N,D),(D)->(N)' as ([('N', 'D'), ('D',)], [('N',)]); a shape may hold numbers: (N,3)."""
    text = signature.replace(" ", "")
    inputs, arrow, outputs = text.partition("->")
    group = r"\((?:\w+(?:,\w+)*)?\)"
    for side in (inputs, outputs):
        if side and not re.fullmatch(rf"{group}(?:,{group})*", side):
            raise DeclarationError(f"cannot read the signature {signature!r}: write it as '(N,D),(D)->(N)', "
                                   "one parenthesised list of dimension names per array, '()' for a scalar")
    return [_parse_shape(g) for g in re.findall(group, inputs)], [_parse_shape(g) for g in re.findall(group, outputs)]


def _parse_shape(text: str) -> tuple[str, ...]:
    inner = text.strip().strip("()").replace(" ", "")
    return tuple(inner.split(",")) if inner else ()


_CONSTRAINT = re.compile(r"\s*(\w+)\s*(>=|<=|>|<|==)\s*(\d+)\s*")


class Inputs:
    """The declared arguments of one exercise's function; see the module docstring."""

    def __init__(self, signature: str | None, *args, sizes: dict | None = None, constraints: tuple = (),
                 distinct: bool = True, dtype: str = FLOAT, kinds: tuple = KINDS) -> None:
        shapes, self.result_shapes = parse_signature(signature) if signature else ([], [])
        self.args = tuple(_with_shapes(args, shapes, signature))
        self.names = tuple(a.name for a in self.args)
        if len(set(self.names)) != len(self.names):
            raise DeclarationError(f"two arguments share a name in {self.names}")
        if dtype not in (FLOAT, FLOAT64):
            raise DeclarationError(f"dtype must be {FLOAT!r} (float32 or float64) or {FLOAT64!r}, not {dtype!r}")
        self.dtype, self.kinds = dtype, tuple(kinds)
        dims = sorted({d for shape in self._all_shapes() for d in shape if not d.isdigit()}
                      | {a.values.dim for a in self.args if isinstance(getattr(a, "values", None), Labels)})
        ranges = {d: tuple((sizes or {}).get(d, DEFAULT_SIZES)) for d in dims}
        unknown = set(sizes or {}) - set(dims)
        if unknown:
            raise DeclarationError(f"sizes given for {sorted(unknown)}, which no argument's shape names")
        for text in constraints:
            name, op, bound = _read_constraint(text)
            if name not in ranges:
                raise DeclarationError(f"the constraint {text!r} names {name}, which no argument's shape names")
            lo, hi = ranges[name]
            bound = int(bound)
            lo, hi = {">": (max(lo, bound + 1), hi), ">=": (max(lo, bound), hi), "<": (lo, min(hi, bound - 1)),
                      "<=": (lo, min(hi, bound)), "==": (bound, bound)}[op]
            ranges[name] = (lo, hi)
        self.dims = tuple(dims)
        self.size_choices = _size_choices(self.dims, ranges, distinct)
        if not self.size_choices:
            raise DeclarationError(f"no sizes of {list(self.dims)} meet the ranges {ranges}"
                                   f"{' with distinct sizes' if distinct else ''}: widen a range")
        self.signature = signature

    def _all_shapes(self):
        for a in self.args:
            if isinstance(a, Array):
                yield _parse_shape(a.shape)
            elif isinstance(a, Dict):
                yield from map(_parse_shape, a.shapes.values())
            elif isinstance(a, ArrayList):
                yield from map(_parse_shape, a.shapes)
        yield from self.result_shapes

    def __repr__(self) -> str:
        return f"Inputs({self.signature!r}, {', '.join(self.names)})"

    # -- building calls ---------------------------------------------------

    def build(self, sizes: tuple, dtype: np.dtype, seed: int, kind: object, options: tuple = (),
              avoid_kinks: bool = False) -> Call:
        """The call these choices give: `options` holds (value, mode) for each Scalar, in order."""
        named = dict(zip(self.dims, sizes))
        rng = np.random.default_rng(seed)
        scalars = {a.name: value for a, (value, _) in zip(self._scalars(), options or self._first_options())}
        modes = {a.name: mode for a, (_, mode) in zip(self._scalars(), options or self._first_options())}
        values: dict[str, object] = {}
        for a in self.args:
            if isinstance(a, Array):
                array = _array(rng, a.values, _resolve(a.shape, named), dtype, kind, named, scalars)
                if avoid_kinks:
                    array = _away_from(array, a.kinks, a.ties)
                values[a.name] = array.tolist() if a.as_list else array
            elif isinstance(a, Dict):
                values[a.name] = {key: _away_from(_array(rng, a.values, _resolve(shape, named), dtype, kind, named,
                                                         scalars), a.kinks if avoid_kinks else (), False)
                                  for key, shape in a.shapes.items()}
            elif isinstance(a, ArrayList):
                values[a.name] = [_array(rng, a.values, _resolve(shape, named), dtype, kind, named, scalars)
                                  for shape in a.shapes]
            elif isinstance(a, Scalar):
                values[a.name] = scalars[a.name]
            elif isinstance(a, Generator):
                values[a.name] = Rng(seed)
        return self.call_of(values, modes)

    def call_of(self, values: dict, modes: dict | None = None) -> Call:
        """A Call of these arguments by name: positional while it can be, then by keyword.

        A Scalar with a default is left out, given by keyword or by position as `modes` says
        (by position is possible only while no argument before it was left out).
        """
        args, kwargs, positional = [], {}, True
        for a in self.args:
            if a.name not in values:
                positional = False
                continue
            mode = (modes or {}).get(a.name, BY_POSITION)
            if isinstance(a, Scalar) and a.optional and mode == LEAVE_OUT:
                positional = False
            elif positional and mode == BY_POSITION:
                args.append(values[a.name])
            else:
                positional = False
                kwargs[a.name] = values[a.name]
        return Call(tuple(args), kwargs)

    def named(self, call: Call) -> dict:
        """The arguments of `call` by name (left-out defaults included where declared)."""
        values = dict(zip(self.names, call.args))
        values.update(call.kwargs)
        for a in self._scalars():
            if a.optional and a.name not in values:
                values[a.name] = a.default
        return values

    def _scalars(self) -> list[Scalar]:
        return [a for a in self.args if isinstance(a, Scalar)]

    def _first_options(self) -> tuple:
        return tuple((a.values[0], BY_POSITION) for a in self._scalars())

    def _options(self):
        modes = (LEAVE_OUT, BY_KEYWORD, BY_POSITION)
        return st().tuples(*[st().tuples(st().sampled_from(a.values), st().sampled_from(modes if a.optional else
                                                                                       (BY_POSITION,)))
                             for a in self._scalars()])

    def _dtypes(self) -> tuple:
        return (np.dtype(np.float64), np.dtype(np.float32)) if self.dtype == FLOAT else (np.dtype(np.float64),)

    @functools.cached_property
    def strategy(self) -> Strategy:
        """The hypothesis strategy of calls (built when first drawn from): one object per declaration,
        so that the checks built on it share its examples (drawn once per homework by the engine)."""
        return Strategy(lambda: st().builds(self.build, st().sampled_from(self.size_choices),
                                            st().sampled_from(self._dtypes()), st().integers(0, 2**32 - 1),
                                            st().sampled_from(self.kinds), self._options()), repr(self))

    def sample(self, rng: np.random.Generator, valid=None, avoid_kinks: bool = True) -> Call:
        """A float64 call drawn with numpy (for gradient checks): normals only, away from kinks,
        and meeting `valid(named arguments)` where given (resampled until it does)."""
        for _ in range(_TRIES):
            sizes = self.size_choices[int(rng.integers(len(self.size_choices)))]
            options = tuple((a.values[int(rng.integers(len(a.values)))],
                             (LEAVE_OUT, BY_KEYWORD, BY_POSITION)[int(rng.integers(3))] if a.optional else BY_POSITION)
                            for a in self._scalars())
            kind = SMOOTH_KINDS[int(rng.integers(len(SMOOTH_KINDS)))]
            call = self.build(sizes, np.dtype(np.float64), int(rng.integers(2**32)), kind, options, avoid_kinks)
            if valid is None or valid(self.named(call)):
                return call
        raise DeclarationError(f"{_TRIES} problems drawn for {self!r} in a row were all rejected by `valid`: "
                               "loosen it, or declare the inputs so that most problems meet it")


def _with_shapes(args: tuple, shapes: list, signature: str | None):
    """The declared arguments, each Array given its shape from the signature where it has none."""
    shapes = list(shapes)
    for a in args:
        if not isinstance(a, (Array, Dict, ArrayList, Scalar, Generator)):
            raise DeclarationError(f"{a!r} is not an argument declaration: use Array, Dict, ArrayList, Scalar "
                                   "or Generator")
        if isinstance(a, Array):
            if a.shape is None:
                if not shapes:
                    raise DeclarationError(f"the signature {signature!r} has no shape left for array {a.name!r}: "
                                           "add one, or give the Array its own shape=")
                a = Array(a.name, a.values, "(" + ",".join(shapes.pop(0)) + ")", a.kinks, a.ties, a.as_list)
            _parse_shape(a.shape)
        yield a
    if shapes:
        raise DeclarationError(f"the signature {signature!r} has {len(shapes)} more shapes than Array arguments")


def _read_constraint(text: str) -> tuple[str, str, str]:
    match = _CONSTRAINT.fullmatch(text)
    if match is None:
        raise DeclarationError(f"cannot read the constraint {text!r}: write it as 'C > 1' or 'N >= 2'")
    return match.group(1), match.group(2), match.group(3)


def _size_choices(dims: tuple, ranges: dict, distinct: bool) -> tuple:
    """Every assignment of sizes, smallest first (hypothesis shrinks towards the front)."""
    choices = [sizes for sizes in itertools.product(*(range(ranges[d][0], ranges[d][1] + 1) for d in dims))
               if not distinct or len(set(sizes)) == len(sizes)]
    return tuple(sorted(choices, key=lambda sizes: (sum(sizes), sizes)))


def _resolve(shape: str | tuple, sizes: dict) -> tuple[int, ...]:
    dims = _parse_shape(shape) if isinstance(shape, str) else shape
    return tuple(int(d) if d.isdigit() else sizes[d] for d in dims)


def _array(rng, values, shape, dtype, kind, sizes, scalars) -> np.ndarray:
    filled = values.fill(rng, shape, kind, sizes, scalars)
    own = getattr(values, "dtype", None)
    return np.array(filled, dtype=np.dtype(own) if own else dtype)  # an ndarray even for shape ()


def _away_from(array: np.ndarray, kinks: tuple, ties: bool) -> np.ndarray:
    """`array` with entries near a kink moved KINK_MARGIN from it, and (with `ties`) entries along the
    last axis spread so that no two are closer than KINK_MARGIN."""
    out = np.array(array, dtype=np.float64)
    if ties and out.ndim:
        # add a distinct multiple of 3 * KINK_MARGIN to each entry along the last axis, in the order of
        # their values: the order is kept and every gap grows by at least that much
        ranks = np.argsort(np.argsort(out, axis=-1, kind="stable"), axis=-1)
        out = out + ranks * 3 * KINK_MARGIN
    for kink in kinks:
        # shift (not set) the entries near the kink, by 2 * KINK_MARGIN away from it: entries stay
        # distinct, and gaps of 3 * KINK_MARGIN made above stay at least KINK_MARGIN
        near = np.abs(out - kink) < KINK_MARGIN
        out[near] += np.where(out[near] >= kink, 2.0, -2.0) * KINK_MARGIN
    return out.astype(array.dtype)
