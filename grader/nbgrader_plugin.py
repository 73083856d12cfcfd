"""nbgrader adapter: grade a notebook's code outside the student's kernel.

nbgrader's autograde runs every cell in the student's kernel, so a notebook that
patches numpy or this package there could subvert an in-kernel test.
`GradeOutsideKernel` runs after that execution and before `SaveAutoGrades`: it
takes the notebook's code cells (all but the autograder tests, in order), grades
them once with the isolated worker, exactly as `grade hw1.ipynb` would, and
overwrites every test cell's outputs with that verdict: the feedback on stdout,
then the score as the cell's value, which nbgrader reads as partial credit. What
the kernel printed or returned in a test cell is discarded.

nbgrader reads submitted/<student>/<assignment>/<notebook>.ipynb following links
and grades a copy, so only the path in submitted/ tells the student's own file
from a link to source/ (the solutions): a notebook that is no regular file there,
or is reached through a link below submitted/, scores 0 and its cells are emptied,
so that the feedback cannot carry what it pointed to. For the same reason the
files the student's code may read beside the notebook are copied from submitted/
(links left out), never from nbgrader's copy in autograded/; the course folder
itself (source/, the classmates' work, that copy) is not readable.

nbgrader_config.py at the repository root wires it in:

    c.Autograde.autograde_preprocessors = autograde_preprocessors()
    c.GenerateFeedback.preprocessors = feedback_preprocessors()
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from traitlets import Bool, Float
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    ClearHiddenTests,
    Execute,
    NbGraderPreprocessor,
    SaveAutoGrades,
)

from grader.engine import grade, load_reference
from grader.errors import GraderError, SubmissionError
from grader.exercise import unloadable
from grader.homeworks import HOMEWORKS
from grader.notebook_checks import GRADED_OUTSIDE_KERNEL, describe
from grader.testcells import exercise_of_test_cell
from grader.report import Report
from grader.sandbox import require_bubblewrap
from grader.secret import require as require_secret
from grader.settings import Limits
from grader.submission import Submission, check_student_file, notebook_cells

# Imported now, when nbgrader reads its configuration and before any student
# kernel runs, so that a kernel that rewrites the files cannot change them.
_REFERENCES = {name: load_reference(homework) for name, homework in HOMEWORKS.items()}


class ReferenceMissing(GraderError):
    """Autograding needs the reference solutions, which this installation lacks."""


class GradeOutsideKernel(NbGraderPreprocessor):
    """Set each autograder test cell's outputs and score from one outside-the-kernel grading."""

    allow_unsandboxed = Bool(
        False, help="Grade even without the bubblewrap sandbox (only for trusted notebooks or a disposable machine)."
    ).tag(config=True)

    show_expected = Bool(
        False, help="Show students the reference's expected values in the feedback (left out by default)."
    ).tag(config=True)

    cell_seconds = Float(
        Limits().cell_seconds, help="CPU time for each notebook cell; a cell that runs longer is skipped and named."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        if not self.allow_unsandboxed:
            require_bubblewrap("nbgrader autograde", "set c.GradeOutsideKernel.allow_unsandboxed = True")
        name = resources["nbgrader"]["notebook"]
        homework = HOMEWORKS.get(name)
        if homework is None:
            self.log.warning("%s.ipynb is not a homework of the grader; its tests ran in the kernel only", name)
            return nb, resources
        reference = _REFERENCES.get(name)
        if reference is None:
            raise ReferenceMissing(f"autograding {name} needs its reference solution ({homework.reference}), "
                                   f"which is not importable here; install the instructor's package")
        require_secret("nbgrader autograde")
        submitted = self._submitted(resources)
        refusal = self._refusal(*submitted[:2]) if submitted is not None else None
        if refusal is not None:
            self.log.warning("%s of %s is not graded: %s", name, resources["nbgrader"].get("student"), refusal)
            empty_student_cells(nb)
            set_verdicts(nb, unloadable(Report(homework.name, "", []), list(homework.exercises), refusal))
            return nb, resources
        copy = Path(resources.get("metadata", {}).get("path") or ".")  # autograded/<student>/<assignment>
        # The student's own files (a helper module, a data file) come from submitted/, where a link is
        # still a link and is left out; in nbgrader's copy it is the file it pointed to (the source).
        # The copy, and the whole course (source/, the classmates), are never readable.
        folder = submitted[0].parent if submitted is not None else copy
        private = [copy, Path(submitted[2])] if submitted is not None else []
        # The code cells as `grade` reads a notebook: in order, without the autograder tests.
        cells = notebook_cells(json.dumps(nb).encode(), f"{name}.ipynb")
        submission = Submission(folder / f"{name}.ipynb", tuple(cells))
        report = grade(homework, submission, reference=reference, limits=Limits(cell_seconds=self.cell_seconds),
                       private=private)
        for note in report.notes:
            self.log.info("%s: %s", name, note)
        self.log.info("%s graded outside the kernel: %g/%g", name, report.score, report.max_score)
        set_verdicts(nb, report, self.show_expected)
        return nb, resources


    def _submitted(self, resources: ResourcesDict) -> tuple[Path, Path, Path] | None:
        """(the notebook in submitted/, the folder below which no link may be, the course's root).

        None outside nbgrader's converter (no student named, as in a script): there is no
        submitted file to look at.
        """
        info = resources.get("nbgrader", {})
        if not {"student", "assignment", "notebook"} <= set(info):
            return None
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))
        notebook = folder / f"{info['notebook']}.ipynb"
        # submitted/ is the instructor's (it may be a link); below it, nothing may be.
        root = Path(os.path.normpath(coursedir.format_path(coursedir.submitted_directory, ".", ".")))
        if not notebook.is_relative_to(root):  # an unusual directory_structure: trust only the course
            root = Path(coursedir.root)
        return notebook, root, Path(coursedir.root)

    @staticmethod
    def _refusal(notebook: Path, root: Path) -> str | None:
        """Why the submitted notebook may not be graded (a link, a named pipe, a hard link), or None."""
        try:
            check_student_file(notebook, root)
        except SubmissionError as error:
            return str(error)
        return None


def empty_student_cells(nb: NotebookNode) -> None:
    """Empty every cell nbgrader does not restore from the assignment: what they hold came
    from a file that is not the student's own (it may be the solution)."""
    for cell in nb.cells:
        if utils.is_locked(cell):  # test cells and read-only cells: nbgrader put back the released ones
            continue
        cell.source = ""
        if cell.cell_type == "code":
            cell.outputs = []


def set_verdicts(nb: NotebookNode, report: Report, show_expected: bool = False) -> None:
    """Replace each test cell's outputs by the feedback and score of its exercise."""
    results = {result.name: result for result in report.exercises}
    # What happened to the notebook as a whole (a cell skipped after its time, one that raised)
    # is said once, in the first test cell's feedback.
    notes = "".join(f"Note: {note}\n" for note in report.notes)
    for cell in nb.cells:
        name = exercise_of_test_cell(cell)
        if name is None:
            continue
        result = results.get(name)
        if result is None:
            raise GraderError(f"test cell {cell.metadata.nbgrader['grade_id']} names no exercise of "
                              f"{report.homework}; regenerate the notebook (python -m grader.notebooks)")
        points = float(cell.metadata.nbgrader["points"])
        if abs(points - result.points) > 1e-9:
            raise GraderError(f"test cell {cell.metadata.nbgrader['grade_id']} is worth {points:g} points but the "
                              f"grader gives {name} {result.points:g}; regenerate the notebook "
                              f"(python -m grader.notebooks) and run nbgrader generate_assignment again")
        score = float(round(result.score, 6))
        text, notes = notes + describe(result, points, with_reference=True, show_expected=show_expected) + "\n", ""
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=text),
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)},
                                   execution_count=cell.get("execution_count")),
        ]


def autograde_preprocessors(execute: bool = True) -> list:
    """nbgrader's autograde preprocessors with GradeOutsideKernel just before SaveAutoGrades.

    Kernels that nbgrader starts from then on skip grading in their test cells
    (GRADED_OUTSIDE_KERNEL): their outputs are overwritten anyway.
    execute=False also drops nbgrader's Execute: student code then never runs
    outside the worker's sandbox, and the feedback shows no outputs of the
    student's own cells.
    """
    from nbgrader.converters.autograde import Autograde

    # The kernels nbgrader starts inherit this: their test cells then skip grading.
    os.environ[GRADED_OUTSIDE_KERNEL] = "1"
    default = list(Autograde.class_traits()["autograde_preprocessors"].default())
    if not execute:
        default = [p for p in default if p is not Execute]
    at = default.index(SaveAutoGrades)
    return default[:at] + [GradeOutsideKernel] + default[at:]


def feedback_preprocessors() -> list:
    """nbgrader's feedback preprocessors, then ClearHiddenTests: the autograded notebook
    keeps the hidden tests (nbgrader restores them to grade), the feedback must not."""
    from nbgrader.converters.generate_feedback import GenerateFeedback

    return list(GenerateFeedback.class_traits()["preprocessors"].default()) + [ClearHiddenTests]
