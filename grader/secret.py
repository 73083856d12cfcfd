"""The course secret: what makes the examples of checks against the reference private.

Grading is deterministic, and the student release ships the strategies, so without
a secret a student's `grade` sends the very inputs the instructor's grader sends:
a table of correct outputs, recorded by running the release with anyone's working
code, would score full marks. With the reference installed, the grader draws those
examples from this secret instead, which never leaves the instructors: the same
secret (and package version) gives the same examples, so scores stay reproducible.

The secret is one line of random hex in `course-secret.txt` at the course
checkout's root (git-ignored, mode 0600), or in the file that GRADER_SECRET_FILE
names (TAs' machines, CI, a cluster). `grade secret --new` creates it. The examples
drawn from it are kept beside it (`examples_folder`), never in the package or a release.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from grader.course import COURSE
from grader.errors import GraderError

FILE_NAME = "course-secret.txt"
ENV_VAR = "GRADER_SECRET_FILE"
COURSE_ROOT = COURSE.root  # the course checkout (or site-packages, where none is)
NEW_COMMAND = "grade secret --new"
PUBLIC = "public"  # the examples' label in a report graded without a secret

_BYTES = 32  # 256 random bits: no table of outputs can cover what they choose
_MAX_FILE_BYTES = 4096  # a secret file is one short line; more is the wrong file


class SecretError(GraderError):
    """The course secret is missing where it is required, unreadable, or would be overwritten."""


@dataclass(frozen=True)
class Secret:
    """A course secret; `id` names it in reports without revealing it."""

    value: bytes
    path: Path

    @property
    def id(self) -> str:
        return hashlib.sha256(b"nn-grader course secret id\0" + self.value).hexdigest()[:12]

    @property
    def label(self) -> str:
        """What a report says its examples were drawn from."""
        return f"course secret {self.id}"

    def seed(self, *labels: object) -> int:
        """A 63-bit seed for `labels` (e.g. an exercise and a fixed seed), unpredictable without the secret."""
        message = "\0".join(str(label) for label in labels).encode()
        return int.from_bytes(hmac.new(self.value, message, hashlib.sha256).digest()[:8], "big") >> 1


def default_path() -> Path:
    """Where the secret is looked for: GRADER_SECRET_FILE, else course-secret.txt at the checkout's root."""
    named = os.environ.get(ENV_VAR)
    return Path(named) if named else COURSE_ROOT / FILE_NAME


def examples_folder(path: Path) -> Path:
    """Where the examples drawn from the secret in `path` are kept (grader/examples.py): beside it,
    course-secret.examples/ for course-secret.txt; as private as the secret itself."""
    path = Path(path)
    return path.with_name(f"{path.stem}.examples")


def find() -> Secret | None:
    """The course secret, or None when there is none (as in the student release).

    A GRADER_SECRET_FILE that names no file is an error, not "no secret": whoever set
    it meant grading to use it.
    """
    path = default_path()
    if not os.environ.get(ENV_VAR) and not path.is_file():
        return None
    return read(path)


def read(path: Path) -> Secret:
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SecretError(f"cannot read the course secret {path} ({error.strerror or error}); "
                          f"check {ENV_VAR}, or create one with `{NEW_COMMAND}`") from None
    text = data.decode("ascii", errors="replace").strip()
    if len(data) > _MAX_FILE_BYTES or len(text) < 2 * 16 or not all(c in "0123456789abcdef" for c in text):
        raise SecretError(f"{path} is not a course secret (one line of hex digits, as `{NEW_COMMAND}` writes); "
                          f"restore it from your backup")
    return Secret(text.encode(), Path(path))


def create(path: Path | None = None, force: bool = False) -> Secret:
    """Write a new secret to `path` (default: see default_path), readable by its owner only.

    Refuses to replace an existing one unless `force`: a new secret changes every
    example drawn from it.
    """
    path = Path(path) if path is not None else default_path()
    text = secrets.token_hex(_BYTES) + "\n"
    # Without force, the file itself is created exclusively: two commands at once cannot both win.
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if force else path
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SecretError(f"{path} already exists; keep it (grading uses it), or pass --force to replace it, "
                          f"which changes the examples of every check against the reference") from None
    except OSError as error:
        raise SecretError(f"cannot write {path} ({error.strerror or error}); "
                          f"choose a writable place with {ENV_VAR}") from None
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        os.write(descriptor, text.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if force:
        os.replace(target, path)
    return Secret(text.strip().encode(), path)


def require(task: str) -> Secret:
    """The secret, for a task that must not grade with public examples (a class, Gradescope, nbgrader)."""
    found = find()
    if found is None:
        raise SecretError(f"{task} needs the course secret, so that students cannot know the examples in advance, "
                          f"and there is none at {default_path()}: run `{NEW_COMMAND}` once (then back it up and "
                          f"copy it to the other graders), or set {ENV_VAR} to the file")
    return found
