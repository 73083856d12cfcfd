"""Known answers for the grader, per homework: wrong implementations it must catch, right
ones it must pass.

`tests/catalogue/<hw>/*.py` are Python source files of entries. Each entry starts at a header
line and runs to the next one:

    # mutant: sigmoid-sign-error
    # plants: sigmoid-sign          (optional: the known mistakes, by hint id, this bug is)
    # why it is wrong, in comments  (optional)
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(z))

    # alternative: sigmoid-tanh-half
    def sigmoid(z):
        ...

An entry replaces, in the reference solution, the whole definition of each of the homework's
functions it defines, and brings its other code (imports, helpers) along; a mutant defines
exactly one of them. Whatever comes before a file's first header (a docstring, imports) belongs
to no entry. A mutant that plants nothing listed plants a mistake no hint models: no hint may
name one.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from grader.course import COURSE
from grader.exercise import Homework
from grader.homeworks import HOMEWORKS
from grader.slicing import parse  # ast.parse under the lock that keeps threads from building ASTs at once (gh-106905)

FOLDER = Path(__file__).resolve().parent
HEADER = re.compile(r"^# (mutant|alternative): (\S+)\s*$")
PLANTS = re.compile(r"^# plants: (.+)$")

# hw1's files, for the tests of one homework's behaviour that use hw1 as their example.
REFERENCE = COURSE.solution("hw1")
STUBS = COURSE.stub("hw1")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # "mutant" or "alternative"
    source: str  # the entry's code, comments included
    functions: tuple[str, ...]  # the homework's functions it replaces
    plants: tuple[str, ...] = ()  # a mutant's known mistakes (hint ids)
    file: str = ""  # where it is written, relative to tests/catalogue/

    @property
    def function(self) -> str:
        """The one function a mutant's bug is in."""
        (function,) = self.functions
        return function


@dataclass(frozen=True)
class Catalogue:
    homework: Homework
    mutants: tuple[Entry, ...]
    alternatives: tuple[Entry, ...]

    @property
    def functions(self) -> list[str]:
        return [e.name for e in self.homework.exercises]

    def dependents(self, function: str) -> frozenset[str]:
        """The functions that use `function`, as the homework declares (Exercise.uses), directly
        or through others."""
        return _users_of(function, {e.name: set(e.uses) for e in self.homework.exercises})

    def callers(self, function: str) -> frozenset[str]:
        """The functions whose reference calls `function`, directly or through others: with the
        reference installed, a bug in `function` may cost them points too, and no other."""
        return _users_of(function, reference_calls(self.homework.name))

    def submission(self, entry: Entry, folder: Path) -> Path:
        """The reference with `entry` applied, written to folder/<hw>.py."""
        path = folder / f"{self.homework.name}.py"
        reference = COURSE.solution(self.homework.name).read_text()
        path.write_text(apply_entry(reference, entry.source, entry.functions))
        return path


def reference_calls(homework: str) -> dict[str, set[str]]:
    """Which of the homework's functions each function of its reference calls."""
    tree = parse(COURSE.solution(homework).read_text())
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return {node.name: {inner.func.id for inner in ast.walk(node)
                        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in defined and inner.func.id != node.name}
            for node in tree.body if isinstance(node, ast.FunctionDef)}


def _users_of(function: str, users: dict[str, set[str]]) -> frozenset[str]:
    """Who uses `function`, directly or through others, given who uses whom."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, uses in users.items():
            if name not in found and uses & (found | {function}):
                found.add(name)
                changed = True
    return frozenset(found - {function})


def find_definitions(source: str) -> dict[str, tuple[int, int]]:
    """Line span (0-based start, end exclusive) of each top-level def, decorators included."""
    spans = {}
    for node in parse(source).body:
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            spans[node.name] = (start, node.end_lineno)
    return spans


def apply_entry(reference: str, code: str, functions: tuple[str, ...]) -> str:
    """`reference` without the definitions of `functions`, and `code` where the first of them was."""
    spans = find_definitions(reference)
    lines = reference.splitlines(keepends=True)
    first = min(spans[name][0] for name in functions)
    for start, end in sorted((spans[name] for name in functions), reverse=True):
        del lines[start:end]
    lines[first:first] = [textwrap.dedent(code).strip("\n") + "\n"]
    result = "".join(lines)
    parse(result)  # a catalogue entry must at least be valid Python
    return result


def replace_functions(source: str, replacements: dict[str, str]) -> str:
    """`source` with the whole definition of each named function replaced by the given code
    (which must define the function it replaces, and may bring helpers along)."""
    for name, code in replacements.items():
        if name not in find_definitions(textwrap.dedent(code)):
            raise ValueError(f"the replacement for {name} does not define {name}")
        source = apply_entry(source, code, (name,))
    return source


def write_submission(replacements: dict[str, str], folder: Path, homework: str = "hw1") -> Path:
    """The reference of `homework` with `replacements` applied, written to folder/<hw>.py."""
    path = folder / f"{homework}.py"
    path.write_text(replace_functions(COURSE.solution(homework).read_text(), replacements))
    return path


def read_entries(path: Path, functions: list[str]) -> list[Entry]:
    """The entries of one catalogue file."""
    entries: list[Entry] = []
    kind = ident = None
    lines: list[str] = []

    def close() -> None:
        if ident is None:
            return
        source = "".join(lines)
        defined = tuple(name for name in find_definitions(textwrap.dedent(source)) if name in functions)
        plants = next((tuple(p.strip() for p in m.group(1).split(",")) for line in lines
                       if (m := PLANTS.match(line.strip()))), ())
        entries.append(Entry(ident, kind, source, defined, plants, str(path.relative_to(FOLDER))))

    for line in path.read_text().splitlines(keepends=True):
        header = HEADER.match(line.rstrip("\n"))
        if header:
            close()
            kind, ident, lines = header.group(1), header.group(2), []
        elif ident is not None:
            lines.append(line)
    close()
    return entries


def load(homework: Homework) -> Catalogue:
    """The catalogue of `homework`: every entry of tests/catalogue/<hw>/*.py."""
    functions = [e.name for e in homework.exercises]
    entries = [entry for path in sorted((FOLDER / homework.name).glob("*.py"))
               for entry in read_entries(path, functions)]
    return Catalogue(homework, tuple(e for e in entries if e.kind == "mutant"),
                     tuple(e for e in entries if e.kind == "alternative"))


CATALOGUES: dict[str, Catalogue] = {name: load(HOMEWORKS[name]) for name in HOMEWORKS}
