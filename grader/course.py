"""Where everything of a homework lives: one layout, for every entry point.

    grader/homeworks/<hw>/        the declaration: exercises, points, checks, inputs, bounds
      signatures.json             the reference's parameter names (python -m grader.stubs)
    solutions/<hw>/<hw>.py        the reference solution, the single source of truth
    solutions/<hw>/mistakes.py    the known mistakes behind the hints (never released)
    solutions/<hw>/notebook_end.py  optional: the source notebook's ungraded last cells
    assignments/<hw>/<hw>.py      the student stub          (python -m grader.stubs)
    assignments/<hw>/<hw>.ipynb   the released notebook     (python -m grader.release)
    source/<hw>/<hw>.ipynb        nbgrader's source notebook (python -m grader.notebooks)

A homework's name is its folder's name, the word a student types (`grade hw1`).
`COURSE` is the checkout this package runs from (site-packages where it is installed
without one); `Course(folder)` is the same layout anywhere else, e.g. a student release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DECLARATIONS = Path(__file__).resolve().parent / "homeworks"
SOLUTIONS, ASSIGNMENTS, SOURCE = "solutions", "assignments", "source"
SIGNATURES = "signatures.json"


def reference_module(homework: str) -> str:
    """The importable module of a homework's reference solution."""
    return f"{SOLUTIONS}.{homework}.{homework}"


def mistakes_module(homework: str) -> str:
    """The importable module of a homework's known mistakes, beside its reference."""
    return f"{SOLUTIONS}.{homework}.mistakes"


def stub_path(homework: str) -> str:
    """The stub's path relative to a course or a release: assignments/hw1/hw1.py."""
    return f"{ASSIGNMENTS}/{homework}/{homework}.py"


def homework_names(folder: Path = DECLARATIONS) -> list[str]:
    """The homeworks declared in `folder` (one package each), in course order: hw2 before hw10."""
    names = [p.name for p in folder.iterdir() if (p / "__init__.py").is_file() and not p.name.startswith("_")]
    return sorted(names, key=lambda name: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)])


@dataclass(frozen=True)
class Course:
    root: Path

    def declaration(self, homework: str) -> Path:
        return self.root / "grader" / "homeworks" / homework

    def solution(self, homework: str) -> Path:
        return self.root / SOLUTIONS / homework / f"{homework}.py"

    def mistakes(self, homework: str) -> Path:
        return self.root / SOLUTIONS / homework / "mistakes.py"

    def notebook_end(self, homework: str) -> Path:
        return self.root / SOLUTIONS / homework / "notebook_end.py"

    def stub(self, homework: str) -> Path:
        return self.root / stub_path(homework)

    def released_notebook(self, homework: str) -> Path:
        return self.root / ASSIGNMENTS / homework / f"{homework}.ipynb"

    def source_notebook(self, homework: str) -> Path:
        return self.root / SOURCE / homework / f"{homework}.ipynb"

    @property
    def private_folders(self) -> tuple[Path, ...]:
        """What holds the solutions: never readable by student code."""
        return self.root / SOLUTIONS, self.root / SOURCE

    def is_checkout(self) -> bool:
        """The instructor's checkout: the package with its reference solutions."""
        return all(((self.root / "pyproject.toml").is_file(), (self.root / SOLUTIONS).is_dir(),
                    (self.root / "grader").is_dir()))

    def is_source_tree(self) -> bool:
        """Running from a source tree (a checkout or a release), not from site-packages."""
        return (self.root / "pyproject.toml").is_file()


COURSE = Course(DECLARATIONS.parent.parent)
