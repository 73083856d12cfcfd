"""hw2's inputs, declared once in the notation of its contract (grader/signature.py), and the
probes on which its known mistakes differ."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader import strategies as s
from grader.checks import Call, Rng
from grader.signature import Array, Binary, Dict, Generator, Inputs, Labels, Scalar
from grader.strategies import INTEGERS

# Any float array of any shape (a scalar to 3-d), float32 or float64: small integers (relu's
# kink at exactly 0, hard_sigmoid's at -1 and 1) and normals at several scales.
ANY_SHAPE = s.elementwise()
# hard_sigmoid's: the same without 0-d arrays. The contract spells hard_sigmoid as
# relu(z + 1) - relu(z - 1), and z + 1 of a 0-d array is a numpy scalar, not an array: a relu
# right on every array (out = z.copy(); out[z < 0] = 0, as public ReLU layers write it) fails on
# it, and the point would go from a hard_sigmoid that is right.
ARRAYS = s.elementwise(shapes=s.NONSCALAR_SHAPES, label="arrays")
# The same functions on matrices: the derived dtype and purity checks need a declared rank.
MATRICES = Inputs("(N,D)", Array("z"))
# Where relu is differentiated (relu_grad's gradient check): entries kept away from the kink.
RELU_PROBLEMS = Inputs("(N,D)", Array("z", kinks=(0.0,)), dtype="float64", constraints=("N > 1", "D > 1"))

LOGITS = Inputs("(N,C)", Array("logits"), constraints=("C > 1",))
LABELLED = Inputs("(N,C),(N)", Array("logits"), Array("y", Labels("C")), constraints=("C > 1",))
# cross_entropy is smooth: its gradient check needs no margin from anything.
LABELLED_PROBLEMS = Inputs("(N,C),(N)", Array("logits"), Array("y", Labels("C")), dtype="float64",
                           constraints=("C > 1",))

# Logistic regression: labels as integers, or as floats of the logits' dtype (the contract allows both).
BINARY = Inputs("(N),(N)", Array("z"), Array("y", Binary()))
BINARY_FLOAT = Inputs("(N),(N)", Array("z"), Array("y", Binary(dtype=None)))


@dataclass(frozen=True)
class Bounded:
    """Network weights and data with every entry in [-1, 1]: integers -1, 0, 1 (exact zeros in the
    pre-activations, where relu'(0) = 0 decides), or normals times a scale, clipped. With D, H <= 6
    the pre-activations stay within 7 and the logits within 43: the contract's +-50."""

    def fill(self, rng, shape, kind, sizes, scalars):
        if kind == INTEGERS:
            return rng.integers(-1, 2, size=shape).astype(np.float64)
        return np.clip(rng.standard_normal(shape) * kind, -1.0, 1.0)


NETWORK_KINDS = (INTEGERS, 1.0, 0.3)
PARAMS = Dict("params", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)", "b2": "(C)"}, values=Bounded())
NETWORK = Inputs("(N,D)", PARAMS, Array("X", Bounded()), dtype="float64", constraints=("C > 1",),
                 kinds=NETWORK_KINDS)
LABELLED_NETWORK = Inputs("(N,D),(N)", PARAMS, Array("X", Bounded()), Array("y", Labels("C")), dtype="float64",
                          constraints=("C > 1",), kinds=NETWORK_KINDS)


def away_from_the_kink(args: dict) -> bool:
    """A gradient problem whose pre-activations X W1 + b1 are all further than a hundred steps
    from relu's kink (so no central difference crosses it)."""
    z = args["X"] @ args["params"]["W1"] + args["params"]["b1"]
    return bool(np.min(np.abs(z)) > 1e-3)


# minibatches: sizes below, equal to and above n; bad arguments apart.
BATCHES = Inputs(None, Scalar("n", values=(1, 7, 2, 5, 10, 16, 3)), Scalar("batch_size", values=(3, 1, 2, 4, 16, 5)),
                 Generator("rng"))
# Every one of these is refused (batch_size < 1): nothing may be drawn first. (n = 0 draws nothing
# anyway, and rng.permutation(-2) raises by itself: their ValueError is a check of its own.)
BAD_BATCHES = Inputs(None, Scalar("n", values=(5, 1, 10, 0)), Scalar("batch_size", values=(0, -1, -3)),
                     Generator("rng"))
VALID_BATCHES = Call((5, 2, Rng(9)))  # answered, by code that raises only for bad sizes

# sgd_step: the network's parameters, and other keys (the contract says every key of params).
SGD = Inputs(None, Dict("params", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)", "b2": "(C)"}),
             Dict("grads", {"W1": "(D,H)", "b1": "(H)", "W2": "(H,C)", "b2": "(C)"}),
             Scalar("lr", values=(0.1, 0.5, 1e-3, 2.0)))
SGD_OTHER_KEYS = Inputs(None, Dict("params", {"w": "(N,D)", "bias": "(D)", "gamma": "()"}),
                        Dict("grads", {"w": "(N,D)", "bias": "(D)", "gamma": "()"}),
                        Scalar("lr", values=(0.05, 1.0)))

# train_epoch: a small network, learning rates and batch sizes that give one to N batches.
# Normals only, no small integers: after an update a pre-activation that was exactly 0 is 0 or
# 1e-17 depending on the order of a sum (an einsum's, a matmul's), and relu'(0) = 0 then decides
# between two right answers. The convention at exactly 0 is mlp_loss_and_grads' own check.
TRAINING = Inputs("(N,D),(N)", PARAMS, Array("X", Bounded()), Array("y", Labels("C")),
                  Scalar("lr", values=(0.1, 0.5, 1.0)), Scalar("batch_size", values=(2, 1, 3, 4, 6)),
                  Generator("rng"), dtype="float64", constraints=("C > 1", "N > 1"), kinds=NETWORK_KINDS[1:])

ACCURACY = Inputs("(N,C),(N)", Array("logits"), Array("y", Labels("C")), constraints=("C > 1",))


def probes() -> dict[str, tuple[Call, ...]]:
    """Per function, inputs on which its known mistakes all give different results: sizes above 2
    and all different, labels of several classes, exact zeros where a convention decides."""
    rng = np.random.default_rng(2026)
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    logits = rng.standard_normal((4, 3)) * 2
    y = np.array([0, 2, 1, 2])
    params = {"W1": rng.standard_normal((5, 6)), "b1": rng.standard_normal(6),
              "W2": rng.standard_normal((6, 3)), "b2": rng.standard_normal(3)}
    X = rng.standard_normal((4, 5))
    return {
        "relu": (Call((z,)),),
        "relu_grad": (Call((z,)),),
        "hard_sigmoid": (Call((z,)),),
        "softmax": (Call((logits,)),),
        "cross_entropy": (Call((logits, y)),),
        "cross_entropy_grad": (Call((logits, y)),),
        "binary_cross_entropy": (Call((np.array([-2.0, -0.5, 0.3, 1.5, 3.0]), np.array([0, 1, 1, 0, 1]))),),
        "mlp_forward": (Call((params, X)),),
        "mlp_loss_and_grads": (Call((params, X, y)),),
        "minibatches": (Call((7, 3, Rng(5))),),
        "sgd_step": (Call(({"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal(3)},
                           {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal(3)}, 0.3)),),
        "accuracy": (Call((np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [3.0, 0.0, 1.0], [0.0, 0.0, 5.0],
                                     [1.0, 4.0, 0.0]]), np.array([1, 1, 0, 2, 0]))),),
    }
