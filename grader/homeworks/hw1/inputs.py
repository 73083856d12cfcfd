"""hw1's inputs: the shapes and values its functions are called with, and the probes
on which its known mistakes differ. Generic strategies (any float array, a pair of
arrays of one shape) live in grader/strategies.py."""

from __future__ import annotations

import itertools

import numpy as np

from grader.checks import Call, Rng
from grader.strategies import KINDS, NONSCALAR_SHAPES, SHAPES, Strategy, fill, floats, seeds, st

# (N, D, H, C) for the two-layer net: all distinct, C > 1, smallest first.
NETWORK_SIZES = tuple(sorted(
    (sizes for sizes in itertools.permutations(range(1, 7), 4) if sizes[3] > 1),
    key=lambda sizes: (sum(sizes), sizes),
))



def network(with_targets: bool = False) -> Strategy:
    """params and X (and Y) for the two-layer net; N, D, H, C all distinct, C > 1."""
    def build(sizes, seed, kind):
        n, d, h, c = sizes
        rng = np.random.default_rng(seed)
        f64 = np.dtype(np.float64)
        params = {"W1": fill(rng, (d, h), f64, kind), "b1": fill(rng, (h,), f64, kind),
                  "W2": fill(rng, (h, c), f64, kind), "b2": fill(rng, (c,), f64, kind)}
        args = (params, fill(rng, (n, d), f64, kind))
        return Call(args + (fill(rng, (n, c), f64, kind),) if with_targets else args)
    return Strategy(lambda: st().builds(build, st().sampled_from(NETWORK_SIZES), seeds(), st().sampled_from(KINDS[:2])),
                    "network with targets" if with_targets else "network")


# lr and eps: left to their defaults, or given by keyword or by position (the
# signature is adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8)). Large eps
# values make a misplaced eps (inside the square root) show even for large gradients.
ADAGRAD_OPTIONS = (((), {}), ((), {"lr": 0.1}), ((1.0, 1e-3), {}), ((), {"eps": 1e-6}), ((0.5,), {"eps": 1e-8}),
                   ((0.1,), {}), ((), {"lr": 1.0, "eps": 1e-3}))


def adagrad_inputs() -> Strategy:
    """param, grad, cache (>= 0); gradients from 1e-4 to 10, so eps placement shows, and
    sometimes exact zeros in grad and cache (where eps is all that keeps the step finite)."""
    def build(shape, dtype, seed, grad_scale, options, zeros):
        rng = np.random.default_rng(seed)
        param = fill(rng, shape, dtype, 1.0)
        grad = fill(rng, shape, dtype, grad_scale)
        cache = fill(rng, shape, dtype, 1.0)
        np.abs(cache, out=cache)  # in place: np.abs of a 0-d array would return a numpy scalar
        if zeros:
            where = rng.random(np.shape(grad)) < 0.5
            grad[where], cache[where] = 0, 0
        positional, keywords = options
        return Call((param, grad, cache, *positional), dict(keywords))
    return Strategy(lambda: st().builds(build, st().sampled_from(SHAPES), floats(), seeds(),
                                        st().sampled_from((1.0, 1e-4, 1e-2, 10.0)),
                                        st().sampled_from(ADAGRAD_OPTIONS), st().booleans()), "adagrad")


DROP_PROBABILITIES = (0.5, 0.0, 0.2, 0.75)


def dropout_forward_inputs() -> Strategy:
    def build(shape, dtype, seed, p):
        return Call((fill(np.random.default_rng(seed), shape, dtype, 1.0), p, Rng(seed)))
    return Strategy(lambda: st().builds(build, st().sampled_from(NONSCALAR_SHAPES), floats(), seeds(),
                                        st().sampled_from(DROP_PROBABILITIES)), "dropout_forward")


def dropout_backward_inputs() -> Strategy:
    """dout, a mask that a forward pass with drop probability p could give, and p."""
    def build(shape, dtype, seed, p):
        rng = np.random.default_rng(seed)
        return Call((fill(rng, shape, dtype, 1.0), rng.random(shape) >= p, p))
    return Strategy(lambda: st().builds(build, st().sampled_from(NONSCALAR_SHAPES), floats(), seeds(),
                                        st().sampled_from(DROP_PROBABILITIES)), "dropout_backward")


def probes() -> dict[str, tuple[Call, ...]]:
    """Per function, an input on which its known mistakes all give different results: sizes
    above 2 and all different (a shrunk failing input, N = 2, often makes two mistakes agree),
    p not 1/2, lr and eps given and far from their defaults."""
    rng = np.random.default_rng(2024)
    z = np.linspace(-4.0, 4.0, 9)
    pair = (rng.standard_normal((3, 5)), rng.standard_normal((3, 5)))
    params = {"W1": rng.standard_normal((4, 5)), "b1": rng.standard_normal(5),
              "W2": rng.standard_normal((5, 6)), "b2": rng.standard_normal(6)}
    X, Y = rng.standard_normal((3, 4)), rng.standard_normal((3, 6))
    param, grad = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    return {
        "sigmoid": (Call((z,)),),
        "sigmoid_grad": (Call((z,)),),
        "mse": (Call(pair),),
        "mse_grad": (Call(pair),),
        "two_layer_forward": (Call((params, X)),),
        "two_layer_loss_and_grads": (Call((params, X, Y)),),
        "adagrad_step": (Call((param, grad, rng.random((3, 4))), {"lr": 0.5, "eps": 0.1}),),
        "dropout_backward": (Call((rng.standard_normal((3, 4)), rng.random((3, 4)) < 0.7, 0.3)),),
    }


