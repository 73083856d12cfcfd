"""Run the test suite (or any command) while other processes keep every core busy.

    python bench/busy_suite.py                       # python -m pytest -q, under load
    python bench/busy_suite.py --quiet-too           # also once on a quiet machine, first
    python bench/busy_suite.py -- bash .ci/run       # CI's own script, under load

No test may depend on how fast the machine is: the budgets that decide a verdict
count CPU time, and tests of timeouts use code that never ends. This shows it: it
starts one `while True: pass` process per core (--load to change), runs the
command, stops the load, and prints the command's wall time and exit status
(next to the quiet run's, with --quiet-too). Exits with the command's status.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    status = subprocess.run(command, cwd=ROOT).returncode
    return time.perf_counter() - started, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", type=int, default=os.cpu_count() or 2, help="busy processes (default: one per core)")
    parser.add_argument("--quiet-too", action="store_true", help="run the command once without load first")
    parser.add_argument("command", nargs="*", help="the command (default: python -m pytest -q)")
    args = parser.parse_args()
    command = args.command or [sys.executable, "-m", "pytest", "-q"]
    quiet = timed(command) if args.quiet_too else None
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    try:
        busy = timed(command)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    if quiet is not None:
        print(f"quiet machine: {' '.join(command)} took {quiet[0]:.0f} s, exit status {quiet[1]}")
    print(f"with {args.load} busy processes on {os.cpu_count()} cores: {' '.join(command)} took {busy[0]:.0f} s, "
          f"exit status {busy[1]}")
    return busy[1] or (quiet[1] if quiet else 0)


if __name__ == "__main__":
    sys.exit(main())
