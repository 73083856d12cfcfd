"""Known answers for the grader: wrong implementations it must catch, right ones it must pass.

A catalogue entry replaces whole function definitions in the reference solution,
so each entry differs from a full-marks submission only where it says.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
REFERENCE = REPOSITORY / "solutions" / "hw1" / "hw1.py"
STUBS = REPOSITORY / "assignments" / "hw1" / "hw1.py"


def find_definitions(source: str) -> dict[str, tuple[int, int]]:
    """Line span (0-based start, end exclusive) of each top-level def, decorators included."""
    spans = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            spans[node.name] = (start, node.end_lineno)
    return spans


def replace_functions(source: str, replacements: dict[str, str]) -> str:
    """`source` with the whole definition of each named function replaced by the given code.

    The replacement code may bring helpers along (imports, other defs), but it must
    define the function it replaces.
    """
    spans = find_definitions(source)
    lines = source.splitlines(keepends=True)
    for name in sorted(replacements, key=lambda n: spans[n][0], reverse=True):
        code = textwrap.dedent(replacements[name]).strip("\n") + "\n"
        if name not in find_definitions(code):
            raise ValueError(f"the replacement for {name} does not define {name}")
        start, end = spans[name]
        lines[start:end] = [code]
    result = "".join(lines)
    ast.parse(result)  # a catalogue entry must at least be valid Python
    return result


def write_submission(replacements: dict[str, str], folder: Path) -> Path:
    """The reference with `replacements` applied, written to folder/hw1.py."""
    path = folder / "hw1.py"
    path.write_text(replace_functions(REFERENCE.read_text(), replacements))
    return path
