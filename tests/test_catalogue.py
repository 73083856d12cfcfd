"""The grader against known answers: every catalogued mistake is caught where it is,
every alternative correct implementation passes, the reference scores 100, stubs 0.

A failure here is a wrong verdict of the grader, never a reason to loosen the
catalogue: a mutant that passes is a false pass, an alternative that loses points
is a false fail, and an unrelated function that loses points is a misattribution.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from catalogue import REFERENCE, STUBS, find_definitions, write_submission
from catalogue.alternatives import ALTERNATIVES as WRITTEN_ALTERNATIVES, Alternative
from catalogue.mutants import CALLERS, MUTANTS as WRITTEN_MUTANTS, Mutant
from catalogue.planted import PLANTED
from catalogue.review import REVIEW_ALTERNATIVES, REVIEW_MUTANTS
from grader.engine import grade
from grader.exercise import NOT_IMPLEMENTED, PASSED, Report
from grader.homeworks import HOMEWORKS
from grader.report import feedback
from grader.submission import load_submission

HW1 = HOMEWORKS["hw1"]
MUTANTS = WRITTEN_MUTANTS + REVIEW_MUTANTS
ALTERNATIVES = WRITTEN_ALTERNATIVES + REVIEW_ALTERNATIVES
FUNCTIONS = [e.name for e in HW1.exercises]


def grade_file(path: Path) -> Report:
    return grade(HW1, load_submission(path))


def describe_exercises(report: Report, names: list[str]) -> str:
    """What the grader said about these functions, for an assertion message."""
    parts = []
    for e in report.exercises:
        if e.name in names:
            parts.append(f"{e.name}: {e.score:g}/{e.max_score:g} {e.status}\n{feedback(e)}")
    return "\n".join(parts)


# ------------------------------------------------------- the catalogues themselves ---

def test_catalogues_are_large_and_named_uniquely() -> None:
    assert len(MUTANTS) >= 36
    assert len(ALTERNATIVES) >= 10
    ids = [m.id for m in MUTANTS] + [a.id for a in ALTERNATIVES]
    assert len(ids) == len(set(ids))


def test_planted_mistakes_name_real_mutants_and_known_mistakes() -> None:
    from grader.homeworks.hw1.checks import SHIFT_MISTAKES
    from solutions.hw1.mistakes import MISTAKES

    ids = {m.id for m in MUTANTS}
    assert set(PLANTED) <= ids
    known = {m.id for models in MISTAKES.values() for m in models} | {id for id, _, _ in SHIFT_MISTAKES}
    assert {i for planted in PLANTED.values() for i in planted} <= known


def test_every_function_has_mutants_and_alternatives() -> None:
    assert {m.function for m in MUTANTS} == set(FUNCTIONS)
    assert {name for a in ALTERNATIVES for name in a.replacements} == set(FUNCTIONS)


def test_callers_match_the_reference() -> None:
    """Dependents are who calls whom in the reference; recompute that from its source."""
    source = REFERENCE.read_text()
    tree = ast.parse(source)
    calls: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in FUNCTIONS:
                    calls.setdefault(inner.func.id, set()).add(node.name)
    assert {k: set(v) for k, v in CALLERS.items()} == calls


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_replaces_exactly_its_function(mutant: Mutant) -> None:
    assert list(find_definitions(textwrap.dedent(mutant.source))) == [mutant.function]
    assert mutant.dependents == CALLERS.get(mutant.function, frozenset())


# ------------------------------------------------------------------ known answers ---

def test_reference_scores_full_marks() -> None:
    report = grade_file(REFERENCE)
    assert (report.score, report.max_score) == (100, 100), describe_exercises(report, FUNCTIONS)
    assert all(e.status == PASSED for e in report.exercises)


def test_stubs_score_zero_and_are_not_implemented() -> None:
    report = grade_file(STUBS)
    assert (report.score, report.max_score) == (0, 100)
    assert [e.status for e in report.exercises] == [NOT_IMPLEMENTED] * len(FUNCTIONS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_is_caught_in_its_own_function(mutant: Mutant, tmp_path: Path) -> None:
    report = grade_file(write_submission({mutant.function: mutant.source}, tmp_path))
    assert report.error is None, report.error
    by_name = {e.name: e for e in report.exercises}
    broken = by_name[mutant.function]
    assert broken.max_score == broken.points, "the reference is installed, nothing may be skipped"
    assert broken.score < broken.max_score, f"false pass:\n{describe_exercises(report, [mutant.function])}"
    allowed = {mutant.function} | mutant.dependents
    blamed = [e.name for e in report.exercises if e.name not in allowed and e.score < e.max_score]
    assert not blamed, f"points taken from functions without the bug:\n{describe_exercises(report, blamed)}"
    _hints_name_only_the_planted_mistake(mutant, report)


def _hints_name_only_the_planted_mistake(mutant: Mutant, report: Report) -> None:
    """Issue 9: a hint named a mistake the evidence did not fit (0.5 * sum called "divided by N")."""
    planted = set(PLANTED.get(mutant.id, ()))
    named = {(e.name, c.failure.mistake) for e in report.exercises for c in e.checks
             if c.failure is not None and c.failure.mistake is not None}
    wrong = {pair for pair in named if pair[1] not in planted or pair[0] != mutant.function}
    assert not wrong, f"hints name a mistake not planted: {wrong}\n{describe_exercises(report, FUNCTIONS)}"
    if planted:
        assert named, f"no hint names the planted {planted}\n{describe_exercises(report, [mutant.function])}"


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: a.id)
def test_alternative_scores_full_marks(alternative: Alternative, tmp_path: Path) -> None:
    report = grade_file(write_submission(alternative.replacements, tmp_path))
    assert report.error is None, report.error
    short = [e.name for e in report.exercises if e.status != PASSED or e.score < e.max_score]
    assert not short, f"false fail:\n{describe_exercises(report, short)}"
    assert (report.score, report.max_score) == (100, 100)
