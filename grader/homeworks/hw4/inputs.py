"""hw4's inputs, declared once in the notation of its contract (grader/signature.py), and the
probes on which its known mistakes differ.

What the contract makes hard to see, and where these inputs show it:
- batch normalization with N = 2 gives x_hat = +-1 whatever x is, and N = 3 little more: N is
  4 to 8, never equal to D. The columns' offsets stay small relative to their spread (up to
  the spread itself), so that every exact form of the variance (E[x^2] - mu^2 included) keeps
  its digits; integer columns may be constant (var = 0: eps alone keeps the division finite);
- momentum 0.5 hides a swapped convention (0.5 old + 0.5 new either way): the momenta given are
  0.9, 0.8, 0.99 and 0.7, or the default 0.9;
- maxout's first-index rule on ties shows only on exact ties: small integers give them, and
  normals none (no rounding can then make two orders of a sum pick different pieces); the
  gradient check takes problems whose top two pieces are apart by far more than the step;
- weight decay on keys that start with a capital W: "W", "W1", "Wout", but not "weights", "bW";
- early stopping: ties among small integer losses, runs shorter than the patience, lists and
  arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader import strategies as s
from grader.checks import Call, Rng
from grader.signature import Array, Dict, Generator, Inputs, Mask, Positive, Scalar
from grader.strategies import INTEGERS

# ------------------------------------------------------------ batch normalization ---


@dataclass(frozen=True)
class Spread:
    """A batch whose columns have offsets no larger than their spread: small integers -3..3 (a
    column may be constant), or normals times the scale plus an offset of up to the scale."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(-3, 4, size=shape).astype(np.float64)
        return (rng.standard_normal(shape) + rng.uniform(-1.0, 1.0, size=shape[-1:])) * kind


MOMENTA = (0.9, 0.8, 0.99, 0.7)  # never 0.5, which hides a swapped convention
EPSILONS = (1e-5, 1e-3, 0.1)  # large ones make a misplaced eps show
BN_SIZES = {"N": (4, 8)}


def _batchnorm(train: bool) -> Inputs:
    # train=True may be left out (the default), given by keyword or by position; False is given
    mode = Scalar("train", (True,), default=True, optional=True) if train else Scalar("train", (False,))
    return Inputs("(N,D),(D),(D),(D),(D)", Array("x", Spread()), Array("gamma"), Array("beta"),
                  Array("running_mean"), Array("running_var", Positive()), mode,
                  Scalar("momentum", MOMENTA, default=0.9, optional=True),
                  Scalar("eps", EPSILONS, default=1e-5, optional=True), dtype="float64", sizes=BN_SIZES)


BN_TRAIN = _batchnorm(train=True)
BN_EVAL = _batchnorm(train=False)
# The forward differentiated by batchnorm_backward's gradient check (training mode, normals).
BN_PROBLEMS = BN_TRAIN
BN_BACKWARD = Inputs("(N,D),(N,D),(D)", Array("dout"), Array("x", Spread()), Array("gamma"),
                     Scalar("eps", EPSILONS, default=1e-5, optional=True), dtype="float64", sizes=BN_SIZES)

# -------------------------------------------------------------------- dropout ---

DROP_PROBABILITIES = (0.5, 0.0, 0.2, 0.75)
DROPOUT_FORWARD = Inputs("(N,D)", Array("x"), Scalar("p", DROP_PROBABILITIES), Generator("rng"),
                         Scalar("train", (True, False), default=True, optional=True))
DROPOUT_PROBLEMS = Inputs("(N,D)", Array("x"), Scalar("p", (0.2, 0.5, 0.7)), Generator("rng"), dtype="float64",
                          constraints=("N > 1", "D > 1"))
DROPOUT_BACKWARD = Inputs("(N,D),(N,D)", Array("dout"), Array("mask", Mask(0.4)))

# --------------------------------------------------------------------- maxout ---

MAXOUT = Inputs("(N,D),(D,H,K),(H,K)", Array("x"), Array("W"), Array("b"), dtype="float64")
MAXOUT_BACKWARD = Inputs("(N,H),(N,D),(D,H,K),(H,K)", Array("dout"), Array("x"), Array("W"), Array("b"),
                         dtype="float64")

# A step of 1e-5 in one entry of x, W or b moves each piece by at most 1e-5 times the largest
# entry it multiplies (a few units): pieces this far apart cannot change places.
PIECES_APART = 1e-2


def pieces_apart(args: dict) -> bool:
    """Every unit's two largest pieces further apart than PIECES_APART (one piece: nothing to tie)."""
    z = np.einsum("nd,dhk->nhk", args["x"], args["W"]) + args["b"]
    if z.shape[2] < 2:
        return True
    top = np.sort(z, axis=2)
    return bool(np.min(top[:, :, -1] - top[:, :, -2]) > PIECES_APART)


# ---------------------------------------------------------------- weight decay ---

LAMBDAS = (0.1, 0.0, 1.0, 1e-3, 5.0)
L2 = Inputs(None, Dict("params", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)", "b2": "(C)"}),
            Scalar("lam", LAMBDAS), dtype="float64")
# Keys that start with a capital W, and keys that do not though they hold a W or a w.
L2_OTHER_KEYS = Inputs(None, Dict("params", {"W": "(D,H)", "gamma": "(H)", "weights": "(D)", "Wout": "(H,C)",
                                             "bW": "(C)", "beta": "(H)"}),
                       Scalar("lam", LAMBDAS), dtype="float64")

# -------------------------------------------------------------- early stopping ---


@dataclass(frozen=True)
class Losses:
    """Validation losses: small integers 1..5 (ties everywhere), or a falling curve with noise of
    the kind's scale, which stops improving somewhere."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(1, 6, size=shape).astype(np.float64)
        t = np.arange(shape[0])
        return 1.0 / (1.0 + t) + 0.02 * t + kind * rng.standard_normal(shape)


PATIENCES = (2, 1, 3, 5, 20)  # 20 is longer than any run drawn
LOSS_KINDS = (INTEGERS, 0.05, 0.2)


def _early(as_list: bool) -> Inputs:
    return Inputs("(T)", Array("val_losses", Losses(), as_list=as_list), Scalar("patience", PATIENCES),
                  dtype="float64", sizes={"T": (1, 12)}, kinds=LOSS_KINDS)


EARLY_ARRAYS = _early(as_list=False)
EARLY_LISTS = _early(as_list=True)
EARLY = s.Strategy(lambda: s.st().one_of(EARLY_ARRAYS.strategy.hypothesis_strategy,
                                         EARLY_LISTS.strategy.hypothesis_strategy), "early stopping, lists and arrays")


# ------------------------------------------------------------------- probes ---

def probes() -> dict[str, tuple[Call, ...]]:
    """Per function, inputs on which its known mistakes all give different results: N, D, H and k
    above 2 and all different, momentum and eps off their defaults and off 0.5, ties in maxout,
    a weight key among others, losses with ties and a late improvement."""
    rng = np.random.default_rng(2028)
    x = rng.standard_normal((5, 3)) * 2 + np.array([0.5, -1.0, 0.3])
    gamma, beta = np.array([1.5, -0.5, 2.0]), np.array([0.3, 1.0, -0.7])
    mean, var = np.array([0.2, -0.4, 0.1]), np.array([1.5, 0.5, 2.5])
    dout = rng.standard_normal((5, 3))
    xi = np.array([[1.0, 0.0, 2.0, -1.0], [0.0, 1.0, -1.0, 2.0], [2.0, 1.0, 0.0, 1.0]])  # (N=3, D=4)
    Wi = rng.integers(-1, 2, size=(4, 2, 5)).astype(np.float64)  # (D=4, H=2, k=5): ties among integers
    bi = np.zeros((2, 5))
    xm, Wm, bm = rng.standard_normal((3, 4)), rng.standard_normal((4, 2, 5)), rng.standard_normal((2, 5))
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4), "W2": rng.standard_normal((4, 2)),
              "b2": rng.standard_normal(2), "gamma": rng.standard_normal(4)}
    return {
        "batchnorm_forward": (Call((x, gamma, beta, mean, var), {"momentum": 0.8, "eps": 0.01}),
                              Call((x, gamma, beta, mean, var, False), {"momentum": 0.8, "eps": 0.01})),
        "batchnorm_backward": (Call((dout, x, gamma), {"eps": 0.01}),),
        # training and test time: inverted dropout and an unscaled test output agree at test time only
        "dropout_forward_scaled": (Call((dout, 0.3, Rng(5))), Call((dout, 0.3, Rng(5)), {"train": False})),
        "dropout_backward_scaled": (Call((dout, rng.random((5, 3)) < 0.7)),),
        "maxout_forward": (Call((xm, Wm, bm)), Call((xi, Wi, bi))),
        "maxout_backward": (Call((rng.standard_normal((3, 2)), xm, Wm, bm)),
                            Call((np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 2.0]]), xi, Wi, bi))),
        "l2_penalty": (Call((params, 0.3)),),
        "early_stopping": (Call(([3.0, 2.0, 2.0, 2.5, 1.0, 1.0, 4.0, 4.0, 4.0, 0.5], 2)),
                           Call((np.array([3.0, 2.0, 2.0, 2.5, 1.0, 1.0, 4.0, 4.0, 4.0, 0.5]), 3)),
                           Call(([5.0, 4.0, 4.0, 3.0], 1)),
                           # no tie: waiting one epoch too many differs here, a tie read as progress does not
                           Call(([1.0, 2.0, 3.0, 4.0, 5.0], 2)),
                           Call(([3.0, 4.0, 3.0], 1))),  # a tie after the stop: one epoch late, or ties improving
    }


