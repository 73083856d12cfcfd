"""The proof harness: every homework the course declares, held to the same known answers.

The reference scores full marks; the stubs score nothing, every function not implemented;
every catalogued mistake (tests/catalogue/<hw>/) loses points on the function it is in and
on no function that does not call it; every alternative correct implementation scores full
marks; the generated stubs and notebooks are in sync with the reference; the release holds
the homework and no solution line; the Gradescope bundle grades it; nbgrader autograde gives
the scores `grade` gives. Adding a homework adds its catalogue, not test code.

A failure here is a wrong verdict of the grader, never a reason to loosen the catalogue: a
mutant that passes is a false pass, an alternative that loses points is a false fail, and
an unrelated function that loses points is a misattribution.
"""

from __future__ import annotations

import copy
import importlib
import pickle
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import nbformat
import pytest

from catalogue import CATALOGUES, Entry, find_definitions, reference_calls
from catalogue.grading import grade_catalogue
from grader.course import COURSE, Course
from grader.engine import grade
from grader.exercise import NOT_IMPLEMENTED, PASSED, Report
from grader.homeworks import HOMEWORKS
from grader.notebooks import expected_notebook, normalise
from grader.release import find_leaks
from grader.report import feedback
from grader.stubs import expected_stub, generated, solution_regions
from grader.testcells import exercise_of, grade_id_of_test
from grader.submission import load_submission

NAMES = list(HOMEWORKS)
MUTANTS = [(name, entry) for name in NAMES for entry in CATALOGUES[name].mutants]
ALTERNATIVES = [(name, entry) for name in NAMES for entry in CATALOGUES[name].alternatives]


def _id(case: tuple[str, Entry]) -> str:
    return f"{case[0]}:{case[1].id}"


def one_process(cases: list, group) -> list:
    """The cases, each to run in the same test process as the others of its group(case): the
    process that grades a catalogue, or builds a course, once (pytest-xdist's loadgroup)."""
    return [pytest.param(case, marks=pytest.mark.xdist_group(group(case))) for case in cases]


def catalogue_group(case) -> str:
    return f"catalogue-{case[0]}"


def describe_exercises(report: Report, names) -> str:
    """What the grader said about these functions, for an assertion message."""
    return "\n".join(f"{e.name}: {e.score:g}/{e.max_score:g} {e.status}\n{feedback(e)}"
                     for e in report.exercises if e.name in names)


class Graded:
    """Each homework's catalogue, graded once, all entries in parallel processes
    (catalogue/grading.py), the first time a test asks for one of its reports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.reports: dict[tuple[str, str], Report | BaseException] = {}

    def report(self, homework: str, entry: Entry) -> Report:
        if (homework, entry.id) not in self.reports:
            graded = grade_catalogue(homework, Path(tempfile.mkdtemp(dir=self.folder)))
            self.reports.update({(homework, i): report for i, report in graded.items()})
        report = self.reports[homework, entry.id]
        if isinstance(report, BaseException):
            raise report
        return report


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> Graded:
    return Graded(tmp_path_factory.mktemp("catalogues"))


# ------------------------------------------------------------ the homeworks' files ---

@pytest.mark.parametrize("name", NAMES)
def test_homework_has_its_files_and_a_catalogue(name: str) -> None:
    homework = HOMEWORKS[name]
    assert homework.points == 100, "a homework's points add up to 100"
    assert COURSE.solution(name).is_file() and COURSE.stub(name).is_file() and COURSE.source_notebook(name).is_file()
    catalogue = CATALOGUES[name]
    functions = {e.name for e in homework.exercises}
    assert {m.function for m in catalogue.mutants} == functions, "every function needs catalogued mistakes"
    assert {f for a in catalogue.alternatives for f in a.functions} == functions, \
        "every function needs alternative correct implementations"
    ids = [e.id for e in catalogue.mutants + catalogue.alternatives]
    assert len(ids) == len(set(ids)), "catalogue ids must be unique"


@pytest.mark.parametrize("name", NAMES)
def test_stub_and_notebook_are_generated_from_the_reference(name: str) -> None:
    for path, text in generated(COURSE.solution(name), COURSE.stub(name)):
        assert path.read_text() == text, f"{path} is stale: run python -m grader.stubs"
    committed = nbformat.read(COURSE.source_notebook(name), as_version=4)
    assert normalise(committed) == normalise(expected_notebook(HOMEWORKS[name])), "run: python -m grader.notebooks"


@pytest.mark.parametrize("name", NAMES)
def test_the_exercises_are_the_reference_functions_with_its_signatures(name: str) -> None:
    import inspect

    reference = importlib.import_module(HOMEWORKS[name].reference)
    for exercise in HOMEWORKS[name].exercises:
        parameters = tuple(inspect.signature(getattr(reference, exercise.name)).parameters)
        assert exercise.arg_names == parameters, exercise.name


@pytest.mark.parametrize("name", NAMES)
def test_what_the_reference_calls_is_declared(name: str) -> None:
    """A function that calls another of the homework must declare it (Exercise.uses): the
    feedback blames a failing helper first, and the catalogue allows its callers to lose points."""
    homework = HOMEWORKS[name]
    declared = {e.name: set(e.uses) for e in homework.exercises}
    calls = reference_calls(name)
    missing = {f: calls[f] - declared[f] for f in declared if calls.get(f, set()) - declared[f]}
    assert not missing, f"undeclared uses: {missing}"


def test_no_module_outside_a_homework_names_its_exercises() -> None:
    """The engine is the same for every homework: only a homework's folder may name its functions
    (in code: docstrings and comments may use one as an example)."""
    import ast

    exercises = {e.name for name in NAMES for e in HOMEWORKS[name].exercises}
    found = []
    for path in sorted((COURSE.root / "grader").rglob("*.py")):
        if (COURSE.root / "grader" / "homeworks") in path.parents and path.parent.name != "homeworks":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            named = (node.value if isinstance(node, ast.Constant) and id(node) not in docstrings else
                     node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None)
            if named in exercises:
                found.append(f"{path.relative_to(COURSE.root)}:{node.lineno}: {named}")
    assert not found, found


@pytest.mark.parametrize("name", NAMES)
def test_planted_mistakes_are_known_mistakes(name: str) -> None:
    homework = HOMEWORKS[name]
    models = importlib.import_module(homework.mistakes).MISTAKES
    known = {m.id for mistakes in models.values() for m in mistakes} | set(homework.diagnosed)
    planted = {i for m in CATALOGUES[name].mutants for i in m.plants}
    assert planted <= known, f"unknown mistake ids: {planted - known}"


@pytest.mark.parametrize("case", MUTANTS, ids=_id)
def test_mutant_defines_exactly_one_function(case: tuple[str, Entry]) -> None:
    name, mutant = case
    functions = {e.name for e in HOMEWORKS[name].exercises}
    assert [f for f in find_definitions(textwrap.dedent(mutant.source)) if f in functions] == [mutant.function]


# ------------------------------------------------------------------ known answers ---

@pytest.mark.parametrize("name", NAMES)
def test_reference_scores_full_marks(name: str) -> None:
    report = grade(HOMEWORKS[name], load_submission(COURSE.solution(name)))
    assert (report.score, report.max_score) == (100, 100), describe_exercises(report, CATALOGUES[name].functions)
    assert all(e.status == PASSED for e in report.exercises)


@pytest.mark.parametrize("name", NAMES)
def test_stubs_score_zero_and_are_not_implemented(name: str) -> None:
    report = grade(HOMEWORKS[name], load_submission(COURSE.stub(name)))
    assert (report.score, report.max_score) == (0, 100)
    assert {e.name: e.status for e in report.exercises} == {e.name: NOT_IMPLEMENTED for e in HOMEWORKS[name].exercises}


@pytest.mark.parametrize("name", NAMES)
def test_without_the_reference_the_release_judges_every_function_and_the_reference_earns_it_all(name: str) -> None:
    """The student release has no reference: each function still gets checks that need none, the
    reference passes every one of them, and the stubs pass none (checks that differentiate a
    student's own helper wait for it to pass its own checks, so the stubs are judged on fewer)."""
    solved = grade(HOMEWORKS[name], load_submission(COURSE.solution(name)), reference=False)
    assert solved.score == solved.max_score > 0, describe_exercises(solved, CATALOGUES[name].functions)
    assert all(e.max_score > 0 for e in solved.exercises), \
        [e.name for e in solved.exercises if e.max_score == 0]
    stubs = grade(HOMEWORKS[name], load_submission(COURSE.stub(name)), reference=False)
    assert stubs.score == 0 < stubs.max_score <= solved.max_score


@pytest.mark.parametrize("case", one_process(MUTANTS, catalogue_group), ids=_id)
def test_mutant_is_caught_in_its_own_function(case: tuple[str, Entry], graded: Graded) -> None:
    name, mutant = case
    report = graded.report(name, mutant)
    assert report.error is None, report.error
    broken = report.exercise(mutant.function)
    assert broken.max_score == broken.points, "the reference is installed, nothing may be skipped"
    assert broken.score < broken.max_score, f"false pass:\n{describe_exercises(report, [mutant.function])}"
    allowed = {mutant.function} | CATALOGUES[name].callers(mutant.function)
    blamed = [e.name for e in report.exercises if e.name not in allowed and e.score < e.max_score]
    assert not blamed, f"points taken from functions without the bug:\n{describe_exercises(report, blamed)}"
    _hints_name_only_the_planted_mistake(mutant, report)


def _hints_name_only_the_planted_mistake(mutant: Entry, report: Report) -> None:
    """Issue 9: a hint named a mistake the evidence did not fit (0.5 * sum called "divided by N")."""
    planted = set(mutant.plants)
    named = {(e.name, c.failure.mistake) for e in report.exercises for c in e.checks
             if c.failure is not None and c.failure.mistake is not None}
    wrong = {pair for pair in named if pair[1] not in planted or pair[0] != mutant.function}
    assert not wrong, f"hints name a mistake not planted: {wrong}\n{describe_exercises(report, [n for n, _ in wrong])}"
    if planted:
        assert named, f"no hint names the planted {planted}\n{describe_exercises(report, [mutant.function])}"


@pytest.mark.parametrize("name", NAMES)
def test_a_report_comes_back_whole_from_the_grading_process(name: str, tmp_path: Path) -> None:
    """The catalogue is graded in other processes, its reports pickled back (catalogue/grading.py):
    nothing of a report (failures, hints, notes) may be lost on the way."""
    mutant = next(m for m in CATALOGUES[name].mutants if m.plants)
    report = grade(HOMEWORKS[name], load_submission(CATALOGUES[name].submission(mutant, tmp_path)))
    assert any(c.failure is not None and c.failure.mistake for e in report.exercises for c in e.checks)
    assert pickle.loads(pickle.dumps(report)) == report


@pytest.mark.parametrize("case", one_process(ALTERNATIVES, catalogue_group), ids=_id)
def test_alternative_scores_full_marks(case: tuple[str, Entry], graded: Graded) -> None:
    name, alternative = case
    report = graded.report(name, alternative)
    assert report.error is None, report.error
    short = [e.name for e in report.exercises if e.status != PASSED or e.score < e.max_score]
    assert not short, f"false fail:\n{describe_exercises(report, short)}"
    assert (report.score, report.max_score) == (100, 100)


# ------------------------------------------------------------- every entry point ---

@pytest.mark.parametrize("name", one_process(NAMES, lambda name: "release"))  # with test_release.py
def test_the_release_holds_the_homework_and_no_solution_line(name: str, student_release: Path) -> None:
    release = Course(student_release)
    assert release.stub(name).read_text() == expected_stub(COURSE.solution(name))
    notebook = nbformat.read(release.released_notebook(name), as_version=4)
    assert {grade_id_of_test(e.name) for e in HOMEWORKS[name].exercises} <= {
        c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in notebook.cells}
    assert not find_leaks(student_release, solution_regions(COURSE.solution(name).read_text()))
    assert not (student_release / "solutions").exists()


@pytest.mark.parametrize("name", NAMES)
def test_the_gradescope_bundle_grades_the_reference_and_the_stub(name: str, tmp_path: Path,
                                                                 gradescope_bundle) -> None:
    from test_gradescope import _gradescope

    bundle = gradescope_bundle(name)
    for label, path, score in (("reference", COURSE.solution(name), 100), ("stub", COURSE.stub(name), 0)):
        results = _gradescope(tmp_path / label, bundle, {f"{name}.py": path.read_text()})
        assert results["score"] == score, results["output"]


class NbgraderCourse:
    """An nbgrader course of the homeworks: each one, the first time a test asks for it, is
    released, submitted by two students (the solved notebook and the untouched release) and
    autograded with this package's preprocessor. Built per homework, so that a run of one
    homework's tests (`-k hw0`) autogrades only that one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copy(COURSE.root / "nbgrader_config.py", folder)
        shutil.copytree(COURSE.root / "source", folder / "source")
        self.autograded: dict[str, BaseException | None] = {}  # by homework: what went wrong, if anything

    def submitted(self, name: str, student: str) -> Path:
        """The student's notebook, once the homework is autograded."""
        if name not in self.autograded:
            try:
                self._autograde(name)
            except BaseException as error:  # every test of the homework fails with it, as with a fixture
                self.autograded[name] = error
                raise
            self.autograded[name] = None
        if self.autograded[name] is not None:
            raise self.autograded[name]
        return self.folder / "submitted" / student / name / f"{name}.ipynb"

    def _autograde(self, name: str) -> None:
        course = self.folder
        _nbgrader(course, "generate_assignment", name)
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        source = nbformat.read(COURSE.source_notebook(name), as_version=4)
        answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                   if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
        solved = copy.deepcopy(release)
        for cell in solved.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        for student, notebook in (("solved", solved), ("untouched", release)):
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{name}.ipynb")
        _nbgrader(course, "autograde", name)


@pytest.fixture(scope="module")
def nbgrader_course(tmp_path_factory) -> NbgraderCourse:
    folder = tmp_path_factory.mktemp("nbgrader") / "course"
    folder.mkdir()
    return NbgraderCourse(folder)


def _nbgrader(course: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


@pytest.mark.parametrize("name", one_process(NAMES, lambda name: f"nbgrader-{name}"))
@pytest.mark.parametrize("student", ["solved", "untouched"])
def test_nbgrader_autograde_gives_the_scores_grade_gives(name: str, student: str,
                                                         nbgrader_course: NbgraderCourse) -> None:
    from nbgrader.api import Gradebook

    submitted = nbgrader_course.submitted(name, student)
    with Gradebook(f"sqlite:///{nbgrader_course.folder / 'gradebook.db'}") as gradebook:
        graded = gradebook.find_submission_notebook(name, name, student)
        autograded = {exercise_of(g.name): g.auto_score for g in graded.grades}
    report = grade(HOMEWORKS[name], load_submission(submitted))
    assert autograded == {e.name: e.score for e in report.exercises}
    assert report.score == (100 if student == "solved" else 0)
