"""Find a student's submission and turn it into code cells for the worker.

A submission is a ``.py`` file (one cell), an ``.ipynb`` notebook (its code cells
in order, IPython magics and shell lines left out), or a folder holding either;
find_in_folder is the one rule for which file in a folder is graded, for `grade`,
a class batch and Gradescope alike. Reading happens here, in the grading process;
the worker only gets the text.

The files are the student's, so the grading process trusts none of them:
read_student_file is the only way one is read. It follows no symbolic link below
the folder it was given (a link to the reference would score full marks), opens
nothing but a regular file with one name (a named pipe would block the grader forever;
a hard link is a second name of someone else's file), and reads
a bounded number of bytes within a deadline. Every name a student chose is shown
through shown_name, which writes out the control codes that would drive a terminal.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course, stub_path
from grader.errors import SubmissionError
from grader.magics import to_python
from grader.testcells import is_test_cell

# The code of a submission (a .py, a notebook's code cells together): a homework is a few hundred
# lines; more is another file, or code made to cost the grading process, which reads it with no
# limit of the student's.
MAX_CODE_BYTES = 2 * 1024 * 1024
MAX_SUBMISSION_BYTES = MAX_CODE_BYTES  # a .py
# A notebook holds its saved outputs too (images, interactive plots): only its code is sent on.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
# Reading even the largest notebook from a local disk takes well under a second; a file
# that a hung network mount (or anything else) never delivers must not stop a class.
READ_SECONDS = 20.0

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
    # The folder the file was found in, which the person grading named: no link is followed below it.
    root: Path | None = None


# --------------------------------------------------------------- reading ---

def read_student_file(path: Path, limit: int, root: Path | None = None,
                      too_large: str = "is it the right file?") -> bytes:
    """The bytes of a student's file, at most `limit` of them: the only way a student file is read.

    `root` is the folder the person grading named (default: the file's own folder); it may
    be a link, but nothing below it may: every folder on the way down and the file itself
    are opened without following links, so a link swapped in after the file was found is
    refused too. Only a regular file is read (checked on the open descriptor), at most
    limit + 1 bytes whatever its size claims, in a helper thread given READ_SECONDS.
    Anything else raises SubmissionError with a sentence for the student: it costs that
    student only. `too_large` ends the message for a file over `limit`.
    """
    root = path.parent if root is None else root
    shown = shown_name(_below(path, root))
    descriptor = _open_below(path, root)
    outcome: dict[str, object] = {}

    def read() -> None:
        try:
            outcome["data"] = _read_at_most(descriptor, limit + 1)
        except OSError as error:
            outcome["error"] = error
        finally:
            os.close(descriptor)

    reader = threading.Thread(target=read, name="read-submission", daemon=True)  # daemon: never holds up exit
    reader.start()
    reader.join(READ_SECONDS)
    if reader.is_alive():
        raise SubmissionError(f"{shown} could not be read within {READ_SECONDS:g} seconds; "
                              f"submit it again as an ordinary file")
    if "error" in outcome:
        error = outcome["error"]
        raise SubmissionError(f"{shown} could not be read ({error.strerror or error}); submit it again")
    data = outcome["data"]
    if len(data) > limit:
        raise SubmissionError(f"{shown} is larger than {limit // 2**20} MiB; {too_large}")
    return data


def check_student_file(path: Path, root: Path | None = None) -> None:
    """Raise SubmissionError unless read_student_file may read `path` (for files another
    program reads, such as nbgrader's notebooks): a regular file with no link on the way."""
    os.close(_open_below(path, path.parent if root is None else root))


def _read_at_most(descriptor: int, count: int) -> bytes:
    chunks, total = [], 0
    while total < count:
        chunk = os.read(descriptor, min(count - total, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a named pipe swapped in at the last moment returns at once, and
# O_NOCTTY: a terminal device never becomes ours; fstat then refuses both.
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_FOLDER_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_WALKS = os.open in os.supports_dir_fd and _NOFOLLOW != 0  # Linux, macOS; not Windows


def _open_below(path: Path, root: Path) -> int:
    """A descriptor of the regular file `path`, reached from `root` without following a link."""
    parts = Path(_below(path, root)).parts
    if not parts:
        raise SubmissionError(f"{shown_name(path)} is not a file; submit your .py or .ipynb file")
    if not _WALKS:
        return _open_checked(path, root, parts)
    try:
        folder = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SubmissionError(f"cannot read the folder {shown_name(root)} ({error.strerror or error})") from None
    try:
        for depth, part in enumerate(parts[:-1], start=1):
            shown = "/".join(parts[:depth])
            try:
                inner = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            except OSError as error:
                mode = _mode_at(part, folder)
                raise SubmissionError(not_graded(shown, mode, folder=True) if mode is not None and
                                      not stat.S_ISDIR(mode) else _unopenable(shown, error)) from None
            os.close(folder)
            folder = inner
        # A special file is never opened: a look without following first, then the open, which
        # follows no link, and fstat on what was opened, in case it was swapped in between.
        mode = _mode_at(parts[-1], folder)
        if mode is None:
            raise SubmissionError(f"{shown_name(_below(path, root))} does not exist any more; submit it again")
        if not stat.S_ISREG(mode):
            raise SubmissionError(not_graded(_below(path, root), mode))
        try:
            descriptor = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        except OSError as error:
            mode = _mode_at(parts[-1], folder)
            raise SubmissionError(not_graded(_below(path, root), mode) if mode is not None and
                                  not stat.S_ISREG(mode) else _unopenable(_below(path, root), error)) from None
    finally:
        os.close(folder)
    return _regular(descriptor, _below(path, root))


def _open_checked(path: Path, root: Path, parts: tuple[str, ...]) -> int:
    """Where there is no dir_fd (Windows): each step is looked at without following, then opened."""
    for depth in range(1, len(parts) + 1):
        shown = "/".join(parts[:depth])
        try:
            mode = os.lstat(root.joinpath(*parts[:depth])).st_mode
        except OSError as error:
            raise SubmissionError(_unopenable(shown, error)) from None
        if depth < len(parts) and not stat.S_ISDIR(mode):
            raise SubmissionError(not_graded(shown, mode, folder=True))
        if depth == len(parts) and not stat.S_ISREG(mode):
            raise SubmissionError(not_graded(shown, mode))
    try:
        descriptor = os.open(path, _FILE_FLAGS)
    except OSError as error:
        raise SubmissionError(_unopenable("/".join(parts), error)) from None
    return _regular(descriptor, "/".join(parts))


def _regular(descriptor: int, name: str) -> int:
    """`descriptor`, if what it opened is a regular file with one name.

    A second name (a hard link, which GNU tar makes of an archive's link member) may be
    a classmate's file or the reference: it is a link too, refused like a symbolic one.
    """
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(descriptor)
        hard_link = stat.S_ISREG(info.st_mode) and info.st_nlink != 1
        raise SubmissionError(not_graded(name, info.st_mode, names=info.st_nlink), HARD_LINKED if hard_link else None)
    return descriptor


def _mode_at(name: str, folder: int) -> int | None:
    """The type and permissions of `name` in `folder`, without following a link; None if it is gone."""
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    except OSError:
        return None


def _below(path: Path, root: Path) -> str:
    """`path` from `root`, as the student named it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        raise SubmissionError(f"{shown_name(path)} is not in {shown_name(root)}") from None


def _unopenable(name: str, error: OSError) -> str:
    return f"{shown_name(name)} could not be opened ({error.strerror or error}); submit it again"


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))


HARD_LINK = "(a hard link)"  # how the message says it
# SubmissionError.cause of a hard link: the class summary then tells the instructor how the
# class folder may have made one.
HARD_LINKED = "hard link"


def not_graded(name: str, mode: int, folder: bool = False, names: int = 1) -> str:
    """Why the entry `name` (a student's path) of type `mode` is not graded, as a sentence for the student.

    folder: it stands where a folder should be; names: how many names the file has on disk.
    """
    shown = shown_name(name)
    if stat.S_ISREG(mode) and names != 1:
        return f"{shown} has {names} names on disk {HARD_LINK}; links are not graded: submit the file itself"
    if stat.S_ISLNK(mode):
        return (f"{shown} is a symbolic link; links are not graded: submit the "
                f"{'folder' if folder else 'file'} itself")
    kind = next((kind for is_kind, kind in _KINDS if is_kind(mode)), "not a regular file")
    if folder:
        return f"{shown} is {kind}, not a folder; submit your folder itself"
    return f"{shown} is not a regular file (it is {kind}); submit the file itself"


# ----------------------------------------------------------------- names ---

# Characters that reorder the text around them: a name could make a message read otherwise.
_WRITTEN = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown_name(name: object) -> str:
    """A name the student chose (a file, a folder, a student id), safe to show anywhere.

    Control codes (an escape sequence would recolour, clear or retitle the terminal; a new
    line would forge a line of the summary), bytes that are not UTF-8 and characters that
    reorder text are written out as \\x1b or \\u202e, so the name reads as it is. Applying it
    twice changes nothing. Rich markup is left as it is: renderers print names as Text.
    """
    text = os.fspath(name) if isinstance(name, os.PathLike) else str(name)
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, kept by Python as a lone surrogate
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char in _WRITTEN:
            out.append(_WRITTEN[char])
        elif unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


# --------------------------------------------------------------- finding ---

def find_in_folder(folder: Path, homework: str, how_to_choose: str) -> Found:
    """The file to grade in `folder`, directly in it or one folder down (a zipped folder).

    hw1.py or hw1.ipynb, in any case; a direct one beats one folder down, then the most
    recently modified, then the .py. With no such name, the only .py or .ipynb file.
    Hidden entries and __MACOSX or __pycache__ are not looked at, and no file is read.
    A symbolic link or a special file (a named pipe) with such a name, or a link where a
    folder would be, is never graded: the note or error says why. `how_to_choose` ends
    the note or error that names several files.
    """
    files, seen, refused = _look_in(folder)
    not_taken = tuple(f"not graded: {why}" for why in refused[:_SHOWN])
    named = [p for p in files if _is_named(p, homework)]
    if named:
        found = _choose(folder, named, homework, how_to_choose)
        return Found(found.path, found.notes + not_taken, folder)
    if refused and not files:  # what the student meant to submit, most likely: say why it is not graded
        more = f" (and {len(refused) - 1} more such entries)" if len(refused) > 1 else ""
        raise SubmissionError(refused[0] + more)
    names = f"{homework}.py or {homework}.ipynb"
    if len(files) == 1:
        shown = _relative(files[0], folder)
        return Found(files[0], (f"graded {shown}: there is no {names}, and it is the only notebook or .py file",
                                *not_taken), folder)
    if files:
        raise SubmissionError(f"found no {names} in {_shown(folder)} but several other .py or .ipynb files "
                              f"({_list([_relative(p, folder) for p in files])}); name the one to grade {names}, "
                              f"or {how_to_choose}")
    raise SubmissionError(f"found no {names} and no other .py or .ipynb file in {_shown(folder)} "
                          f"({_holds(seen)}); name your file {names}")


def _look_in(folder: Path) -> tuple[list[Path], list[str], list[str]]:
    """The .py and .ipynb files in `folder` and its folders, every entry seen there (shown, for
    messages), and why each link or special file that could have been the work is not graded.

    Only names and types are looked at (without following links); nothing is opened but
    `folder` and, without following a link, the folders in it.
    """
    files: list[Path] = []
    seen: list[str] = []
    refused: list[str] = []
    try:
        top = _entries(folder)
    except OSError as error:
        raise SubmissionError(f"cannot read the folder {shown_name(folder)} ({error.strerror or error})") from None
    for entry in top:
        if stat.S_ISDIR(entry.mode):
            seen.append(f"{shown_name(entry.name)}/")
            try:
                inside = _entries_of_folder_in(folder, entry.name)
            except OSError:  # an unreadable folder (or one swapped for a link) holds nothing we could grade
                inside = []
            for inner in inside:
                relative = f"{entry.name}/{inner.name}"
                seen.append(shown_name(relative) + ("/" if stat.S_ISDIR(inner.mode) else ""))
                _sort(inner, relative, folder / entry.name / inner.name, files, refused)
        else:
            seen.append(shown_name(entry.name))
            _sort(entry, entry.name, folder / entry.name, files, refused)
    return files, seen, refused


@dataclass(frozen=True)
class _Entry:
    """An entry of a folder, looked at without following a link."""

    name: str
    mode: int  # its type (os.lstat)
    is_folder_link: bool = False  # a link to a folder (looked at, never opened): "submit the folder itself"


def _sort(entry: _Entry, relative: str, path: Path, files: list[Path], refused: list[str]) -> None:
    """Put an entry that is not a real folder among the files to grade, or the refused."""
    is_work = Path(entry.name).suffix.lower() in _SUFFIXES
    if stat.S_ISREG(entry.mode):
        if is_work:
            files.append(path)
    elif entry.is_folder_link:
        refused.append(not_graded(relative, entry.mode, folder=True))
    elif is_work:  # a link, a named pipe, a socket, a device
        refused.append(not_graded(relative, entry.mode))


def _entries(folder: Path) -> list[_Entry]:
    """The entries of `folder` by name, without hidden ones and those of archive tools and Python."""
    found = []
    with os.scandir(folder) as entries:
        for entry in _work_entries(entries):
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
                found.append(_Entry(entry.name, mode, stat.S_ISLNK(mode) and _is_folder(entry)))
            except OSError:  # gone since it was listed
                pass
    return found


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows the link for a look, opens nothing
    except OSError:
        return False


def _entries_of_folder_in(folder: Path, name: str) -> list[_Entry]:
    """The entries of the folder `name` in `folder`, opened without following a link."""
    if not _WALKS:
        return [_Entry(e.name, e.mode) for e in _entries(folder / name)]
    parent = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        inner = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    finally:
        os.close(parent)
    try:  # every look at an entry while the folder is open: scandir's entries need its descriptor
        with os.scandir(inner) as entries:
            return [_Entry(e.name, mode) for e in _work_entries(entries) if (mode := _mode_at(e.name, inner))]
    finally:
        os.close(inner)


def _work_entries(entries) -> list[os.DirEntry]:
    return sorted((e for e in entries if not e.name.startswith(".") and e.name not in _NOT_WORK),
                  key=lambda e: e.name)


def _is_named(path: Path, homework: str) -> bool:
    return path.name.lower() in (f"{homework.lower()}.py", f"{homework.lower()}.ipynb")


def _choose(folder: Path, named: list[Path], homework: str, how_to_choose: str) -> Found:
    """One of several files named like the homework, and a note saying which, why and how to choose."""
    if len(named) == 1:
        return Found(named[0])
    changed = {p: when for p in named if (when := _changed_at(p)) is not None}  # a file gone since: not a rival
    if not changed:
        raise SubmissionError(f"the files named like {homework} in {_shown(folder)} went away while they were "
                              f"looked at; submit your work again")
    named = list(changed)
    if len(named) == 1:
        return Found(named[0])
    direct = [p for p in named if p.parent == folder]
    pool = direct or named
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


def _changed_at(path: Path) -> float | None:
    """When `path` last changed (a link's own time), or None if it went away since it was listed (the
    student may be changing the folder as it is looked at)."""
    try:
        return path.lstat().st_mtime
    except OSError:
        return None


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
    own = Course(start).stub(homework)
    if _is_file(own):
        return Found(own)
    try:
        found: Found | None = find_in_folder(start, homework, PASS_SUBMISSION)
    except SubmissionError as error:
        found, problem = None, error
    if found is not None and _is_named(found.path, homework):
        return found
    for folder in start.parents:
        candidate = Course(folder).stub(homework)
        if _is_file(candidate):
            return Found(candidate)
    if found is not None:
        return found
    files, seen, _ = _look_in(start)
    if files:
        raise problem  # several files, none named like the homework: the student must choose
    raise SubmissionError(f"found no {homework}.py or {homework}.ipynb here ({shown_name(start)}: {_holds(seen)}) "
                          f"and no {stub_path(homework)} above it; run grade from the folder that "
                          f"holds your work, or pass --submission PATH")


# The folders of an instructor's checkout that hold no student work, and what they do hold.
# source/ is nbgrader's: its notebooks hold the solutions, and one is one folder down.
_INSTRUCTOR_FOLDERS = {"solutions": "the reference solution", "grader": "the grader itself",
                       "source": "the notebooks with the solutions"}


def _instructor_folder(start: Path) -> tuple[Path, str] | None:
    """(the checkout, its top folder) when `start` is in or below one of _INSTRUCTOR_FOLDERS."""
    for checkout in start.parents:
        top = start.relative_to(checkout).parts[0]
        if top in _INSTRUCTOR_FOLDERS and Course(checkout).is_checkout():
            return checkout, top
    return None


def _student_copy(homework: str, checkout: Path, top: str) -> Found:
    relative = stub_path(homework)
    why = f"you ran grade from {top}/, which holds {_INSTRUCTOR_FOLDERS[top]}"
    if not _is_file(checkout / relative):
        raise SubmissionError(f"{why}, and this checkout has no {relative}; run grade from the folder that "
                              f"holds your work, or pass --submission PATH")
    return Found(checkout / relative, (f"{why}; graded {relative} instead",))


def resolve(path: Path, homework: str) -> Found:
    """A file as given, or the file to grade in a folder (see find_in_folder).

    The folder named may be a link (the person grading chose it); a file named is read
    only if it is no link (read_student_file says why not).
    """
    if path.is_dir():
        return find_in_folder(path, homework, PASS_SUBMISSION)
    if not os.path.lexists(path):
        raise SubmissionError(f"no such file or folder: {shown_name(path)}")
    if path.suffix.lower() not in _SUFFIXES:
        raise SubmissionError(f"{shown_name(path)} is neither a .py file nor a .ipynb notebook")
    return Found(path)  # read from its own folder: see read_student_file


def _is_file(path: Path) -> bool:
    """A regular file, not a symbolic link to one."""
    return path.is_file() and not path.is_symlink()


def _relative(path: Path, folder: Path) -> str:
    return shown_name(path.relative_to(folder).as_posix())


def _shown(folder: Path) -> str:
    """The folder's name, as a student would recognise it in a message."""
    return f"{shown_name(folder.absolute().name or folder)}/"


def _holds(seen: list[str]) -> str:
    return f"it holds {_list(seen)}" if seen else "it is empty"


def _list(names: list[str]) -> str:
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(names[:_SHOWN]) + more


def load_submission(path: Path, notes: tuple[str, ...] = (), root: Path | None = None) -> Submission:
    """`notes`: how the file was found (Found.notes), carried into the report; `root`: the
    folder it was found in (Found.root; see read_student_file)."""
    notebook = path.suffix.lower() == ".ipynb"
    if notebook:
        raw = read_student_file(path, MAX_NOTEBOOK_BYTES, root, too_large="clear its outputs (Kernel > Restart & "
                                                                          "Clear Output) and save it again")
        return Submission(path, tuple(notebook_cells(raw, shown_name(path.name))), tuple(notes))
    raw = read_student_file(path, MAX_SUBMISSION_BYTES, root)
    text = raw.decode("utf-8-sig", errors="replace")  # -sig: Windows editors start the file with a BOM
    name = shown_name(path.name)
    return Submission(path, (Cell(text, name, name),), tuple(notes))


def notebook_cells(raw: bytes, name: str) -> list[Cell]:
    """The code cells of a notebook, in order, without IPython magics or shell lines."""
    try:
        notebook = json.loads(raw)
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
        out, number, code = [], 0, 0
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            number += 1  # a cell is named by its place among the code cells, as a student counts them
            if is_test_cell(cell):  # it calls the grader; it is not the student's code
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if not isinstance(source, str):
                raise TypeError(f"code cell {number} has no text")
            code += len(source)
            if code > MAX_CODE_BYTES:  # before to_python, which reads every character
                raise SubmissionError(f"{name} holds more than {MAX_CODE_BYTES // 2**20} MiB of code; is it the "
                                      f"right notebook? (keep data in a file, not in a code cell)")
            out.append(Cell(to_python(source), f"{name}, code cell {number}", f"code cell {number}"))
        return out
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise SubmissionError(f"{name} is not a valid notebook ({error}); "
                              f"save it again from Jupyter or pass your .py file") from None

