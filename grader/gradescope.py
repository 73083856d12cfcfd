"""Gradescope: a report as results.json, and the autograder zip that produces it.

results.json follows https://gradescope-autograders.readthedocs.io/en/latest/specs/:
a top-level score, execution_time and output, and one test per function with
name, score, max_score, status ("passed" or "failed"), output and visibility.

The zip holds setup.sh and run_autograder at its root (Gradescope's rule), next
to this package's source and the reference solutions, which Gradescope grades
with. Gradescope unpacks the zip into /autograder/source, runs setup.sh once to
build the image, then run_autograder for each submission (in
/autograder/submission), which must leave /autograder/results/results.json.
AUTOGRADER_ROOT replaces /autograder, so the same layout can be built in a
temporary folder and tested.
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path

from grader.atomic import write_atomically
from grader.course import COURSE
from grader.errors import SubmissionError, UsageError
from grader.exercise import PASSED, Homework
from grader.report import feedback_text, part_of
from grader.secret import FILE_NAME
from grader.secret import require as require_secret
from grader.submission import SUBMIT_ONE, Found, find_in_folder

# Students see the checks of public rules as soon as they are graded, and the checks
# against the reference (hidden examples) once the instructor publishes the grades.
VISIBILITY = {False: "visible", True: "after_published"}

# Student code runs as this user where bubblewrap cannot start (see sandbox.sandbox_user).
SANDBOX_USER = "nn-grader-student"

# Zip entries get this time, so the same source always gives the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_EXECUTABLE = 0o100755 << 16
_REGULAR = 0o100644 << 16
_PRIVATE = 0o100600 << 16


def results_from_document(document: dict, seconds: float, show_expected: bool = False) -> dict:
    """Gradescope's results.json for a report document (the schema of `grade --json`).

    Each function is one test, or two where it has checks against the reference: its
    checks of public rules, then "NAME: against the reference" (after_published). No
    test shows the reference's expected values unless `show_expected`.
    """
    summary = [f"{document['assignment']}: {_number(document['score'])}/{_number(document['max_score'])} points"]
    if document.get("error"):
        summary.append(f"Your code could not be graded: {document['error']}")
    summary += [f"Note: {note}" for note in document.get("notes", [])]
    tests = []
    for exercise in document["exercises"]:
        for hidden in (False, True):
            part = part_of(exercise, hidden)
            if part is None:
                continue
            tests.append({
                "name": f"{exercise['name']}: against the reference" if hidden else exercise["name"],
                "score": part["score"],
                "max_score": part["max_score"],
                "status": "passed" if part["status"] == PASSED else "failed",
                "output": document.get("error") or feedback_text(part, show_expected),
                "visibility": VISIBILITY[hidden],
            })
    return {"score": document["score"], "execution_time": round(seconds, 2), "output": "\n".join(summary),
            "tests": tests}


def locate_submission(folder: Path, homework: str) -> Found:
    """The file to grade in a Gradescope submission folder, by the rule of every entry point.

    Students who upload a zipped folder end up with submission/<folder>/hw1.py, which
    find_in_folder also looks at.
    """
    if not folder.is_dir():
        raise SubmissionError(f"no submission was found (no folder {folder})")
    return find_in_folder(folder, homework, SUBMIT_ONE)


# ------------------------------------------------------------------ bundle ---

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder image.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"

has_python() {
    command -v python3 >/dev/null 2>&1 &&
        python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1
}
if ! has_python; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-pip python3-venv
fi
if ! has_python; then
    echo "setup.sh: the grader needs Python >= 3.10 with venv; choose a newer Ubuntu base image" >&2
    exit 1
fi

# The OS-level sandbox for student code, where the image allows it (the grader probes it).
if ! command -v bwrap >/dev/null 2>&1; then
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap) >/dev/null 2>&1 || true
fi

# A virtual environment: the system Python of newer images refuses pip installs.
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --upgrade pip
"$ROOT/venv/bin/python" -m pip install "$SOURCE"
# Keep the dependencies but not a second copy of the package: run_autograder imports the
# grader and the reference from $SOURCE, the one place the sandbox hides from student code.
"$ROOT/venv/bin/python" -m pip uninstall -y {distribution}
PYTHONPATH="$SOURCE" "$ROOT/venv/bin/python" -c "import grader.cli, {reference}"

# Where bubblewrap cannot start, student code runs as this user (Gradescope's advice), who
# cannot read the course source, the reference or the results: run_autograder hides them.
# The user must be able to run the environment's Python, which the grader starts for it.
if ! id -u {sandbox_user} >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin {sandbox_user}
fi
chmod a+x "$ROOT"
chmod -R a+rX "$ROOT/venv"
if ! (cd / && runuser -u {sandbox_user} -- "$ROOT/venv/bin/python" -I -c "import numpy"); then
    echo "setup.sh: the user {sandbox_user} cannot run $ROOT/venv/bin/python with numpy; use a base image" \\
         "whose python3 lies in /usr" >&2
    exit 1
fi
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission. It always leaves a valid results.json.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"

# Where bubblewrap cannot start, the grader (root) runs student code as the user setup.sh
# made: hide from that user the course source (the reference), the results and the
# submission's metadata.
if [ -z "${{GRADER_SANDBOX_USER:-}}" ] && id -u {sandbox_user} >/dev/null 2>&1; then
    export GRADER_SANDBOX_USER={sandbox_user}
fi
chmod go-rwx "$ROOT/source" "$ROOT/results"
if [ -e "$ROOT/submission_metadata.json" ]; then chmod go-rwx "$ROOT/submission_metadata.json"; fi

PYTHON="${{GRADER_PYTHON:-}}"
if [ -z "$PYTHON" ]; then
    if [ -x "$ROOT/venv/bin/python" ]; then PYTHON="$ROOT/venv/bin/python"; else PYTHON=python3; fi
fi

# The bundled source first on the path, so the grader and the reference are the ones zipped.
# GRADER_CELL_TIMEOUT, if set: the CPU seconds for each notebook cell (default 10).
# GRADER_SHOW_EXPECTED=1: show students the reference's expected values (hidden by default).
SHOW_EXPECTED=""
if [ "${{GRADER_SHOW_EXPECTED:-}}" = 1 ]; then SHOW_EXPECTED="--show-expected"; fi
PYTHONPATH="$ROOT/source" "$PYTHON" -m grader.cli {homework} --submission "$ROOT/submission" \\
    --format gradescope --out "$RESULTS" ${{GRADER_CELL_TIMEOUT:+--cell-timeout "$GRADER_CELL_TIMEOUT"}} \\
    $SHOW_EXPECTED
status=$?

if ! PYTHONPATH="$ROOT/source" "$PYTHON" -c 'import json, sys
from grader.gradescope import is_valid_results
sys.exit(0 if is_valid_results(json.load(open(sys.argv[1]))) else 1)' "$RESULTS" >/dev/null 2>&1; then
    # Plain words and a number only, so the JSON needs no escaping.
    message="The autograder failed before it could grade this submission (exit status $status)."
    message="$message Please tell your instructor; the log of this run shows why."
    printf '{{"score": 0.0, "output": "%s", "tests": []}}\\n' "$message" > "$RESULTS"
fi
exit 0
"""


def build_bundle(homework: Homework, out: Path) -> list[str]:
    """Write the autograder zip for `homework` to `out`; returns the names it holds."""
    source = _source_root()
    package = homework.reference.split(".")[0]
    if not _is_importable(homework.reference) or not (source / package).is_dir():
        raise UsageError(f"the reference solution {homework.reference} is not installed here; "
                         f"build the Gradescope bundle from the instructor's checkout")
    files: dict[str, bytes] = {}
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (source / name).is_file():
            files[name] = (source / name).read_bytes()
    files.setdefault("README.md", b"Autograder bundle of nn-grader.\n")  # pyproject names it as the readme
    # At the bundle's root, where the grader looks (/autograder/source): the examples students cannot replay.
    files[FILE_NAME] = require_secret("building the Gradescope bundle").value + b"\n"
    # The reference and the known mistakes (hints) live outside grader/: this homework's only.
    solution = COURSE.solution(homework.name).parent
    for folder in (source / "grader", solution):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[path.relative_to(source).as_posix()] = path.read_bytes()
    for package in solution.relative_to(source).parents:
        if (source / package / "__init__.py").is_file():
            files[(package / "__init__.py").as_posix()] = (source / package / "__init__.py").read_bytes()
    scripts = {
        "setup.sh": SETUP_SH.replace("{reference}", homework.reference)
                            .replace("{distribution}", _distribution_name(files["pyproject.toml"]))
                            .replace("{sandbox_user}", SANDBOX_USER).encode(),
        "run_autograder": RUN_AUTOGRADER.format(homework=homework.name, sandbox_user=SANDBOX_USER).encode(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*scripts.items(), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.external_attr = _EXECUTABLE if name in scripts else _PRIVATE if name == FILE_NAME else _REGULAR
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, buffer.getvalue())
    except OSError as error:
        raise UsageError(f"cannot write {out} ({error.strerror or error}); pass a writable path with --out") from None
    return [*scripts, *sorted(files)]


def _source_root() -> Path:
    """The checkout this package runs from: the bundle is built from its files."""
    root = COURSE.root
    if not COURSE.is_source_tree():
        raise UsageError(f"the grader's source is not here ({root} has no pyproject.toml); build the bundle from "
                         f"a checkout installed with pip install -e")
    return root


def _distribution_name(pyproject: bytes) -> str:
    """The `name` of the [project] table (tomllib is not in Python 3.10)."""
    in_project = False
    for line in pyproject.decode("utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_project = stripped == "[project]"
        elif in_project and (match := re.match(r'name\s*=\s*"([^"]+)"', stripped)):
            return match.group(1)
    raise UsageError("pyproject.toml has no [project] name; the bundle cannot install the grader")


def _is_importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def is_valid_results(document: object) -> bool:
    """Does `document` have the form Gradescope accepts (a score, tests with scores)?"""
    if not isinstance(document, dict):
        return False
    tests = document.get("tests", [])
    if not isinstance(tests, list) or not all(isinstance(t, dict) and _is_number(t.get("score")) for t in tests):
        return False
    return _is_number(document.get("score")) or bool(tests)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: float) -> str:
    return f"{value:g}"
