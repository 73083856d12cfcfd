"""Write files so that a reader, or a re-run after a kill, only ever sees whole files.

Each file is written to a hidden temporary file in the same folder (so the rename
cannot cross file systems) and renamed over the target with `os.replace`, which
POSIX and Windows both make atomic: the target is the old file or the new one,
never half of either.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Temporary files are named ".<random>.partial": hidden, and easy to recognise as
# leftovers of a run that was killed between writing and renaming. Not after the target:
# a target whose name is near the longest a file system allows (255 bytes) must still
# get a temporary name.
TEMPORARY_PREFIX = ".atomic-"
TEMPORARY_SUFFIX = ".partial"


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace `path` with `data` in one step; text is written as UTF-8."""
    payload = data.encode("utf-8", "replace") if isinstance(data, str) else data  # never fail on a lone surrogate
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())  # the data is on disk before the name points at it
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run left in `folder`; returns them."""
    removed = []
    for leftover in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass
    return removed


_UMASK: list[int] = []


def _umask() -> int:
    # os.umask can only be read by setting it; do that once, before any thread writes.
    if not _UMASK:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK.append(current)
    return _UMASK[0]
