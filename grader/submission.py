"""Find a student's submission and turn it into code cells for the worker.

A submission is a ``.py`` file (one cell), an ``.ipynb`` notebook (its code cells
in order, IPython magics and shell lines left out), or a folder holding either;
find_in_folder is the one rule for which file in a folder is graded, for `grade`,
a class batch and Gradescope alike. Reading happens here, in the grading process;
the worker only gets the text.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SubmissionError
from grader.magics import to_python

MAX_SUBMISSION_BYTES = 20 * 1024 * 1024  # a .py
# A notebook holds its saved outputs too (images, interactive plots): only its code is sent on.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024

@dataclass(frozen=True)
class Cell:
    source: str
    filename: str  # shown in tracebacks: the file, or "hw1.ipynb, code cell 3"
    label: str  # "hw1.py" or "code cell 3" (its place among the code cells)


@dataclass(frozen=True)
class Submission:
    path: Path
    cells: tuple[Cell, ...]
    notes: tuple[str, ...] = ()  # for the report: how the file was chosen, when that needs saying

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix.lower() == ".ipynb"

    def for_worker(self) -> list[dict]:
        # A .py's top-level statements are each timed and skipped on their own; a notebook's cells.
        split = not self.is_notebook
        return [{"source": c.source, "filename": c.filename, "label": c.label, "split": split} for c in self.cells]


# How to choose between several files, said in the note or error that names them.
PASS_SUBMISSION = "pass --submission PATH"  # `grade` on one's own work
SUBMIT_ONE = "submit only one"  # a class batch, Gradescope
_SUFFIXES = (".py", ".ipynb")
_NOT_WORK = {"__MACOSX", "__pycache__"}  # added by archive tools and Python; hidden entries are skipped too
_SHOWN = 10  # entries named in a message


@dataclass(frozen=True)
class Found:
    """The file to grade, and notes on how it was chosen when that needs saying."""

    path: Path
    notes: tuple[str, ...] = ()


def find_in_folder(folder: Path, homework: str, how_to_choose: str) -> Found:
    """The file to grade in `folder`, directly in it or one folder down (a zipped folder).

    hw1.py or hw1.ipynb, in any case; a direct one beats one folder down, then the most
    recently modified, then the .py. With no such name, the only .py or .ipynb file.
    Symbolic links, hidden entries and __MACOSX or __pycache__ are not looked at, and
    no file is read. `how_to_choose` ends the note or error that names several files.
    """
    files, seen = _look_in(folder)
    named = [p for p in files if _is_named(p, homework)]
    if named:
        return _choose(folder, named, homework, how_to_choose)
    names = f"{homework}.py or {homework}.ipynb"
    if len(files) == 1:
        shown = _relative(files[0], folder)
        return Found(files[0], (f"graded {shown}: there is no {names}, and it is the only notebook or .py file",))
    if files:
        raise SubmissionError(f"found no {names} in {_shown(folder)} but several other .py or .ipynb files "
                              f"({_list([_relative(p, folder) for p in files])}); name the one to grade {names}, "
                              f"or {how_to_choose}")
    raise SubmissionError(f"found no {names} and no other .py or .ipynb file in {_shown(folder)} "
                          f"({_holds(seen)}); name your file {names}")


def _look_in(folder: Path) -> tuple[list[Path], list[str]]:
    """The .py and .ipynb files in `folder` and its folders, and every entry seen there (for messages)."""
    files: list[Path] = []
    seen: list[str] = []
    try:
        top = _entries(folder)
    except OSError as error:
        raise SubmissionError(f"cannot read the folder {folder} ({error.strerror or error})") from None
    for entry in top:
        if entry.is_dir(follow_symlinks=False):
            seen.append(f"{entry.name}/")
            try:
                inside = _entries(Path(entry.path))
            except OSError:  # an unreadable folder holds nothing we could grade
                inside = []
            for inner in inside:
                seen.append(f"{entry.name}/{inner.name}" + ("/" if inner.is_dir(follow_symlinks=False) else ""))
                if _is_candidate(inner):
                    files.append(Path(inner.path))
        else:
            seen.append(entry.name)
            if _is_candidate(entry):
                files.append(Path(entry.path))
    return files, seen


def _entries(folder: Path) -> list[os.DirEntry]:
    """The entries of `folder` by name, without hidden ones and those of archive tools and Python."""
    with os.scandir(folder) as entries:
        return sorted((e for e in entries if not e.name.startswith(".") and e.name not in _NOT_WORK),
                      key=lambda e: e.name)


def _is_candidate(entry: os.DirEntry) -> bool:
    return entry.is_file(follow_symlinks=False) and Path(entry.name).suffix.lower() in _SUFFIXES


def _is_named(path: Path, homework: str) -> bool:
    return path.name.lower() in (f"{homework.lower()}.py", f"{homework.lower()}.ipynb")


def _choose(folder: Path, named: list[Path], homework: str, how_to_choose: str) -> Found:
    """One of several files named like the homework, and a note saying which, why and how to choose."""
    if len(named) == 1:
        return Found(named[0])
    direct = [p for p in named if p.parent == folder]
    pool = direct or named
    changed = {p: p.lstat().st_mtime for p in pool}
    chosen = min(pool, key=lambda p: (-changed[p], p.suffix.lower() != ".py", p.name, str(p)))
    rivals = [p for p in pool if p != chosen]
    tied = [p for p in rivals if changed[p] == changed[chosen]]
    if not rivals:
        why = f"the one directly in {_shown(folder)}"
    elif not tied:
        why = "the most recently modified"
    elif chosen.suffix.lower() == ".py" and all(p.suffix.lower() != ".py" for p in tied):
        why = "the .py, as they were modified at the same time"
    else:
        why = "the first by name, as they were modified at the same time"
    others = _list([_relative(p, folder) for p in named if p != chosen])
    return Found(chosen, (f"several files could be your {homework}: graded {_relative(chosen, folder)} ({why}), "
                          f"not {others}; to choose, {how_to_choose}",))


def find_submission(homework: str, start: Path) -> Found:
    """Where `grade hw1` looks when no --submission is given.

    In order: assignments/hw1/hw1.py in `start`; hw1.py or hw1.ipynb in `start` (see
    find_in_folder); assignments/hw1/hw1.py in a folder above; the only .py or .ipynb
    file in `start`. In an instructor's checkout, solutions/, grader/ and source/ hold
    the reference, never the student's work: from there, assignments/hw1/hw1.py is graded.
    """
    inside = _instructor_folder(start)
    if inside is not None:
        return _student_copy(homework, *inside)
    own = start / "assignments" / homework / f"{homework}.py"
    if _is_file(own):
        return Found(own)
    try:
        found: Found | None = find_in_folder(start, homework, PASS_SUBMISSION)
    except SubmissionError as error:
        found, problem = None, error
    if found is not None and _is_named(found.path, homework):
        return found
    for folder in start.parents:
        candidate = folder / "assignments" / homework / f"{homework}.py"
        if _is_file(candidate):
            return Found(candidate)
    if found is not None:
        return found
    files, seen = _look_in(start)
    if files:
        raise problem  # several files, none named like the homework: the student must choose
    raise SubmissionError(f"found no {homework}.py or {homework}.ipynb here ({start}: {_holds(seen)}) and no "
                          f"assignments/{homework}/{homework}.py above it; run grade from the folder that holds "
                          f"your work, or pass --submission PATH")


# The folders of an instructor's checkout that hold no student work, and what they do hold.
# source/ is nbgrader's: its notebooks hold the solutions, and one is one folder down.
_INSTRUCTOR_FOLDERS = {"solutions": "the reference solution", "grader": "the grader itself",
                       "source": "the notebooks with the solutions"}


def _instructor_folder(start: Path) -> tuple[Path, str] | None:
    """(the checkout, its top folder) when `start` is in or below one of _INSTRUCTOR_FOLDERS."""
    for checkout in start.parents:
        top = start.relative_to(checkout).parts[0]
        if top in _INSTRUCTOR_FOLDERS and _is_checkout(checkout):
            return checkout, top
    return None


def _is_checkout(folder: Path) -> bool:
    """The course's own checkout: the package with its reference solutions."""
    return all(((folder / "pyproject.toml").is_file(), (folder / "solutions").is_dir(), (folder / "grader").is_dir()))


def _student_copy(homework: str, checkout: Path, top: str) -> Found:
    relative = f"assignments/{homework}/{homework}.py"
    why = f"you ran grade from {top}/, which holds {_INSTRUCTOR_FOLDERS[top]}"
    if not _is_file(checkout / relative):
        raise SubmissionError(f"{why}, and this checkout has no {relative}; run grade from the folder that "
                              f"holds your work, or pass --submission PATH")
    return Found(checkout / relative, (f"{why}; graded {relative} instead",))


def resolve(path: Path, homework: str) -> Found:
    """A file as given, or the file to grade in a folder (see find_in_folder)."""
    if path.is_dir():
        return find_in_folder(path, homework, PASS_SUBMISSION)
    if not path.exists():
        raise SubmissionError(f"no such file or folder: {path}")
    if path.suffix.lower() not in _SUFFIXES:
        raise SubmissionError(f"{path} is neither a .py file nor a .ipynb notebook")
    return Found(path)


def _is_file(path: Path) -> bool:
    """A regular file, not a symbolic link to one."""
    return path.is_file() and not path.is_symlink()


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _shown(folder: Path) -> str:
    """The folder's name, as a student would recognise it in a message."""
    return f"{folder.absolute().name or folder}/"


def _holds(seen: list[str]) -> str:
    return f"it holds {_list(seen)}" if seen else "it is empty"


def _list(names: list[str]) -> str:
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(names[:_SHOWN]) + more


def load_submission(path: Path, notes: tuple[str, ...] = ()) -> Submission:
    """`notes`: how the file was found (Found.notes), carried into the report."""
    notebook = path.suffix.lower() == ".ipynb"
    limit = MAX_NOTEBOOK_BYTES if notebook else MAX_SUBMISSION_BYTES
    if path.stat().st_size > limit:
        advice = "clear its outputs (Kernel > Restart & Clear Output) and save it again" if notebook \
            else "is it the right file?"
        raise SubmissionError(f"{path} is larger than {limit // 2**20} MiB; {advice}")
    raw = path.read_bytes()
    if notebook:
        return Submission(path, tuple(notebook_cells(raw, path.name)), tuple(notes))
    text = raw.decode("utf-8-sig", errors="replace")  # -sig: Windows editors start the file with a BOM
    return Submission(path, (Cell(text, str(path.name), path.name),), tuple(notes))


def notebook_cells(raw: bytes, name: str) -> list[Cell]:
    """The code cells of a notebook, in order, without IPython magics or shell lines."""
    try:
        notebook = json.loads(raw)
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
        out, number = [], 0
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            number += 1  # a cell is named by its place among the code cells, as a student counts them
            if _is_autograder_test(cell):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if not isinstance(source, str):
                raise TypeError(f"code cell {number} has no text")
            out.append(Cell(to_python(source), f"{name}, code cell {number}", f"code cell {number}"))
        return out
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise SubmissionError(f"{name} is not a valid notebook ({error}); "
                              f"save it again from Jupyter or pass your .py file") from None


def _is_autograder_test(cell: dict) -> bool:
    """An nbgrader test cell: it calls the grader, it is not the student's code."""
    meta = cell.get("metadata", {})
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(meta, dict) and meta.get("grade") is True and meta.get("solution") is not True
