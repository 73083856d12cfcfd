"""An independent catalogue of realistic, CORRECT hw1 submissions: notebooks and .py files
written the way students hand them in (magics, plots, training loops, failing imports,
helper modules, cells that raise or never end). Every one must score 100/100, and where
top-level code misbehaved, the note must name the right cell or line.

Each case is a function that writes its submission (and any files beside it) into a
fresh folder and returns (path to grade, limits, expectations). The correct
implementations are written in several styles; every style is also graded on its own
as a plain .py (`style_*` cases), so a failure of a notebook case is a failure of
loading, not of the maths.

When written (against the rewritten loader), these cases lost points or got wrong notes:
nb_setup_cell_uses_missing_library, nb_budget_spent_then_lambda_and_partial,
nb_run_magic_helper, nb_writefile_then_import, nb_percent_format_continuation,
nb_indented_magic_in_loop, nb_shell_assignment, nb_future_annotations,
py_future_annotations_type_checking, py_crlf_bom_unicode, nb_heavy_saved_outputs,
nb_helper_beside_saved_figures, nb_helper_beside_dataset (score); nb_never_ending_training,
nb_crlf_sources and the CLI run of nb_never_ending_training (notes and output only).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from grader.engine import grade
from grader.errors import SubmissionError
from grader.homeworks import HOMEWORKS
from grader.settings import Limits
from grader.submission import load_submission

# Small budgets: every never-ending cell costs at most ~1 s of CPU.
FAST = Limits(cell_seconds=1.0, load_seconds=3.0)


def d(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# Correct implementations, in several styles. Each style defines all nine functions.
# ---------------------------------------------------------------------------------------------

IMPORTS = "import numpy as np\n"

# Style "cs231n": close to the docstrings, one function per cell in notebooks.
CS231N = {
    "sigmoid": d('''
        def sigmoid(z):
            """Numerically stable sigmoid."""
            z = np.asarray(z)
            out = np.empty_like(z)
            pos = z >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
            ez = np.exp(z[~pos])
            out[~pos] = ez / (1.0 + ez)
            return out
        '''),
    "sigmoid_grad": d('''
        def sigmoid_grad(z):
            s = sigmoid(z)
            return s * (1 - s)
        '''),
    "mse": d('''
        def mse(y_pred, y_true):
            diff = y_pred - y_true
            return float(np.mean(diff ** 2))
        '''),
    "mse_grad": d('''
        def mse_grad(y_pred, y_true):
            return 2 * (y_pred - y_true) / y_pred.size
        '''),
    "two_layer_forward": d('''
        def two_layer_forward(params, X):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            h = sigmoid(X.dot(W1) + b1)
            return h.dot(W2) + b2
        '''),
    "two_layer_loss_and_grads": d('''
        def two_layer_loss_and_grads(params, X, Y):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            # forward
            z1 = X.dot(W1) + b1
            h = sigmoid(z1)
            scores = h.dot(W2) + b2
            loss = mse(scores, Y)
            # backward
            dscores = mse_grad(scores, Y)
            grads = {}
            grads["W2"] = h.T.dot(dscores)
            grads["b2"] = np.sum(dscores, axis=0)
            dh = dscores.dot(W2.T)
            dz1 = dh * sigmoid_grad(z1)
            grads["W1"] = X.T.dot(dz1)
            grads["b1"] = np.sum(dz1, axis=0)
            return loss, grads
        '''),
    "adagrad_step": d('''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            cache = cache + grad * grad
            param = param - lr * grad / (np.sqrt(cache) + eps)
            return param, cache
        '''),
    "dropout_forward": d('''
        def dropout_forward(x, p, rng, train=True):
            if not (0 <= p < 1):
                raise ValueError("p must be in [0, 1)")
            if not train:
                return x, None
            mask = np.asarray(rng.random(x.shape) >= p)
            out = x * mask / (1 - p)
            return out, mask
        '''),
    "dropout_backward": d('''
        def dropout_backward(dout, mask, p):
            return dout * mask / (1 - p)
        '''),
}

# Style "where": np.where, einsum, type hints, a shared private helper.
WHERE = {
    "sigmoid": d('''
        def _stable_exp_parts(z: np.ndarray):
            e = np.exp(-np.abs(z))
            return e, z >= 0

        def sigmoid(z: np.ndarray) -> np.ndarray:
            z = np.asarray(z)
            e, nonneg = _stable_exp_parts(z)
            return np.where(nonneg, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)
        '''),
    "sigmoid_grad": d('''
        def sigmoid_grad(z: np.ndarray) -> np.ndarray:
            s = sigmoid(z)
            return s - s * s
        '''),
    "mse": d('''
        def mse(y_pred: np.ndarray, y_true: np.ndarray) -> float:
            r = (y_pred - y_true).ravel()
            return float(np.dot(r, r) / r.size) if r.size else float("nan")
        '''),
    "mse_grad": d('''
        def mse_grad(y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
            M = np.prod(y_pred.shape)
            return (2.0 / M) * (y_pred - y_true)
        '''),
    "two_layer_forward": d('''
        def two_layer_forward(params: dict, X: np.ndarray) -> np.ndarray:
            hidden = sigmoid(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])
            return np.einsum("nh,hc->nc", hidden, params["W2"]) + params["b2"]
        '''),
    "two_layer_loss_and_grads": d('''
        def two_layer_loss_and_grads(params: dict, X: np.ndarray, Y: np.ndarray):
            z = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
            h = sigmoid(z)
            y_hat = np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]
            N, C = Y.shape
            loss = float(np.sum((y_hat - Y) ** 2) / (N * C))
            dy = 2.0 * (y_hat - Y) / (N * C)
            dz = np.einsum("nc,hc->nh", dy, params["W2"]) * sigmoid_grad(z)
            grads = {
                "W2": np.einsum("nh,nc->hc", h, dy),
                "b2": dy.sum(0),
                "W1": np.einsum("nd,nh->dh", X, dz),
                "b1": dz.sum(0),
            }
            return loss, grads
        '''),
    "adagrad_step": d('''
        def adagrad_step(param: np.ndarray, grad: np.ndarray, cache: np.ndarray,
                         lr: float = 1e-2, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
            new_cache = np.add(cache, np.square(grad))
            step = lr * grad / (np.sqrt(new_cache) + eps)
            return np.subtract(param, step), new_cache
        '''),
    "dropout_forward": d('''
        def dropout_forward(x: np.ndarray, p: float, rng: np.random.Generator, train: bool = True):
            if not 0 <= p < 1:
                raise ValueError(f"invalid dropout probability {p!r}")
            if not train:
                return x.copy(), None
            keep = np.asarray(rng.random(size=x.shape) >= p)
            return np.where(keep, x / (1 - p), 0.0).astype(x.dtype, copy=False), keep
        '''),
    "dropout_backward": d('''
        def dropout_backward(dout: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
            return np.where(mask, dout / (1 - p), 0.0).astype(dout.dtype, copy=False)
        '''),
}

# Style "loops": explicit python loops for the small things, errstate for the sigmoid.
LOOPS = {
    "sigmoid": d('''
        def sigmoid(z):
            z = np.asarray(z)
            with np.errstate(over="ignore"):
                return 1.0 / (1.0 + np.exp(-z))
        '''),
    "sigmoid_grad": d('''
        def sigmoid_grad(z):
            return sigmoid(z) * (1.0 - sigmoid(z))
        '''),
    "mse": d('''
        def mse(y_pred, y_true):
            total = 0.0
            count = 0
            for a, b in zip(np.ravel(y_pred), np.ravel(y_true)):
                total += float(a - b) ** 2
                count += 1
            return total / count
        '''),
    "mse_grad": d('''
        def mse_grad(y_pred, y_true):
            grad = np.zeros_like(y_pred)
            M = y_pred.size
            for idx in np.ndindex(y_pred.shape):
                grad[idx] = 2 * (y_pred[idx] - y_true[idx]) / M
            return grad
        '''),
    "two_layer_forward": d('''
        def two_layer_forward(params, X):
            out = X @ params["W1"] + params["b1"]
            out = sigmoid(out)
            out = out @ params["W2"] + params["b2"]
            return out
        '''),
    "two_layer_loss_and_grads": d('''
        def two_layer_loss_and_grads(params, X, Y):
            cache = {}
            cache["a1"] = X @ params["W1"] + params["b1"]
            cache["h1"] = sigmoid(cache["a1"])
            out = cache["h1"] @ params["W2"] + params["b2"]
            loss = mse(out, Y)
            d_out = mse_grad(out, Y)
            grads = {k: None for k in params}
            grads["W2"] = cache["h1"].T @ d_out
            grads["b2"] = d_out.sum(axis=0)
            d_a1 = (d_out @ params["W2"].T) * sigmoid_grad(cache["a1"])
            grads["W1"] = X.T @ d_a1
            grads["b1"] = d_a1.sum(axis=0)
            return loss, grads
        '''),
    "adagrad_step": d('''
        def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
            new_cache = cache.copy()
            new_cache += grad ** 2
            new_param = param.copy()
            new_param -= lr * grad / (np.sqrt(new_cache) + eps)
            return new_param, new_cache
        '''),
    "dropout_forward": d('''
        def dropout_forward(x, p, rng, train=True):
            if p < 0 or p >= 1 or p != p:
                raise ValueError("dropout p must satisfy 0 <= p < 1")
            if train:
                mask = np.asarray(rng.random(np.shape(x)) >= p)
                return np.where(mask, x / (1 - p), 0), mask
            return x, None
        '''),
    "dropout_backward": d('''
        def dropout_backward(dout, mask, p):
            dx = np.zeros_like(dout)
            dx[mask] = dout[mask] / (1 - p)
            return dx
        '''),
}

STYLES = {"cs231n": CS231N, "where": WHERE, "loops": LOOPS}
ORDER = list(CS231N)


def all_functions(style: dict = CS231N, imports: str = IMPORTS) -> str:
    return imports + "\n\n" + "\n\n".join(style[name] for name in ORDER)


# ---------------------------------------------------------------------------------------------
# Notebook helpers
# ---------------------------------------------------------------------------------------------

def md(text: str):
    return v4.new_markdown_cell(d(text).rstrip("\n"))


def code(text: str, **kw):
    return v4.new_code_cell(d(text).rstrip("\n") if text.strip() else text, **kw)


def raw(*parts: str):
    """A code cell of parts already at column 0, joined by blank lines."""
    return v4.new_code_cell("\n".join(p.rstrip("\n") + "\n" for p in parts).rstrip("\n"))


def save_nb(path: Path, cells: list, minor: int = 5, version: int = 4) -> Path:
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python", "version": "3.10.12"}}
    nb.cells = cells
    nb.nbformat_minor = minor
    if minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
        nbformat.write(nb, str(path), version=nbformat.NO_CONVERT)
    else:
        nbformat.write(nb, str(path))
    return path


def function_cells(style: dict = CS231N, markdown: bool = True) -> list:
    cells = []
    for i, name in enumerate(ORDER, 1):
        if markdown:
            cells.append(md(f"### {i}. `{name}`\nImplement `{name}` below."))
        cells.append(code(style[name]))
    return cells


PNG_1PX = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "0000050001e226059b0000000049454e44ae426082")).decode()


@dataclass
class Case:
    """What to expect of one submission beyond 100/100."""

    path: Path
    limits: Limits = FAST
    note_mentions: list[str] = field(default_factory=list)  # each must appear in some note
    no_note_mentions: list[str] = field(default_factory=list)  # none may appear in any note


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


# ---------------------------------------------------------------------------------------------
# Plain .py for each style (so that the notebook cases test loading, not the maths)
# ---------------------------------------------------------------------------------------------

def _style_case(name):
    def build(folder: Path) -> Case:
        path = folder / "hw1.py"
        path.write_text(all_functions(STYLES[name]))
        return Case(path)
    build.__name__ = f"style_{name}_py"
    return build


for _name in STYLES:
    case(_style_case(_name))


# ---------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------

@case
def nb45_markdown_plots_training(folder: Path) -> Case:
    """The everyday notebook: magics, markdown, one function per cell, data, training, a plot."""
    cells = [
        md("# HW1 — two-layer network from scratch\nName: Ana Núñez, student id 12345"),
        code("""
            %matplotlib inline
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            import matplotlib.pyplot as plt
            np.random.seed(0)
            plt.rcParams["figure.figsize"] = (8, 5)
            """),
        *function_cells(CS231N),
        md("## Training on a toy problem"),
        code("""
            N, D, H, C = 64, 3, 16, 2
            X = np.random.randn(N, D)
            Y = np.stack([np.sin(X[:, 0]), np.cos(X[:, 1])], axis=1)
            params = {"W1": 0.1 * np.random.randn(D, H), "b1": np.zeros(H),
                      "W2": 0.1 * np.random.randn(H, C), "b2": np.zeros(C)}
            caches = {k: np.zeros_like(v) for k, v in params.items()}
            losses = []
            for it in range(300):
                loss, grads = two_layer_loss_and_grads(params, X, Y)
                for k in params:
                    params[k], caches[k] = adagrad_step(params[k], grads[k], caches[k], lr=0.5)
                losses.append(loss)
                if it % 50 == 0:
                    print(f"iter {it:4d}  loss {loss:.4f}")
            """),
        code("""
            plt.plot(losses)
            plt.xlabel("iteration"); plt.ylabel("MSE")
            plt.title("Training loss")
            plt.savefig("loss.png", dpi=80)
            plt.show()
            """),
        code(""),
        code("# TODO: try a larger hidden layer\n# H = 64"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb40_saved_with_outputs(folder: Path) -> Case:
    """nbformat 4.0, no cell ids, outputs and out-of-order execution counts as saved by Jupyter."""
    cells = [code("import numpy as np\nimport matplotlib.pyplot as plt\n%matplotlib inline")]
    for i, c in enumerate(function_cells(WHERE, markdown=False)):
        c.execution_count = 10 + 2 * i
        cells.append(c)
    check = code("""
        z = np.linspace(-5, 5, 11)
        print(sigmoid(z))
        plt.plot(z, sigmoid(z)); plt.plot(z, sigmoid_grad(z))
        """)
    check.execution_count = 3
    check.outputs = [
        v4.new_output("stream", name="stdout", text="[0.00669285 0.01798621 ...]\n"),
        v4.new_output("execute_result", data={"text/plain": "[<matplotlib.lines.Line2D at 0x7f>]"},
                      execution_count=3),
        v4.new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure size 640x480>"}),
    ]
    broken = code("print(undefined_name)")
    broken.execution_count = 4
    broken.outputs = [v4.new_output("error", ename="NameError", evalue="name 'undefined_name' is not defined",
                                    traceback=["\x1b[0;31mNameError\x1b[0m: name 'undefined_name' is not defined"])]
    cells += [check, broken]
    return Case(save_nb(folder / "hw1.ipynb", cells, minor=0),
                note_mentions=["code cell 12", "print(undefined_name)", "NameError"])


@case
def nb_magics_and_help(folder: Path) -> Case:
    """Magics of every kind, shell lines, help lines, %%time and %%capture cells."""
    cells = [
        code("""
            %%capture
            !pip install numpy matplotlib tqdm
            """),
        code("""
            %load_ext autoreload
            %autoreload 2
            %config InlineBackend.figure_format = 'retina'
            %matplotlib inline
            import numpy as np
            """),
        code("np.exp?"),
        code("??np.random.default_rng"),
        raw("%%time", CS231N["sigmoid"], CS231N["sigmoid_grad"]),
        code("""
            z = np.random.randn(1000, 100)
            %timeit sigmoid(z)
            %time s = sigmoid(z)
            """),
        code("%%bash\necho hello from bash\nls -la"),
        code("%%html\n<b>bold</b>"),
        code("!nvidia-smi\n!ls -la"),
        code("sigmoid?"),
        *[code(CS231N[n]) for n in ORDER[2:]],
        code("%who"),
        code("%%timeit\nsigmoid(np.random.randn(100))"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_missing_libraries(folder: Path) -> Case:
    """Imports of libraries the grader lacks (torch, seaborn), each in a cell with numpy after it."""
    cells = [
        code("""
            import torch
            import seaborn as sns
            from tqdm.notebook import tqdm
            from IPython.display import display, clear_output
            import numpy as np
            import matplotlib.pyplot as plt
            """),
        code('sns.set_style("whitegrid")'),
        code("torch.manual_seed(0)\nnp.random.seed(0)"),
        *function_cells(LOOPS),
        md("Compare with PyTorch autograd:"),
        code("""
            Xt = torch.randn(5, 3, requires_grad=True)
            print(torch.sigmoid(Xt))
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells),
                note_mentions=["code cell 2", "code cell 3"])


@case
def nb_setup_cell_uses_missing_library(folder: Path) -> Case:
    """A setup cell that configures seaborn (missing here) and THEN defines the sigmoid helpers.

    In the student's kernel seaborn exists; here `sns.set()` raises NameError and
    the rest of the cell is dropped, taking sigmoid and sigmoid_grad with it.
    """
    cells = [
        raw("import numpy as np\nimport matplotlib.pyplot as plt\nimport seaborn as sns\nsns.set()",
            CS231N["sigmoid"], CS231N["sigmoid_grad"]),
        *[code(CS231N[n]) for n in ORDER[2:]],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), note_mentions=["code cell 1"])


@case
def nb_never_ending_training(folder: Path) -> Case:
    """A training cell that runs forever (stopped by the cell budget), then a re-defined function."""
    cells = [
        code("import numpy as np\nfrom IPython.display import clear_output"),
        *function_cells(CS231N, markdown=False),
        md("## Train until I press stop"),
        code("""
            rng = np.random.default_rng(0)
            X = rng.normal(size=(32, 4)); Y = rng.normal(size=(32, 2))
            params = {"W1": rng.normal(size=(4, 8)), "b1": np.zeros(8),
                      "W2": rng.normal(size=(8, 2)), "b2": np.zeros(2)}
            cache = {k: np.zeros_like(v) for k, v in params.items()}
            epoch = 0
            while True:
                loss, grads = two_layer_loss_and_grads(params, X, Y)
                for k in params:
                    params[k], cache[k] = adagrad_step(params[k], grads[k], cache[k])
                epoch += 1
                if epoch % 1000 == 0:
                    clear_output(wait=True)
                    print("epoch", epoch, "loss", loss)
            """),
        md("Re-wrote mse after the training to use np.square:"),
        code("""
            def mse(y_pred, y_true):
                return float(np.mean(np.square(y_pred - y_true)))
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), # the note names the training cell, and where in IT the time ran out (not only the
                # graded function that happened to be running, which is not slow)
                note_mentions=["code cell 11 (`rng = np.random", "code cell 11 line"])


@case
def nb_buggy_then_fixed(folder: Path) -> Case:
    """Functions first written wrong, then re-defined (fixed) in later cells."""
    cells = [
        code("import numpy as np"),
        code("""
            def sigmoid(z):
                return 1 / (1 + np.exp(-z))   # overflows, fixed below
            def mse(y_pred, y_true):
                return 0.5 * np.mean((y_pred - y_true) ** 2)
            def mse_grad(y_pred, y_true):
                return (y_pred - y_true) / y_pred.shape[0]
            def dropout_forward(x, p, rng, train=True):
                mask = np.random.rand(*x.shape) < p
                return x * mask, mask
            """),
        code("print(sigmoid(np.array([-1000.0])))  # RuntimeWarning: overflow"),
        md("**Fixed versions** (after reading the grader output):"),
        *[code(CS231N[n]) for n in ORDER],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_syntax_error_cell(folder: Path) -> Case:
    """A half-written cell with a syntax error; the cells after it count."""
    cells = [
        code("import numpy as np"),
        code("def sigmoid(z)\n    return 1 / (1 + np.exp(-z)"),
        *[code(CS231N[n]) for n in ORDER],
        code("for i in range(3):\nprint(i)"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells),
                note_mentions=["code cell 2", "syntax error", "code cell 12"])


@case
def nb_asserts_and_raising_cell(folder: Path) -> Case:
    """Self-test cells with assert, one that fails on purpose, one raising ZeroDivisionError."""
    cells = [code("import numpy as np")] + function_cells(CS231N, markdown=False) + [
        code("""
            z = np.array([-1e4, 0.0, 1e4])
            assert np.allclose(sigmoid(z), [0, 0.5, 1])
            assert mse(np.ones(3), np.zeros(3)) == 1.0
            print("all my tests passed ✅")
            """),
        code("""
            # sanity check that p=1 raises
            rng = np.random.default_rng(0)
            dropout_forward(np.ones(3), 1.0, rng)
            """),
        code("x = 1 / 0"),
        code("assert sigmoid_grad(0.0) == 0.25, 'sigmoid_grad(0) should be 1/4'"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells),
                note_mentions=["code cell 12 (`rng = np.random.default_rng(0)`)", "ValueError",
                              "code cell 13 (`x = 1 / 0`)", "ZeroDivisionError"])


@case
def nb_gradient_check(folder: Path) -> Case:
    """CS231n-style numerical gradient check helpers and rel_error printouts."""
    cells = [code("import numpy as np\nfrom random import randrange")] + function_cells(CS231N) + [
        code("""
            def rel_error(x, y):
                \"\"\" returns relative error \"\"\"
                return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))

            def eval_numerical_gradient(f, x, verbose=True, h=0.00001):
                fx = f(x)
                grad = np.zeros_like(x)
                it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
                while not it.finished:
                    ix = it.multi_index
                    oldval = x[ix]
                    x[ix] = oldval + h
                    fxph = f(x)
                    x[ix] = oldval - h
                    fxmh = f(x)
                    x[ix] = oldval
                    grad[ix] = (fxph - fxmh) / (2 * h)
                    if verbose:
                        print(ix, grad[ix])
                    it.iternext()
                return grad
            """),
        code("""
            np.random.seed(231)
            X = np.random.randn(5, 4); Y = np.random.randn(5, 3)
            params = {"W1": np.random.randn(4, 6), "b1": np.random.randn(6),
                      "W2": np.random.randn(6, 3), "b2": np.random.randn(3)}
            loss, grads = two_layer_loss_and_grads(params, X, Y)
            for name in sorted(params):
                f = lambda _: two_layer_loss_and_grads(params, X, Y)[0]
                num = eval_numerical_gradient(f, params[name], verbose=False)
                print('%s max relative error: %e' % (name, rel_error(num, grads[name])))
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_class_staticmethods_dataclass(folder: Path) -> Case:
    """Functions as staticmethods of a class, assigned to module names; a dataclass model."""
    body = "\n".join("    @staticmethod\n" + textwrap.indent(CS231N[n], "    ")
                     for n in ("sigmoid", "mse", "mse_grad", "dropout_backward"))
    cells = [
        code("import numpy as np\nfrom dataclasses import dataclass, field\nfrom typing import Dict"),
        code("class F:\n    \"\"\"My functional toolbox.\"\"\"\n" + body.replace("sigmoid(z)\n", "sigmoid(z)\n")),
        code("""
            sigmoid = F.sigmoid
            mse, mse_grad = F.mse, F.mse_grad
            dropout_backward = F.dropout_backward

            def sigmoid_grad(z):
                s = F.sigmoid(z)
                return s * (1 - s)
            """),
        code("""
            @dataclass
            class TwoLayerNet:
                params: Dict[str, np.ndarray] = field(default_factory=dict)

                def forward(self, X):
                    self.z = X @ self.params["W1"] + self.params["b1"]
                    self.h = sigmoid(self.z)
                    return self.h @ self.params["W2"] + self.params["b2"]

                def loss_and_grads(self, X, Y):
                    out = self.forward(X)
                    dy = mse_grad(out, Y)
                    dz = dy @ self.params["W2"].T * sigmoid_grad(self.z)
                    return mse(out, Y), {"W1": X.T @ dz, "b1": dz.sum(0), "W2": self.h.T @ dy, "b2": dy.sum(0)}

            def two_layer_forward(params, X):
                return TwoLayerNet(params).forward(X)

            def two_layer_loss_and_grads(params, X, Y):
                return TwoLayerNet(params).loss_and_grads(X, Y)
            """),
        code("""
            class Adagrad:
                def __init__(self, lr=1e-2, eps=1e-8):
                    self.lr, self.eps = lr, eps

                def __call__(self, param, grad, cache, lr=None, eps=None):
                    lr = self.lr if lr is None else lr
                    eps = self.eps if eps is None else eps
                    cache = cache + grad ** 2
                    return param - lr * grad / (np.sqrt(cache) + eps), cache

            def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
                return Adagrad(lr, eps)(param, grad, cache)
            """),
        code(CS231N["dropout_forward"]),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_lambdas_partial(folder: Path) -> Case:
    """Lambdas and functools.partial assigned to the graded names."""
    cells = [
        code("import numpy as np\nfrom functools import partial"),
        code(CS231N["sigmoid"]),
        code("""
            def _act_grad(act, z):
                a = act(z)
                return a * (1 - a)

            sigmoid_grad = partial(_act_grad, sigmoid)
            mse = lambda y_pred, y_true: float(np.mean((y_pred - y_true) ** 2))
            mse_grad = lambda y_pred, y_true: 2 * (y_pred - y_true) / y_pred.size
            dropout_backward = lambda dout, mask, p: np.where(mask, dout / (1 - p), 0.0)
            """),
        *[code(CS231N[n]) for n in ("two_layer_forward", "two_layer_loss_and_grads", "adagrad_step",
                                     "dropout_forward")],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_decorators(folder: Path) -> Case:
    """@np.errstate on the sigmoid, a timing decorator (with print) on every function."""
    timed = "\n".join("@timed\n" + CS231N[n] for n in ORDER[1:])
    cells = [
        code("""
            import time, functools
            import numpy as np

            CALLS = {}

            def timed(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    t0 = time.perf_counter()
                    out = fn(*args, **kwargs)
                    CALLS[fn.__name__] = CALLS.get(fn.__name__, 0) + 1
                    print(f"{fn.__name__} took {1e3 * (time.perf_counter() - t0):.3f} ms")
                    return out
                return wrapper
            """),
        code("""
            @timed
            @np.errstate(over="ignore", under="ignore")
            def sigmoid(z):
                return 1.0 / (1.0 + np.exp(-np.asarray(z)))
            """),
        code(timed),
        code("print(CALLS)"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_budget_spent_then_lambda_and_partial(folder: Path) -> Case:
    """Three hyper-parameter sweeps use up all the time for top-level code; the functions
    defined after them are lambdas and a partial (definitions that only *mention* calls)."""
    sweep = """
        results = {}
        for lr in [1e-3, 1e-2, 1e-1, 1.0]:
            for H in [4, 16, 64, 256]:
                while True:  # train until convergence (never happens)
                    results[(lr, H)] = np.linalg.norm(np.random.randn(200, 200))
        """
    cells = [
        code("import numpy as np\nfrom functools import partial"),
        *[code(CS231N[n]) for n in ("sigmoid", "two_layer_forward", "two_layer_loss_and_grads",
                                     "adagrad_step", "dropout_forward")],
        code(sweep), code(sweep), code(sweep), code(sweep),
        md("Short helpers, written at the end:"),
        code("""
            sigmoid_grad = lambda z: sigmoid(z) * (1 - sigmoid(z))
            mse = lambda y_pred, y_true: float(np.mean((y_pred - y_true) ** 2))
            mse_grad = lambda y_pred, y_true: 2 * (y_pred - y_true) / np.size(y_pred)
            dropout_backward = lambda dout, mask, p: np.where(mask, dout / (1 - p), 0.0)
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), note_mentions=["only definitions"])


@case
def nb_helper_module_and_csv(folder: Path) -> Case:
    """Helpers in a module beside the notebook; data read from a CSV beside it (numpy and pandas)."""
    (folder / "nn_helpers.py").write_text(all_functions(CS231N) + d('''

        def load_toy(path="toy.csv"):
            data = np.loadtxt(path, delimiter=",", skiprows=1)
            return data[:, :3], data[:, 3:]
        '''))
    rows = ["x1,x2,x3,y1,y2"] + [f"{i*.1:.1f},{i*.2:.1f},{-i*.1:.1f},{i%2},{(i+1)%2}" for i in range(20)]
    (folder / "toy.csv").write_text("\n".join(rows) + "\n")
    cells = [
        code("""
            %load_ext autoreload
            %autoreload 2
            import numpy as np
            import pandas as pd
            from nn_helpers import (sigmoid, sigmoid_grad, mse, mse_grad, two_layer_forward,
                                    two_layer_loss_and_grads, adagrad_step, load_toy)
            import nn_helpers
            """),
        code("""
            X, Y = load_toy()
            df = pd.read_csv("toy.csv")
            df.head()
            """),
        code("from nn_helpers import dropout_forward, dropout_backward"),
        code("print(X.shape, Y.shape, df.shape)"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell"])


@case
def nb_run_magic_helper(folder: Path) -> Case:
    """`%run layers.py` executes a file beside the notebook into the notebook's namespace."""
    (folder / "layers.py").write_text(all_functions(WHERE))
    cells = [
        code("import numpy as np\n%matplotlib inline"),
        code("%run layers.py"),
        code("print(sigmoid(np.zeros(3)))"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell 3"])


@case
def nb_writefile_then_import(folder: Path) -> Case:
    """`%%writefile activations.py` writes a module, a later cell imports it."""
    cells = [
        code("import numpy as np"),
        code("%%writefile activations.py\nimport numpy as np\n\n" + CS231N["sigmoid"] + "\n\n" + CS231N["sigmoid_grad"]),
        code("from activations import sigmoid, sigmoid_grad"),
        *[code(CS231N[n]) for n in ORDER[2:]],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell 3"])


@case
def nb_percent_format_continuation(folder: Path) -> Case:
    """A line that starts with `%` inside Python code: old-style formatting broken before the operator."""
    cells = [
        code("import numpy as np"),
        code(CS231N["sigmoid"] + "\n" + CS231N["sigmoid_grad"]),
        code(CS231N["mse"] + "\n" + CS231N["mse_grad"] + d('''

            def report(it, loss):
                print("iteration %5d: loss %.6f"
                      % (it, loss))
            ''')),
        *[code(CS231N[n]) for n in ORDER[4:]],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell 3"])


@case
def nb_indented_magic_in_loop(folder: Path) -> Case:
    """`%time` inside a for loop (IPython accepts indented magics) in the cell defining adagrad_step."""
    cells = [
        code("import numpy as np"),
        *[code(CS231N[n]) for n in ORDER if n != "adagrad_step"],
        code(CS231N["adagrad_step"] + d('''

            p, g, c = np.ones(1000), np.ones(1000), np.zeros(1000)
            for lr in [1e-3, 1e-2]:
                %time adagrad_step(p, g, c, lr=lr)
            ''')),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["syntax error"])


@case
def nb_shell_assignment(folder: Path) -> Case:
    """`files = !ls` and `t = %timeit -o ...` in the cell with the helpers."""
    cells = [
        code("import numpy as np\nfiles = !ls\nprint(files)\n" + CS231N["sigmoid"] + "\n" + CS231N["sigmoid_grad"]),
        *[code(CS231N[n]) for n in ORDER[2:]],
        code("t = %timeit -o sigmoid(np.zeros(10))\nprint(t.average)"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell 1 "])


@case
def nb_crlf_sources(folder: Path) -> Case:
    """Cell sources with Windows line endings (\\r\\n), including a magic and a help line."""
    cells = [code("%matplotlib inline\r\nimport numpy as np\r\n")]
    for n in ORDER:
        cells.append(code(CS231N[n].replace("\n", "\r\n")))
    cells.append(code("sigmoid?\r\n"))
    cells.append(code("np.random.default_rng?\r\n"))
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["syntax error"])


@case
def nb_unicode_everywhere(folder: Path) -> Case:
    """Greek identifiers, accented comments, emoji in prints, a non-ASCII notebook name."""
    cells = [
        md("# Devoir 1 — réseau à deux couches 🧠"),
        code("import numpy as np  # numérique"),
        code("""
            def σ(z):
                \"\"\"σ(z) = 1 / (1 + e^{−z}), stable.\"\"\"
                z = np.asarray(z)
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

            sigmoid = σ
            def sigmoid_grad(z):
                s = σ(z)
                return s * (1 - s)   # σ′(z) = σ(z)(1 − σ(z))
            print("σ(0) =", σ(0.0), "✓")
            """),
        code("""
            def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):
                η, ε = lr, eps
                G = cache + grad ** 2          # somme des carrés
                return param - η * grad / (np.sqrt(G) + ε), G
            """),
        *[code(CS231N[n]) for n in ORDER if n not in ("sigmoid", "sigmoid_grad", "adagrad_step")],
        code('print("Fertig! 🎉 Ελληνικά, 日本語, русский")'),
    ]
    return Case(save_nb(folder / "devoir_1_réseau.ipynb", cells))


@case
def nb_long_output(folder: Path) -> Case:
    """Very long output: a verbose training loop and a huge array printed in full."""
    cells = [
        code("import numpy as np\nimport sys"),
        *function_cells(CS231N, markdown=False),
        code("""
            for i in range(20000):
                print(f"step {i}: loss = {1.0 / (i + 1):.6f}  ✓")
            """),
        code("""
            np.set_printoptions(threshold=sys.maxsize)
            print(np.random.randn(300, 300))
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_input_and_exit(folder: Path) -> Case:
    """`input()` for the student id, and `raise SystemExit` to stop a 'Run all'."""
    cells = [
        code("import numpy as np\nSTUDENT = input('Your student id: ')"),
        *function_cells(LOOPS, markdown=False)[:5],
        code("raise SystemExit('Stop here: the rest is experiments')"),
        *function_cells(LOOPS, markdown=False)[5:],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), note_mentions=["code cell 1", "code cell 7"])


@case
def nb_future_annotations(folder: Path) -> Case:
    """`from __future__ import annotations` with a type only imported for the type checker."""
    cells = [
        code("""
            from __future__ import annotations
            from typing import TYPE_CHECKING
            import numpy as np
            if TYPE_CHECKING:
                from numpy.typing import NDArray

            def sigmoid(z: NDArray) -> NDArray:
                z = np.asarray(z)
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

            def sigmoid_grad(z: NDArray) -> NDArray:
                s = sigmoid(z)
                return s * (1 - s)
            """),
        *[code(CS231N[n]) for n in ORDER[2:]],
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell 1"])


@case
def nb_colab(folder: Path) -> Case:
    """A Colab notebook: drive mount, %cd, sys.path tweaks, display() without import."""
    cells = [
        code("""
            from google.colab import drive
            drive.mount('/content/drive')
            """),
        code("%cd /content/drive/MyDrive/DL/hw1\nimport sys\nsys.path.append('/content/drive/MyDrive/DL')"),
        code("import numpy as np\nimport pandas as pd"),
        *function_cells(WHERE, markdown=False),
        code("""
            df = pd.DataFrame({"z": np.linspace(-3, 3, 7)})
            df["sigmoid"] = sigmoid(df["z"].to_numpy())
            display(df)
            """),
        code("get_ipython().run_line_magic('matplotlib', 'inline')"),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), note_mentions=["code cell 1"])


@case
def nb_live_plot_with_sleep(folder: Path) -> Case:
    """A live-updating plot loop with time.sleep: little CPU, lots of wall time."""
    cells = [
        code("import time\nimport numpy as np\nimport matplotlib.pyplot as plt\nfrom IPython.display import clear_output"),
        *function_cells(CS231N, markdown=False)[:4],
        code("""
            losses = []
            for step in range(1000):
                losses.append(np.exp(-step / 100))
                clear_output(wait=True)
                plt.plot(losses); plt.show()
                time.sleep(0.5)
            """),
        *function_cells(CS231N, markdown=False)[4:],
    ]
    # a backstop of 3 x 1 s + 1 s by the wall clock keeps this case short
    return Case(save_nb(folder / "hw1.ipynb", cells), limits=Limits(cell_seconds=1.0, load_seconds=3.0, wall_slack=1.0),
                note_mentions=["code cell 6 (`losses = []`)"])


@case
def nb_global_state_and_files(folder: Path) -> Case:
    """Module-level constants and rng, `global` in a training function, files written to subfolders."""
    cells = [
        code("""
            import os, pickle, json
            import numpy as np
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            EPS = 1e-8
            LR = 1e-2
            rng = np.random.default_rng(42)
            step_count = 0
            os.makedirs("figures", exist_ok=True)
            """),
        *[code(CS231N[n]) for n in ORDER if n != "adagrad_step"],
        code("""
            def adagrad_step(param, grad, cache, lr=LR, eps=EPS):
                global step_count
                step_count += 1
                cache = cache + grad ** 2
                return param - lr * grad / (np.sqrt(cache) + eps), cache
            """),
        code("""
            params = {"W1": rng.normal(size=(2, 5)), "b1": np.zeros(5), "W2": rng.normal(size=(5, 1)), "b2": np.zeros(1)}
            X = rng.normal(size=(50, 2)); Y = (X[:, :1] * X[:, 1:])
            cache = {k: np.zeros_like(v) for k, v in params.items()}
            hist = []
            for _ in range(200):
                loss, g = two_layer_loss_and_grads(params, X, Y)
                for k in params:
                    params[k], cache[k] = adagrad_step(params[k], g[k], cache[k], lr=0.1)
                hist.append(loss)
            fig, ax = plt.subplots()
            ax.semilogy(hist)
            fig.savefig("figures/loss.png")
            with open("params.pkl", "wb") as f:
                pickle.dump(params, f)
            json.dump({"final_loss": hist[-1]}, open("figures/summary.json", "w"))
            np.save("figures/W1.npy", params["W1"])
            """),
    ]
    return Case(save_nb(folder / "hw1.ipynb", cells), no_note_mentions=["code cell"])


@case
def nb_bare_except_training(folder: Path) -> Case:
    """`try/except:` around a long training loop (the student's 'stop with the square button')."""
    cells = [code("import numpy as np")] + function_cells(CS231N, markdown=False)[:6] + [
        code("""
            try:
                while True:
                    _ = np.random.randn(100, 100) @ np.random.randn(100, 100)
            except:
                print("training interrupted, keeping the current weights")
            """),
    ] + function_cells(CS231N, markdown=False)[6:]
    # the student's handler swallows the interruption, so the cell ends normally: no note is required
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_released_nbgrader_notebook(folder: Path) -> Case:
    """The released nbgrader notebook, answer cells filled in, test cells left as they are."""
    source = nbformat.read(str(Path(__file__).resolve().parents[1] / "source" / "hw1" / "hw1.ipynb"),
                           as_version=4)
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = WHERE[meta["grade_id"]]
        elif meta.get("grade"):  # the released test cell has no hidden part
            cell.source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S)
    source.cells.append(code("import matplotlib.pyplot as plt\nplt.plot(sigmoid(np.linspace(-4, 4, 50)))"))
    path = folder / "hw1.ipynb"
    nbformat.write(source, str(path))
    return Case(path, no_note_mentions=["code cell"])


# ---------------------------------------------------------------------------------------------
# .py files
# ---------------------------------------------------------------------------------------------

@case
def py_main_guard_dataclass_hints(folder: Path) -> Case:
    """A tidy module: type hints, a dataclass, seed at top level, experiments under the main guard."""
    path = folder / "hw1.py"
    path.write_text(d('''
        """HW1 — my solutions."""
        from __future__ import annotations

        import argparse
        from dataclasses import dataclass

        import numpy as np

        np.random.seed(0)
        Array = np.ndarray
        ''') + "\n" + "\n\n".join(WHERE[n] for n in ORDER) + d('''


        @dataclass
        class Config:
            hidden: int = 16
            lr: float = 0.5
            steps: int = 10_000_000


        def train(cfg: Config) -> list[float]:
            rng = np.random.default_rng(0)
            X, Y = rng.normal(size=(64, 3)), rng.normal(size=(64, 2))
            params = {"W1": rng.normal(size=(3, cfg.hidden)), "b1": np.zeros(cfg.hidden),
                      "W2": rng.normal(size=(cfg.hidden, 2)), "b2": np.zeros(2)}
            cache = {k: np.zeros_like(v) for k, v in params.items()}
            losses = []
            for _ in range(cfg.steps):
                loss, grads = two_layer_loss_and_grads(params, X, Y)
                for k in params:
                    params[k], cache[k] = adagrad_step(params[k], grads[k], cache[k], lr=cfg.lr)
                losses.append(loss)
            return losses


        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--hidden", type=int, default=16)
            args = parser.parse_args()
            print(train(Config(hidden=args.hidden))[-1])
        '''))
    return Case(path, no_note_mentions=["hw1.py"])


@case
def py_crlf_bom_unicode(folder: Path) -> Case:
    """Saved by Notepad on Windows: UTF-8 with BOM, CRLF line endings, accented comments."""
    text = "# -*- coding: utf-8 -*-\n# Devoir 1 — Émilie Côté\n" + all_functions(LOOPS) + \
        '\nprint("chargé ✓")\n'
    path = folder / "hw1.py"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return Case(path)


@case
def py_latin1_encoded(folder: Path) -> Case:
    """An old editor's Latin-1 file with a coding declaration and accents in comments and strings."""
    text = "# -*- coding: latin-1 -*-\n# Réseau à deux couches, écrit par Hélène\n" + all_functions(CS231N) + \
        '\nMESSAGE = "terminé"\n'
    path = folder / "hw1.py"
    path.write_bytes(text.encode("latin-1"))
    return Case(path)


@case
def py_future_annotations_type_checking(folder: Path) -> Case:
    """`from __future__ import annotations` + names only imported under TYPE_CHECKING."""
    path = folder / "hw1.py"
    path.write_text(d('''
        from __future__ import annotations

        from typing import TYPE_CHECKING

        import numpy as np

        if TYPE_CHECKING:
            from numpy.typing import NDArray


        def sigmoid(z: NDArray[np.floating]) -> NDArray[np.floating]:
            z = np.asarray(z)
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


        def sigmoid_grad(z: NDArray) -> NDArray:
            s = sigmoid(z)
            return s * (1 - s)


        def mse(y_pred: NDArray, y_true: NDArray) -> float:
            return float(np.mean((y_pred - y_true) ** 2))
        ''') + "\n\n" + "\n\n".join(CS231N[n] for n in ORDER[3:]))
    return Case(path, no_note_mentions=["hw1.py"])


@case
def py_experiments_without_guard(folder: Path) -> Case:
    """Experiments at the bottom without a main guard: a never-ending loop, then one more def."""
    path = folder / "hw1.py"
    path.write_text(all_functions(CS231N, imports="import numpy as np\nimport matplotlib.pyplot as plt\n")
                    .replace("def dropout_backward", "def _unused_dropout_backward") + d('''


        # ---- experiments ----
        rng = np.random.default_rng(0)
        X = rng.normal(size=(100, 2))
        losses = []
        while True:
            losses.append(float(np.mean(sigmoid(X))))

        plt.plot(losses)
        plt.show()


        def dropout_backward(dout, mask, p):
            return dout * mask / (1 - p)
        '''))
    return Case(path, note_mentions=["hw1.py line", "while True", "__main__"])


@case
def py_helper_module_and_csv(folder: Path) -> Case:
    """`from utils import ...` (a file beside it), `Path(__file__).parent / "data.csv"`."""
    (folder / "utils.py").write_text(IMPORTS + "\n\n" + CS231N["sigmoid"] + "\n\n" + CS231N["sigmoid_grad"])
    (folder / "data.csv").write_text("1.0,2.0\n3.0,4.0\n")
    path = folder / "hw1.py"
    path.write_text(d('''
        import os
        from pathlib import Path
        import numpy as np
        from utils import sigmoid, sigmoid_grad

        HERE = Path(__file__).resolve().parent
        DATA = np.loadtxt(HERE / "data.csv", delimiter=",")
        DATA2 = np.genfromtxt(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data.csv"), delimiter=",")
        ''') + "\n\n" + "\n\n".join(CS231N[n] for n in ORDER[2:]))
    return Case(path, no_note_mentions=["hw1.py"])


@case
def py_jupyter_export(folder: Path) -> Case:
    """A notebook exported with 'Download as .py': `# In[3]:` markers and get_ipython() lines."""
    parts = ["#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\n",
             "get_ipython().system('pip install tqdm')\nget_ipython().run_line_magic('matplotlib', 'inline')\n",
             "import numpy as np\nimport matplotlib.pyplot as plt\n\n\n"]
    for i, n in enumerate(ORDER, 2):
        parts.append(f"# In[{i}]:\n\n\n{CS231N[n]}\n\n")
    parts.append("# In[20]:\n\n\nget_ipython().run_cell_magic('time', '', 'x = sigmoid(np.zeros(3))\\n')\n")
    path = folder / "hw1.py"
    path.write_text("".join(parts))
    return Case(path)


@case
def py_jupytext_percent_cells(folder: Path) -> Case:
    """A jupytext 'percent' script: `# %%` cells, commented-out magics, a markdown cell."""
    parts = ["# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:percent\n# ---\n\n",
             "# %% [markdown]\n# # HW1\n\n# %%\n# %matplotlib inline\nimport numpy as np\n\n"]
    for n in ORDER:
        parts.append(f"# %%\n{WHERE[n]}\n")
    parts.append("# %%\nassert sigmoid(np.array(0.0)) == 0.5\n")
    path = folder / "hw1.py"
    path.write_text("".join(parts))
    return Case(path)


@case
def py_scipy_expit(folder: Path) -> Case:
    """The sigmoid taken from scipy, the rest from numpy."""
    path = folder / "hw1.py"
    path.write_text("import numpy as np\nfrom scipy.special import expit\n\n\ndef sigmoid(z):\n    return expit(z)\n\n\n"
                    + "\n\n".join(CS231N[n] for n in ORDER[1:]))
    return Case(path)


# ---------------------------------------------------------------------------------------------
# More cases, found while probing
# ---------------------------------------------------------------------------------------------

@case
def nb_heavy_saved_outputs(folder: Path) -> Case:
    """Saved with its outputs: interactive plotly figures embed plotly.js (~4 MB each)."""
    cells = [code("import numpy as np\nimport plotly.express as px")] + function_cells(CS231N, markdown=False)
    for i in range(6):
        fig = code(f"px.line(y=np.random.randn(100)).show()  # figure {i}")
        fig.execution_count = 20 + i
        fig.outputs = [v4.new_output("display_data", data={
            "text/html": "<script>/* plotly.js */" + ("x" * (4 * 1024 * 1024)) + "</script>"})]
        cells.append(fig)
    return Case(save_nb(folder / "hw1.ipynb", cells))


@case
def nb_print_every_step(folder: Path) -> Case:
    """A long training loop that prints a line every step: about 80 MB of output."""
    cells = [code("import numpy as np")] + function_cells(CS231N, markdown=False)[:5] + [
        code("""
            loss = 1.0
            for step in range(2_000_000):
                loss *= 0.999999
                print(f"step {step:8d} | loss {loss:.8f} | lr 0.01")
            """),
    ] + function_cells(CS231N, markdown=False)[5:]
    return Case(save_nb(folder / "hw1.ipynb", cells), limits=Limits(cell_seconds=10.0, load_seconds=30.0),
                note_mentions=["code cell 7"])


@case
def py_helper_package_subfolder(folder: Path) -> Case:
    """Helpers in a package one folder down: `from mylib.activations import sigmoid`."""
    (folder / "mylib").mkdir()
    (folder / "mylib" / "__init__.py").write_text("")
    (folder / "mylib" / "activations.py").write_text(IMPORTS + "\n\n" + CS231N["sigmoid"] + "\n\n" + CS231N["sigmoid_grad"])
    path = folder / "hw1.py"
    path.write_text("import numpy as np\nfrom mylib.activations import sigmoid, sigmoid_grad\n\n\n"
                    + "\n\n".join(CS231N[n] for n in ORDER[2:]))
    return Case(path, no_note_mentions=["hw1.py"])


def _helper_notebook(folder: Path) -> Path:
    (folder / "helpers.py").write_text(all_functions(CS231N))
    cells = [code("import numpy as np\nfrom helpers import *"), code("print(sigmoid(np.zeros(2)))")]
    return save_nb(folder / "hw1.ipynb", cells)


@case
def nb_helper_beside_saved_figures(folder: Path) -> Case:
    """`from helpers import *`, in a folder that also holds 250 saved training plots in figures/."""
    (folder / "figures").mkdir()
    for i in range(250):
        (folder / "figures" / f"loss_{i:03d}.png").write_bytes(base64.b64decode(PNG_1PX))
    return Case(_helper_notebook(folder), no_note_mentions=["code cell"])


@case
def nb_helper_beside_dataset(folder: Path) -> Case:
    """`from helpers import *`, in a folder that also holds a 40 MB dataset in 1 MB shards."""
    (folder / "data").mkdir()
    for i in range(40):
        (folder / "data" / f"shard_{i:02d}.npy").write_bytes(b"\0" * (1024 * 1024))
    return Case(_helper_notebook(folder), no_note_mentions=["code cell"])


@case
def nb_crlf_file_and_bom(folder: Path) -> Case:
    """The notebook file itself with CRLF line endings and a UTF-8 BOM (saved by a Windows editor)."""
    path = save_nb(folder / "hw1.ipynb", [code("import numpy as np")] + function_cells(CS231N))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    return Case(path)


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

def _grade(case_name: str, folder: Path):
    expect = CASES[case_name](folder)
    try:
        submission = load_submission(expect.path)
    except SubmissionError as error:
        pytest.fail(f"the submission was refused before grading: {error}")
    report = grade(HOMEWORKS["hw1"], submission, limits=expect.limits)
    return expect, report


def _explain(report) -> str:
    lines = [f"score {report.score}/{report.max_score}", f"error: {report.error}"]
    lines += [f"note: {n}" for n in report.notes]
    for e in report.exercises:
        if e.score < e.max_score:
            for c in e.checks:
                if c.failure is not None:
                    lines.append(f"{e.name}: {c.description}: {c.failure.summary}")
                    break
    return "\n".join(lines)


@pytest.mark.parametrize("case_name", list(CASES))
def test_correct_submission_scores_full_marks(case_name, tmp_path):
    expect, report = _grade(case_name, tmp_path)
    assert report.error is None, _explain(report)
    assert report.score == report.max_score == 100, _explain(report)
    notes = [n for n in report.notes if not n.startswith("no OS-level sandbox")]
    for needle in expect.note_mentions:
        assert any(needle in n for n in notes), f"no note mentions {needle!r}:\n" + "\n".join(notes)
    for needle in expect.no_note_mentions:
        assert not any(needle in n for n in notes), f"a note mentions {needle!r}:\n" + "\n".join(notes)


CLI_CASES = ["nb_never_ending_training", "nb_syntax_error_cell", "py_experiments_without_guard"]


@pytest.mark.parametrize("case_name", CLI_CASES)
def test_cli_at_80_columns(case_name, tmp_path):
    """`grade hw1 --submission PATH` read in an 80-column terminal (not a TTY, as in CI or a pipe)."""
    expect = CASES[case_name](tmp_path)
    grade_cli = Path(sys.executable).with_name("grade")
    env = dict(os.environ, COLUMNS="80")
    proc = subprocess.run([str(grade_cli), "hw1", "--submission", str(expect.path), "--cell-timeout", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "Total: 100/100" in out, out
    assert "\x1b" not in out, "control codes (from the student's output) reach the terminal:\n" + out
    too_wide = [line for line in out.splitlines() if len(line) > 80]
    assert not too_wide, "lines wider than 80 columns:\n" + "\n".join(too_wide)
    flat = " ".join(out.split())  # notes wrap: compare with whitespace collapsed
    for needle in expect.note_mentions:
        assert " ".join(needle.split()) in flat, f"{needle!r} not in:\n{out}"
