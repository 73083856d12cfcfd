"""How long grading a class takes: 100 submissions with `--jobs 2`, next to a bare numpy start-up.

    python bench/batch.py [--homework hw1] [--students 100] [--jobs 2] [--runs 3]

Writes a class of submissions into a temporary folder (correct ones, buggy ones:
the reference with one of the homework's catalogued mutants, tests/catalogue/<hw>/,
and untouched stubs), then times
`grade <hw> --submissions DIR --jobs 2 --out TMP --force` several times and
prints the median with submissions per second. `python -c "import numpy"` is
timed in the same run, so that the load of a shared machine shows in both.
Target (issue "Instructors at scale"): 100 submissions in at most 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from catalogue import CATALOGUES, apply_entry  # noqa: E402
from grader import secret as course_secret  # noqa: E402
from grader.course import COURSE  # noqa: E402

TARGET_SECONDS = 60.0
BASELINE_LABEL = 'python -c "import numpy"'


def write_class(folder: Path, homework: str, students: int) -> dict[str, int]:
    """Write `students` submissions into `folder`: 4 in 10 correct, 4 buggy, 2 stubs."""
    reference, stubs = COURSE.solution(homework).read_text(), COURSE.stub(homework).read_text()
    mutants = CATALOGUES[homework].mutants
    kinds = {"correct": 0, "buggy": 0, "stub": 0}
    for i in range(students):
        student = f"student{i:03d}"
        kind = ("correct", "correct", "buggy", "stub", "buggy", "correct", "buggy", "correct", "buggy", "stub")[i % 10]
        if kind == "correct":
            source = reference
        elif kind == "stub":
            source = stubs
        else:
            mutant = mutants[(i * 7) % len(mutants)]
            source = apply_entry(reference, mutant.source, mutant.functions)
        kinds[kind] += 1
        if i % 2:  # both layouts: a folder per student, and a file per student
            (folder / student).mkdir()
            (folder / student / f"{homework}.py").write_text(source)
        else:
            (folder / f"{student}.py").write_text(source)
    return kinds


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homework", default="hw1", choices=sorted(CATALOGUES))
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        submissions, out = Path(tmp) / "submissions", Path(tmp) / "grades"
        submissions.mkdir()
        kinds = write_class(submissions, args.homework, args.students)
        if course_secret.find() is None:  # a class is graded with the course secret: a throwaway one here
            os.environ[course_secret.ENV_VAR] = str(course_secret.create(Path(tmp) / course_secret.FILE_NAME).path)
        batch = [sys.executable, "-m", "grader.cli", args.homework, "--submissions", str(submissions),
                 "--jobs", str(args.jobs), "--out", str(out), "--force"]
        baseline = [sys.executable, "-c", "import numpy"]
        batch_times, baseline_times = [], []
        for _ in range(args.runs):
            baseline_times.append(wall_time(baseline))
            batch_times.append(wall_time(batch))
        graded = len(list((out / "reports").glob("*.json")))

    median = statistics.median(batch_times)
    print(f"class: {args.students} submissions ({kinds['correct']} correct, {kinds['buggy']} buggy, "
          f"{kinds['stub']} stubs), --jobs {args.jobs}, {args.runs} runs; {graded} reports written")
    print(f"{f'grade {args.homework} --submissions':<28} median {median:6.2f} s  ({args.students / median:.1f} submissions/s)  "
          f"runs: {', '.join(f'{t:.2f}' for t in batch_times)}")
    print(f"{BASELINE_LABEL:<28} median {statistics.median(baseline_times):6.2f} s")
    verdict = "within" if median <= TARGET_SECONDS else "OVER"
    print(f"target: {args.students} submissions in <= {TARGET_SECONDS:g} s: {verdict} target")


if __name__ == "__main__":
    main()
