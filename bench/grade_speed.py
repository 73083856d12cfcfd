"""How long `grade hw1` takes on a correct submission, next to a bare numpy start-up.

    python bench/grade_speed.py [--runs 7]

Prints the median wall time of several runs of each command, measured in the
same run so that machine load affects both. Target (issue 2/3): at most 1.0 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0
BASELINE = "python -c 'import numpy' (baseline)"


def wall_times(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    grade = shutil.which("grade") or sys.exit("grade is not on PATH: pip install -e . first")
    commands = {
        BASELINE: [sys.executable, "-c", "import numpy"],
        "grade hw1 --submission solutions/hw1/hw1.py --json": [grade, "hw1", "--submission",
                                                              "solutions/hw1/hw1.py", "--json"],
        "grade hw1 --submission solutions/hw1/hw1.py (rich table)": [grade, "hw1", "--submission",
                                                                     "solutions/hw1/hw1.py"],
    }
    wall_times(list(commands.values())[1], 1)  # warm the file cache
    medians = {}
    for label, command in commands.items():
        times = wall_times(command, args.runs)
        medians[label] = statistics.median(times)
        print(f"{label:<60} median {medians[label]:.3f} s  (min {min(times):.3f}, max {max(times):.3f}, "
              f"{args.runs} runs)")
    baseline = medians[BASELINE]
    worst = max(v for k, v in medians.items() if k != BASELINE)
    verdict = "meets" if worst <= TARGET_SECONDS else "MISSES"
    print(f"\ngrade hw1: {worst:.3f} s median ({worst - baseline:.3f} s above the numpy start-up), "
          f"{verdict} the {TARGET_SECONDS:.1f} s target")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
