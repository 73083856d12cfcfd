"""Build the folder students get: stubs, notebooks and the grader, with no solution code.

    python -m grader.release --out DIR [--homework hwN ...]

DIR receives, for every homework (or each one named):
  assignments/<hw>/<hw>.py       the stub (as `python -m grader.stubs` writes it)
  assignments/<hw>/<hw>.ipynb    the notebook as `nbgrader generate_assignment` releases
                                 it: solutions and hidden tests removed, cells locked
and the grader package without the instructor's modules, a pyproject.toml (so that
`pip install DIR` installs the `grade` command) and a README. Without the
`solutions` package, `grade` runs only the checks that need no reference and says
which ones it skipped. The build fails, and leaves nothing behind, if the text of
any solution region turns up in any file of DIR.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from grader.course import SIGNATURES, Course, homework_names
from grader.errors import GraderError
from grader.stubs import ROOT, expected_stub, solution_regions

# Instructor tools: they read the solutions or need nbformat and nbgrader.
INSTRUCTOR_MODULES = {"notebooks.py", "nbgrader_plugin.py", "release.py"}

README = """\
# {title}

Your exercises are in `assignments/`: for each homework a Python file and the same
exercises as a Jupyter notebook. Work in either one.

Install the grader once, from this folder (Python 3.10 or newer):

    pip install .

Then check your work as often as you like:

    grade hw1                                          # the .py file, found from here
    grade hw1 --submission assignments/hw1/hw1.ipynb   # or the notebook

In the notebook, each function's test cell shows the same checks and your score.

Some checks compare your functions with the instructor's reference solution, which
is not part of this folder: `grade` lists them as "needs reference" and they are
graded after you submit.
"""

PYPROJECT = """\
[build-system]
requires = {build_requires}
build-backend = "setuptools.build_meta"

[project]
name = {name}
version = {version}
description = {description}
readme = "README.md"
requires-python = {python}
dependencies = {dependencies}

[project.scripts]
{scripts}

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
grader = ["homeworks/*/signatures.json"]
"""


class ReleaseError(GraderError):
    """The release could not be built, or would have leaked solution code."""


def build_release(out: Path, root: Path = ROOT, homeworks: list[str] | None = None) -> None:
    """Write the student release of `homeworks` (all of the course's by default) into `out`,
    which must not exist or be empty."""
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} already exists and is not empty; choose a new folder")
    solutions = [_solution(Course(root), name) for name in _released(root, homeworks)]
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_package(out, root)
        for solution in solutions:
            _write_homework(out, solution, root)
        leaks = find_leaks(out, [r for s in solutions for r in solution_regions(s.read_text())])
        if leaks:
            raise ReleaseError("solution code found in " + ", ".join(sorted(leaks)))
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


def _released(root: Path, wanted: list[str] | None) -> list[str]:
    """The homeworks to release: every one declared in the course at `root`, or those `wanted`."""
    declared = homework_names(root / "grader" / "homeworks") if (root / "grader" / "homeworks").is_dir() else []
    if not declared:
        raise ReleaseError(f"no homework is declared under {root / 'grader' / 'homeworks'}: run this from "
                           f"the instructor's checkout")
    unknown = [name for name in wanted or () if name not in declared]
    if unknown:
        raise ReleaseError(f"there is no homework {unknown[0]!r}; the homeworks are: {', '.join(declared)}")
    return list(wanted) if wanted else declared


def _solution(course: Course, homework: str) -> Path:
    solution = course.solution(homework)
    if not solution.is_file():
        raise ReleaseError(f"{homework} is declared in grader/homeworks/{homework}/ but its reference "
                           f"solution {solution.relative_to(course.root)} is missing")
    return solution


def _write_package(out: Path, root: Path) -> None:
    package = root / "grader"
    for source in sorted([*package.rglob("*.py"), *package.glob(f"homeworks/*/{SIGNATURES}")]):
        relative = source.relative_to(package)
        if relative.parent == Path(".") and relative.name in INSTRUCTOR_MODULES:
            continue
        target = out / "grader" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (out / "pyproject.toml").write_text(release_pyproject(root))
    (out / "README.md").write_text(README.format(title=_project(root).get("description", "Exercises")))


def _pyproject(root: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: tomli is the same parser (pytest depends on it there)
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ReleaseError("reading pyproject.toml needs Python 3.11 or the tomli package") from None
    return tomllib.loads((root / "pyproject.toml").read_text())


def _project(root: Path) -> dict:
    return _pyproject(root)["project"]


def release_pyproject(root: Path = ROOT) -> str:
    """The instructor's project metadata, with only the grader package and no extras."""
    pyproject = _pyproject(root)
    project = pyproject["project"]
    scripts = "\n".join(f"{name} = {json.dumps(target)}" for name, target in project.get("scripts", {}).items())
    return PYPROJECT.format(
        build_requires=json.dumps(pyproject.get("build-system", {}).get("requires", ["setuptools>=61"])),
        name=json.dumps(project["name"]),
        version=json.dumps(project["version"]),
        description=json.dumps(project.get("description", "") + " (student release)"),
        python=json.dumps(project.get("requires-python", ">=3.10")),
        dependencies=json.dumps(project.get("dependencies", [])),
        scripts=scripts,
    )


def _write_homework(out: Path, solution: Path, root: Path) -> None:
    import nbformat  # the instructor extra, like nbgrader

    from grader.homeworks import HOMEWORKS
    from grader.notebooks import build_notebook

    name, release = solution.parent.name, Course(out)
    release.stub(name).parent.mkdir(parents=True, exist_ok=True)
    release.stub(name).write_text(expected_stub(solution))
    notebook = build_notebook(solution.read_text(), HOMEWORKS[name])
    nbformat.write(release_notebook(notebook, root), release.released_notebook(name))


def release_notebook(notebook, root: Path = ROOT):
    """What `nbgrader generate_assignment` makes of a source notebook, with the course's
    nbgrader_config.py, minus the gradebook (SaveCells): solutions replaced by stubs,
    hidden tests removed, cells locked, checksums computed."""
    from nbgrader.converters.generate_assignment import GenerateAssignment
    from nbgrader.preprocessors import SaveCells
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (root / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    steps = GenerateAssignment.class_traits()["preprocessors"].default()
    resources: dict = {}
    for step in steps:
        if step is SaveCells:
            continue
        notebook, resources = step(config=config).preprocess(notebook, resources)
    return notebook


MIN_LEAK_LINE = 12  # shorter lines ("return out") are too common to mean a leak


def find_leaks(folder: Path, regions: list[str]) -> set[str]:
    """The files under `folder` holding the text of any solution region, or any
    distinctive line of one (notebook cells are read as their source text, since JSON
    escapes quotes and newlines)."""
    wanted = [region.strip() for region in regions if region.strip()]
    wanted += [line.strip() for region in regions for line in region.splitlines()
               if len(line.strip()) >= MIN_LEAK_LINE and not line.strip().startswith("#")]
    leaks = set()
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        texts = [path.read_bytes().decode("utf-8", errors="replace")]
        if path.suffix == ".ipynb":
            try:
                texts.append("\n".join("".join(c.get("source", "")) for c in json.loads(texts[0])["cells"]))
            except (ValueError, KeyError, TypeError):
                pass
        if any(region in text for region in wanted for text in texts):
            leaks.add(str(path.relative_to(folder)))
    return leaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.release", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="a new folder for the release")
    parser.add_argument("--homework", action="append", metavar="HW",
                        help="release only this homework (repeat for several); all of them by default")
    args = parser.parse_args(argv)
    try:
        build_release(args.out, homeworks=args.homework)
    except GraderError as error:
        print(f"release: {error}", file=sys.stderr)
        return 2
    print(f"wrote the student release to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
