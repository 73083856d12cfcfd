"""Find a student's submission and turn it into code cells for the worker.

A submission is a ``.py`` file (one cell), an ``.ipynb`` notebook (its code cells
in order, IPython magics and shell lines left out), or a folder holding either.
Reading happens here, in the grading process; the worker only gets the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SubmissionError

MAX_SUBMISSION_BYTES = 20 * 1024 * 1024

# Cell magics whose body is plain Python: run the body, drop the magic line.
_PYTHON_BODY_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


@dataclass(frozen=True)
class Cell:
    source: str
    filename: str  # shown in tracebacks: the file, or "hw1.ipynb, cell 3"
    label: str  # "hw1.py" or "cell 3"


@dataclass(frozen=True)
class Submission:
    path: Path
    cells: tuple[Cell, ...]

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix == ".ipynb"

    def for_worker(self) -> list[dict]:
        return [{"source": c.source, "filename": c.filename, "label": c.label} for c in self.cells]


def find_submission(homework: str, start: Path) -> Path:
    """Where `grade hw1` looks when no --submission is given."""
    for folder in (start, *start.parents):
        candidate = folder / "assignments" / homework / f"{homework}.py"
        if candidate.is_file():
            return candidate
        if folder == start:
            for name in (f"{homework}.py", f"{homework}.ipynb"):
                if (start / name).is_file():
                    return start / name
    raise SubmissionError(
        f"found no {homework}.py or {homework}.ipynb here ({start}) and no assignments/{homework}/{homework}.py "
        f"above it; run grade from the folder that holds your work, or pass --submission PATH"
    )


def resolve(path: Path, homework: str) -> Path:
    """A file as given, or the homework's file inside a folder."""
    if path.is_dir():
        for name in (f"{homework}.py", f"{homework}.ipynb"):
            if (path / name).is_file():
                return path / name
        raise SubmissionError(f"the folder {path} holds no {homework}.py or {homework}.ipynb")
    if not path.exists():
        raise SubmissionError(f"no such file or folder: {path}")
    if path.suffix not in (".py", ".ipynb"):
        raise SubmissionError(f"{path} is neither a .py file nor a .ipynb notebook")
    return path


def load_submission(path: Path) -> Submission:
    if path.stat().st_size > MAX_SUBMISSION_BYTES:
        raise SubmissionError(f"{path} is larger than {MAX_SUBMISSION_BYTES // 2**20} MiB; is it the right file?")
    raw = path.read_bytes()
    if path.suffix == ".ipynb":
        return Submission(path, tuple(notebook_cells(raw, path.name)))
    text = raw.decode("utf-8", errors="replace")
    return Submission(path, (Cell(text, str(path.name), path.name),))


def notebook_cells(raw: bytes, name: str) -> list[Cell]:
    """The code cells of a notebook, in order, without IPython magics or shell lines."""
    try:
        notebook = json.loads(raw)
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
        out = []
        for number, cell in enumerate(cells, start=1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code" or _is_autograder_test(cell):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if not isinstance(source, str):
                raise TypeError(f"cell {number} has no text")
            out.append(Cell(strip_magics(source), f"{name}, cell {number}", f"cell {number}"))
        return out
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise SubmissionError(f"{name} is not a valid notebook ({error}); "
                              f"save it again from Jupyter or pass your .py file") from None


def _is_autograder_test(cell: dict) -> bool:
    """An nbgrader test cell: it calls the grader, it is not the student's code."""
    meta = cell.get("metadata", {})
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(meta, dict) and meta.get("grade") is True and meta.get("solution") is not True


def strip_magics(source: str) -> str:
    """Blank out IPython-only lines, keeping line numbers as they were."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        if magic not in _PYTHON_BODY_MAGICS:
            return ""  # %%bash, %%html, ...: not Python at all
        lines[0] = ""
    kept = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or _is_help_line(stripped):
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept)


def _is_help_line(stripped: str) -> bool:
    """`np.mean?` or `?np.mean`: IPython help, a syntax error in Python."""
    return bool(stripped) and not stripped.startswith("#") and (
        stripped.startswith("?") or (stripped.endswith("?") and " " not in stripped)
    )
