"""How long the in-notebook `check()` takes in a real Jupyter kernel, next to the same notebook
without its slow training cell.

    python bench/check_speed.py [--train-seconds 30] [--runs 5]

Builds a notebook as a student writes it (imports and matplotlib, markdown, the hw1
functions, a training loop that runs for --train-seconds, a loss plot), executes it
in an ipykernel with nbclient, then times `check("hw1", name)` --runs times for each
of three functions, in the same kernel. The baseline is the same notebook with no
training cell, measured in the same run. Target (issue 8): at most 2 s a check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
NAMES = ("sigmoid", "two_layer_loss_and_grads", "dropout_forward")


def notebook(train_seconds: float, runs: int) -> nbformat.NotebookNode:
    reference = (ROOT / "solutions" / "hw1" / "hw1.py").read_text()
    cells = [
        nbformat.v4.new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport time"),
        nbformat.v4.new_markdown_cell("# Homework 1\nThe functions, then an experiment."),
        nbformat.v4.new_code_cell(reference),
    ]
    if train_seconds:
        cells.append(nbformat.v4.new_code_cell(
            "params = {'W1': np.zeros((3, 4)), 'b1': np.zeros(4), 'W2': np.zeros((4, 2)), 'b2': np.zeros(2)}\n"
            "losses, started = [], time.time()\n"
            f"while time.time() - started < {train_seconds}:  # the training loop\n"
            "    loss, grads = two_layer_loss_and_grads(params, np.ones((5, 3)), np.ones((5, 2)))\n"
            "    losses.append(loss)\n"
            "print(len(losses), 'steps')"))
        cells.append(nbformat.v4.new_code_cell("plt.plot(losses)\nplt.show()"))
    timing = (
        "import time, contextlib, io\nfrom grader.notebook_checks import check\ntimes, shown = {}, ''\n"
        f"for name in {NAMES!r}:\n"
        f"    for _ in range({runs}):\n"
        "        out = io.StringIO()\n"
        "        started = time.perf_counter()\n"
        "        with contextlib.redirect_stdout(out):\n"
        "            score = check('hw1', name)\n"
        "        times.setdefault(name, []).append(time.perf_counter() - started)\n"
        "        shown = shown or out.getvalue()\n"
        "print(repr(times))\nprint(shown)"
    )
    cells.append(nbformat.v4.new_code_cell(timing))
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def run(train_seconds: float, runs: int) -> tuple[dict, str]:
    nb = notebook(train_seconds, runs)
    NotebookClient(nb, timeout=train_seconds + 600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    first, _, shown = text.partition("\n")
    return eval(first, {}), shown  # our own kernel's repr of a dict of floats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    baseline, _ = run(0, args.runs)
    slow, shown = run(args.train_seconds, args.runs)
    worst = 0.0
    for name in NAMES:
        median = statistics.median(slow[name])
        worst = max(worst, median)
        print(f"check('hw1', {name!r:<28}) median {median:.3f} s with a {args.train_seconds:g} s training cell, "
              f"{statistics.median(baseline[name]):.3f} s without ({args.runs} runs each)")
    print(f"\nwhat check() printed, with the training cell:\n{shown}")
    verdict = "meets" if worst <= TARGET_SECONDS else "MISSES"
    print(f"slowest check(): {worst:.3f} s median, {verdict} the {TARGET_SECONDS:.1f} s target")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
