"""Submissions as students really hand them in: notebooks with imports and plots, markdown,
a data cell, a training loop, a cell that raises, one that never ends; and .py files
with experiments at the top level. Built with nbformat, from the reference solution."""

from __future__ import annotations

import nbformat

from conftest import reference_source

IMPORTS = "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np"
DATA = "rng = np.random.default_rng(0)\nX = rng.normal(size=(64, 3))\nY = rng.normal(size=(64, 2))"
TRAINING = (
    "params = {'W1': 0.1 * rng.normal(size=(3, 8)), 'b1': np.zeros(8),\n"
    "          'W2': 0.1 * rng.normal(size=(8, 2)), 'b2': np.zeros(2)}\n"
    "cache = {k: np.zeros_like(v) for k, v in params.items()}\n"
    "losses = []\n"
    "for epoch in range(20):\n"
    "    loss, grads = two_layer_loss_and_grads(params, X, Y)\n"
    "    for k in params:\n"
    "        params[k], cache[k] = adagrad_step(params[k], grads[k], cache[k], lr=0.1)\n"
    "    losses.append(loss)\n"
    "    if epoch % 5 == 0:\n"
    "        print(f'epoch {epoch}: loss {loss:.4f}')"
)
PLOT = "plt.plot(losses)\nplt.xlabel('epoch')\nplt.ylabel('loss')\nplt.savefig('loss.png')\nplt.show()"
RAISES = "print(undefined_variable)"
NEVER_ENDS = "for epoch in range(10**12):  # a training loop far too long\n    pass"


def functions() -> tuple[str, str]:
    """The reference in two halves (the second starts at `def mse(`), as two groups of cells."""
    head, _, tail = reference_source().partition("def mse(")
    return head, "def mse(" + tail


def notebook(*cells: str | tuple[str, str]) -> str:
    """A notebook's JSON; a cell is code, or ("markdown", text)."""
    nb = nbformat.v4.new_notebook()
    for cell in cells:
        if isinstance(cell, tuple):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell))
    return nbformat.writes(nb)


def coursework(*extra: str, before: tuple[str, ...] = (), between: tuple[str, ...] = ()) -> str:
    """The notebook a student of this course writes: imports, markdown, data, the functions,
    a training loop that prints, a loss plot; `before` the functions, `between` their halves,
    and `extra` cells at the end."""
    head, tail = functions()
    return notebook(IMPORTS, ("markdown", "# Homework 1: a two-layer network"), DATA, *before, head,
                    ("markdown", "## The loss and the optimizer"), *between, tail, TRAINING, PLOT, *extra)
