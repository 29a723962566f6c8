"""How long ``docextract --help`` takes, and what it imports. Not a test: timings depend on the machine.

    python benchmarks/cli_startup.py [--runs 10]

Prints the median and best wall time of ``python -m docextract --help`` over fresh processes (the budget is
0.5 s), and ``import docextract`` alone for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import docextract": [sys.executable, "-c", "import docextract"],
        "docextract --help": [sys.executable, "-m", "docextract", "--help"],
        "docextract schemas": [sys.executable, "-m", "docextract", "schemas"],
    }
    for name, cmd in cases.items():
        times = wall(cmd, args.runs)
        print(f"{name:<22} median {statistics.median(times):.3f} s   best {min(times):.3f} s")


if __name__ == "__main__":
    main()
