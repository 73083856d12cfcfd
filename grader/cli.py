"""The `grade` command.

    grade hw1                         grade the hw1 work found from here
    grade hw1 --submission PATH       a .py file, a .ipynb notebook, or a folder
    grade hw1 --exercise mse --json   one function, as one JSON document
    grade --list                      homeworks and their exercises

    grade hw1 --submissions DIR [--jobs N] [--out grades/hw1] [--force]
                                      a whole class, one entry of DIR per student
    grade hw1 --submissions DIR --cluster tcp://HOST:8786 | local:N
                                      the same, graded by a Dask cluster's workers
    grade hw1 --submissions DIR --shard I/N   then   --merge
                                      one of N slices of the class (a job array), then the gradebook
    grade hw1 --submission PATH --format gradescope [--out results.json]
    grade gradescope-bundle hw1 --out autograder.zip
    grade secret --new [--force]      create the course secret (see grader/secret.py)

Exit status: 0 when every exercise passed, 1 when something fell short,
2 for a usage error or a fault of the grader itself. For a class: 0 when every
student has a report, 1 when the grader itself failed on some submission.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from functools import partial
from pathlib import Path

from grader.errors import GraderError, SubmissionError, UsageError

EXIT_PASSED, EXIT_SHORT, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "gradescope")
BUNDLE_COMMAND = "gradescope-bundle"
SECRET_COMMAND = "secret"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one sentence, exit 2
        raise UsageError(f"{message} (see grade --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="grade", description="Grade your numpy neural-network exercises.",
                     epilog="Build a Gradescope autograder with: "
                            "grade gradescope-bundle HOMEWORK --out autograder.zip. "
                            "Exit status: 0 all passed, 1 something fell short, 2 usage error.")
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
    parser.add_argument("--limits", action="store_true",
                        help="print the resource limits and isolation layers that grading uses, then stop")
    parser.add_argument("--memory-limit", metavar="SIZE", type=_size,
                        help="memory for the student's code, e.g. 2GiB (the default) or 512MiB")
    parser.add_argument("--timeout", metavar="SECONDS", type=_seconds,
                        help="CPU time allowed for each batch of calls to one function (default: 5)")
    parser.add_argument("--cell-timeout", metavar="SECONDS", type=_seconds,
                        help="CPU time allowed for each notebook cell or top-level statement of a .py; "
                             "one that runs longer is skipped (default: 10)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="text (default), json (as --json), or gradescope (Gradescope's results.json)")
    parser.add_argument("--brief", action="store_true",
                        help="the table and the first problem of each function only")
    parser.add_argument("--show-expected", action="store_true",
                        help="with --submissions or --format gradescope: show students the reference's expected "
                             "values, which their feedback leaves out by default")
    parser.add_argument("--out", metavar="PATH", type=Path,
                        help="with --submissions: the folder for the grades (default: grades/HOMEWORK); "
                             "with --format gradescope: the results file (default: standard output)")
    group = parser.add_argument_group("grading a class")
    group.add_argument("--submissions", metavar="DIR", type=Path,
                       help="grade every student in DIR: a folder per student holding hw1.py or hw1.ipynb, "
                            "or a file <student>.py or <student>.ipynb")
    group.add_argument("--jobs", metavar="N", type=int,
                       help="submissions graded at once (default: the number of CPUs)")
    group.add_argument("--force", action="store_true",
                       help="regrade every student, also those whose report is newer than their submission")
    group.add_argument("--allow-unsandboxed", action="store_true",
                       help="grade a class even without the bubblewrap sandbox (only for trusted submissions "
                            "or a disposable machine)")
    group.add_argument("--cluster", metavar="ADDRESS",
                       help="grade on the workers of a Dask scheduler (tcp://HOST:8786, or tls:// with Dask's "
                            "security settings), or on N local worker processes (local:N); needs the cluster extra")
    group.add_argument("--shard", metavar="I/N",
                       help="grade only slice I of N of the class (0 <= I < N, by student id), for a job array; "
                            "writes the slice's reports only: build the gradebook with --merge")
    group.add_argument("--merge", action="store_true",
                       help="grade nothing: build the gradebook and summary from the reports the shards wrote")
    return parser


def build_bundle_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="grade gradescope-bundle",
                     description="Build the zip to upload as the autograder of a Gradescope programming assignment. "
                                 "It holds the reference solutions: keep it to the instructors.")
    parser.add_argument("homework", help="the homework, e.g. hw1")
    parser.add_argument("--out", metavar="PATH", type=Path,
                        help="where to write the zip (default: HOMEWORK-autograder.zip)")
    return parser


def build_secret_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="grade secret",
                     description="The course secret, from which the examples of checks against the reference are "
                                 "drawn, so that students cannot know them in advance.")
    parser.add_argument("--new", action="store_true", help="create it (at the course checkout's root, or at "
                                                          "GRADER_SECRET_FILE)")
    parser.add_argument("--force", action="store_true", help="with --new: replace an existing secret")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The `grade` command (argv None: sys.argv's, and the process ends when this returns)."""
    if argv is None:
        gc.disable()  # until its imports are done: see _spare_the_collector
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
    finally:
        if argv is None:
            _spare_the_collector()


def _spare_the_collector() -> None:
    """In the `grade` command's own process, whose objects all live until it ends: leave what
    exists now out of the cyclic garbage collector's walks (gc.freeze), and collect from now on
    (main() stopped collecting while the command imported: its modules, numpy's and the
    homework's, are garbage to no one). Its collections while importing walked the new modules'
    objects some 50 times (~20 ms of CPU for `grade hw1` on a busy machine), its young collections
    while grading walked the modules and the homework again and again, and the one at exit
    walked every object made, to free memory the process gives back anyway by ending: together
    ~50 ms of CPU, more by the clock on a busy machine. Only the command does this: a caller of
    main() in its own process (a test) keeps collecting as before."""
    gc.freeze()
    gc.enable()


def _main(argv: list[str] | None) -> int:
    ends_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [BUNDLE_COMMAND]:  # a command, not a homework: `grade hw1 ...` keeps its positional
        return _build_bundle(build_bundle_parser().parse_args(argv[1:]))
    if argv[:1] == [SECRET_COMMAND]:
        return _secret(build_secret_parser().parse_args(argv[1:]))
    args = build_parser().parse_args(argv)
    early = _start_early(args)
    try:
        return _run(args, early, ends_process)
    finally:
        if early is not None:
            early.stop()  # unused (a usage error, another submission); grading stops its own


def _start_early(args: argparse.Namespace):
    """The workers of the one submission to grade, started now, before this process imports numpy,
    the homework and the engine: the worker's start-up (bubblewrap, Python, numpy) then overlaps
    them on the other core. None where that does not apply; any error here is met again, and
    reported in its place, by the ordinary path."""
    if args.list or args.limits or args.submissions is not None or not args.homework or args.format == "gradescope":
        return None
    from grader.course import DECLARATIONS, homework_names

    if args.homework not in homework_names(DECLARATIONS):
        return None
    try:
        from grader.runner import Workers
        from grader.submission import find_submission, resolve

        found = (find_submission(args.homework, Path.cwd()) if args.submission is None
                 else resolve(args.submission, args.homework))
        workers = Workers.for_submission(found.path, args.homework, _limits(args))
        workers.start()
    except Exception:
        return None
    return workers


def _run(args: argparse.Namespace, early, ends_process: bool = False) -> int:
    from grader.homeworks import HOMEWORKS

    limits = _limits(args)
    if args.list:
        _print_list(HOMEWORKS)
        return EXIT_PASSED
    if args.limits:
        _print_limits(limits)
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
    output_format = _check_options(args)
    if args.submissions is not None:
        if ends_process:  # a class makes garbage for minutes: collect it
            _spare_the_collector()
        return _grade_class(homework, args)

    from grader.submission import find_submission, load_submission, resolve

    if output_format == "gradescope":
        _require_secret(homework, args, "grading for Gradescope")
    started = time.monotonic()
    found = workers = None
    try:
        if args.submission is None:
            found = find_submission(homework.name, Path.cwd())
        elif output_format == "gradescope" and args.submission.is_dir():
            from grader.gradescope import locate_submission

            found = locate_submission(args.submission, homework.name)
        else:
            found = resolve(args.submission, homework.name)
        workers = early
        if workers is None or workers.made_for != (found.path, homework.name, limits, ()):
            from grader.runner import Workers

            workers = Workers.for_submission(found.path, homework.name, limits)
            workers.start()  # now: its start-up overlaps reading the submission and the grader's imports
        submission = load_submission(found.path, found.notes, root=found.root)
    except BaseException as error:
        if workers is not None:
            workers.stop()
        if not isinstance(error, SubmissionError):
            raise
        notes = found.notes if found else ()
        if output_format != "text":  # still one complete document, so a pipeline can record the zero
            from grader.documents import unloadable_document

            document = unloadable_document(homework, args.exercise, str(error), notes, error.cause)
            _emit(document, output_format, args.out, started, args.show_expected)
            print(f"grade: {error}", file=sys.stderr)
            return EXIT_USAGE
        for note in notes:  # which file was read, when that needed saying
            _say_error(f"note: {note}")
        raise

    from grader.engine import grade

    if ends_process:
        _spare_the_collector()
    report = grade(homework, submission, only=args.exercise, limits=limits,
                   reference=False if args.no_reference else True, started=workers)
    if output_format != "text":
        from grader.report import to_json

        _emit(to_json(report), output_format, args.out, started, args.show_expected)
    else:
        from rich.console import Console

        from grader.report import render

        render(report, Console(), brief=args.brief)
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


_UNITS = {"b": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": 1024**2, "mb": 1000**2, "mib": 1024**2,
          "g": 1024**3, "gb": 1000**3, "gib": 1024**3}


def _size(text: str) -> int:
    """'2GiB' -> 2147483648; argparse turns a ValueError into a usage error."""
    number = text.strip().rstrip("bBiIkKmMgG")
    unit = text.strip()[len(number):].lower()
    try:
        value = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write e.g. 2GiB or 512MiB") from None
    if value < 64 * 1024**2:
        raise argparse.ArgumentTypeError(f"{text} is too little memory to start Python and numpy; give at least 64MiB")
    return int(value)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"the timeout must be between 0 and 600 seconds, got {text}")
    return value


def _limits(args: argparse.Namespace):
    from dataclasses import replace

    from grader.limits import Limits

    limits = Limits()
    if args.memory_limit is not None:
        limits = replace(limits, memory_bytes=args.memory_limit)
    if args.timeout is not None:
        limits = replace(limits, call_seconds=args.timeout)
    if args.cell_timeout is not None:
        limits = replace(limits, cell_seconds=args.cell_timeout)
    return limits


def _print_limits(limits) -> None:
    from rich.console import Console
    from rich.table import Table

    from grader.sandbox import bubblewrap, layers_available, sandbox_user
    from grader.settings import format_bytes

    table = Table(title="Limits for the student's code", title_justify="left")
    table.add_column("Limit")
    table.add_column("Value", justify="right")
    for label, value in (
        ("CPU time for one batch of calls to a function", f"{limits.call_seconds:g} s"),
        ("CPU time for one notebook cell or top-level statement", f"{limits.cell_seconds:g} s"),
        ("CPU time for all top-level code (then only definitions run)", f"{limits.load_seconds:g} s"),
        ("time for the whole submission (wall clock)", f"{limits.total_seconds:g} s"),
        ("CPU time of one worker process in all", f"{limits.cpu_seconds} s"),
        ("memory", format_bytes(limits.memory_bytes)),
        ("largest file written", format_bytes(limits.file_bytes)),
        ("all files written (with bubblewrap)", format_bytes(limits.scratch_bytes)),
        ("output kept for the report", format_bytes(limits.output_bytes)),
        ("output before the code is stopped", format_bytes(limits.output_kill_bytes)),
    ):
        table.add_row(label, value)
    console = Console()
    console.print(table)
    layers = layers_available(user=sandbox_user() if bubblewrap() is None else None)
    console.print(f"Isolation layers active here: {', '.join(layers)}", highlight=False)
    if "bubblewrap" not in layers:
        console.print("No OS-level sandbox (bubblewrap) here: on Linux, install the bubblewrap package for it.",
                      highlight=False)


def _check_options(args: argparse.Namespace) -> str:
    """The output format, after refusing options that do not go together."""
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} contradict each other; pass one of them")
    output_format = "json" if args.json else (args.format or "text")
    if args.submissions is not None:
        for flag, given in (("--submission", args.submission is not None), ("--exercise", bool(args.exercise)),
                            ("--json or --format", output_format != "text"), ("--brief", args.brief)):
            if given:
                raise UsageError(f"{flag} cannot be combined with --submissions, which grades a whole class")
        if args.jobs is not None and args.jobs < 1:
            raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
        if args.cluster is not None:
            from grader.cluster import parse_address

            parse_address(args.cluster)
        if args.cluster is not None and args.jobs is not None:
            raise UsageError("--jobs does not go with --cluster: each worker grades as many submissions at once as "
                             "it has threads (dask worker --nthreads)")
        if args.merge:
            for flag, given in (("--cluster", args.cluster is not None), ("--shard", args.shard is not None),
                                ("--jobs", args.jobs is not None), ("--force", args.force)):
                if given:
                    raise UsageError(f"--merge grades nothing, so {flag} does not go with it")
        return output_format
    for flag, given in (("--jobs", args.jobs is not None), ("--force", args.force),
                        ("--allow-unsandboxed", args.allow_unsandboxed), ("--cluster", args.cluster is not None),
                        ("--shard", args.shard is not None), ("--merge", args.merge)):
        if given:
            raise UsageError(f"{flag} only goes with --submissions DIR (grading a class)")
    if args.out is not None and output_format != "gradescope":
        raise UsageError("--out goes with --submissions DIR or --format gradescope")
    if args.show_expected and output_format != "gradescope":
        raise UsageError("--show-expected goes with --submissions DIR or --format gradescope, whose feedback goes "
                         "to students; grade and --json already show everything")
    if args.brief and output_format != "text":
        raise UsageError("--brief shortens the text report; it does not go with --json or --format")
    return output_format


def _emit(document: dict, output_format: str, out: Path | None, started: float, show_expected: bool = False) -> None:
    if output_format == "gradescope":
        from grader.gradescope import results_from_document

        document = results_from_document(document, time.monotonic() - started, show_expected)
    if out is None:
        _print_json(document)
        return
    from grader.atomic import write_atomically

    try:
        write_atomically(out, json.dumps(document, indent=2) + "\n")
    except OSError as error:
        raise UsageError(f"cannot write {out} ({error.strerror or error}); pass a writable path with --out") from None


def _grade_class(homework, args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from rich.console import Console

    from grader.sandbox import require_bubblewrap

    shard = None
    if args.shard is not None:
        from grader.batch import parse_shard

        shard = parse_shard(args.shard)
    if args.merge:
        return _merge_class(homework, args)
    if not args.allow_unsandboxed and args.cluster is None:  # on a cluster, each worker is asked
        require_bubblewrap("grading a class", "pass --allow-unsandboxed")
    _require_secret(homework, args, "grading a class")

    from grader.batch import BatchResult, Layout, default_jobs, find_students, in_shard, run_batch, summarize
    from grader.batch_report import BatchProgress, feedback_markdown, render_summary

    students, ignored = find_students(args.submissions, homework.name)
    if shard is not None:
        students = [s for s in students if in_shard(s.id, *shard)]
    layout = Layout(args.out if args.out is not None else Path("grades") / homework.name)
    layout.prepare(clean=shard is None)
    reference = False if args.no_reference else True
    if args.cluster is not None:
        from grader.cluster import Cluster

        cluster = Cluster(args.cluster, sandboxed=not args.allow_unsandboxed)
    else:
        cluster = None
    try:
        with cluster or nullcontext(), BatchProgress(Console(stderr=True), homework.name, len(students),
                                                     cluster.workers if cluster else None) as progress:
            if students:
                result = run_batch(homework, students, layout,
                                   partial(feedback_markdown, show_expected=args.show_expected),
                                   jobs=args.jobs or default_jobs(), force=args.force, limits=_limits(args),
                                   reference=reference, private=[args.submissions], on_done=progress.advance,
                                   cluster=cluster, gradebook=shard is None)
            else:  # a shard may be given no student of a small class
                result = BatchResult(documents={})
    except OSError as error:
        raise UsageError(f"could not write the grades to {layout.root} ({error.strerror or error}); the students "
                         f"graded so far are kept, and running the same command again resumes") from None
    console = Console()
    if result.documents:
        render_summary(homework.name, summarize(homework, result.documents), result, ignored, console)
    if shard is not None:
        count = f"{len(students)} student" + ("s" if len(students) != 1 else "")
        console.print(f"Shard {shard[0]}/{shard[1]}: {count}; reports: {layout.reports}; feedback: "
                      f"{layout.feedback}. Once every shard is done, build the gradebook with the same command and "
                      f"--merge instead of --shard.", highlight=False, soft_wrap=True)
    else:
        console.print(f"Gradebook: {layout.gradebook}; reports: {layout.reports}; feedback: {layout.feedback}",
                      highlight=False, soft_wrap=True)
    return EXIT_SHORT if result.faults else EXIT_PASSED


def _merge_class(homework, args: argparse.Namespace) -> int:
    """The gradebook and summary of a class graded in shards, from the reports they wrote."""
    from rich.console import Console

    from grader.batch import BatchResult, Layout, find_students, merge_problems, read_reports, summarize, \
        write_gradebook
    from grader.batch_report import render_summary
    from grader.submission import shown_name

    students, ignored = find_students(args.submissions, homework.name)
    layout = Layout(args.out if args.out is not None else Path("grades") / homework.name)
    if not layout.reports.is_dir():
        raise UsageError(f"there are no reports in {layout.reports} to merge; run the shards first (--shard I/N), "
                         f"with the same --out")
    layout.prepare()  # every shard is done: what a killed one left half-written goes
    missing = merge_problems(layout, students, homework, reference=not args.no_reference)
    if missing:
        shown = ", ".join(shown_name(s) for s in missing[:10]) + (", ..." if len(missing) > 10 else "")
        raise UsageError(f"{len(missing)} of {len(students)} students have no report up to date and made by this "
                         f"grader ({shown}), so no gradebook was written; run their shards again, or the same "
                         f"command without --merge, which grades them and writes the gradebook")
    documents = read_reports(layout, [s.id for s in students], homework)
    try:
        write_gradebook(layout.gradebook, homework, documents)
    except OSError as error:
        raise UsageError(f"could not write {layout.gradebook} ({error.strerror or error}); pass a writable "
                         f"folder with --out") from None
    console = Console()
    result = BatchResult(documents=documents, skipped=sorted(documents))
    render_summary(homework.name, summarize(homework, documents), result, ignored, console)
    console.print(f"Gradebook: {layout.gradebook}; reports: {layout.reports}; feedback: {layout.feedback}",
                  highlight=False, soft_wrap=True)
    return EXIT_PASSED


def _require_secret(homework, args: argparse.Namespace, task: str) -> None:
    """Grades that count are drawn from the course secret wherever the reference grades."""
    from grader.engine import load_reference
    from grader.secret import require

    if not args.no_reference and load_reference(homework) is not None:
        require(task)


def _build_bundle(args: argparse.Namespace) -> int:
    from grader.gradescope import build_bundle
    from grader.homeworks import HOMEWORKS

    homework = HOMEWORKS.get(args.homework)
    if homework is None:
        raise UsageError(f"there is no homework {args.homework!r}; the homeworks are: {', '.join(HOMEWORKS)}")
    out = args.out if args.out is not None else Path(f"{homework.name}-autograder.zip")
    names = build_bundle(homework, out)
    print(f"Wrote {out} ({len(names)} files). Upload it as the autograder of a Gradescope programming "
          f"assignment (Ubuntu 22.04 or newer base image); it holds the reference solutions.")
    return EXIT_PASSED


def _secret(args: argparse.Namespace) -> int:
    from grader import secret

    if args.force and not args.new:
        raise UsageError("--force goes with --new")
    if not args.new:
        found = secret.find()
        print(f"The course secret {found.id} is {found.path}." if found else
              f"There is no course secret (looked at {secret.default_path()}); create one with `{secret.NEW_COMMAND}`.")
        return EXIT_PASSED
    created = secret.create(force=args.force)
    ignored = "; git ignores it" if created.path == secret.COURSE_ROOT / secret.FILE_NAME else ""
    print(f"Wrote the course secret {created.id} to {created.path} (readable by you only{ignored}). "
          f"Next: keep a copy in the course's password manager, copy it to every machine that grades (TAs, CI, "
          f"the cluster: the file, or {secret.ENV_VAR} naming it), and rebuild the Gradescope bundle.")
    return EXIT_PASSED


def _print_json(document: dict) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    sys.stdout.flush()


def _say_error(message: str) -> None:
    print(f"grade: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
