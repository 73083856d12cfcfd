"""IPython-only lines become plain Python of the same place (grader.magics)."""

from __future__ import annotations

import pytest

from grader.magics import to_python

LINES = {
    "line magic": ("%matplotlib inline", "pass"),
    "shell line": ("!pip install numpy", "pass"),
    "indented magic in a loop": ("    %time f(1)", "    pass"),
    "help suffix": ("np.mean?", "pass"),
    "help prefix": ("?np", "pass"),
    "shell assignment": ("files = !ls", "files = None"),
    "magic assignment": ("t = %timeit -o f()", "t = None"),
    "run a file": ("%run layers.py", "exec(compile(open('layers.py', encoding='utf-8').read(), 'layers.py', "
                                     "'exec'), globals())"),
}


@pytest.mark.parametrize("line", list(LINES), ids=list(LINES))
def test_ipython_lines_become_python(line):
    given, expected = LINES[line]
    assert to_python(f"x = 1\n{given}\ny = 2") == f"x = 1\n{expected}\ny = 2"


KEPT = {
    "a % continuing a format": 'print("%d steps"\n      % (10))',
    "a % after a backslash": 'x = 10 \\\n    % 3',
    "a != continuing a comparison": "ok = (1\n      != 2)",
    "a ! inside a triple-quoted string": 'doc = """\n!not a shell line\n%not a magic\n"""',
    "a comment": "# %matplotlib inline would go here",
}


@pytest.mark.parametrize("case", list(KEPT), ids=list(KEPT))
def test_python_that_looks_like_ipython_is_kept(case):
    assert to_python(KEPT[case]) == KEPT[case]
    compile(KEPT[case], "cell", "exec")


def test_cell_magics():
    assert to_python("%%time\nx = 1") == "\nx = 1"
    assert to_python("%%bash\necho hi") == ""


def test_writefile_writes_the_cell_for_a_later_import(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = to_python("%%writefile helpers.py\ndef double(x):\n    return 2 * x")
    assert code.count("\n") == 2  # as many lines as the cell: later line numbers stay
    exec(code, {})
    assert (tmp_path / "helpers.py").read_text() == "def double(x):\n    return 2 * x\n"


def test_windows_line_endings():
    assert to_python("x = 1\r\nnp.mean?\r\ny = 2") == "x = 1\npass\ny = 2"
