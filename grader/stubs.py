"""Generate the student stubs from the reference solutions.

    python -m grader.stubs            write assignments/<hw>/<hw>.py for every homework
    python -m grader.stubs --check    exit 1 if a committed stub is out of date

Every region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's
markers) becomes ``raise NotImplementedError``; the rest is kept as it is.

Beside each stub it writes grader/homeworks/<hw>/signatures.json: the parameter names of
the reference's functions, which the grader shows in a failing call and uses to pass
arguments by name. They come from the reference, so that no declaration repeats them, and
travel with the grader package, so that a student release (which has no reference) has them.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

from grader.course import COURSE, SIGNATURES, Course, homework_names

ROOT = COURSE.root
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HEADER = "# Generated from solutions/{hw}/{hw}.py by `python -m grader.stubs`. Write your code here.\n"


class MarkerError(ValueError):
    """The solution file's markers do not pair up."""


def make_stub(source: str) -> str:
    """The source with each solution region replaced by a NotImplementedError stub."""
    out, inside = [], False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise MarkerError(f"line {number}: {BEGIN} inside another solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError\n")
        elif marker == END:
            if not inside:
                raise MarkerError(f"line {number}: {END} without a {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{BEGIN} is never closed")
    return "".join(out)


def solution_regions(source: str) -> list[str]:
    """The text of each solution region (for checking that a release leaks none)."""
    regions, current = [], None
    for line in source.splitlines(keepends=True):
        if line.strip() == BEGIN:
            current = []
        elif line.strip() == END:
            regions.append("".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return regions


def signatures(source: str) -> dict[str, list[str]]:
    """The parameter names of each public top-level function of `source`, in order."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            arguments = node.args
            found[node.name] = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    return found


def pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """(solution, stub) paths of every homework declared in the course at `root`."""
    course = Course(root)
    return [(course.solution(name), course.stub(name)) for name in homework_names(root / "grader" / "homeworks")]


def expected_stub(solution: Path) -> str:
    return HEADER.format(hw=solution.parent.name) + make_stub(solution.read_text())


def expected_signatures(solution: Path) -> str:
    lines = [f" {json.dumps(name)}: {json.dumps(names)}" for name, names in signatures(solution.read_text()).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def generated(solution: Path, stub: Path, root: Path = ROOT) -> list[tuple[Path, str]]:
    """What this module writes for one homework: its stub and its signatures, with their text."""
    name = solution.parent.name
    return [(stub, expected_stub(solution)),
            (Course(root).declaration(name) / SIGNATURES, expected_signatures(solution))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.stubs", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the stubs are up to date")
    args = parser.parse_args(argv)
    stale = []
    for solution, stub in pairs():
        if not solution.is_file():
            print(f"{solution.relative_to(ROOT)} is missing: every homework of grader/homeworks/ needs its "
                  f"reference solution", file=sys.stderr)
            stale.append(stub)
            continue
        for path, text in generated(solution, stub):
            if path.is_file() and path.read_text() == text:
                continue
            if args.check:
                stale.append(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is out of date: run python -m grader.stubs", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
