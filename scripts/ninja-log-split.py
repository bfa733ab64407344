#!/usr/bin/env python3
"""Splits a DuckDB build's compile time by part, from ninja's .ninja_log.

    scripts/ninja-log-split.py [LABEL=]LOG [[LABEL=]LOG...]

Each LOG is a .ninja_log (scripts/setup-duckdb.sh keeps one per build in
<prefix>/share/ninja_log). Prints a Markdown table: per part, the seconds its steps took
(end - start of each step, summed) and their share, one column pair per LOG, so a full and a
lean build sit side by side.

A step's seconds are its wall time. With as many jobs as cores and nothing else running that is
its CPU time; on a shared machine it also counts time spent waiting for a core, so compare the
shares, and take absolute CPU time from `build_cpu_seconds` in the prefix's .complete.
"""
import sys

# First match wins: (part, path prefix of the step's output in the build folder).
PARTS = [
    ("icu (third_party)", "extension/icu/third_party/"),
    ("core_functions", "extension/core_functions/"),
    ("parquet", "extension/parquet/"),
    ("json", "extension/json/"),
    ("icu", "extension/icu/"),
    ("other extension code", "extension/"),
    ("third_party", "third_party/"),
    ("link libduckdb", "src/libduckdb"),
    ("core", "src/"),
]


def part_of(output: str) -> str:
    for name, prefix in PARTS:
        if output.startswith(prefix):
            return name
    return "other"


def read_log(path: str) -> dict[str, float]:
    """Seconds per part; a step rebuilt later in the same log counts once, with its last run."""
    steps: dict[str, float] = {}
    with open(path) as log:
        for line in log:
            if line.startswith("#"):
                continue
            start, end, _mtime, output, _hash = line.rstrip("\n").split("\t")
            steps[output] = (int(end) - int(start)) / 1000
    totals: dict[str, float] = {}
    for output, seconds in steps.items():
        totals[part_of(output)] = totals.get(part_of(output), 0.0) + seconds
    return totals


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    labels, paths = zip(*(arg.split("=", 1) if "=" in arg else (arg, arg) for arg in sys.argv[1:]))
    logs = [read_log(p) for p in paths]
    names = [n for n, _ in PARTS] + ["other"]
    names = [n for n in names if any(n in log for log in logs)]
    print("| part | " + " | ".join(f"{label} s | share" for label in labels) + " |")
    print("| --- |" + " ---: | ---: |" * len(paths))
    for name in names:
        cells = []
        for log in logs:
            seconds, total = log.get(name, 0.0), sum(log.values())
            cells.append(f"{seconds:,.0f} | {100 * seconds / total:.1f}%" if seconds else "– | –")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| **total** | " + " | ".join(f"**{sum(log.values()):,.0f}** | 100%" for log in logs) + " |")


if __name__ == "__main__":
    main()
