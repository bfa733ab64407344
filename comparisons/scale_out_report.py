"""Prints comparisons/scale-out.sh's results as Markdown tables and draws them as a PNG.

usage: scale_out_report.py RESULTS.jsonl PLOT.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {(r["target"], r["processes"], r["kind"]): r for r in rows}

print("| target | processes | read qps (8 tasks each) | commits/s (1 task each) | commit p50 ms | commit p99 ms | errors | torn reads |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for target in ("local", "quack", "lake"):
    for processes in (1, 4):
        reads, commits = by.get((target, processes, "reads")), by.get((target, processes, "commits"))
        if not reads:
            continue
        print(f"| {target} | {processes} | {reads['reads_per_s']:,.0f} | {commits['commits_per_s']:,.1f} | "
              f"{commits['commit_p50_ms']:.1f} | {commits['commit_p99_ms']:.1f} | "
              f"{reads['errors'] + commits['errors']} | {reads['torn']} |")
local = by[("local", 1, "latency")]["ms_per_read"]
print()
print("| target | ms per point read, 1 task | over local |")
print("| --- | ---: | ---: |")
for target in ("local", "quack", "lake"):
    ms = by[(target, 1, "latency")]["ms_per_read"]
    print(f"| {target} | {ms:.3f} | {ms - local:+.3f} ms |")

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
labels, qps, cps = [], [], []
for target in ("local", "quack", "lake"):
    for processes in (1, 4):
        if (target, processes, "reads") in by:
            labels.append(f"{target}\n{processes} proc")
            qps.append(by[(target, processes, "reads")]["reads_per_s"])
            cps.append(by[(target, processes, "commits")]["commits_per_s"])
left.bar(labels, qps, color="#4c72b0")
left.set_title("point reads per second")
left.set_yscale("log")
right.bar(labels, cps, color="#dd8452")
right.set_title("commits per second (two-row transactions)")
right.set_yscale("log")
figure.suptitle("One run of comparisons/scale-out.sh on a 2-core machine")
figure.tight_layout()
figure.savefig(sys.argv[2], dpi=100)
print(f"\nplot: {sys.argv[2]}", file=sys.stderr)
