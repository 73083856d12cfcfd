"""Which arguments a call changed, judged in the grading process from the arguments it sent.

The worker runs the student's code, so nothing it says about the arguments is taken on its
word (it used to compare them itself, and code in its process could make it say "unchanged").
Asked by the purity check, it sends back each argument as it is right after the call
(`Returned.inputs_after`); this module compares that with what the grader sent. Where they
are as sent, the worker sends only their digest (wire.arguments_digest), which this module
computes from what it sent. To hide a change, a process must send back arguments equal to
the ones it was sent, or their digest: keep them unchanged, or keep copies of them, which is
more work than fixing the function. A reply that does not say, or a digest of other
arguments, counts as a change of every argument that can change.
"""

from __future__ import annotations

import numpy as np

from grader.runner import Call
from grader.worker.wire import Rng, Unsupported, arguments_digest


def modified(call: Call, inputs_after: object) -> list[str]:
    """The arguments of `call` that are not as they were sent, labelled "argument 2" (positional,
    from 1) or by keyword; `inputs_after` is the worker's [positional, keyword] after the call,
    or {"digest": their digest} where they were as sent."""
    labelled = [(f"argument {i + 1}", value) for i, value in enumerate(call.args)] + list(call.kwargs.items())
    if isinstance(inputs_after, dict) and list(inputs_after) == ["digest"]:
        if inputs_after["digest"] == _digest(call):
            return []
        after = {}  # the digest of other arguments than those sent: every argument counts as changed
    else:
        after = _after_by_label(inputs_after, len(call.args), list(call.kwargs))
    return [label for label, sent in labelled
            if _can_change(sent) and (label not in after or not _unchanged(sent, after[label]))]


def _digest(call: Call) -> str | None:
    """The digest of the arguments sent, as the worker computes it from the request; None for an
    argument it has none for (then the worker sends copies)."""
    try:
        return arguments_digest(list(call.args), dict(call.kwargs))
    except TypeError:
        return None


def _after_by_label(inputs_after: object, positional: int, keywords: list[str]) -> dict[str, object]:
    """{label: the argument after the call}; empty when the reply is not of that form."""
    if not (isinstance(inputs_after, list) and len(inputs_after) == 2 and isinstance(inputs_after[0], list)
            and isinstance(inputs_after[1], dict) and len(inputs_after[0]) == positional
            and sorted(inputs_after[1]) == sorted(keywords)):
        return {}
    return {f"argument {i + 1}": value for i, value in enumerate(inputs_after[0])} | dict(inputs_after[1])


def _can_change(value: object) -> bool:
    """Arrays and containers can be changed in place; numbers and strings cannot, and a Generator
    is meant to be drawn from (what it drew is judged from its state, see wire.generator_states)."""
    return isinstance(value, (np.ndarray, dict, list, tuple))


def _unchanged(sent: object, after: object) -> bool:
    if isinstance(sent, np.ndarray):
        return (isinstance(after, np.ndarray) and after.shape == sent.shape and after.dtype == sent.dtype
                and _same_values(sent, after))
    if isinstance(sent, dict):
        return isinstance(after, dict) and after.keys() == sent.keys() and all(
            _unchanged(sent[k], after[k]) for k in sent)
    if isinstance(sent, (list, tuple)):
        return (isinstance(after, list if isinstance(sent, list) else tuple) and len(after) == len(sent)
                and all(_unchanged(s, a) for s, a in zip(sent, after)))
    if isinstance(sent, Rng):  # a Generator: the wire names it, and cannot tell it from another one
        return isinstance(after, Unsupported)
    # a number, a string, None: equal, of the same type (nan equals nan)
    return type(after) is type(sent) and (after == sent or (after != after and sent != sent))


def _same_values(sent: np.ndarray, after: np.ndarray) -> bool:
    """The same values: the same bytes (the common case, and cheap), or equal entries, nan equal to nan."""
    if sent.tobytes() == after.tobytes():
        return True
    equal = np.equal(sent, after)
    if sent.dtype.kind in "fc":
        equal |= np.isnan(sent) & np.isnan(after)
    return bool(equal.all())
