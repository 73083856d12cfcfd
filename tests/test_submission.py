"""Finding and loading submissions: .py files, notebooks (magics, failing cells), folders."""

from __future__ import annotations

import json

import pytest

from conftest import FULL_MARKS, grade_source, reference_source, scores
from grader.errors import SubmissionError
from grader.submission import find_submission, load_submission, notebook_cells, resolve, strip_magics


def _notebook(*cells: str | tuple[str, str]) -> str:
    out = []
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        out.append({"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True),
                    **({"outputs": [], "execution_count": None} if kind == "code" else {})})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("line", ["%matplotlib inline", "!pip install numpy", "  %timeit f(1)", "np.mean?", "?np"],
                         ids=["line magic", "shell", "indented magic", "help suffix", "help prefix"])
def test_ipython_lines_are_blanked(line):
    assert strip_magics(f"x = 1\n{line}\ny = 2") == "x = 1\n\ny = 2"


def test_cell_magics():
    assert strip_magics("%%time\nx = 1") == "\nx = 1"
    assert strip_magics("%%bash\necho hi") == ""


def test_notebook_code_cells_in_order():
    raw = _notebook(("markdown", "# Title"), "a = 1", "b = a + 1")
    cells = notebook_cells(raw.encode(), "hw1.ipynb")
    assert [c.source for c in cells] == ["a = 1", "b = a + 1"]
    assert [c.label for c in cells] == ["cell 2", "cell 3"]


def test_invalid_notebook_says_what_to_do(tmp_path):
    path = tmp_path / "hw1.ipynb"
    path.write_text("{not json")
    with pytest.raises(SubmissionError, match="not a valid notebook"):
        load_submission(path)


def test_notebook_is_graded_and_a_failing_cell_does_not_stop_later_ones(tmp_path):
    source = reference_source()
    head, _, tail = source.partition("def mse(")
    raw = _notebook("%matplotlib inline\n!echo hi", head, "raise RuntimeError('oops')", "def mse(" + tail)
    report = grade_source(tmp_path, raw, name="hw1.ipynb")
    assert report.score == 100
    assert any("cell 3" in note and "RuntimeError" in note for note in report.notes)


def test_syntax_error_gives_zero_with_line_number(tmp_path):
    source = reference_source() + "\n\ndef broken(:\n    pass\n"
    report = grade_source(tmp_path, source)
    assert report.score == 0 and report.error
    assert "SyntaxError" in report.error and f"line {len(source.splitlines()) - 1}" in report.error
    assert set(scores(report)) == set(FULL_MARKS)


def test_missing_import_gives_zero_and_says_why(tmp_path):
    report = grade_source(tmp_path, "import numpyy as np\n" + reference_source())
    assert report.score == 0
    assert "ModuleNotFoundError" in report.error and "line 1" in report.error


def test_find_submission_prefers_the_course_layout(tmp_path):
    (tmp_path / "assignments" / "hw1").mkdir(parents=True)
    (tmp_path / "assignments" / "hw1" / "hw1.py").write_text("")
    deep = tmp_path / "notes"
    deep.mkdir()
    assert find_submission("hw1", deep) == tmp_path / "assignments" / "hw1" / "hw1.py"


def test_find_submission_in_the_current_folder(tmp_path):
    (tmp_path / "hw1.ipynb").write_text("{}")
    assert find_submission("hw1", tmp_path) == tmp_path / "hw1.ipynb"


def test_nothing_found_says_what_to_do(tmp_path):
    with pytest.raises(SubmissionError, match="--submission"):
        find_submission("hw1", tmp_path)


def test_resolve_folder_and_wrong_suffix(tmp_path):
    (tmp_path / "hw1.py").write_text("")
    assert resolve(tmp_path, "hw1") == tmp_path / "hw1.py"
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(SubmissionError, match="neither a .py file nor a .ipynb"):
        resolve(tmp_path / "notes.txt", "hw1")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SubmissionError, match="holds no hw1.py"):
        resolve(tmp_path / "empty", "hw1")
    with pytest.raises(SubmissionError, match="no such file"):
        resolve(tmp_path / "missing.py", "hw1")


@pytest.mark.parametrize("raw", ['{"cells": 5}', '{"cells": [{"cell_type": "code", "source": ["x = 1", 2]}]}',
                                 '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                 '{"cells": [{"cell_type": "code", "source": 7}]}'],
                         ids=["cells not a list", "source not text", "deeply nested", "source a number"])
def test_malformed_notebooks_are_submission_errors(raw, tmp_path):
    path = tmp_path / "hw1.ipynb"
    path.write_text(raw)
    with pytest.raises(SubmissionError, match="not a valid notebook"):
        load_submission(path)
