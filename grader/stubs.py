"""Generate the student stubs from the reference solutions.

    python -m grader.stubs            write assignments/<hw>/<hw>.py for every homework
    python -m grader.stubs --check    exit 1 if a committed stub is out of date

Every region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's
markers) becomes ``raise NotImplementedError``; the rest is kept as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.course import COURSE, Course, homework_names

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


def pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """(solution, stub) paths of every homework declared in the course at `root`."""
    course = Course(root)
    return [(course.solution(name), course.stub(name)) for name in homework_names(root / "grader" / "homeworks")]


def expected_stub(solution: Path) -> str:
    return HEADER.format(hw=solution.parent.name) + make_stub(solution.read_text())


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
        text = expected_stub(solution)
        if stub.exists() and stub.read_text() == text:
            continue
        if args.check:
            stale.append(stub)
        else:
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(text)
            print(f"wrote {stub.relative_to(ROOT)}")
    for stub in stale:
        print(f"{stub.relative_to(ROOT)} is out of date: run python -m grader.stubs", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
