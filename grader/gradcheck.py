"""Finite-difference gradient checks, CS231n style, that return results instead of printing.

`numerical_gradient` perturbs every entry of every input array by +-h and asks a
batched loss function for all the perturbed losses at once (one round trip to
the worker when the loss is the student's). `compare_gradients` finds the worst
entry and its relative error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from grader import settings

Arrays = dict[str, np.ndarray]


def numerical_gradient(
    losses: Callable[[list[Arrays]], list[float]], inputs: Arrays, step: float = settings.GRADCHECK_STEP
) -> Arrays:
    """Central differences (L(x + h e_i) - L(x - h e_i)) / 2h for every entry i of every input.

    `losses` maps a list of input dicts to their scalar losses.
    """
    perturbed: list[Arrays] = []
    for name, array in inputs.items():
        for index in np.ndindex(array.shape):
            for sign in (1.0, -1.0):
                moved = array.astype(np.float64, copy=True)
                moved[index] += sign * step
                perturbed.append({**inputs, name: moved})
    values = np.asarray(losses(perturbed), dtype=np.float64)
    grads, at = {}, 0
    for name, array in inputs.items():
        n = array.size
        pairs = values[at : at + 2 * n].reshape(n, 2)
        grads[name] = ((pairs[:, 0] - pairs[:, 1]) / (2 * step)).reshape(array.shape)
        at += 2 * n
    return grads


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float) -> np.ndarray:
    """|a - n| / max(|a| + |n|, floor), the CS231n measure, guarded near zero."""
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)


@dataclass
class GradientComparison:
    passed: bool
    where: str  # e.g. "W1[2, 0]"
    analytic: float
    numeric: float
    relative_error: float

    def summary(self) -> str:
        return (
            f"worst entry {self.where}: analytic {self.analytic:.6g}, numerical {self.numeric:.6g}, "
            f"relative error {self.relative_error:.2e}"
        )


def compare_gradients(analytic: Arrays, numeric: Arrays, loss_scale: float = 1.0) -> GradientComparison:
    """Compare gradients entry by entry; report the worst one.

    An entry passes when |a - n| <= RTOL * (|a| + |n|) + ATOL * max(1, loss_scale).
    """
    atol = settings.GRADCHECK_ATOL * max(1.0, abs(loss_scale))
    rtol = settings.GRADCHECK_RTOL
    worst: GradientComparison | None = None
    worst_excess = -np.inf
    for name, n in numeric.items():
        a = np.asarray(analytic[name], dtype=np.float64)
        with np.errstate(all="ignore"):
            excess = np.abs(a - n) - (rtol * (np.abs(a) + np.abs(n)) + atol)
        excess = np.where(np.isnan(excess), np.inf, excess)
        index = np.unravel_index(int(np.argmax(excess)), n.shape) if n.size else ()
        if n.size and excess[index] > worst_excess:
            worst_excess = float(excess[index])
            label = f"{name}[{', '.join(str(int(i)) for i in index)}]" if index else name
            error = relative_error(a[index], n[index], atol / rtol)
            worst = GradientComparison(False, label, float(a[index]), float(n[index]), float(error))
    if worst is None:
        return GradientComparison(True, "-", 0.0, 0.0, 0.0)
    worst.passed = worst_excess <= 0
    return worst
