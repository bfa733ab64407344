"""Writes the side-by-side section of docs/benchmarks.md from a results file.

  python comparisons/report.py comparisons/results/side-by-side-<date>.jsonl \
      [--doc docs/benchmarks.md] [--images docs/images]

The results file holds one JSON object per line: an optional `"meta"` line written by
`comparisons/side-by-side.sh` (date, cores, CPU, DuckDB versions, command) and one line per
(mode, workload, workers) from `duckpool bench --json` and `comparisons/peers/bench_peer.py --json`.
Only the text between `<!-- side-by-side:begin -->` and `<!-- side-by-side:end -->` changes
(the markers are appended at the end of the document when missing). One PNG per workload,
throughput against workers for each mode, goes to the images folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Dict, Iterable, List, Optional, Tuple

BEGIN = "<!-- side-by-side:begin -->"
END = "<!-- side-by-side:end -->"
REQUIRED = ("impl", "mode", "workload", "workers", "duration_s", "queries", "errors", "qps", "p50_us", "p95_us", "p99_us")
POOL, DEDICATED, SEED = "pool", "dedicated", "python-seed-pool"
MODE_ORDER = [POOL, DEDICATED, "shared-mutex", "connect-per-query", SEED]
WORKLOAD_ORDER = ["seed", "point", "range", "factor", "mixed"]
TARGET_WORKERS = 10

WORKLOAD_TEXT = {
    "seed": "the seed's own example, `SELECT * FROM stock_kline LIMIT 10`",
    "point": "one bar: `WHERE symbol = ? AND trade_date = ?`, random symbol and date",
    "range": "250 consecutive trading days of one random symbol, ordered by date",
    "factor": "MA20, daily return and volatility per symbol over the last 120 trading days (window functions, all symbols)",
    "mixed": "per worker, nine `point` reads then one `INSERT INTO bench_writes`",
}

MODE_TEXT = {
    POOL: "DuckPool's pool",
    DEDICATED: "one connection per worker thread, no pool (the ceiling a pool can approach)",
    "shared-mutex": "one connection shared by all workers behind a lock",
    "connect-per-query": "a new connection for every query",
    SEED: "the seed's SQLAlchemy QueuePool design (`comparisons/peers/seed_pool.py`), driven by `comparisons/peers/bench_peer.py`",
}

# (label, workload, numerator mode, denominator mode, at least)
TARGETS = [
    ("DuckPool ≥ 3x the seed pool on `point`", "point", POOL, SEED, 3.0),
    ("DuckPool ≥ 8x the seed pool on `seed`", "seed", POOL, SEED, 8.0),
    ("DuckPool ≥ 1x the seed pool on `factor`", "factor", POOL, SEED, 1.0),
] + [(f"DuckPool ≥ 0.95x dedicated on `{w}`", w, POOL, DEDICATED, 0.95) for w in WORKLOAD_ORDER]

Cell = Dict[str, object]
Key = Tuple[str, str, int]  # (workload, mode, workers)


def read_results(path: str) -> Tuple[dict, Dict[Key, Cell]]:
    meta: dict = {}
    cells: Dict[Key, Cell] = {}
    with open(path, encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            text = text.strip()
            if not text:
                continue
            try:
                line = json.loads(text)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON ({error})")
            if "meta" in line:
                meta.update(line["meta"])
                continue
            missing = [key for key in REQUIRED if key not in line]
            if missing:
                raise SystemExit(f"{path}:{number}: missing {', '.join(missing)}")
            cells[(line["workload"], line["mode"], int(line["workers"]))] = line
    if not cells:
        raise SystemExit(f"{path}: no results")
    return meta, cells


def ordered(values: Iterable[str], order: List[str]) -> List[str]:
    values = set(values)
    return [v for v in order if v in values] + sorted(values - set(order))


def number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def qps_text(value: float) -> str:
    return number(value, 1 if value < 100 else 0)


def ratio(cells: Dict[Key, Cell], workload: str, top: str, bottom: str, workers: int) -> Optional[float]:
    a, b = cells.get((workload, top, workers)), cells.get((workload, bottom, workers))
    if a is None or b is None or float(b["qps"]) <= 0:
        return None
    return float(a["qps"]) / float(b["qps"])


def ratio_text(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"


def plot(cells: Dict[Key, Cell], workload: str, modes: List[str], images: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    all_workers: set = set()
    for mode in modes:
        points = sorted((w, float(c["qps"])) for (wl, m, w), c in cells.items() if wl == workload and m == mode)
        if not points:
            continue
        all_workers.update(w for w, _ in points)
        axes.plot([w for w, _ in points], [max(q, 0.1) for _, q in points], marker="o", label=mode,
                  linestyle="--" if mode == SEED else "-")
    axes.set_xscale("log", base=2)
    axes.set_yscale("log")
    ticks = sorted(all_workers)
    axes.set_xticks(ticks)
    axes.set_xticklabels([str(t) for t in ticks])
    axes.minorticks_off()
    axes.set_xlabel("worker threads")
    axes.set_ylabel("queries per second (log scale)")
    axes.set_title(f"{workload}: throughput against workers")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    os.makedirs(images, exist_ok=True)
    path = os.path.join(images, f"side-by-side-{workload}.png")
    figure.savefig(path)
    plt.close(figure)
    return path


def section(meta: dict, cells: Dict[Key, Cell], results: str, doc: str, images: str) -> str:
    workloads = ordered({k[0] for k in cells}, WORKLOAD_ORDER)
    modes = ordered({k[1] for k in cells}, MODE_ORDER)
    doc_dir = os.path.dirname(os.path.abspath(doc))
    out: List[str] = [BEGIN, "## Side by side: DuckPool against the seed's Python pool", ""]

    machine = [f"{meta['cores']} cores" if "cores" in meta else None, meta.get("cpu"), meta.get("memory")]
    versions = []
    if meta.get("duckdb"):
        versions.append(f"DuckDB {meta['duckdb']} (C library)")
    if meta.get("duckdb_python"):
        versions.append(f"DuckDB Python {meta['duckdb_python']}")
    if meta.get("sqlalchemy"):
        versions.append(f"SQLAlchemy {meta['sqlalchemy']}")
    out.append("Machine: " + (", ".join(p for p in machine if p) or "not recorded") + f"; {meta.get('date', 'date unknown')}; "
               + (", ".join(versions) or "DuckDB version unknown") + ".")
    durations = sorted({float(c["duration_s"]) for c in cells.values()})
    out.append(
        f"Each cell ran for a fixed time (measured {durations[0]:.1f}–{durations[-1]:.1f} s"
        + (f"; the Python peer after {meta['warmup']:g} s of warm-up" if "warmup" in meta else "")
        + (f"; each DuckPool cell in {meta['rounds']} rounds, each after its own warm-up, the order of the"
           " modes rotating between rounds so that no mode always runs first" if meta.get("rounds", 1) > 1 else "")
        + ") on the same database file, one process after the other; `qps` counts the queries that"
        " succeeded, latency is per query from the checkout request to the whole result fetched"
        " (for the Python peer: one `execute_query` call, check-in included)."
    )
    out.append("")
    command = meta.get("command")
    out.append("Reproduce: " + (f"`{command}`" if command else "`make side-by-side`")
               + f" (results: `{os.path.relpath(results)}`)."
               + (" It ran:" if meta.get("swift_command") or meta.get("python_command") else ""))
    if meta.get("swift_command") or meta.get("python_command"):
        out.append("")
        out.append("```")
        for key in ("swift_command", "python_command"):
            if meta.get(key):
                out.append(meta[key])
        out.append("```")
    out.append("")
    out.append("Modes:")
    out.append("")
    for mode in modes:
        out.append(f"- `{mode}`: {MODE_TEXT.get(mode, 'see `duckpool bench --help`')}")
    out.append("")

    out.append(f"### Targets at {TARGET_WORKERS} workers")
    out.append("")
    out.append("A target passes when the ratio of throughputs reaches it and the DuckPool cell had no errors.")
    out.append("")
    out.append("| target | measured | result |")
    out.append("| --- | --- | --- |")
    for label, workload, top, bottom, least in TARGETS:
        if workload not in workloads:
            continue
        value = ratio(cells, workload, top, bottom, TARGET_WORKERS)
        top_cell = cells.get((workload, top, TARGET_WORKERS))
        if value is None:
            mark = "not measured"
        elif value >= least and top_cell is not None and int(top_cell["errors"]) == 0:
            mark = "**PASS**"
        else:
            mark = "**MISS**" + (" (errors)" if top_cell is not None and int(top_cell["errors"]) else "")
        out.append(f"| {label} | {ratio_text(value)} | {mark} |")
    out.append("")

    for workload in workloads:
        out.append(f"### `{workload}`: {WORKLOAD_TEXT.get(workload, '')}".rstrip(": "))
        out.append("")
        image = plot(cells, workload, modes, images)
        out.append(f"![{workload}: queries per second against worker threads, per mode]"
                   f"({os.path.relpath(image, doc_dir)})")
        out.append("")
        out.append("| mode | workers | qps | p50 µs | p95 µs | p99 µs | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for mode in modes:
            for (wl, m, workers), cell in sorted(cells.items(), key=lambda item: item[0][2]):
                if wl != workload or m != mode:
                    continue
                errors = int(cell["errors"])
                out.append(
                    f"| {mode} | {workers} | {qps_text(float(cell['qps']))} | {number(float(cell['p50_us']))} "
                    f"| {number(float(cell['p95_us']))} | {number(float(cell['p99_us']))} "
                    f"| {'**' + number(errors) + '**' if errors else '0'} |"
                )
        out.append("")
        workers_here = sorted({w for (wl, _, w) in cells if wl == workload})
        out.append(f"| workers | {POOL} / {SEED} | {POOL} / {DEDICATED} |")
        out.append("| ---: | ---: | ---: |")
        for workers in workers_here:
            seed_ratio = ratio_text(ratio(cells, workload, POOL, SEED, workers))
            dedicated_ratio = ratio_text(ratio(cells, workload, POOL, DEDICATED, workers))
            if workers == TARGET_WORKERS:
                seed_ratio, dedicated_ratio = f"**{seed_ratio}**", f"**{dedicated_ratio}**"
            out.append(f"| {workers} | {seed_ratio} | {dedicated_ratio} |")
        out.append("")

    peer = sorted(((k, c) for k, c in cells.items() if k[1] == SEED and "connections_per_query" in c),
                  key=lambda item: (WORKLOAD_ORDER.index(item[0][0]) if item[0][0] in WORKLOAD_ORDER else 99, item[0][2]))
    if peer:
        out.append("### What the seed pool did")
        out.append("")
        out.append("DuckDB refuses `ROLLBACK` outside a transaction, so each check-in's `reset_on_return='rollback'`"
                   " fails, SQLAlchemy invalidates the connection and the next query opens a new one. When no other"
                   " connection to the file is open (always, with one worker), DuckDB also closes the database and"
                   " opens it again. `execute_query` returns an empty DataFrame for a failed query; the driver counts"
                   " it as an error.")
        out.append("")
        out.append("| workload | workers | new connections tried per query | failed resets | errors | most frequent error |")
        out.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for (workload, _, workers), cell in peer:
            kinds = cell.get("error_kinds") or {}
            top = max(kinds.items(), key=lambda item: item[1])[0] if kinds else ""
            top = top.replace("|", "\\|")
            out.append(f"| {workload} | {workers} | {float(cell['connections_per_query']):.2f} "
                       f"| {number(int(cell.get('reset_failures', 0)))} | {number(int(cell['errors']))} "
                       f"| {'`' + top[:120] + '`' if top else ''} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def rewrite(doc: str, text: str) -> None:
    try:
        with open(doc, encoding="utf-8") as file:
            current = file.read()
    except FileNotFoundError:
        current = "# Benchmarks\n"
    begin, end = current.find(BEGIN), current.find(END)
    if begin != -1 and end > begin:
        updated = current[:begin] + text + current[end + len(END):]
    elif begin == -1 and end == -1:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    else:
        raise SystemExit(f"{doc}: the side-by-side markers are out of order or one is missing")
    with open(doc, "w", encoding="utf-8") as file:
        file.write(updated)


def main() -> None:
    parser = argparse.ArgumentParser(description="Rewrite the side-by-side section of docs/benchmarks.md.")
    parser.add_argument("results", help="JSONL results file")
    parser.add_argument("--doc", default="docs/benchmarks.md")
    parser.add_argument("--images", default="docs/images")
    args = parser.parse_args()
    meta, cells = read_results(args.results)
    rewrite(args.doc, section(meta, cells, args.results, args.doc, args.images))
    print(f"wrote {args.doc} and {len({k[0] for k in cells})} plots in {args.images}", file=sys.stderr)


if __name__ == "__main__":
    main()
