"""Generate each homework's nbgrader source notebook from its reference solution.

    python -m grader.notebooks            write source/<hw>/<hw>.ipynb for every homework
    python -m grader.notebooks --check    exit 1 if a committed notebook is out of date

solutions/<hw>/<hw>.py stays the single source of truth. Its module docstring
becomes the title cell, its imports a read-only cell, and each function three
cells: its docstring (markdown), its code with the solution region between
nbgrader's markers (an autograded answer), and a locked autograder test worth
exactly the points the grader gives that function. The test's reference
comparisons sit between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``,
so `nbgrader generate_assignment` strips them from what students get.
An optional solutions/<hw>/notebook_end.py adds ungraded cells at the end (a "put it
together" section that runs the student's functions), written in the percent format:
`# %% [markdown]` opens a markdown cell of commented lines, `# %%` a code cell.
"""

from __future__ import annotations

import argparse
import ast
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from grader.exercise import Homework
from grader.course import Course
from grader.stubs import ROOT
from grader.testcells import grade_id_of_test, source_of_test

SCHEMA_VERSION = 3  # nbgrader's cell metadata format since 0.6
SETUP_ID = "setup"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

HOW_TO = """\
Each function below has a cell for your code and a read-only test cell under it.
Run the cells in order; a test cell shows what is right, what is wrong and why, and
ends with your score for that function. Some checks compare with the instructor's
reference solution: they are not in your copy and are graded after you submit."""


@dataclass(frozen=True)
class Function:
    name: str
    signature: str  # "(z)", "(param, grad, cache, lr=1e-2, eps=1e-8)"
    docstring: str
    code: str  # the whole definition, as written in the solution file


@dataclass(frozen=True)
class Module:
    docstring: str
    setup: str  # the top-level code other than functions: imports, constants
    functions: tuple[Function, ...]


def read_module(source: str) -> Module:
    """Split a solution file into its docstring, set-up code and functions."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    docstring = ast.get_docstring(tree) or ""
    setup, functions = [], []
    for index, node in enumerate(tree.body):
        if index == 0 and docstring and isinstance(node, ast.Expr):
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = node.end_lineno
        # Indented comments after the last statement (### END SOLUTION) still belong to it.
        while end < len(lines) and (not lines[end].strip() or lines[end][:1].isspace()):
            end += 1
        text = "".join(lines[start - 1: end]).rstrip() + "\n"
        if not isinstance(node, ast.FunctionDef):
            setup.append(text)
            continue
        body_start = node.body[0].lineno
        header = "".join(lines[node.lineno - 1: body_start - 1]).strip()
        signature = header.removeprefix(f"def {node.name}").rstrip(":").strip()
        functions.append(Function(node.name, " ".join(signature.split()), ast.get_docstring(node) or "", text))
    return Module(docstring, "".join(setup).strip(), tuple(functions))


def build_notebook(source: str, homework: Homework, end: str = "") -> NotebookNode:
    """The nbgrader source notebook of `homework`, whose reference solution is `source`; `end`
    holds its ungraded last cells in the percent format (see the module docstring)."""
    module = read_module(source)
    title, _, body = module.docstring.partition("\n")
    cells = [_markdown("intro", f"# {title.strip()}\n\n{body.strip()}\n\n{HOW_TO}".strip())]
    cells.append(_code(SETUP_ID, module.setup, locked=True))
    for number, function in enumerate(module.functions, start=1):
        points = homework.exercise(function.name).points
        heading = f"## {number}. `{function.name}{function.signature}` ({points:g} points)"
        cells.append(_markdown(f"about_{function.name}", f"{heading}\n\n{textwrap.dedent(function.docstring)}"))
        cells.append(_code(function.name, function.code.rstrip("\n"), solution=True))
        cells.append(_code(grade_id_of_test(function.name),
                           source_of_test(homework.name, function.name),
                           grade=True, locked=True, points=points))
    cells.extend(end_cells(end))
    missing = {e.name for e in homework.exercises} - {f.name for f in module.functions}
    if missing:
        raise ValueError(f"the solution file defines no function for the exercises {sorted(missing)}")
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.kernelspec = dict(KERNELSPEC)
    notebook.metadata.language_info = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def end_cells(text: str) -> list[NotebookNode]:
    """The cells of a percent-format file: plain cells, which nbgrader neither grades nor locks."""
    cells, kind, lines = [], None, []

    def close() -> None:
        body = "\n".join(lines).strip("\n")
        if kind is not None and body.strip():
            cell_id = f"end_{len(cells) + 1}"
            cells.append(_markdown(cell_id, body) if kind == "markdown" else _plain_code(cell_id, body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            close()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind == "markdown":
            lines.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            lines.append(line)
    close()
    return cells


def _plain_code(cell_id: str, source: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = cell_id
    return cell


def _markdown(cell_id: str, source: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.id = cell_id  # stable ids keep regeneration free of noise in the diff
    return cell


def _code(grade_id: str, source: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
          points: float | None = None) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = grade_id
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = int(points) if float(points).is_integer() else float(points)
    cell.metadata.nbgrader = meta
    if locked:
        cell.metadata.editable = False
        cell.metadata.deletable = False
    return cell


def normalise(notebook: NotebookNode) -> list[tuple]:
    """What must agree between a committed notebook and its source: cell types, sources,
    and nbgrader's grading metadata (not ids, outputs, checksums or editor state)."""
    kept = ("grade", "grade_id", "locked", "points", "schema_version", "solution", "task")
    cells = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        cells.append((cell.cell_type, cell.source.strip(), tuple((k, meta.get(k)) for k in kept)))
    return cells


def source_notebook_path(homework: str, root: Path = ROOT) -> Path:
    return Course(root).source_notebook(homework)


def solution_path(homework: str, root: Path = ROOT) -> Path:
    return Course(root).solution(homework)


def expected_notebook(homework: Homework, root: Path = ROOT) -> NotebookNode:
    end = Course(root).notebook_end(homework.name)
    return build_notebook(solution_path(homework.name, root).read_text(), homework,
                          end.read_text() if end.is_file() else "")


def stale_notebooks(homeworks: dict[str, Homework], root: Path = ROOT) -> list[Path]:
    """The committed notebooks that differ from what their solution file generates."""
    stale = []
    for homework in homeworks.values():
        path = source_notebook_path(homework.name, root)
        if not path.exists() or normalise(nbformat.read(path, as_version=4)) != normalise(
                expected_notebook(homework, root)):
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    from grader.homeworks import HOMEWORKS

    parser = argparse.ArgumentParser(prog="python -m grader.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the notebooks are up to date")
    args = parser.parse_args(argv)
    stale = stale_notebooks(HOMEWORKS)
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python -m grader.notebooks", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(expected_notebook(HOMEWORKS[path.stem]), path)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
