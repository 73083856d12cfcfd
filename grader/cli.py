"""The `grade` command.

    grade hw1                         grade the hw1 work found from here
    grade hw1 --submission PATH       a .py file, a .ipynb notebook, or a folder
    grade hw1 --exercise mse --json   one function, as one JSON document
    grade --list                      homeworks and their exercises

Exit status: 0 when every exercise passed, 1 when something fell short,
2 for a usage error or a fault of the grader itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.errors import GraderError, SubmissionError, UsageError

EXIT_PASSED, EXIT_SHORT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one sentence, exit 2
        raise UsageError(f"{message} (see grade --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="grade", description="Grade your numpy neural-network exercises.",
                     epilog="Exit status: 0 all passed, 1 something fell short, 2 usage error.")
    parser.add_argument("homework", nargs="?", help="the homework to grade, e.g. hw1")
    parser.add_argument("--submission", metavar="PATH", type=Path,
                        help="a .py file, a .ipynb notebook, or a folder holding hw1.py or hw1.ipynb "
                             "(default: found from the current folder)")
    parser.add_argument("--exercise", metavar="NAME", action="append",
                        help="grade only this function (may be given more than once)")
    parser.add_argument("--json", action="store_true", help="print one JSON document and nothing else")
    parser.add_argument("--list", action="store_true", help="list the homeworks and their exercises")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the checks that compare with the reference solution, as in a student release")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except GraderError as error:
        _say_error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say_error("interrupted")
        return EXIT_USAGE
    except Exception as error:  # a fault of the grader, not of the submission
        _say_error(f"internal error ({type(error).__name__}: {error}); please report it to your instructor")
        return EXIT_USAGE


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from grader.homeworks import HOMEWORKS

    if args.list:
        _print_list(HOMEWORKS)
        return EXIT_PASSED
    if not args.homework:
        raise UsageError("name the homework to grade, e.g. `grade hw1`, or list them with `grade --list`")
    homework = HOMEWORKS.get(args.homework)
    if homework is None:
        raise UsageError(f"there is no homework {args.homework!r}; the homeworks are: {', '.join(HOMEWORKS)}")
    names = [e.name for e in homework.exercises]
    for name in args.exercise or []:
        if name not in names:
            raise UsageError(f"{homework.name} has no exercise {name!r}; its exercises are: {', '.join(names)}")

    from grader.submission import find_submission, load_submission, resolve

    try:
        path = resolve(args.submission, homework.name) if args.submission else find_submission(homework.name, Path.cwd())
        submission = load_submission(path)
    except SubmissionError as error:
        if args.json:  # still one complete document, so a pipeline can record the zero
            _print_json(_unloadable_document(homework, args.exercise, str(error)))
            print(f"grade: {error}", file=sys.stderr)
            return EXIT_USAGE
        raise

    from grader.engine import grade

    report = grade(homework, submission, only=args.exercise, reference=False if args.no_reference else True)
    if args.json:
        from grader.report import to_json

        _print_json(to_json(report))
    else:
        from rich.console import Console

        from grader.report import render

        render(report, Console())
    return EXIT_PASSED if report.all_passed else EXIT_SHORT


def _print_list(homeworks: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Homeworks", title_justify="left")
    table.add_column("Homework")
    table.add_column("Exercise")
    table.add_column("Points", justify="right")
    for homework in homeworks.values():
        for i, exercise in enumerate(homework.exercises):
            table.add_row(f"{homework.name}: {homework.title}" if i == 0 else "", exercise.name, f"{exercise.points:g}")
    Console().print(table)


def _unloadable_document(homework, only: list[str] | None, message: str) -> dict:
    exercises = [e for e in homework.exercises if only is None or e.name in only]
    return {
        "assignment": homework.name,
        "score": 0.0,
        "max_score": float(sum(e.points for e in exercises)),
        "exercises": [{"name": e.name, "score": 0.0, "max_score": float(e.points), "status": "error",
                       "feedback": message} for e in exercises],
        "error": message,
    }


def _print_json(document: dict) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    sys.stdout.flush()


def _say_error(message: str) -> None:
    print(f"grade: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
