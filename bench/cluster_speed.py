"""What grading on a Dask cluster costs: `--jobs 2` against `--cluster local:2`, in the same run.

    python bench/cluster_speed.py [--count 500] [--homework hw1] [--runs 1]

Writes a class of `--count` generated submissions (bench/batch.py's mix: correct,
buggy with a catalogued mutant, stubs), then times
`grade <hw> --submissions DIR --force --jobs 2` and
`grade <hw> --submissions DIR --force --cluster local:2` alternately, and prints both
times and the overhead per submission that the cluster adds (the LocalCluster's
start included). On one machine the cluster cannot be faster: the point is that the
same command scales out. Target (issue 15): an overhead under 20%.
Needs the cluster extra (pip install -e ".[cluster]").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(BENCH)]
from batch import wall_time, write_class  # noqa: E402  (bench/batch.py)
from catalogue import CATALOGUES  # noqa: E402
from grader import secret as course_secret  # noqa: E402

TARGET_OVERHEAD = 0.20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="submissions in the class (default: 500)")
    parser.add_argument("--homework", default="hw1", choices=sorted(CATALOGUES))
    parser.add_argument("--runs", type=int, default=1, help="runs of each command (the median is kept)")
    args = parser.parse_args()
    try:
        import distributed  # noqa: F401
    except ImportError:
        sys.exit('this benchmark needs Dask: pip install -e ".[cluster]"')

    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        submissions, out = Path(tmp) / "submissions", Path(tmp) / "grades"
        submissions.mkdir()
        kinds = write_class(submissions, args.homework, args.count)
        if course_secret.find() is None:  # a class is graded with the course secret: a throwaway one here
            os.environ[course_secret.ENV_VAR] = str(course_secret.create(Path(tmp) / course_secret.FILE_NAME).path)
        base = [sys.executable, "-m", "grader.cli", args.homework, "--submissions", str(submissions),
                "--out", str(out), "--force"]
        commands = {"--jobs 2": [*base, "--jobs", "2"], "--cluster local:2": [*base, "--cluster", "local:2"]}
        # Once, untimed: the examples drawn from the secret are kept beside it, for both commands alike.
        wall_time([*base[:5], str(_one_student(submissions, Path(tmp))), "--out", str(Path(tmp) / "warm"),
                   "--jobs", "1"])
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, command in commands.items():
                times[label].append(wall_time(command))
        graded = len(list((out / "reports").glob("*.json")))

    local, cluster = (statistics.median(times[label]) for label in commands)
    overhead = (cluster - local) / local
    print(f"class: {args.count} submissions ({kinds['correct']} correct, {kinds['buggy']} buggy, "
          f"{kinds['stub']} stubs), {args.runs} run(s) of each; {graded} reports written by the last")
    for label, median in (("--jobs 2", local), ("--cluster local:2", cluster)):
        print(f"grade {args.homework} --submissions {label:<18} {median:7.2f} s  ({median / args.count * 1000:.0f} ms "
              f"per submission)  runs: {', '.join(f'{t:.2f}' for t in times[label])}")
    print(f"the cluster adds {(cluster - local) / args.count * 1000:+.0f} ms per submission ({overhead:+.1%}), its "
          f"start included; target under {TARGET_OVERHEAD:.0%}: {'within' if overhead < TARGET_OVERHEAD else 'OVER'}")


def _one_student(submissions: Path, tmp: Path) -> Path:
    """A class of one (the first submission), graded once before timing."""
    first = sorted(submissions.iterdir())[0]
    folder = tmp / "one"
    folder.mkdir()
    target = folder / first.name
    if first.is_dir():
        target.mkdir()
        for path in first.iterdir():
            (target / path.name).write_bytes(path.read_bytes())
    else:
        target.write_bytes(first.read_bytes())
    return folder


if __name__ == "__main__":
    main()
