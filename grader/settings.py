"""Every constant that decides a verdict or a limit, in one place, with its reason."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Examples per property test. The issue asks for at least 100; more would cost
# speed and rarely find anything that 100 varied examples miss.
PROPERTY_EXAMPLES = 100

# Random problems per finite-difference gradient check (the issue asks for >= 10).
GRADCHECK_PROBLEMS = 10

# Central-difference step. In float64 the truncation error is ~h**2 * f''' and the
# rounding error ~eps * |f| / h; h = 1e-5 balances both near 1e-10.
GRADCHECK_STEP = 1e-5

# A gradient entry passes when |analytic - numeric| <= RTOL * (|analytic| + |numeric|)
# + ATOL * max(1, |f|). Smooth functions of unit-scale inputs land below 1e-8; a
# wrong factor, sign or divisor lands above 1e-2. ATOL absorbs the rounding noise
# of entries whose true gradient is zero.
GRADCHECK_RTOL = 1e-6
GRADCHECK_ATOL = 1e-8

# Value comparisons against the reference, by the dtype of the student's inputs.
# The reference is computed in float64; the bounds allow any exact formula done in
# the input's precision (tanh or logaddexp forms, loops, einsum, other summation
# orders) and sit orders of magnitude below what a real mistake changes.
# atol is scaled by max(1, the largest magnitude in the expected array) (see compare._far).
TOLERANCES = {
    np.dtype(np.float32): (1e-4, 1e-6),  # (rtol, atol): float32 eps is 1.2e-7
    np.dtype(np.float64): (1e-9, 1e-12),  # float64 eps is 2.2e-16
}

# A near miss: right to float32 precision where float64 was asked (a float32 step, eps
# inside the square root). It fails the checks of exact values against the reference, and
# only those: a check of another property (stability at extreme inputs, a rule such as
# mse(y + c, y) = c^2, accumulation, purity) holds a near miss to these bounds.
NEAR_TOLERANCES = {dtype: TOLERANCES[np.dtype(np.float32)] for dtype in TOLERANCES}

# The grader reads a worker's CPU time itself (grader.cpu_time) while it waits for a reply, every
# CPU_POLL_SECONDS of the wall clock, and stops a request that has used CPU_SLACK_SECONDS past its
# CPU budget. The worker's own timer stops honest code at the budget and replies within a few
# milliseconds; only a worker whose timer was disarmed, or code stuck in one long C call, gets here.
CPU_POLL_SECONDS = 0.1
CPU_SLACK_SECONDS = 0.25

# The largest reply accepted from a worker.
MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission's worker."""

    # Time budgets count CPU time of the student's process, so a busy machine gives no
    # less time than a quiet one (the worker stops its code at the budget, and the grader
    # reads its CPU time from outside too); the grader waits longer by the wall clock
    # (`backstop`) for code that sleeps.
    call_seconds: float = 5.0  # one round trip: all calls of one check
    cell_seconds: float = 10.0  # one notebook cell, or one top-level statement of a .py
    load_seconds: float = 30.0  # all top-level code; past it, only definitions run
    total_seconds: float = 180.0  # everything for one submission, by the wall clock
    wall_factor: float = 3.0  # backstop = wall_factor * budget + wall_slack seconds
    wall_slack: float = 5.0
    output_bytes: int = 64 * 1024  # what the student's code prints, kept for the report
    output_kill_bytes: int = 64 * 1024 * 1024  # printing more than this stops the worker
    memory_bytes: int = 2 * 1024**3  # address space of the worker (RLIMIT_AS)
    cpu_seconds: int = 120  # CPU time of one worker process in all (RLIMIT_CPU): the load and the checks
    file_bytes: int = 16 * 1024 * 1024  # largest file the submission may write (RLIMIT_FSIZE)
    scratch_bytes: int = 64 * 1024 * 1024  # all files together, with bubblewrap (a sized tmpfs)

    def backstop(self, seconds: float) -> float:
        """How long the grader waits, by the wall clock, for a request with a CPU budget of `seconds`."""
        return self.wall_factor * seconds + self.wall_slack

    def describe(self) -> dict:
        return {
            "call_seconds": self.call_seconds,
            "cell_seconds": self.cell_seconds,
            "load_seconds": self.load_seconds,
            "total_seconds": self.total_seconds,
            "memory_bytes": self.memory_bytes,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_bytes,
            "scratch_bytes": self.scratch_bytes,
            "output_bytes_kept": self.output_bytes,
            "output_bytes_max": self.output_kill_bytes,
        }


def format_bytes(count: int) -> str:
    """2147483648 -> '2 GiB'."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size:
            return f"{count / size:.4g} {unit}"
    return f"{count} bytes"
