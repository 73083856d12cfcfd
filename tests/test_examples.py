"""The kept examples (grader/examples.py): used when valid, keyed by all that decides them,
never trusted when damaged, safe to write at once, and the secret's kept beside the secret."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HW1, ROOT
from grader import engine
from grader import examples as kept
from grader import secret as course_secret
from grader.atomic import TEMPORARY_SUFFIX
from grader.release import build_release
from grader.runner import Call
from grader.strategies import example_key
from grader.worker.wire import decode, encode


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """An empty folder for the public examples, and no examples kept in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(kept.ENV_VAR, str(folder))
    engine._EXAMPLES.clear()
    yield folder
    engine._EXAMPLES.clear()


def _keys(examples: dict) -> dict:
    return {slot: [example_key(call) for call in calls] for slot, calls in examples.items()}


def _public_file(folder: Path) -> Path:
    (path,) = folder.glob("hw1-public-*.examples")
    return path


def _drawn_afresh(secret=None) -> dict:
    """The examples as drawing gives them, with nothing kept (as for a homework declared elsewhere)."""
    engine._EXAMPLES.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kept, "declaration_files", lambda homework: None)
        drawn = _keys(engine._draw_all_examples(HW1, secret))
    engine._EXAMPLES.clear()
    return drawn


# ------------------------------------------------------------------ used ---

SECOND_RUN = """
import contextlib, io, sys
from grader.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["hw1", "--submission", sys.argv[1], "--json"])
print(code, sorted(m for m in sys.modules if m.split(".")[0] == "hypothesis")[:3])
"""


def test_a_passing_submission_graded_again_imports_no_hypothesis(cache_dir, test_course_secret):
    def run() -> str:
        done = subprocess.run([sys.executable, "-c", SECOND_RUN, str(ROOT / "solutions/hw1/hw1.py")], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    first = run()
    assert first.startswith("0 ") and "hypothesis" in first  # drawn, then kept
    assert _public_file(cache_dir).is_file()
    secret_files = list(course_secret.examples_folder(test_course_secret.path).glob("hw1-*.examples"))
    assert len(secret_files) == 1 and test_course_secret.id in secret_files[0].name
    assert run() == "0 []"


def test_kept_examples_are_the_drawn_ones(cache_dir, test_course_secret):
    for secret in (None, test_course_secret):
        drawn = _drawn_afresh(secret)
        assert _keys(engine._draw_all_examples(HW1, secret)) == drawn  # drawn and kept
        engine._EXAMPLES.clear()
        assert _keys(engine._draw_all_examples(HW1, secret)) == drawn  # read back


# ------------------------------------------------------------------- key ---

def _layout() -> list:
    return [(("sigmoid", 0), 0, 100, True)]


def test_the_key_changes_with_a_declaration_file(tmp_path):
    files = []
    for source in kept.declaration_files(HW1):
        files.append(tmp_path / source.name)
        shutil.copyfile(source, files[-1])
    before = kept.cache_key("hw1", files, _layout(), None)
    assert kept.cache_key("hw1", files, _layout(), None) == before
    inputs = tmp_path / "inputs.py"
    inputs.write_text(inputs.read_text().replace("DROP_PROBABILITIES = (0.5, 0.0, 0.2, 0.75)",
                                                 "DROP_PROBABILITIES = (0.5, 0.0, 0.2, 0.8)"))
    assert kept.cache_key("hw1", files, _layout(), None) != before


def test_the_key_changes_with_the_counts_the_secret_and_the_versions(monkeypatch):
    files = kept.declaration_files(HW1)
    before = kept.cache_key("hw1", files, _layout(), None)
    assert kept.cache_key("hw1", files, [(("sigmoid", 0), 0, 99, True)], None) != before
    assert kept.cache_key("hw1", files, _layout(), "0123456789ab") != before
    assert kept.cache_key("hw1", files, _layout(), "0123456789ab") != kept.cache_key("hw1", files, _layout(), "ba98")
    monkeypatch.setattr(kept, "_hypothesis_version", lambda: b"__version_info__ = (9, 9, 9)")
    assert kept.cache_key("hw1", files, _layout(), None) != before


def test_another_secret_gives_other_examples_in_another_file(tmp_path, cache_dir):
    one, other = (_secret_in(tmp_path / name) for name in ("one", "other"))
    first = _keys(engine._draw_all_examples(HW1, one))
    engine._EXAMPLES.clear()
    second = _keys(engine._draw_all_examples(HW1, other))
    hidden = [slot for slot, check in _checks_by_slot().items() if check.uses_reference]
    assert all(first[slot] != second[slot] for slot in hidden)
    (one_file,) = course_secret.examples_folder(one.path).iterdir()
    (other_file,) = course_secret.examples_folder(other.path).iterdir()
    assert one_file.name != other_file.name


def _secret_in(folder: Path) -> course_secret.Secret:
    folder.mkdir()
    return course_secret.create(folder / course_secret.FILE_NAME)


def _any_shape() -> list[int]:
    """read()'s `shape` that takes hw1's columns, whatever their lengths."""
    return [10**6] * len({id(c.inputs) for c in _checks_by_slot().values()})


def _checks_by_slot() -> dict:
    return {(e.name, i): c for e in HW1.exercises for i, c in enumerate(e.checks) if hasattr(c, "inputs")}


# ------------------------------------------------------- damaged files ---

def _sha_signed(path: Path, payload: bytes) -> bytes:
    return kept.FORMAT + hashlib.sha256(path.stem.encode() + b"\0" + payload).digest() + payload


DAMAGES = {
    "empty": lambda path, data: b"",
    "truncated": lambda path, data: data[: len(data) // 2],
    "a byte changed": lambda path, data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
    "garbage": lambda path, data: os.urandom(5000),
    "another format": lambda path, data: b"nn-grader examples 0\n" + data[len(kept.FORMAT):],
    # a pickle that would write a file if unpickled, under a valid public checksum: read as data, never run
    "a pickle": lambda path, data: _sha_signed(path, pickle.dumps(_Planted(str(path.parent / "PWNED")))),
    # well-formed, checksum right, but columns of the wrong shape
    "other columns": lambda path, data: _sha_signed(path, encode([[[[1.0], {}]]])),
}


class _Planted:
    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_file_is_ignored_and_rewritten(cache_dir, damage):
    drawn = _keys(engine._draw_all_examples(HW1, None))
    path = _public_file(cache_dir)
    path.write_bytes(DAMAGES[damage](path, path.read_bytes()))
    engine._EXAMPLES.clear()
    assert _keys(engine._draw_all_examples(HW1, None)) == drawn
    assert not (cache_dir / "PWNED").exists()
    assert kept.read(path, None, _any_shape()) is not None  # rewritten whole


def test_a_file_larger_than_any_of_ours_is_not_read(cache_dir, monkeypatch):
    path = cache_dir / "hw1-public-large.examples"
    assert kept.write(path, [[Call((1.0,))]], None)
    assert kept.read(path, None, [1]) is not None
    monkeypatch.setattr(kept, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert kept.read(path, None, [1]) is None


def test_a_file_of_another_key_is_foreign(cache_dir, tmp_path):
    columns = [[Call((1.0,))]]
    one, other = cache_dir / "hw1-public-one.examples", cache_dir / "hw1-public-other.examples"
    assert kept.write(one, columns, None)
    shutil.copyfile(one, other)
    assert kept.read(one, None, [1]) is not None
    assert kept.read(other, None, [1]) is None


def test_a_tampered_secret_file_is_ignored_even_with_its_checksum_redone(tmp_path, cache_dir):
    secret = _secret_in(tmp_path / "course")
    drawn = _keys(engine._draw_all_examples(HW1, secret))
    (path,) = course_secret.examples_folder(secret.path).iterdir()
    data = path.read_bytes()
    head = len(kept.FORMAT) + 32
    forged = decode(data[head:], clean_text=False)
    forged[0][0][0][0] = forged[0][0][0][0] * 0  # the first example's array, zeroed
    path.write_bytes(_sha_signed(path, encode(forged)))
    assert kept.read(path, secret, _any_shape()) is None
    engine._EXAMPLES.clear()
    assert _keys(engine._draw_all_examples(HW1, secret)) == drawn


def test_an_unwritable_cache_folder_costs_only_the_drawing(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(kept.ENV_VAR, str(blocker / "cache"))
    drawn = _drawn_afresh()
    engine._EXAMPLES.clear()
    assert _keys(engine._draw_all_examples(HW1, None)) == drawn
    engine._EXAMPLES.clear()


# ------------------------------------------------------------- at once ---

WRITER = """
import sys
from pathlib import Path
from grader import examples
from grader.runner import Call
import numpy as np
path, me = Path(sys.argv[1]), int(sys.argv[2])
columns = [[Call((np.arange(2000.0) + n,), {"p": 0.5}) for n in range(50)] for _ in range(3)]
for _ in range(40):
    assert examples.write(path, columns, None)
    assert examples.read(path, None, [50] * 3) is not None
"""


def test_processes_writing_at_once_leave_a_whole_file(tmp_path):
    path = tmp_path / "cache" / "hw1-public-race.examples"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n)], cwd=ROOT, stderr=subprocess.PIPE)
               for n in range(4)]
    for writer in writers:
        _, error = writer.communicate(timeout=300)
        assert writer.returncode == 0, error.decode()
    columns = kept.read(path, None, [50] * 3)
    assert columns is not None and len(columns) == 3 and all(len(column) == 50 for column in columns)
    assert not list(path.parent.glob(f".*{TEMPORARY_SUFFIX}"))


# ---------------------------------------------------------------- where ---

def test_the_secret_examples_live_beside_the_secret_and_are_hidden_from_student_code(test_course_secret):
    from grader import sandbox

    folder = course_secret.examples_folder(test_course_secret.path)
    assert folder.parent == test_course_secret.path.parent
    assert folder in sandbox.secret_paths()
    package = Path(kept.__file__).resolve().parent
    default = course_secret.examples_folder(course_secret.COURSE_ROOT / course_secret.FILE_NAME)
    assert package not in default.resolve().parents and default.resolve() != package


def test_the_secret_examples_are_private_to_their_owner(tmp_path, cache_dir):
    secret = _secret_in(tmp_path / "course")
    engine._draw_all_examples(HW1, secret)
    folder = course_secret.examples_folder(secret.path)
    assert folder.stat().st_mode & 0o077 == 0
    assert all(path.stat().st_mode & 0o077 == 0 for path in folder.iterdir())


def test_the_release_holds_none_of_the_secret_examples(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info",
                                                                   ".hypothesis", "grades", "build",
                                                                   "course-secret.*"))
    secret = course_secret.create(checkout / course_secret.FILE_NAME)
    planted = kept.file_for("hw1-planted", secret)
    assert kept.write(planted, [[Call((0.123456789,))]], secret)
    out = tmp_path / "release"
    build_release(out, root=checkout)
    payload = planted.read_bytes()[len(kept.FORMAT) + 32:]
    for path in out.rglob("*"):
        assert not path.name.endswith(".examples"), path
        if path.is_file():
            assert payload not in path.read_bytes(), path


def test_a_check_added_to_one_exercise_leaves_the_others_examples_as_they_were():
    """A trial homework's finding: adding checks to relu changed softmax's examples (and a
    mutant's score), since all strategies were drawn in one run."""
    import dataclasses

    from grader import strategies as s
    from grader.checks import MatchesReference
    from grader.engine import _draw_all_examples
    from grader.homeworks import HOMEWORKS

    homework = HOMEWORKS["hw1"]
    first = homework.exercises[0]
    extra = MatchesReference(s.prediction_pairs(), 1, "a check of another strategy, added last")
    grown = dataclasses.replace(homework, exercises=(
        dataclasses.replace(first, checks=(*first.checks, extra)), *homework.exercises[1:]))
    before, after = _draw_all_examples(homework), _draw_all_examples(grown)
    others = [slot for slot in before if slot[0] != first.name]
    assert others and all([example_key(c) for c in before[slot]] == [example_key(c) for c in after[slot]]
                          for slot in others)
    assert (first.name, len(first.checks)) in after
