"""Grade one function from inside a Jupyter notebook: what a notebook's test cell calls.

    score = check("hw1", "sigmoid")                  # the checks that need no reference
    score = check("hw1", "sigmoid", reference=True)  # everything, as `grade` would

The code graded is what this kernel has run, in order (IPython's input history),
without the test cells themselves; it runs in the grader's isolated worker like
any submission. The score is returned as a float, which nbgrader reads as partial
credit. Nothing is written to stderr: nbgrader gives 0 to a test cell that does.

This is what a student sees while working. For marks, nbgrader's autograde
re-grades the notebook's code outside the kernel (grader.nbgrader_plugin), so
whatever a notebook does to this module or to numpy in its kernel counts for nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings
from pathlib import Path

# Set by grader.nbgrader_plugin in the nbgrader process, whose kernels inherit it: during
# `nbgrader autograde` the plugin overwrites every test cell, so grading in the kernel is wasted.
GRADED_OUTSIDE_KERNEL = "GRADER_GRADES_OUTSIDE_KERNEL"


def check(homework: str, name: str, reference: bool = False) -> float:
    """Grade function `name` of `homework` as this kernel defines it; print feedback, return the score.

    Outside an IPython kernel (e.g. when `grade hw1.ipynb` runs a notebook's cells
    as a submission) it does nothing and returns 0.0: grading from there would
    start a grader inside the grader.
    """
    history = _kernel_history()
    if history is None:
        return 0.0
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and os.environ.get(GRADED_OUTSIDE_KERNEL) == "1":
        print("graded by nbgrader outside this kernel")
        return 0.0
    from grader.engine import grade, with_helpers
    from grader.homeworks import HOMEWORKS
    from grader.submission import Submission

    exercise = HOMEWORKS[homework].exercise(name)
    # the function, and the helpers it is judged with (a cascade names them; a release takes them as truth)
    wanted = {e.name for e in with_helpers(HOMEWORKS[homework], [exercise])}
    cells, skipped = slice_for(cells_from_history(history), wanted)
    submission = Submission(Path.cwd() / f"{homework}.ipynb", tuple(cells))
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")  # a warning would reach stderr, and stderr zeroes the cell
        report = grade(HOMEWORKS[homework], submission, only=[name], reference=reference)
    (result,) = report.exercises
    print(describe(result, exercise.points, with_reference=report.reference_available))
    if skipped:
        print(f"  (to check {name} quickly, only the code that defines it ran; not run here: {', '.join(skipped)}. "
              f"`grade` and the final grading run the whole notebook.)")
    return float(round(result.score, 6))


def slice_for(cells: list, names: str | set[str]) -> tuple[list, list[str]]:
    """The cells with only the statements needed to define `names` (see grader.slicing), and a
    short description of each input left out entirely, e.g. "In [7] (`for epoch in range(200):`)"."""
    from dataclasses import replace

    from grader.slicing import keep_lines, needed, statements_of

    statements, broken = statements_of([cell.source for cell in cells])
    kept = needed(statements, {names} if isinstance(names, str) else set(names))
    out, skipped = [], []
    for index, cell in enumerate(cells):
        mine = [s for s in kept if s.source == index]
        if index in broken or mine:  # a syntax error is reported by the grader, as `grade` would
            out.append(cell if index in broken else replace(cell, source=keep_lines(cell.source, mine)))
        elif any(s.source == index for s in statements):
            first = next(line.strip() for line in cell.source.splitlines() if line.strip())
            skipped.append(f"{cell.label} (`{first[:40]}{'...' if len(first) > 40 else ''}`)")
    return out, skipped


def describe(result, points: float, with_reference: bool, show_expected: bool = False) -> str:
    """The text of a test cell's output; with the reference, checks against it show no
    expected values unless `show_expected` (grader.report's visibility policy)."""
    from grader.exercise import PASSED, SKIPPED
    from grader.report import STATUS_STYLE, feedback

    label = STATUS_STYLE[result.status][0]
    if with_reference:
        lines = [f"{result.name}: {result.score:g}/{points:g} points ({label})"]
        body = feedback(result, show_expected=show_expected)
    else:
        here = f"{result.score:g}/{result.max_score:g} points from the checks that run here"
        lines = [f"{result.name}: {here} ({label})"]
        body = feedback(result)
    lines += ["  " + line for line in body.splitlines() if line.strip()]
    skipped = sum(c.points for c in result.checks if c.status == SKIPPED)
    if skipped and result.status == PASSED:
        lines.append(f"  {skipped:g} more points come from checks against the instructor's reference "
                     f"solution; they are graded after you submit.")
    return "\n".join(lines)


def cells_from_history(history: list[str]) -> list:
    """The kernel's inputs as submission cells: test cells and blank inputs left out, and an
    input run again unchanged kept only where it last ran (re-running a cell is not new code)."""
    from grader.magics import to_python
    from grader.submission import Cell
    from grader.testcells import is_test_cell

    numbered = [(n, text) for n, text in enumerate(history)
                if text.strip() and not is_test_cell({"cell_type": "code", "source": text})]
    last = {text: n for n, text in numbered}
    return [Cell(to_python(text), f"In [{n}]", f"In [{n}]") for n, text in numbered if last[text] == n]


def _kernel_history() -> list[str] | None:
    """The raw inputs this IPython kernel ran (index 0 is IPython's empty placeholder), or None."""
    ipython = sys.modules.get("IPython")  # never imported here: a kernel has already imported it
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    return list(shell.history_manager.input_hist_raw)
