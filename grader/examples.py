"""A homework's examples, drawn once and kept in a file, so that grading imports no hypothesis.

Drawing is deterministic: the same declarations, strategies, hypothesis and numpy
versions, course secret and counts give the same examples. So the engine draws them
once and keeps them in a file named by a key of all of these; a later `grade` reads
that file (a few milliseconds) instead of drawing (a quarter of a second, hypothesis's
import included). Hypothesis is then needed only to shrink a failure.

Where the files live:
- Public examples (no secret; what a student release draws): in the user's cache folder,
  GRADER_CACHE_DIR, else $XDG_CACHE_HOME/nn-grader, else ~/.cache/nn-grader. Not in the
  package or the release: the key holds the hypothesis and numpy versions of the
  environment that grades, which whoever builds a release cannot know, and an installed
  package's folder may not be writable. Anyone may draw these examples, so nothing is lost
  by keeping them there.
- The course secret's examples: in a folder beside the secret file (secret.examples_folder:
  course-secret.examples/, only its owner may enter it), never in the package or a release.
  They are as private as the secret: whoever knows them can record a table of right outputs.
  sandbox.secret_paths hides that folder from student code, as it hides the secret.

A file is a magic line, a MAC of the rest (an HMAC keyed by the secret for the secret's
examples, SHA-256 for public ones) and the examples in the worker's wire format (arrays as
.npy blobs read with allow_pickle=False): reading one never runs code. A file that is
truncated, corrupt, another key's or tampered with is ignored, drawn again and rewritten;
a folder that cannot be written only costs the drawing. Files are written atomically
(grader/atomic.py): concurrent jobs each write a whole file and the last rename wins, and
both are the same examples.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import platform
import sys
from pathlib import Path

from grader import secret as course_secret
from grader.atomic import write_atomically
from grader.runner import Call
from grader.worker.wire import MAX_FRAME_BYTES, decode, encode

FORMAT = b"nn-grader examples 1\n"
ENV_VAR = "GRADER_CACHE_DIR"
MAX_FILE_BYTES = MAX_FRAME_BYTES  # hw1's examples take 0.3 MB; a larger file is not ours
# What, besides a homework's own declaration folder, decides the examples drawn.
DECIDING_MODULES = ("strategies.py", "signature.py", "examples.py")
_GRADER = Path(__file__).resolve().parent


def cache_folder() -> Path:
    """Where public examples are kept: see the module docstring."""
    named = os.environ.get(ENV_VAR)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nn-grader"


def declaration_files(homework) -> list[Path] | None:
    """The files of the package that declares `homework`, or None for a homework built elsewhere
    (a test's), whose examples are then drawn each time, never kept."""
    module = sys.modules.get(f"grader.homeworks.{homework.name}")
    if module is None or getattr(module, "HOMEWORK", None) is not homework or not getattr(module, "__file__", None):
        return None
    folder = Path(module.__file__).resolve().parent
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def cache_key(homework_name: str, files: list[Path], layout: list, secret_id: str | None) -> str:
    """A name that changes whenever anything that decides the examples does: the declaration
    files and the grader's modules that draw (their bytes), which check draws from which
    strategy and how many (`layout`), the hypothesis, numpy and Python versions, the secret."""
    import numpy

    digest = hashlib.sha256(FORMAT)
    for path in [*files, *(_GRADER / name for name in DECIDING_MODULES)]:
        digest.update(f"\0file {path.name} ".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    versions = (_hypothesis_version(), numpy.__version__, platform.python_version_tuple()[:2])
    digest.update(repr((homework_name, layout, versions, secret_id)).encode())
    return f"{homework_name}-{secret_id or course_secret.PUBLIC}-{digest.hexdigest()[:24]}"


def _hypothesis_version() -> bytes:
    """Hypothesis's version file, found without importing hypothesis (or importlib.metadata):
    either costs what the cache saves."""
    import importlib.util

    spec = importlib.util.find_spec("hypothesis")
    if spec is None or not spec.submodule_search_locations:
        return b"none"
    try:
        return (Path(list(spec.submodule_search_locations)[0]) / "version.py").read_bytes()
    except OSError:
        return b"unknown"


def file_for(key: str, secret: course_secret.Secret | None) -> Path:
    folder = course_secret.examples_folder(secret.path) if secret is not None else cache_folder()
    return folder / f"{key}.examples"


def read(path: Path, secret: course_secret.Secret | None, shape: list[int]) -> list[list] | None:
    """The columns kept in `path`, or None when there is no such file or it is not a whole,
    untampered file of this key with `shape` (the count of examples wanted per column, at most)."""
    if secret is None and not _trusted(path):
        return None
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    head = len(FORMAT) + 32
    if len(data) < head or len(data) > MAX_FILE_BYTES or not data.startswith(FORMAT):
        return None
    if not hmac.compare_digest(data[len(FORMAT):head], _mac(data[head:], path.stem, secret)):
        return None
    try:
        raw = decode(data[head:], clean_text=False)
    except Exception:  # whatever a damaged file makes the decoder raise, it is not ours: draw again
        return None
    if not (isinstance(raw, list) and len(raw) == len(shape)):
        return None
    columns = []
    for column, most in zip(raw, shape):
        if not (isinstance(column, list) and 0 < len(column) <= most):
            return None
        calls = [_call(entry) for entry in column]
        if any(call is None for call in calls):
            return None
        columns.append(calls)
    return columns


def write(path: Path, columns: list[list], secret: course_secret.Secret | None) -> bool:
    """Keep `columns` in `path`, atomically; False (and nothing written) when they would not read
    back exactly the same (a value the wire format does not carry) or the folder is not writable."""
    from grader.strategies import example_key

    if not all(isinstance(call, Call) for column in columns for call in column):
        return False
    payload = encode([[[list(call.args), dict(call.kwargs)] for call in column] for column in columns])
    back = decode(payload, clean_text=False)
    if [[example_key(_call(entry)) for entry in column] for column in back] != \
            [[example_key(call) for call in column] for column in columns]:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if secret is not None:
            os.chmod(path.parent, 0o700)  # whatever the umask: only the secret's owner reads these
        elif not _private(path.parent):  # a folder others may write: keep nothing there
            return False
        write_atomically(path, FORMAT + _mac(payload, path.stem, secret) + payload)
        if secret is not None:
            os.chmod(path, 0o600)
    except OSError:
        return False
    return True


def _private(path: Path) -> bool:
    """Owned by this user, and writable by no one else (group or others)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _trusted(path: Path) -> bool:
    """Public examples have a checksum, not a MAC: they are trusted only where no one but this
    user can have written them (a shared or world-writable cache folder is not used)."""
    return _private(path.parent) and (not path.exists() or _private(path))


def _mac(payload: bytes, key: str, secret: course_secret.Secret | None) -> bytes:
    """The file's name is in the MAC too: a file copied under another key's name is foreign."""
    message = key.encode() + b"\0" + payload
    if secret is None:
        return hashlib.sha256(message).digest()
    return hmac.new(secret.value, b"nn-grader examples\0" + message, hashlib.sha256).digest()


def _call(entry: object) -> Call | None:
    """A Call from its kept form [args, kwargs], or None for anything else."""
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], list) and isinstance(entry[1], dict)):
        return None
    return Call(tuple(entry[0]), dict(entry[1]))
