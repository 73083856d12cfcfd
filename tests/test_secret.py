"""The course secret: examples that a student release cannot replay (issue 10, item 7).

Grading is deterministic and the release ships the strategies, so without a secret a
table of outputs recorded by running the release with working code scores full marks.
These tests show that attack, and that the secret defeats it; that the secret is made
by one command, kept from student code and from the release, and required where
grades count; and that the examples of each check are distinct.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import numpy as np
import pytest
from conftest import FAST_LIMITS, HW1, ROOT, grade_source, reference_source, scores, with_function

from grader import cli, engine, strategies
from grader import secret as course_secret
from grader.batch import find_students, is_report_of, run_batch
from grader.checks import check_slot
from grader.release import build_release
from grader.runner import StudentProcess
from grader.report import SCHEMA_VERSION

TABLE_TARGET = "two_layer_loss_and_grads"


def make_secret(folder: Path, name: str = "course-secret.txt") -> course_secret.Secret:
    return course_secret.create(folder / name)


@pytest.fixture
def no_secret(tmp_path, monkeypatch) -> Path:
    """No course secret anywhere: no GRADER_SECRET_FILE, and a checkout root without the file."""
    monkeypatch.delenv(course_secret.ENV_VAR, raising=False)
    root = tmp_path / "checkout"
    root.mkdir()
    monkeypatch.setattr(course_secret, "COURSE_ROOT", root)
    return root


# ----------------------------------------------------------- the command ---

def test_the_command_creates_a_file_only_its_owner_can_read(tmp_path, monkeypatch, capsys):
    path = tmp_path / "course-secret.txt"
    monkeypatch.setenv(course_secret.ENV_VAR, str(path))
    assert cli.main(["secret", "--new"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    said = " ".join(capsys.readouterr().out.split())
    found = course_secret.find()
    assert found is not None and found.path == path
    assert str(path) in said and found.id in said and "password manager" in said
    assert found.value.decode() not in said  # the id names it; the secret itself is never printed


def test_the_command_refuses_to_overwrite_without_force(tmp_path, monkeypatch, capsys):
    path = tmp_path / "course-secret.txt"
    monkeypatch.setenv(course_secret.ENV_VAR, str(path))
    assert cli.main(["secret", "--new"]) == 0
    first = path.read_text()
    assert cli.main(["secret", "--new"]) == 2
    assert "--force" in capsys.readouterr().err
    assert path.read_text() == first
    assert cli.main(["secret", "--new", "--force"]) == 0
    assert path.read_text() != first and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_default_place_is_the_checkout_root_and_git_ignores_it(no_secret):
    assert course_secret.default_path() == no_secret / "course-secret.txt"
    assert course_secret.find() is None
    assert "/course-secret.txt" in (ROOT / ".gitignore").read_text().split()


def test_a_secret_file_named_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(course_secret.ENV_VAR, str(tmp_path / "nowhere.txt"))
    with pytest.raises(course_secret.SecretError, match="cannot read the course secret"):
        course_secret.find()


# ------------------------------------------------------------- examples ---

def _examples(secret):
    engine._EXAMPLES.clear()  # drawn afresh, not from the cache
    return engine._draw_all_examples(HW1, secret)


def _keys(examples: dict) -> dict:
    return {check: [strategies.example_key(call) for call in calls] for check, calls in examples.items()}


def test_the_same_secret_gives_the_same_examples_and_another_secret_others(tmp_path):
    one, other = make_secret(tmp_path, "one.txt"), make_secret(tmp_path, "other.txt")
    again = course_secret.read(one.path)
    assert _keys(_examples(one)) == _keys(_examples(again))
    public, first, second = _keys(_examples(None)), _keys(_examples(one)), _keys(_examples(other))
    # Every run starts with hypothesis's simplest example (the same for any seed, and the most
    # readable), and simple integer arrays may coincide; the rest differ. A table of the shared
    # few gains nothing: a check passes only when all its examples do.
    for check in public:
        for theirs in (public[check], second[check]):
            shared = set(first[check]) & set(theirs)
            assert len(shared) <= max(2, len(theirs) // 20), f"{len(shared)} of {len(theirs)} examples shared"
    # The fixed seeds of the hand-written checks (gradient problems, dropout generators) too.
    assert one.seed("sigmoid_grad", 1) == again.seed("sigmoid_grad", 1) != other.seed("sigmoid_grad", 1)


def test_the_cache_of_examples_is_kept_per_secret(tmp_path):
    one, other = make_secret(tmp_path, "one.txt"), make_secret(tmp_path, "other.txt")
    engine._EXAMPLES.clear()
    first = _keys(engine._draw_all_examples(HW1, one))
    assert _keys(engine._draw_all_examples(HW1, other)) != first  # not the cached draws of `one`
    assert _keys(engine._draw_all_examples(HW1, one)) == first


@pytest.mark.parametrize("secret", ["public", "secret"])
def test_the_examples_of_each_check_are_distinct(secret, tmp_path):
    examples = _examples(make_secret(tmp_path) if secret == "secret" else None)
    wanting = {check_slot(e, c): c for e in HW1.exercises for c in e.checks if hasattr(c, "inputs")}
    for check, calls in _keys(examples).items():
        assert len(calls) == wanting[check].examples
        assert len(set(calls)) == len(calls), f"{wanting[check].description}: {len(set(calls))} distinct"


# --------------------------------------------------- reports and batches ---

def test_a_report_says_what_its_examples_came_from(tmp_path, test_course_secret):
    report = grade_source(tmp_path, reference_source(), only=["mse"])
    assert report.examples == f"course secret {test_course_secret.id}"
    assert report.examples == engine.examples_label(HW1)
    assert not any("public examples" in note for note in report.notes)
    public = grade_source(tmp_path, reference_source(), only=["mse"], secret=None)
    assert public.examples == "public"
    assert any("public examples" in note and "grade secret --new" in note for note in public.notes)


def test_one_file_without_a_secret_is_graded_with_the_public_examples_and_a_note(tmp_path, no_secret):
    report = grade_source(tmp_path, reference_source(), only=["mse"])
    assert report.examples == "public" and scores(report)["mse"] == 8
    assert any("public examples" in note for note in report.notes)


def test_without_the_reference_the_examples_are_public_and_no_note(tmp_path):
    report = grade_source(tmp_path, reference_source(), only=["mse"], reference=False)
    assert report.examples == "public"
    assert not any("public examples" in note for note in report.notes)


def _class(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "hw1.py").write_text(reference_source())
    return folder


@pytest.mark.parametrize("command", [
    ["--submissions", "{class}", "--allow-unsandboxed", "--out", "{out}"],
    ["--submission", "{class}/alice/hw1.py", "--format", "gradescope", "--out", "{out}/results.json"],
], ids=["class", "gradescope"])
def test_grades_that_count_refuse_to_run_without_a_secret(command, tmp_path, no_secret, capsys):
    folder = _class(tmp_path)
    argv = [a.replace("{class}", str(folder)).replace("{out}", str(tmp_path / "out")) for a in command]
    assert cli.main(["hw1", *argv]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "needs the course secret" in said and "run `grade secret --new` once" in said
    assert not (tmp_path / "out" / "gradebook.csv").exists() and not (tmp_path / "out" / "results.json").exists()


def test_the_gradescope_bundle_carries_the_secret(tmp_path, test_course_secret):
    import zipfile

    from grader.gradescope import build_bundle

    build_bundle(HW1, tmp_path / "autograder.zip")
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        info = archive.getinfo("course-secret.txt")  # at the root: /autograder/source, the grader's checkout root
        assert archive.read(info).strip() == test_course_secret.value
        assert (info.external_attr >> 16) & 0o777 == 0o600


def test_the_gradescope_bundle_is_not_built_without_a_secret(tmp_path, no_secret):
    from grader.gradescope import build_bundle

    with pytest.raises(course_secret.SecretError, match="grade secret --new"):
        build_bundle(HW1, tmp_path / "autograder.zip")


def test_resuming_a_batch_regrades_the_reports_of_another_secret(tmp_path, monkeypatch):
    folder = _class(tmp_path)
    students, _ = find_students(folder, "hw1")
    from grader.batch import Layout

    layout = Layout(tmp_path / "grades")
    layout.prepare()
    feedback = lambda student, document: "feedback\n"  # noqa: E731
    monkeypatch.setenv(course_secret.ENV_VAR, str(make_secret(tmp_path, "one.txt").path))
    first = run_batch(HW1, students, layout, feedback, jobs=1, limits=FAST_LIMITS)
    assert first.graded == ["alice"]
    assert run_batch(HW1, students, layout, feedback, jobs=1, limits=FAST_LIMITS).skipped == ["alice"]
    other = make_secret(tmp_path, "other.txt")
    monkeypatch.setenv(course_secret.ENV_VAR, str(other.path))
    again = run_batch(HW1, students, layout, feedback, jobs=1, limits=FAST_LIMITS)
    assert again.graded == ["alice"] and again.documents["alice"]["examples"] == other.label


def test_a_report_of_another_secret_is_not_a_report_of_this_one():
    document = {"schema_version": SCHEMA_VERSION, "assignment": "hw1", "examples": "course secret aaaa",
                "exercises": [{"name": e.name} for e in HW1.exercises]}
    assert is_report_of(document, HW1)
    assert is_report_of(document, HW1, "course secret aaaa")
    assert not is_report_of(document, HW1, "course secret bbbb")
    assert not is_report_of(document, HW1, "public")


# ------------------------------------------------------------ the attack ---

TABLE_KEY = '''
def table_key(value):
    """The same key for the same input: arrays by dtype, shape and bytes."""
    if isinstance(value, np.ndarray):
        return ("a", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, table_key(v)) for k, v in value.items())))
    if isinstance(value, (tuple, list)):
        return ("t", tuple(table_key(v) for v in value))
    return ("v", repr(value))
'''


def _record_public_answers(tmp_path: Path, monkeypatch) -> dict:
    """What the release's public examples ask of the target, answered by working code.

    A student does this with the release and a classmate's working code (or, for the
    values, any correct implementation): here the reference plays that part.
    """
    answers: dict = {}
    namespace: dict = {"np": np}
    exec(TABLE_KEY, namespace)
    original = StudentProcess.call

    def recording(self, function, calls, *args, **kwargs):
        outcomes = original(self, function, calls, *args, **kwargs)
        if function == TABLE_TARGET:
            for call, outcome in zip(calls, outcomes):
                key = namespace["table_key"](tuple(call.args))
                value = getattr(outcome, "value", None)
                if isinstance(value, (tuple, list)):
                    answers[key] = tuple(value)
                elif isinstance(value, float) and key not in answers:  # a call for the loss alone (pick=0)
                    answers[key] = (value, None)
        return outcomes

    with monkeypatch.context() as patch:
        patch.setattr(StudentProcess, "call", recording)
        report = grade_source(tmp_path / "record", reference_source(), only=[TABLE_TARGET], secret=None)
    assert scores(report)[TABLE_TARGET] == HW1.exercise(TABLE_TARGET).points
    return answers


def _lookup_table_submission(answers: dict) -> str:
    rows = [(key, float(loss), {name: (list(np.shape(g)), np.ravel(g).tolist()) for name, g in (grads or {}).items()})
            for key, (loss, grads) in answers.items()]
    table = f'''
{TABLE_KEY}
TABLE = {{key: (loss, {{name: np.array(values, dtype=np.float64).reshape(shape)
                        for name, (shape, values) in grads.items()}})
         for key, loss, grads in {rows!r}}}


def {TABLE_TARGET}(params, X, Y):
    """Correct on every input the release sends, zeros everywhere else."""
    found = TABLE.get(table_key((params, X, Y)))
    if found is not None:
        return found[0], {{name: found[1][name].copy() if name in found[1] else np.zeros_like(value)
                          for name, value in params.items()}}
    return 0.0, {{name: np.zeros_like(value) for name, value in params.items()}}
'''
    return with_function(reference_source(), TABLE_TARGET, table)


def test_a_lookup_table_of_the_public_examples_scores_full_marks_without_the_secret(tmp_path, monkeypatch):
    answers = _record_public_answers(tmp_path, monkeypatch)
    # Issue 10: "100 examples" were some 30 distinct inputs; distinct examples make the table longer, not safe.
    assert len(answers) >= 100
    source = _lookup_table_submission(answers)
    points = HW1.exercise(TABLE_TARGET).points
    public = grade_source(tmp_path / "public", source, only=[TABLE_TARGET], secret=None)
    assert scores(public)[TABLE_TARGET] == points  # the attack, as the red team found it
    with_secret = grade_source(tmp_path / "secret", source, only=[TABLE_TARGET])  # the suite's course secret
    assert with_secret.examples.startswith("course secret")
    assert scores(with_secret)[TABLE_TARGET] <= points / 2, with_secret.exercise(TABLE_TARGET).checks


# ------------------------------------------------ kept from student code ---

def test_student_code_cannot_read_the_secret(isolation, tmp_path, test_course_secret):
    source = with_function(reference_source(), "mse", f'''
def mse(y_pred, y_true):
    try:
        with open({str(test_course_secret.path)!r}) as file:
            print("SECRET:" + file.read())
    except Exception as error:
        print("REFUSED:" + type(error).__name__)
    return np.mean((np.asarray(y_pred, dtype=np.float64) - y_true) ** 2)
''')
    report = grade_source(tmp_path, source, only=["mse"], limits=FAST_LIMITS)
    assert "REFUSED:" in report.output
    assert "SECRET:" not in report.output and test_course_secret.value.decode() not in report.output


def test_the_secret_file_is_among_the_paths_student_code_may_not_read(test_course_secret):
    from grader import sandbox

    assert test_course_secret.path in sandbox.secret_paths()


# -------------------------------------------------------------- release ---

def test_the_release_holds_no_secret_even_when_the_checkout_has_one(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info",
                                                                   ".hypothesis", "grades", "build",
                                                                   "course-secret.txt"))
    planted = make_secret(checkout)
    out = tmp_path / "release"
    build_release(out, root=checkout)
    for path in out.rglob("*"):
        assert path.name != "course-secret.txt"
        if path.is_file():
            assert planted.value not in path.read_bytes(), path


def test_without_the_reference_no_secret_is_read(tmp_path, monkeypatch):
    """The release grades without the reference: even a broken secret setting is never touched."""
    monkeypatch.setenv(course_secret.ENV_VAR, str(tmp_path / "nowhere.txt"))
    report = grade_source(tmp_path, reference_source(), only=["mse"], reference=False)
    assert report.examples == "public" and report.error is None


def test_nbgrader_autograde_refuses_to_run_without_a_secret(tmp_path, no_secret):
    import nbformat

    from grader.nbgrader_plugin import GradeOutsideKernel

    nb = nbformat.read(ROOT / "source" / "hw1" / "hw1.ipynb", as_version=4)
    resources = {"nbgrader": {"notebook": "hw1", "assignment": "hw1"}, "metadata": {"path": str(tmp_path)}}
    with pytest.raises(course_secret.SecretError, match="nbgrader autograde needs the course secret"):
        GradeOutsideKernel(allow_unsandboxed=True).preprocess(nb, resources)


@pytest.mark.parametrize("baked", [True, False], ids=["bundled-secret", "secret-removed"])
def test_gradescope_grades_with_the_secret_the_bundle_carries(baked, tmp_path, monkeypatch):
    """In /autograder/source, the grader's checkout root, the bundled file is found with no setting."""
    from test_gradescope import _gradescope

    from grader.gradescope import build_bundle

    bundle = tmp_path / "autograder.zip"
    build_bundle(HW1, bundle)
    monkeypatch.delenv(course_secret.ENV_VAR)
    root = tmp_path / "run"
    if not baked:  # as if the bundle had been built without one: Gradescope must not fall back to public examples
        import zipfile

        with zipfile.ZipFile(bundle) as archive, zipfile.ZipFile(tmp_path / "stripped.zip", "w") as stripped:
            for info in archive.infolist():
                if info.filename != "course-secret.txt":
                    stripped.writestr(info, archive.read(info))
        bundle = tmp_path / "stripped.zip"
    results = _gradescope(root, bundle, {"hw1.py": reference_source()})
    if baked:
        assert results["score"] == HW1.points and "public examples" not in results["output"]
    else:
        assert results["score"] == 0 and "The autograder failed before it could grade" in results["output"]


# ------------------------------------------------------- visible feedback ---

# mse remembers a fingerprint of every input it is sent; a later check of public rules,
# shown to students at once on Gradescope, raises them all in its error message.
EXFILTRATING_MSE = '''
SEEN = []

def mse(y_pred, y_true):
    SEEN.append(f"<{float(np.sum(np.asarray(y_pred, dtype=np.float64))):.12g}>")
    return float(np.mean((np.asarray(y_pred, dtype=np.float64) - y_true) ** 2))
'''
EXFILTRATING_DROPOUT = '''
def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise RuntimeError("p must be in [0, 1) " + "".join(SEEN))
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1.0 - p), 0.0).astype(x.dtype), mask
'''


# The same, but told in the fresh process of the dropout check: its first dropout call.
EXFILTRATING_IN_THE_FRESH_PROCESS = '''
DROPOUT_CALLS = []

def dropout_forward(x, p, rng, train=True):
    DROPOUT_CALLS.append(1)
    if len(DROPOUT_CALLS) == 1 and np.shape(x) == (20, 30):
        raise RuntimeError("LEAK " + "".join(SEEN))
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = rng.random(x.shape) >= p
    return np.where(mask, x / (1.0 - p), 0.0).astype(x.dtype), mask
'''


def _fingerprints(calls) -> set[str]:
    return {f"<{float(np.sum(np.asarray(call.args[0], dtype=np.float64))):.12g}>" for call in calls}


@pytest.mark.parametrize("told", ["first process", "fresh process"])
def test_inputs_of_checks_against_the_reference_never_reach_feedback_shown_at_once(told, tmp_path,
                                                                                   test_course_secret):
    """The worker is persistent: what student code was sent in a check against the reference could
    come back in a later visible check's message, and repeated submissions would collect the secret
    examples. Those checks run in a process of their own, which no visible check asks; the visible
    ones run on the public examples."""
    from grader.gradescope import VISIBILITY, results_from_document
    from grader.report import to_json

    dropout = EXFILTRATING_DROPOUT if told == "first process" else EXFILTRATING_IN_THE_FRESH_PROCESS
    source = with_function(with_function(reference_source(), "mse", EXFILTRATING_MSE), "dropout_forward", dropout)
    report = grade_source(tmp_path, source, only=["mse", "dropout_forward"], limits=FAST_LIMITS)
    assert report.examples == test_course_secret.label
    results = results_from_document(to_json(report), 1.0)
    visible = "\n".join([results["output"]] + [t["output"] for t in results["tests"]
                                                if t["visibility"] == VISIBILITY[False]])
    assert ("p must be in [0, 1) <" if told == "first process" else "LEAK") in visible  # the channel works
    mse = next(e for e in HW1.exercises if e.name == "mse")
    secret_examples = engine._draw_all_examples(HW1, test_course_secret)
    public_examples = engine._draw_all_examples(HW1, None)
    hidden = set().union(*(_fingerprints(secret_examples[check_slot(mse, c)]) for c in mse.checks
                           if c.uses_reference and hasattr(c, "inputs")))
    public = set().union(*(_fingerprints(public_examples[check_slot(mse, c)]) for c in mse.checks if hasattr(c, "inputs")))
    assert len(hidden - public) > 10
    leaked = [f for f in hidden - public if f in visible]
    assert not leaked, f"{len(leaked)} secret examples reached the visible feedback"


# mse dies once it has been called more often than the checks of public rules call it: only
# in the worker of the checks against the reference, which the secret examples go to.
DYING_MSE = '''
CALLS = []

def mse(y_pred, y_true):
    CALLS.append(1)
    if len(CALLS) > 40:
        import os
        os._exit(70)
    return float(np.mean((np.asarray(y_pred, dtype=np.float64) - y_true) ** 2))
'''


def test_what_stops_the_worker_of_the_hidden_checks_stays_out_of_the_visible_ones(tmp_path, test_course_secret):
    """A worker that dies on a secret example says how (its exit status could carry a byte of it):
    that stops the function's other checks in that worker only, never the checks shown at once."""
    from grader.gradescope import VISIBILITY, results_from_document
    from grader.report import to_json

    report = grade_source(tmp_path, with_function(reference_source(), "mse", DYING_MSE), only=["mse"],
                          limits=FAST_LIMITS)
    (mse,) = report.exercises
    public = [c for c in mse.checks if not c.hidden]
    assert public and all(c.status == "passed" for c in public), public
    assert any(c.status != "passed" for c in mse.checks if c.hidden)
    results = results_from_document(to_json(report), 1.0)
    visible = [t["output"] for t in results["tests"] if t["visibility"] == VISIBILITY[False]]
    assert visible and not any("exit status" in text or "stopped" in text for text in visible), visible
