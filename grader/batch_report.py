"""Render a class batch: its progress bar, the class summary, each student's Markdown feedback."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from grader.batch import BatchResult, ClassSummary, ExerciseSummary, Outcome, describe_problem
from grader.exercise import ERROR, FAILED, NOT_IMPLEMENTED, NOT_JUDGED, PASSED, TIMEOUT
from grader.report import STATUS_STYLE, feedback_text, points
from grader.submission import shown_name

_SPARK = " ▁▂▃▄▅▆▇█"
_CAPTION = ("Full: students with full marks. Wrong, Todo, Error, Hung: students whose function failed a check, "
            "is not implemented, raised or crashed, timed out. 0…100%: students per score bin "
            "(0, <25%, <50%, <75%, <100%, 100%).")


class BatchProgress:
    """A progress bar: students done of total, problems so far, elapsed time and ETA."""

    def __init__(self, console: Console, homework: str, total: int, workers: int | None = None) -> None:
        """`workers`: the cluster's workers grading (None: this machine's threads)."""
        self.problems = 0
        self.faults = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[problems]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task(f"grading {homework}" + _on(workers), total=total,
                                             problems=self._describe())

    def __enter__(self) -> "BatchProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def advance(self, outcome: Outcome, skipped: bool) -> None:
        if outcome.fault:
            self.faults += 1
        elif outcome.document is not None and describe_problem(outcome.document):
            self.problems += 1
        self._progress.update(self._task, advance=1, problems=self._describe())

    def _describe(self) -> str:
        text = f"[red]{self.problems} failed[/]" if self.problems else "0 failed"
        return text + (f", [red]{self.faults} grader faults[/]" if self.faults else "")


def _on(workers: int | None) -> str:
    if workers is None:
        return ""
    return f" on {workers} worker" + ("s" if workers != 1 else "")


def render_summary(homework: str, summary: ClassSummary, result: BatchResult, ignored: list[str],
                   console: Console) -> None:
    table = Table(title=f"{homework}: {summary.students} students", title_justify="left", box=box.SIMPLE_HEAVY,
                  padding=(0, 0), caption=_CAPTION, caption_justify="left")
    table.add_column("Function", no_wrap=True)
    for header in ("Pts", "Mean", "Median", "Full", "Wrong", "Todo", "Error", "Hung"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("0…100%", no_wrap=True)  # students per score bin
    hardest = min(summary.exercises, key=lambda e: e.mean_fraction, default=None)
    for exercise in summary.exercises:
        style = "bold red" if exercise is hardest and exercise.mean_fraction < 1 else None
        table.add_row(*_row(exercise), style=style)
    table.add_section()
    total = summary.total
    table.add_row("total", points(total.points), _mean(total), points(total.median), str(total.full_marks),
                  "", "", "", "", sparkline(total.histogram), style="bold")
    console.print(table)
    if hardest is not None and hardest.mean_fraction < 1:
        console.print(f"Hardest: [bold]{hardest.name}[/] (mean {hardest.mean_fraction:.0%} of its points)")

    if summary.problems:
        console.print(Text(f"{len(summary.problems)} submissions crashed, hung or could not be loaded:",
                           style="bold red"))
        for student, problem in summary.problems:  # names and messages were made safe where they were
            # made; shown_name again is the last defence (it changes nothing twice), escape stops markup
            console.print(f"  {escape(shown_name(student))}: {escape(shown_name(_first_line(problem)))}")
        if summary.hard_links:
            console.print(Text("A hard link is a second name of another file, perhaps a classmate's, and is never "
                               "graded. If you made the class folder with hard links (cp -al, rsync --link-dest), "
                               "copy it again with cp -r and grade again; if not, a student's archive held the link "
                               "(GNU tar unpacks one): see who shares the file.", style="yellow"))
    if result.faults:
        console.print(Text(f"The grader failed on {len(result.faults)} submissions (no report written; "
                           f"a re-run retries them; please report this):", style="bold red"))
        for student, fault in sorted(result.faults.items()):
            console.print(f"  {escape(shown_name(student))}: {escape(shown_name(fault))}")
    for entry in ignored:
        console.print(Text(f"Ignored: {shown_name(entry)}", style="yellow"))
    console.print(Text(f"Graded {len(result.graded)}, up to date {len(result.skipped)}", style="dim"))


def _row(exercise: ExerciseSummary) -> list[str]:
    count = exercise.statuses.get
    return [exercise.name, points(exercise.points), _mean(exercise), points(exercise.median),
            str(exercise.full_marks), str(count(FAILED, 0)), str(count(NOT_IMPLEMENTED, 0)), str(count(ERROR, 0)),
            str(count(TIMEOUT, 0)), sparkline(exercise.histogram)]


def _mean(summary: ExerciseSummary) -> str:
    return f"{summary.mean:.1f}"


def sparkline(histogram: tuple[int, ...]) -> str:
    """One character per score bin, its height the share of students in it."""
    most = max(histogram, default=0)
    if not most:
        return ""
    return "".join(_SPARK[round(count / most * (len(_SPARK) - 1))] if count else "·" for count in histogram)


def _first_line(text: str, limit: int = 160) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


# ---------------------------------------------------------------- feedback ---

def feedback_markdown(student: str, document: dict, show_expected: bool = False) -> str:
    """A student's report as Markdown: the total, a table of functions, then what went wrong.

    It goes to the student: checks against the reference show no expected value unless
    `show_expected` (grader.report's visibility policy).
    """
    lines = [f"# {document['assignment']}: feedback for {_markdown_text(shown_name(student))}", "",
             f"**Total: {points(document['score'])}/{points(document['max_score'])}**", ""]
    if document.get("error"):
        lines += ["Your code could not be loaded:", "", *_fenced(document["error"]), ""]
    if document.get("notes"):  # fenced like all text that comes from the student's code
        lines += ["Notes:", "", *_fenced("\n".join(document["notes"])), ""]
    lines += ["| Function | Points | Status |", "|---|---:|---|"]
    for exercise in document["exercises"]:
        label = STATUS_STYLE.get(exercise["status"], (exercise["status"], ""))[0]
        score = f"{points(exercise['score'])}/{points(exercise['max_score'])}"
        lines.append(f"| `{exercise['name']}` | {score} | {label} |")
    lines.append("")
    if not document.get("error"):
        for exercise in document["exercises"]:
            text = feedback_text(exercise, show_expected)
            if exercise["status"] == PASSED and NOT_JUDGED not in {c["status"] for c in exercise["checks"]}:
                continue
            label = STATUS_STYLE.get(exercise["status"], (exercise["status"], ""))[0]
            lines += [f"## `{exercise['name']}`: {points(exercise['score'])}/{points(exercise['max_score'])} ({label})",
                      "", *_fenced(text), ""]
    return _without_control_codes("\n".join(lines))


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0, 9), *range(11, 32), *range(127, 160))}


def _without_control_codes(text: str) -> str:
    """The last defence of a file a student may `cat`: no terminal control code, whatever its source
    (lines and tabs stay; the rest is written out as \\x1b)."""
    return text.translate(_CONTROL)


_MARKDOWN = {**{ord(c): f"\\{c}" for c in "\\`*_{}[]()#+-.!|~"}, ord("<"): "&lt;", ord(">"): "&gt;", ord("&"): "&amp;"}


def _markdown_text(text: str) -> str:
    """Text the student chose (their id) as plain text in Markdown: a link, an image or HTML in it
    is shown as written, not rendered where the feedback is previewed (an LMS, GitHub)."""
    return text.translate(_MARKDOWN)


def _fenced(text: str) -> list[str]:
    """A code block whose fence is longer than any run of backticks inside (tracebacks may hold some)."""
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", text, fence]
