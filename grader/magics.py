"""IPython-only lines of a notebook cell turned into plain Python, line numbers kept.

A notebook's cells are IPython, not Python: `%matplotlib inline`, `!pip install`,
`files = !ls`, `np.mean?`, `%%time`. The worker runs plain Python, so each such
line becomes a Python line of the same place that does what matters for grading:

- a line magic or shell line becomes `pass` (at its indentation, so a loop whose
  body it was still compiles); `x = !ls` and `x = %magic` become `x = None`;
- `%run helpers.py` runs the file (a copy of the student's own, in the worker's
  working folder) in the notebook's namespace;
- `%%writefile name.py` writes the cell's text to that file, so that a later
  `import name` finds it; `%%time`, `%%capture` and the like run their body;
  other cell magics (`%%bash`, `%%html`) are not Python and are left out;
- help lines (`np.mean?`, `?np.mean`) become `pass`.

Only a line that starts a statement is IPython's: a `%` or `!` that continues an
expression (`"%d" \\n % (x)`, `a \\n != b`) is Python and is kept.
"""

from __future__ import annotations

import re

# Cell magics whose body is plain Python: run the body, drop the magic line.
PYTHON_BODY_MAGICS = {"time", "timeit", "capture", "prun", "debug"}

_ASSIGNED = re.compile(r"^(\s*)([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[!%]")
_RUN = re.compile(r"^(\s*)%run\s+([\w./-]+\.py)\s*$")


def to_python(source: str) -> str:
    """The cell as plain Python, each line where it was."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as Python counts lines
    first = lines[0].strip()
    if first.startswith("%%"):
        words = first[2:].split()
        magic = words[0] if words else ""
        if magic == "writefile" and len(words) >= 2 and not words[1].startswith("-"):
            body = "\n".join(lines[1:]) + "\n"
            return f"open({words[1]!r}, 'w', encoding='utf-8').write({body!r})" + "\n" * (len(lines) - 1)
        if magic not in PYTHON_BODY_MAGICS:
            return ""  # %%bash, %%html, ...: not Python at all
        lines[0] = ""
    out = []
    for line, starts in zip(lines, _statement_starts(lines)):
        out.append(_translate(line) if starts else line)
    return "\n".join(out)


def _translate(line: str) -> str:
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    run = _RUN.match(line)
    if run:
        path = run.group(2)
        return f"{indent}exec(compile(open({path!r}, encoding='utf-8').read(), {path!r}, 'exec'), globals())"
    assigned = _ASSIGNED.match(line)
    if assigned and not stripped.startswith(("%", "!")):
        return f"{assigned.group(1)}{assigned.group(2)} = None"
    if stripped.startswith(("%", "!")) and not stripped.startswith("!="):
        return indent + "pass"
    if _is_help_line(stripped):
        return indent + "pass"
    return line


def _is_help_line(stripped: str) -> bool:
    """`np.mean?` or `?np.mean`: IPython help, a syntax error in Python."""
    return bool(stripped) and not stripped.startswith("#") and (
        stripped.startswith("?") or (stripped.endswith("?") and " " not in stripped)
    )


def _statement_starts(lines: list[str]) -> list[bool]:
    """For each line: does it start a statement (not continue a bracket, a backslash or a
    triple-quoted string of the lines before it)? A small scanner, not a tokenizer: it
    only needs to know strings, comments and brackets."""
    starts, depth, triple, continued = [], 0, None, False
    for line in lines:
        starts.append(depth == 0 and triple is None and not continued)
        continued = False
        i, quote = 0, None
        while i < len(line):
            c = line[i]
            if triple is not None:
                if line.startswith(triple, i):
                    triple, i = None, i + 3
                    continue
                i += 2 if c == "\\" else 1
                continue
            if quote is not None:
                if c == "\\":
                    i += 2
                    continue
                if c == quote:
                    quote = None
                i += 1
                continue
            if c == "#":
                break
            if line.startswith(('"""', "'''"), i):
                triple, i = line[i : i + 3], i + 3
                continue
            if c in "\"'":
                quote = c
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(depth - 1, 0)
            i += 1
        continued = triple is None and line.rstrip().endswith("\\") and not line.lstrip().startswith("#")
    return starts
