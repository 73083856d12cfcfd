"""nbgrader configuration: the repository root is the course directory.

    nbgrader generate_assignment hw1     source/hw1/hw1.ipynb -> release/hw1/hw1.ipynb
    nbgrader autograde hw1               submitted/<student>/hw1/hw1.ipynb -> autograded/, gradebook.db
    nbgrader generate_feedback hw1       autograded/ -> feedback/<student>/hw1/hw1.html
    nbgrader export                      gradebook.db -> grades.csv

source/<hw>/<hw>.ipynb is generated from solutions/<hw>/<hw>.py by `python -m grader.notebooks`.
"""

from grader.nbgrader_plugin import autograde_preprocessors, feedback_preprocessors

c = get_config()  # noqa: F821 (nbgrader defines get_config when it reads this file)

c.CourseDirectory.course_id = "nn-basics"
c.CourseDirectory.source_directory = "source"
# Caches that running a notebook may leave next to it are not part of an assignment.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".hypothesis"]

# Per cell. A test cell grades in about a second; the limit is for a student's cell that never ends.
c.Execute.timeout = 60

# Student code runs only in the grader's sandboxed worker: nbgrader's own Execute step,
# which would run each notebook in an ordinary kernel with the instructor's rights (able
# to read solutions/ and print it into its feedback), is left out, and the test cells
# get their verdicts from one outside-the-kernel grading (see grader/nbgrader_plugin.py).
# Feedback then shows the student's code without its outputs. To also run notebooks in a
# kernel (outputs in feedback, no sandbox for that run), use autograde_preprocessors(execute=True).
c.Autograde.autograde_preprocessors = autograde_preprocessors(execute=False)

# A test cell a student deleted is put back, so its points are still graded.
c.OverwriteCells.add_missing_cells = True

# The autograded notebook keeps the hidden tests (nbgrader needs them to grade); feedback does not.
c.GenerateFeedback.preprocessors = feedback_preprocessors()
