"""hw3's inputs, declared once in the notation of its contract (grader/signature.py), and the
probes on which its known mistakes differ.

What the contract makes hard to see, and where these inputs show it:
- sign(0) = 0 in the MAE's subgradient shows only on exact-zero residuals: small integers;
  trajectories (gradient_descent, optimize_linear) take normals, where no residual is ever
  exactly 0 and a rounding cannot flip a sign;
- eps outside the square root shows only where sqrt(cache) is as small as eps: gradients of
  1e-4 and 1e-2 (their caches their squares), and Adam's first step, t = 1;
- classify_critical_point's tolerance shows only with eigenvalues inside (0, tol]: Hessians
  are built from chosen eigenvalues, rotated (non-diagonal) and D up to 6; exact boundaries
  (an eigenvalue equal to +-tol) only on diagonal ones, where no rounding moves them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader import strategies as s
from grader.checks import Call
from grader.signature import Array, Inputs, Scalar
from grader.strategies import INTEGERS

# ---------------------------------------------------------------- linear model ---

BIASES = (0.5, 0.0, -1.0, 2.0)  # Python floats, as the contract's "b a float"


@dataclass(frozen=True)
class Clipped:
    """Features in [-1, 1]: small integers -1, 0, 1, or normals times the scale, clipped. With
    D <= 6 the MSE's Hessian 2 X^T X / N has eigenvalues below 12, so learning rates up to 0.1
    never diverge: a trajectory stays of the scale of its data, and so does its tolerance."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(-1, 2, size=shape).astype(np.float64)
        return np.clip(rng.standard_normal(shape) * kind, -1.0, 1.0)


LINEAR = Inputs("(D),(N,D)", Array("w"), Scalar("b", BIASES), Array("X"), dtype="float64")

# mae: one float64 array pair of any shape (a scalar to 3-d), small integers (exact zero
# residuals) and normals at several scales.
def _mae_pair(shape: tuple, seed: int, kind: object) -> Call:
    rng = np.random.default_rng(seed)
    return Call((s.fill(rng, shape, np.dtype(np.float64), kind), s.fill(rng, shape, np.dtype(np.float64), kind)))


MAE_PAIRS = s.Strategy(lambda: s.st().builds(_mae_pair, s.st().sampled_from(s.SHAPES), s.seeds(),
                                             s.st().sampled_from(s.KINDS)), "mae pairs")
MAE_MATRICES = Inputs("(N,D),(N,D)", Array("y_pred"), Array("y_true"), dtype="float64")


def _loss_inputs(losses: tuple, optional: bool = True, kinds: tuple = s.KINDS) -> Inputs:
    return Inputs("(D),(N,D),(N)", Array("w"), Scalar("b", BIASES), Array("X"), Array("y"),
                  Scalar("loss", losses, default="mse", optional=optional), dtype="float64", kinds=kinds)


# Small integers give exact-zero residuals, where sign(0) = 0 decides the MAE's gradient.
LOSSES = _loss_inputs(("mse", "mae"))
MSE = _loss_inputs(("mse",))
MAE = _loss_inputs(("mae",), optional=False)
# The gradient checks' problems (normals only); the MAE's kept away from zero residuals.
MSE_PROBLEMS = MSE
MAE_PROBLEMS = MAE


def away_from_zero_residuals(args: dict) -> bool:
    """Every residual X w + b - y further than a hundred central-difference steps from 0, where
    |e| has its kink (so no step of w or b crosses it)."""
    e = args["X"] @ args["w"] + args["b"] - args["y"]
    return bool(np.min(np.abs(e)) > 1e-3)


# gradient_descent: normals only (tie-free), features clipped (no divergence), 0 to 20 steps.
STEPS = (3, 0, 1, 2, 10, 20)
LEARNING_RATES = (0.05, 0.01, 0.1)


def _descent(losses: tuple) -> Inputs:
    return Inputs("(D),(N,D),(N)", Array("w0"), Scalar("b0", BIASES), Array("X", Clipped()), Array("y"),
                  Scalar("lr", LEARNING_RATES), Scalar("steps", STEPS),
                  Scalar("loss", losses, default="mse", optional=losses == ("mse",)),
                  dtype="float64", kinds=(1.0, 3.0))


DESCENT_MSE = _descent(("mse",))
DESCENT_MAE = _descent(("mae",))


def _optimize(optimizers: tuple, rates: tuple, steps: tuple = STEPS, losses: tuple = ("mse",)) -> Inputs:
    return Inputs("(N,D),(N)", Array("X", Clipped()), Array("y"), Scalar("optimizer", optimizers),
                  Scalar("lr", rates), Scalar("steps", steps),
                  Scalar("loss", losses, default="mse", optional=losses == ("mse",)),
                  dtype="float64", kinds=(1.0, 3.0))


OPTIMIZE_SGD = _optimize(("sgd",), LEARNING_RATES)
OPTIMIZE_MOMENTUM = _optimize(("momentum",), (0.01, 0.05))
OPTIMIZE_RMSPROP = _optimize(("rmsprop",), (0.01, 0.1, 0.001))
OPTIMIZE_ADAM = _optimize(("adam",), (0.01, 0.1, 0.3), steps=(3, 2, 5, 10, 20))  # two steps or more
OPTIMIZE_MAE = _optimize(("sgd", "momentum", "rmsprop", "adam"), (0.01, 0.05), steps=(3, 2, 10),
                         losses=("mae",))

# ------------------------------------------------------------ optimizer steps ---
# Kinds: small integers (exact zeros in gradients and caches), normals, and gradients of 1e-2
# and 1e-4 whose caches are their squares: there eps, and where it is added, shows.
STEP_KINDS = (INTEGERS, 1.0, 1e-2, 1e-4)


@dataclass(frozen=True)
class Params:
    """Parameters of unit scale whatever the gradients' scale: small integers or normals."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(-3, 4, size=shape).astype(np.float64)
        return rng.standard_normal(shape)


@dataclass(frozen=True)
class Gradients:
    """Gradients (and moving averages of them) of the kind's scale."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(-3, 4, size=shape).astype(np.float64)
        return rng.standard_normal(shape) * kind


@dataclass(frozen=True)
class Squares:
    """Moving averages of squared gradients of the kind's scale: >= 0, zeros among the integers."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(0, 4, size=shape).astype(np.float64)
        return (rng.standard_normal(shape) * kind) ** 2


# One array shape per declaration: a scalar to 3-d arrays (the contract's "any one shape").
RANKS = ("()", "(N)", "(N,D)", "(N,D,H)")


def _any_shape(declare) -> tuple[s.Strategy, dict]:
    """The calls of every rank together, and the declaration of each rank by its shape."""
    declared = {rank: declare(rank) for rank in RANKS}
    strategy = s.Strategy(lambda: s.st().one_of(*[d.strategy.hypothesis_strategy for d in declared.values()]),
                          f"{declared['(N,D)']!r} of any rank")
    return strategy, declared


def _momentum(rank: str) -> Inputs:
    return Inputs(",".join([rank] * 3), Array("param", Params()), Array("grad", Gradients()),
                  Array("velocity", Gradients()), Scalar("lr", (0.1, 0.01, 0.5), default=1e-2, optional=True),
                  Scalar("beta", (0.5, 0.9, 0.99), default=0.9, optional=True), kinds=STEP_KINDS)


def _rmsprop(rank: str) -> Inputs:
    return Inputs(",".join([rank] * 3), Array("param", Params()), Array("grad", Gradients()),
                  Array("cache", Squares()), Scalar("lr", (0.01, 1e-3, 0.1), default=1e-3, optional=True),
                  Scalar("alpha", (0.9, 0.99, 0.5), default=0.9, optional=True),
                  Scalar("eps", (1e-8, 1e-6, 1e-4), default=1e-8, optional=True), kinds=STEP_KINDS)


def _adam(rank: str) -> Inputs:
    return Inputs(",".join([rank] * 4), Array("param", Params()), Array("grad", Gradients()),
                  Array("m", Gradients()), Array("v", Squares()), Scalar("t", (1, 2, 3, 10, 1000)),
                  Scalar("lr", (0.01, 1e-3, 0.1), default=1e-3, optional=True),
                  Scalar("beta1", (0.9, 0.8, 0.5), default=0.9, optional=True),
                  Scalar("beta2", (0.999, 0.99, 0.9), default=0.999, optional=True),
                  Scalar("eps", (1e-8, 1e-6, 1e-4), default=1e-8, optional=True), kinds=STEP_KINDS)


MOMENTUM, MOMENTUM_RANKS = _any_shape(_momentum)
RMSPROP, RMSPROP_RANKS = _any_shape(_rmsprop)
ADAM, ADAM_RANKS = _any_shape(_adam)

# ---------------------------------------------------------------- Hessians ---


def rotated(eigenvalues: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An exactly symmetric matrix with these eigenvalues and random (non-axis) eigenvectors."""
    d = len(eigenvalues)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    h = (q * eigenvalues) @ q.T
    return (h + h.T) / 2  # floating-point addition commutes: exactly symmetric


# Eigenvalues by sign: clearly positive or negative, "small" inside (0, tol] or [-tol, 0), or 0.
# On rotated Hessians the small ones sit at 0.1 to 0.9 of tol: rounding (1e-15 of the largest
# eigenvalue) cannot move them past +-tol. Exact +-tol only on diagonal Hessians.
TOLS = (1e-8, 1e-3, 0.1)


def _eigenvalues(rng: np.random.Generator, d: int, pattern: str, tol: float, diagonal: bool) -> np.ndarray:
    big = rng.uniform(0.5, 3.0, size=d)
    small = tol * rng.uniform(0.1, 0.9, size=d)
    signs = rng.choice([-1.0, 1.0], size=d)
    if pattern == "minimum":
        lam = big
    elif pattern == "maximum":
        lam = -big
    elif pattern == "saddle":
        lam = big * signs
        lam[0], lam[-1] = abs(lam[0]), -abs(lam[-1])
    elif pattern == "singular saddle":  # indefinite and singular: still a saddle point
        lam = big * signs
        lam[0], lam[-1] = abs(lam[0]), -abs(lam[-1])
        lam[rng.integers(d)] = 0.0 if d > 2 else lam[0]
    else:  # "small": each eigenvalue of one sign, small, or 0: the test cannot tell, or just can
        sign = rng.choice([-1.0, 1.0])
        kinds = rng.integers(0, 3, size=d)  # 0: big, 1: small, 2: zero (or exactly tol on a diagonal)
        lam = np.where(kinds == 0, sign * big, np.where(kinds == 1, sign * small, 0.0))
        if diagonal:
            lam = np.where(kinds == 2, rng.choice([0.0, tol, -tol], size=d), lam)
    return rng.permutation(lam)


PATTERNS = ("saddle", "minimum", "maximum", "small", "singular saddle")
HESSIAN_SIZES = (3, 1, 2, 4, 5, 6)
TOL_MODES = ("leave out", "by keyword", "by position")


def _classify_call(d, pattern, seed, tol, mode, diagonal) -> Call:
    rng = np.random.default_rng(seed)
    tol_used = 1e-8 if mode == "leave out" else tol
    lam = _eigenvalues(rng, d, pattern, tol_used, diagonal)
    hessian = np.diag(lam) if diagonal else rotated(lam, rng)
    if mode == "leave out":
        return Call((hessian,))
    return Call((hessian, tol)) if mode == "by position" else Call((hessian,), {"tol": tol})


HESSIANS = s.Strategy(lambda: s.st().builds(
    _classify_call, s.st().sampled_from(HESSIAN_SIZES), s.st().sampled_from(PATTERNS), s.seeds(),
    s.st().sampled_from(TOLS), s.st().sampled_from(TOL_MODES), s.st().sampled_from((False, True))), "hessians")


@dataclass(frozen=True)
class Symmetric:
    """A symmetric (D, D) Hessian built from its eigenvalues (the kind says which), rotated unless
    the kind is "diagonal": distinct eigenvalues at least 0.2 apart, or the smallest repeated."""

    def fill(self, rng, shape, kind, sizes, scalars):
        d = shape[0]
        gaps = rng.uniform(0.2, 1.5, size=d)
        lam = np.cumsum(gaps) - rng.uniform(0.0, 2.0) * d  # ascending, some negative
        if kind == "repeated" and d > 1:
            lam[1:min(d, 3)] = lam[0]
        if kind == "scaled":
            lam = lam * 10.0
        if kind == "diagonal":
            return np.diag(rng.permutation(lam))
        return rotated(rng.permutation(lam), rng)


ESCAPE = Inputs("(D,D)", Array("hessian", Symmetric()), dtype="float64", sizes={"D": (1, 6)},
                kinds=("distinct", "repeated", "diagonal", "scaled"))

# ------------------------------------------------------------------ schedule ---


def _schedule_call(warmup, length, where, offset, base_lr, min_lr, mode) -> Call:
    total = warmup + length
    step = {"warm-up": min(offset, max(warmup - 1, 0)), "last warm-up": max(warmup - 1, 0), "boundary": warmup,
            "after boundary": warmup + 1, "decay": warmup + offset % length, "last": total - 1, "end": total,
            "past": total + offset}[where]
    if mode == "leave out":
        return Call((step, base_lr, warmup, total))
    return Call((step, base_lr, warmup, total, min_lr)) if mode == "by position" else \
        Call((step, base_lr, warmup, total), {"min_lr": min_lr})


# Steps at the warm-up's last step and at the boundary, in the decay, at total_steps - 1, at
# total_steps and past it, with min_lr 0 (left out) or not.
SCHEDULE = s.Strategy(lambda: s.st().builds(
    _schedule_call, s.st().sampled_from((10, 0, 1, 3, 100)), s.st().sampled_from((90, 1, 2, 7, 900)),
    s.st().sampled_from(("boundary", "last warm-up", "warm-up", "after boundary", "decay", "last", "end", "past")),
    s.st().integers(0, 50), s.st().sampled_from((0.1, 1.0, 3e-4)), s.st().sampled_from((1e-3, 0.05, 0.0)),
    s.st().sampled_from(TOL_MODES)), "schedules")


# ------------------------------------------------------------------- probes ---

def probes() -> dict[str, tuple[Call, ...]]:
    """Per function, inputs on which its known mistakes all give different results: sizes above 2
    and all different, exact-zero residuals, small gradients, hyperparameters off their defaults."""
    rng = np.random.default_rng(2027)
    X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [2.0, -1.0, 0.0], [1.0, 1.0, 1.0]])
    w, b = np.array([0.5, -1.0, 2.0]), 0.5
    y = np.array([5.0, -2.5, 1.0, 2.0])  # residuals 0.0, 0.0, 1.5, 0.0
    Xn, yn = np.clip(rng.standard_normal((5, 3)), -1, 1), rng.standard_normal(5) * 2
    param, grad = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)) * 1e-3
    state = rng.standard_normal((2, 3)) * 1e-3
    diagonal = np.diag([2.0, -1.0, 0.5, -3.0])
    return {
        "linear_predict": (Call((w, b, X)),),
        "mae": (Call((rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))),),
        "linear_loss_and_grads": (Call((w, b, X, y, "mse")), Call((w, b, X, y, "mae"))),
        "gradient_descent": (Call((np.zeros(3), 0.0, Xn, yn, 0.1, 4)), Call((np.zeros(3), 0.0, Xn, yn, 0.1, 4, "mae"))),
        "classify_critical_point": (Call((np.diag([2.0, 5e-9, -1.0]),)), Call((np.diag([2.0, 1e-8, 3.0]),)),
                                    Call((np.diag([2.0, 0.05, 3.0]), 0.1)), Call((diagonal, 0.1))),
        "escape_direction": (Call((np.diag([0.5, -3.0, 2.0, -1.0]),)),
                             Call((rotated(np.array([0.5, -3.0, 2.0, -1.0, 1.0]), rng),))),
        "momentum_step": (Call((param, grad, state), {"lr": 0.3, "beta": 0.6}),),
        "rmsprop_step": (Call((param, grad, state ** 2), {"lr": 0.05, "alpha": 0.7, "eps": 1e-6}),),
        "adam_step": (Call((param, grad, state, state ** 2, 1), {"lr": 0.05, "beta1": 0.7, "beta2": 0.95}),
                      Call((param, grad, state, state ** 2, 3), {"lr": 0.05, "beta1": 0.7, "beta2": 0.95})),
        "warmup_cosine_lr": (Call((3, 0.5, 4, 20, 0.01)), Call((4, 0.5, 4, 20, 0.01)), Call((12, 0.5, 4, 20, 0.01)),
                             Call((25, 0.5, 4, 20, 0.01))),
        "optimize_linear": tuple(Call((Xn, yn, name, 0.05, 3)) for name in ("sgd", "momentum", "rmsprop", "adam")),
    }
