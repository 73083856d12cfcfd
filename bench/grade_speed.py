"""How long `grade` takes on a correct submission, beside a bare numpy start-up and stock nbgrader.

    python bench/grade_speed.py [--runs 7] [--no-nbgrader]

Measured side by side in one run, the commands taking turns so that the machine's
load weighs on all of them alike; each figure is the median wall time of `--runs`
runs, after one run of each that is not counted (it writes the kept examples, see
grader/examples.py, and warms the file cache):

- `python -c 'import numpy'`, the floor any numpy program pays;
- `grade hw1` on the reference solution as a .py and as a notebook (source/hw1/hw1.ipynb),
  in the checkout as it is, with the reference; the .py again with a course secret (the
  instructor's setting: the hidden checks run on the secret's examples in a process of their
  own), and without the reference (`--no-reference`: the checks a student's release runs);
- `grade <hw>` of every other homework's reference;
- `nbgrader autograde` of the same hw1 in a stock nbgrader course built in a temporary
  folder (bench/stock_nbgrader.py: the reference's code in solution cells, ordinary
  assert-based test cells).

Targets (issue 11): hw1 within 0.5 s for the .py and the notebook, at least 8x faster
than stock nbgrader autograde, every homework within 1.0 s. Exit status 0 when all are met.

Each line also gives the median CPU time (user + system) of the command's process and of the
children it waited for: on a busy machine it moves much less than the wall time. For `grade`
it is the grading process's own (bubblewrap's too, not the worker's Python, which is killed,
not waited for); for stock nbgrader, its kernel's as well.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stock_nbgrader  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HW1_SECONDS, EVERY_SECONDS, SPEED_UP = 0.5, 1.0, 8.0
BASELINE = "python -c 'import numpy' (baseline)"
PY, NOTEBOOK, WITH_SECRET, STOCK = ("grade hw1, the .py", "grade hw1, the notebook",
                                    "grade hw1, the .py, with a course secret", "stock nbgrader autograde of hw1")
RELEASE = "grade hw1, the .py, as the release (no reference)"


def wall_time(command: list[str], cwd: Path, env: dict) -> float:
    return timed(command, cwd, env)[0]


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and of the children it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-nbgrader", action="store_true", help="leave out stock nbgrader (it takes seconds)")
    args = parser.parse_args()
    grade = str(Path(sys.executable).with_name("grade"))
    if not os.path.exists(grade):
        sys.exit("grade is not installed beside this Python: pip install -e '.[test,instructor]' first")
    sys.path.insert(0, str(ROOT))
    from grader import secret as course_secret
    from grader.course import COURSE, homework_names

    with tempfile.TemporaryDirectory(prefix="grade-speed-") as scratch:
        scratch = Path(scratch)
        env = stock_nbgrader.environment()
        (scratch / "secret").mkdir()
        secret = course_secret.create(scratch / "secret" / course_secret.FILE_NAME)
        secret_env = {**env, course_secret.ENV_VAR: str(secret.path)}
        commands: dict[str, tuple[list[str], Path, dict]] = {
            BASELINE: ([sys.executable, "-c", "import numpy"], ROOT, env),
            PY: ([grade, "hw1", "--submission", str(COURSE.solution("hw1")), "--json"], ROOT, env),
            NOTEBOOK: ([grade, "hw1", "--submission", str(COURSE.source_notebook("hw1")), "--json"], ROOT, env),
            WITH_SECRET: ([grade, "hw1", "--submission", str(COURSE.solution("hw1")), "--json"], ROOT, secret_env),
            # what a student's `grade hw1` runs: the checks that need no reference
            RELEASE: ([grade, "hw1", "--submission", str(COURSE.solution("hw1")), "--json", "--no-reference"], ROOT,
                      env),
        }
        for name in homework_names():
            if name != "hw1":
                commands[f"grade {name}, the .py"] = ([grade, name, "--submission", str(COURSE.solution(name)),
                                                      "--json"], ROOT, env)
        if not args.no_nbgrader:
            course = scratch / "stock-course"
            commands[STOCK] = (stock_nbgrader.build(course), course, env)
        for command, cwd, environment in commands.values():  # not counted: keeps the examples, warms caches
            wall_time(command, cwd, environment)
        if not args.no_nbgrader:
            got, most = stock_nbgrader.score(course)
            print(f"(stock nbgrader autograde scored the solution {got:g} of {most:g})")
        times: dict[str, list[float]] = {label: [] for label in commands}
        cpu: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, (command, cwd, environment) in commands.items():
                wall, used = timed(command, cwd, environment)
                times[label].append(wall)
                cpu[label].append(used)
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, values in times.items():
        print(f"{label:<46} median {medians[label]:6.3f} s  (min {min(values):.3f}, max {max(values):.3f}, "
              f"{len(values)} runs); CPU {statistics.median(cpu[label]):.3f} s")
    hw1 = max(medians[PY], medians[NOTEBOOK])
    every = max(v for k, v in medians.items() if k.startswith("grade "))
    met = [hw1 <= HW1_SECONDS, every <= EVERY_SECONDS]
    print(f"\ngrade hw1: {hw1:.3f} s median at worst (.py or notebook), {hw1 - medians[BASELINE]:.3f} s above "
          f"numpy's start-up: {'meets' if met[0] else 'MISSES'} the {HW1_SECONDS} s target")
    print(f"every homework: {every:.3f} s at worst: {'meets' if met[1] else 'MISSES'} the {EVERY_SECONDS} s target")
    if STOCK in medians:
        for label in (PY, NOTEBOOK):
            ratio = medians[STOCK] / medians[label]
            met.append(ratio >= SPEED_UP)
            print(f"stock nbgrader autograde / {label}: {ratio:.1f}x: "
                  f"{'meets' if ratio >= SPEED_UP else 'MISSES'} the {SPEED_UP:g}x target")
    print(f"(load average while measuring: {' '.join(f'{v:.2f}' for v in os.getloadavg())}, "
          f"{os.cpu_count()} CPUs; the targets are for a quiet 2-core machine)")
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
