"""Compare what the student returned with what was expected; show values briefly.

Comparison is structural (tuples, dicts, arrays, scalars) and names the first
place that differs, e.g. ``grads['W1'][2, 0]``. Tolerances come from
`grader.settings.TOLERANCES`, chosen by the precision of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader import settings
from grader.exercise import WRONG_FORM, WRONG_VALUE
from grader.worker.wire import Unsupported


@dataclass
class Mismatch:
    where: str  # "result", "result[1]", "grads['W1'][2, 0]"
    what: str  # one sentence: "wrong value", "expected shape (3, 2), got (2, 3)"
    expected: str
    got: str
    hint: str | None = None  # a likely cause that the shapes alone reveal
    brief: str | None = None  # `what` without the expected value, for hidden tests
    kind: str = WRONG_FORM  # or WRONG_VALUE: the form (type, keys, shape, dtype) was right

    def __post_init__(self) -> None:
        if self.brief is None:
            self.brief = self.what


def tolerance(dtype: np.dtype, tolerances: dict | None = None) -> tuple[float, float]:
    table = tolerances or settings.TOLERANCES
    return table.get(np.dtype(dtype), table[np.dtype(np.float64)])


def lowest_precision(values: object) -> np.dtype:
    """The least precise float dtype among the arrays in `values` (float64 if none)."""
    found = [v.dtype for v in _arrays_in(values) if v.dtype.kind == "f"]
    return min(found, key=lambda d: d.itemsize) if found else np.dtype(np.float64)


def _arrays_in(value: object):
    if isinstance(value, (np.ndarray, np.generic)):
        yield np.asarray(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _arrays_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _arrays_in(v)


def compare(
    expected: object, got: object, dtype: np.dtype, where: str = "result", check_values: bool = True,
    tolerances: dict | None = None,
) -> Mismatch | None:
    """None if `got` matches `expected` within the tolerance for `dtype`.

    With check_values=False only the form is compared: types, keys, shapes.
    `tolerances` replaces settings.TOLERANCES (e.g. the stricter one for sigmoid).
    """
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(expected, got, dtype, where, check_values, tolerances)
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return Mismatch(where, f"expected a dict with keys {sorted(expected)}, got {describe(got)}",
                            describe(expected), describe(got))
        for key in expected:
            found = compare(expected[key], got[key], dtype, f"{where}[{key!r}]", check_values, tolerances)
            if found:
                return found
        return None
    if expected is None:
        return None if got is None else Mismatch(where, f"expected None, got {describe(got)}", "None", describe(got))
    if isinstance(expected, str):
        return _compare_text(expected, got, where, check_values)
    if isinstance(expected, np.ndarray) and expected.dtype.kind in "biu":
        return _compare_exact_array(expected, got, where, check_values)
    if isinstance(expected, (int, np.integer)) and not isinstance(expected, (bool, np.bool_)):
        return _compare_integer(int(expected), got, where, check_values)
    if isinstance(expected, np.ndarray):
        return _compare_array(expected, got, dtype, where, check_values, tolerances)
    return _compare_scalar(float(expected), got, dtype, where, check_values, tolerances)


# Results of other kinds than float arrays and scalars: hw2-hw4 return names ("saddle point"),
# counts and indices (Python or numpy integers), lists of index arrays of varying length.
# These compare exactly: there is no rounding in a name, an index or a count.

def _compare_sequence(expected: tuple | list, got: object, dtype: np.dtype, where: str, check_values: bool,
                      tolerances: dict | None) -> Mismatch | None:
    """A tuple or a list compares item by item; a list for a tuple, or a tuple for a list, is as
    good (both are sequences)."""
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        return Mismatch(where, f"expected a {type(expected).__name__} of {_values(len(expected))}, got {describe(got)}",
                        describe(expected), describe(got))
    for i, (e, g) in enumerate(zip(expected, got)):
        found = compare(e, g, dtype, f"{where}[{i}]", check_values, tolerances)
        if found:
            return found
    return None


def _compare_text(expected: str, got: object, where: str, check_values: bool) -> Mismatch | None:
    if not isinstance(got, str):
        return Mismatch(where, f"expected a string, got {describe(got)}", repr(expected), show(got))
    if check_values and got != expected:
        return Mismatch(where, f"wrong value: expected {expected!r}, got {got!r}", repr(expected), repr(got),
                        brief=f"wrong value: got {got!r}")
    return None


def _is_integer(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _compare_integer(expected: int, got: object, where: str, check_values: bool) -> Mismatch | None:
    """An int result: a Python int or any numpy integer (a 0-d integer array too), equal exactly."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if not _is_integer(got):
        hint = "return an int: int(...) of an index, not a float or a bool" if isinstance(got, (float, bool)) else None
        return Mismatch(where, f"expected an int, got {describe(got)}", str(expected), describe(got), hint)
    if check_values and int(got) != expected:
        return Mismatch(where, f"wrong value: expected {expected}, got {int(got)}", str(expected), str(int(got)),
                        brief=f"wrong value: got {int(got)}")
    return None


def _compare_exact_array(expected: np.ndarray, got: object, where: str, check_values: bool) -> Mismatch | None:
    """An integer or boolean array (indices, labels, a mask): the same kind of dtype, equal exactly."""
    of = "" if where == "result" else f" for {where}"
    kind = "a boolean" if expected.dtype.kind == "b" else "an integer"
    if not isinstance(got, np.ndarray) or got.ndim == 0 and expected.ndim != 0:
        return Mismatch(where, f"expected {kind} array of shape {expected.shape}{of}, got {describe(got)}",
                        show(expected), show(got))
    if got.shape != expected.shape:
        return Mismatch(where, f"expected shape {expected.shape}{of}, got shape {got.shape}", show(expected), show(got))
    if not check_values:  # the form alone, as for float arrays: any array of real numbers
        return None if got.dtype.kind in "biuf" else Mismatch(
            where, f"expected real numbers, got an array of dtype {got.dtype}", show(expected), show(got))
    if (expected.dtype.kind == "b") != (got.dtype.kind == "b") or got.dtype.kind not in "biu":
        return Mismatch(where, f"expected {kind} array{of}, got an array of dtype {got.dtype}",
                        show(expected), show(got))
    differ = np.argwhere(expected != got)
    if not len(differ):
        return None
    index = tuple(int(i) for i in differ[0])
    at = f"{where}[{', '.join(map(str, index))}]" if index else where
    e, g = expected[index].item(), got[index].item()
    return Mismatch(at, f"wrong value at {at}: expected {e}, got {g}", show(expected), show(got),
                    brief=f"wrong value at {at}: got {g}")


def _compare_array(expected: np.ndarray, got: object, dtype: np.dtype, where: str,
                   check_values: bool = True, tolerances: dict | None = None) -> Mismatch | None:
    if expected.ndim == 0 and _is_number(got):  # np.float64(0.5) is as good as array(0.5)
        got = np.asarray(got)
    of = "" if where == "result" else f" for {where}"  # which part: a gradient of several, say
    if not isinstance(got, np.ndarray) or got.ndim == 0 and expected.ndim != 0:
        return Mismatch(where, f"expected an array of shape {expected.shape}{of}, got {describe(got)}",
                        show(expected), show(got))
    if got.shape != expected.shape:
        hint = None
        if got.ndim == 2 and got.shape == expected.shape[::-1]:
            hint = "the shape is transposed: check the order of the factors in your matrix products"
        elif got.size == expected.size:
            hint = "right number of elements, wrong shape: check your reshapes and transposes"
        elif got.ndim < expected.ndim:
            hint = "a dimension went missing: did you sum or average over an axis you should keep?"
        return Mismatch(where, f"expected shape {expected.shape}{of}, got shape {got.shape}",
                        show(expected), show(got), hint)
    if got.dtype.kind not in "biuf":
        return Mismatch(where, f"expected real numbers, got an array of dtype {got.dtype}", show(expected), show(got))
    if got.dtype.kind == "b" and expected.dtype.kind == "f":
        return Mismatch(where, f"expected a float array{of}, got an array of booleans", show(expected), show(got),
                        "convert with .astype(...) to the input's float dtype: True and False are not 1.0 and 0.0")
    if not check_values:
        return None
    bad = _far(expected, got.astype(np.float64), dtype, tolerances)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    at = f"{where}[{', '.join(map(str, index))}]" if index else where
    e, g = float(expected[index]), float(got[index])
    near = is_near_miss(expected, got, dtype)
    # A near miss (float32 rounding, eps misplaced) needs more digits to be seen at all.
    digits = 12 if near or abs(e - g) <= 1e-5 * max(abs(e), abs(g), 1e-300) else 6
    return Mismatch(
        at,
        f"wrong value at {at}: expected {e:.{digits + 2}g}, got {g:.{digits + 2}g}",
        show(expected, precision=digits),
        show(got, precision=digits),
        NEAR_MISS if near else None,
        brief=f"wrong value at {at}: got {g:.{digits + 2}g}",
        kind=WRONG_VALUE,
    )


NEAR_MISS = ("a near miss: right to float32 precision (4 to 7 digits), where float64 gives 15. Look for a step "
             "done in float32, or a constant that is slightly off or in a slightly different place")


def is_near_miss(expected: np.ndarray, got: np.ndarray, dtype: np.dtype) -> bool:
    """Right to float32 precision, where float64 precision was asked."""
    return np.dtype(dtype) == np.float64 and not _far(expected, got.astype(np.float64), np.float32).any()


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)) \
        or isinstance(value, np.ndarray) and value.ndim == 0


def as_float(value: object) -> float:
    """A real scalar (a 0-d array too) as a float; nan for anything else, as a "float" result is
    read everywhere: an array of shape (1,) is not a scalar, and a bool, a complex number or a
    string is no float (converting would read True as 1.0, drop an imaginary part, parse "0.5")."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return float("nan")
    return float(value)


def _compare_scalar(expected: float, got: object, dtype: np.dtype, where: str,
                    check_values: bool = True, tolerances: dict | None = None) -> Mismatch | None:
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        return Mismatch(where, f"expected a float scalar, got {describe(got)}", f"{expected:.8g}", describe(got))
    value = float(got)
    if check_values and _far(np.array(expected), np.array(value), dtype, tolerances):
        near = is_near_miss(np.array(expected), np.array(value), dtype)
        digits = 14 if near or abs(expected - value) <= 1e-5 * max(abs(expected), abs(value), 1e-300) else 8
        shown = f"{expected:.{digits}g}", f"{value:.{digits}g}"
        at = "" if where == "result" else f" at {where}"  # which part of a returned tuple
        return Mismatch(where, f"wrong value{at}: expected {shown[0]}, got {shown[1]}", *shown,
                        NEAR_MISS if near else None, brief=f"wrong value{at}: got {shown[1]}", kind=WRONG_VALUE)
    return None


def _far(expected: np.ndarray, got: np.ndarray, dtype: np.dtype, tolerances: dict | None = None) -> np.ndarray:
    """Elementwise: is `got` outside the tolerance around `expected`?"""
    equal = got == expected  # equal infinities too
    if equal.all():  # the common case of a right answer, at a fifth of the cost of the bounds
        return ~equal
    rtol, atol = tolerance(dtype, tolerances)
    # Outputs here are naturally of unit scale (probabilities, losses, updates), so
    # atol is relative to max(1, largest expected magnitude): a float32 sigmoid_grad
    # that rounds sigma(30) to 1 and returns 0 instead of 9e-14 is still exact.
    finite = expected[np.isfinite(expected)]
    scale = max(1.0, float(np.max(np.abs(finite), initial=0.0)))
    with np.errstate(all="ignore"):
        close = np.abs(got - expected) <= atol * scale + rtol * np.abs(expected)
    close |= equal
    return ~close


def _summarize(array: np.ndarray) -> str:
    """A large array in a few words: np.full((200, 50), 2.0), or its shape, dtype and range."""
    dtype = "" if array.dtype == np.float64 else f", dtype={array.dtype}"
    flat = array.ravel()
    if array.dtype.kind in "biuf" and (flat == flat[0]).all():
        return f"np.full({array.shape}, {flat[0].item()!r}{dtype})"
    if array.dtype.kind in "iuf":
        floats = array.dtype.kind == "f"
        finite = flat[np.isfinite(flat)] if floats else flat
        values = f"values from {finite.min():.6g} to {finite.max():.6g}" if finite.size else "no finite value"
        special = [f"{count} {name}" for name, count in
                   (("nan", int(np.isnan(flat).sum()) if floats else 0), ("inf", int(np.isinf(flat).sum()) if floats else 0))
                   if count]
        return f"<array of shape {array.shape}{dtype}, {', '.join([values, *special])}>"
    return f"<array of shape {array.shape}{dtype}>"


def describe(value: object) -> str:
    """A few words on what a value is: 'an array of shape (3, 2)', 'None', 'a list'."""
    if value is None:
        return "None"
    if isinstance(value, Unsupported):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}" if value.ndim else f"the scalar {show(value)}"
    if isinstance(value, (bool, np.bool_)):
        return f"the bool {value}"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value:.8g}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {_values(len(value))}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(str, value))}"
    return f"a {type(value).__name__}"


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count} values"


# Values are shown at most this wide (an 80-column terminal, less the report's indent),
# and an array's later lines line up under its first, wherever that starts.
WIDTH = 66


def show(value: object, limit: int = 400, precision: int = 6, indent: int = 0) -> str:
    """A short, readable rendering of a value for feedback, `indent` columns from the left."""
    if isinstance(value, np.ndarray) and value.size > 40:
        return _summarize(value)
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=precision, separator=", ", threshold=40, edgeitems=2,
                               suppress_small=False, max_line_width=max(WIDTH, indent + 30),
                               prefix=" " * indent)
        if value.dtype != np.float64:
            text += f" ({value.dtype})"
    elif isinstance(value, dict):
        return _show_dict(value, limit, indent)  # each part is bounded: cutting the whole would break brackets
    elif isinstance(value, tuple):
        return "(" + ", ".join(show(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, float):
        text = f"{value:.8g}"
    else:
        text = repr(value)
    if len(text) <= limit:
        return text
    return _summarize(value) if isinstance(value, np.ndarray) else text[: limit - 3] + "..."


def _show_dict(value: dict, limit: int, indent: int) -> str:
    """{'W1': ..., 'b1': ...} on one line when it fits, else one key a line, aligned."""
    items = [(f"{k!r}: ", v) for k, v in value.items()]
    flat = "{" + ", ".join(key + show(v, limit) for key, v in items) + "}"
    if "\n" not in flat and indent + len(flat) <= WIDTH:
        return flat
    lines = [key + show(v, limit, indent=indent + 1 + len(key)) for key, v in items]
    return "{" + (",\n" + " " * (indent + 1)).join(lines) + "}"


def show_call(function: str, args: list[tuple[str, object]]) -> str:
    """`function(name=value, ...)`: on one line when it fits, else one argument a line, aligned."""
    flat = f"{function}(" + ", ".join(f"{n}={show(v)}" if n else show(v) for n, v in args) + ")"
    if "\n" not in flat and len(flat) <= WIDTH:
        return flat
    # Long names would push the values far right: start the arguments on a line of their own.
    longest = max((len(name) + 1 for name, _ in args), default=0)
    start, joint = (len(function) + 1, "") if len(function) + longest <= 16 else (4, "\n    ")
    pieces: list[str] = []  # the lines after `function(`
    for name, value in args:
        label = f"{name}=" if name else ""
        text = label + show(value, indent=start + len(label))
        # a one-line argument joins the line before it where it fits
        if pieces and "\n" not in text and len(pieces[-1]) + 2 + len(text) <= WIDTH:
            pieces[-1] += ", " + text
            continue
        if pieces:
            pieces[-1] += ","
        first, *rest = text.split("\n")
        pieces.append((" " * start if pieces else "") + first)
        pieces.extend(rest)
    return f"{function}({joint}" + "\n".join(pieces) + ")"
