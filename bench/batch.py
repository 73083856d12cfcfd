"""How long grading a class takes: 100 submissions with `--jobs 2`, next to a bare numpy start-up.

    python bench/batch.py [--students 100] [--jobs 2] [--runs 3]

Writes a class of submissions into a temporary folder (correct ones, buggy ones
made by small textual mutations of the reference, and untouched stubs), then
times `grade hw1 --submissions DIR --jobs 2 --out TMP --force` several times and
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
sys.path.insert(0, str(ROOT))
from grader import secret as course_secret  # noqa: E402
REFERENCE = ROOT / "solutions" / "hw1" / "hw1.py"
STUBS = ROOT / "assignments" / "hw1" / "hw1.py"
TARGET_SECONDS = 60.0
BASELINE_LABEL = 'python -c "import numpy"'

# (what the mistake is, text in the reference, what replaces it).
MUTATIONS = (
    ("mse_grad divides by N", "/ y_pred.size", "/ y_pred.shape[0]"),
    ("sigmoid_grad sign", "s * (1.0 - s)", "s * (1.0 + s)"),
    ("adagrad eps inside sqrt", "np.sqrt(new_cache) + eps", "np.sqrt(new_cache + eps)"),
    ("dropout without rescaling", "x / (1.0 - p)", "x"),
    ("db1 summed over columns", '"b1": dz.sum(axis=0)', '"b1": dz.sum(axis=1)'),
    ("mse with a factor 1/2", "float(np.mean((y_pred - y_true) ** 2))", "0.5 * float(np.mean((y_pred - y_true) ** 2))"),
)


def write_class(folder: Path, students: int) -> dict[str, int]:
    """Write `students` submissions into `folder`: 4 in 10 correct, 4 buggy, 2 stubs."""
    reference, stubs = REFERENCE.read_text(), STUBS.read_text()
    kinds = {"correct": 0, "buggy": 0, "stub": 0}
    for i in range(students):
        student = f"student{i:03d}"
        kind = ("correct", "correct", "buggy", "stub", "buggy", "correct", "buggy", "correct", "buggy", "stub")[i % 10]
        if kind == "correct":
            source = reference
        elif kind == "stub":
            source = stubs
        else:
            _, old, new = MUTATIONS[i % len(MUTATIONS)]
            assert old in reference, f"the reference changed: {old!r} is gone"
            source = reference.replace(old, new)
        kinds[kind] += 1
        if i % 2:  # both layouts: a folder per student, and a file per student
            (folder / student).mkdir()
            (folder / student / "hw1.py").write_text(source)
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
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        submissions, out = Path(tmp) / "submissions", Path(tmp) / "grades"
        submissions.mkdir()
        kinds = write_class(submissions, args.students)
        if course_secret.find() is None:  # a class is graded with the course secret: a throwaway one here
            os.environ[course_secret.ENV_VAR] = str(course_secret.create(Path(tmp) / course_secret.FILE_NAME).path)
        batch = [sys.executable, "-m", "grader.cli", "hw1", "--submissions", str(submissions),
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
    print(f"{'grade hw1 --submissions':<28} median {median:6.2f} s  ({args.students / median:.1f} submissions/s)  "
          f"runs: {', '.join(f'{t:.2f}' for t in batch_times)}")
    print(f"{BASELINE_LABEL:<28} median {statistics.median(baseline_times):6.2f} s")
    verdict = "within" if median <= TARGET_SECONDS else "OVER"
    print(f"target: {args.students} submissions in <= {TARGET_SECONDS:g} s: {verdict} target")


if __name__ == "__main__":
    main()
