"""What a report's grade depends on besides the submission: the grader's fingerprint.

Two machines grade a submission alike only when they run the same grader code, the
same homework declaration and reference, draw the examples from the same course
secret, and use the same numpy and hypothesis (hypothesis draws the examples, numpy
computes the expected values). A cluster's client compares its fingerprint with
each worker's before grading (grader/cluster.py), and every batch report stores
the fingerprint it was made with, so that resume grades again a report that
another grader made (an older checkout, another secret, another numpy).

The package version alone does not change with each commit of a checkout, so the
grader's own code is hashed too.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from grader.course import DECLARATIONS
from grader.exercise import Homework

PACKAGE = Path(__file__).resolve().parent
# What each field is, in the message that refuses a worker whose fingerprint differs.
FIELDS = {
    "version": "nn-grader version",
    "code": "grader code",
    "homework": "homework declaration",
    "reference": "reference solution",
    "examples": "examples drawn from",
    "numpy": "numpy version",
    "hypothesis": "hypothesis version",
}


def fingerprint(homework: Homework, reference: bool = True) -> dict[str, str]:
    """This process's fingerprint for grading `homework` (with the reference or without it)."""
    import hypothesis
    import numpy

    from grader.engine import examples_label

    return {
        "version": _version(),
        "code": _code_hash(),
        "homework": _files_hash(DECLARATIONS / homework.name),
        "reference": _reference_hash(homework.reference) if reference else "not used",
        "examples": examples_label(homework, reference),
        "numpy": numpy.__version__,
        "hypothesis": hypothesis.__version__,
    }


def differences(here: dict, there: dict) -> str:
    """The fields that differ, said in words ("numpy version 2.1.0 here, 2.2.0 there"); empty when equal."""
    parts = []
    for key, label in FIELDS.items():
        if here.get(key) != there.get(key):
            parts.append(f"{label} {here.get(key, 'unknown')} here, {there.get(key, 'unknown')} there")
    return "; ".join(parts)


def _version() -> str:
    try:
        return metadata.version("nn-grader")
    except metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The engine's code (every module of the package but the homeworks, hashed on their own)."""
    files = [p for p in PACKAGE.rglob("*.py") if DECLARATIONS not in p.parents]
    return _hash(files, PACKAGE)


@lru_cache(maxsize=None)
def _files_hash(folder: Path) -> str:
    return _hash([p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts], folder)


@lru_cache(maxsize=None)
def _reference_hash(module: str) -> str:
    """The reference solution's folder (the solution and its known mistakes), or "none" where absent."""
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        spec = None
    if spec is None or not spec.origin:
        return "none"
    folder = Path(spec.origin).parent
    return _files_hash(folder)


def _hash(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
