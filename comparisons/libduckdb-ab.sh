#!/usr/bin/env bash
# Compares two libduckdb builds (say gcc and clang) on the read benchmarks, back to back in one
# run: the same duckpool binary, with the library picked by LD_LIBRARY_PATH (searched before the
# binary's rpath), A then B in every round, so that drift on a shared machine hits both.
#   - `duckpool bench-read`: 1M stock_kline rows into Decodable structs, best of 5: the Swift half
#     of `make bench`, whose Python half (fetchall) runs once per round for its ratio;
#   - `duckpool bench`: pool mode; workloads seed, point, range, factor; 1 and 4 workers.
# Prints every round, then per figure the median of A and of B, B/A, and the spread of each side
# across rounds ((max - min) / median), which is the noise a ratio has to beat.
#   comparisons/libduckdb-ab.sh A_LIBDIR B_LIBDIR [rounds] [bench seconds per cell]
set -euo pipefail
cd "$(dirname "$0")/.."
a="$1" b="$2" rounds="${3:-3}" duration="${4:-2}"
for lib in "$a" "$b"; do [ -e "$lib/libduckdb.so" ] || { echo "no libduckdb.so in $lib" >&2; exit 1; }; done
python="$(comparisons/peers/setup-venv.sh)"
db="${TMPDIR:-/tmp}/duckpool-bench-read.duckdb"
results="comparisons/results/libduckdb-ab-$(date -u +%Y-%m-%dT%H%MZ).jsonl"
swift build -c release --product duckpool ${DUCKPOOL_SWIFT_FLAGS:-} >&2
LD_LIBRARY_PATH="$a" .build/release/duckpool generate --db "$db" >&2

tag() { "$python" -c 'import json,sys; [print(json.dumps({**json.loads(l), "lib": sys.argv[1], "round": int(sys.argv[2])})) for l in sys.stdin if l.strip()]' "$1" "$2"; }
: >"$results.partial"
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    lib="$a"; [ "$side" = B ] && lib="$b"
    echo "round $round, $side: $lib" >&2
    LD_LIBRARY_PATH="$lib" .build/release/duckpool bench-read --db "$db" --rows 1000000 --repeat 5 --json | tag "$side" "$round"
    LD_LIBRARY_PATH="$lib" .build/release/duckpool bench --db "$db" --json --mode pool \
      --workload seed,point,range,factor --workers 1,4 --duration "$duration" --warmup 0.5 | tag "$side" "$round"
  done >>"$results.partial"
  "$python" comparisons/read_rows.py "$db" 1000000 5 | tag python "$round" >>"$results.partial"
done
mv "$results.partial" "$results"
echo "results: $results" >&2
"$python" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def key(r):
    return "bench-read rows/s" if "rows_per_s" in r else f"bench {r['workload']} x{r['workers']} qps"
def value(r):
    return r["rows_per_s"] if "rows_per_s" in r else r["qps"]
figures = {}
for r in rows:
    figures.setdefault(key(r), {}).setdefault(r["lib"], []).append(value(r))
def spread(v):
    return (max(v) - min(v)) / statistics.median(v) if len(v) > 1 else 0.0
print("| figure | A median | B median | B/A | A spread | B spread |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, sides in figures.items():
    if "A" not in sides or "B" not in sides:
        continue
    ma, mb = statistics.median(sides["A"]), statistics.median(sides["B"])
    print(f"| {name} | {ma:,.0f} | {mb:,.0f} | {mb / ma:.3f} | {spread(sides['A']):.1%} | {spread(sides['B']):.1%} |")
python = figures.get("bench-read rows/s", {}).get("python")
if python:
    mp = statistics.median(python)
    for side in "AB":
        print(f"make bench ratio, DuckDBKit/Python, {side}: {statistics.median(figures['bench-read rows/s'][side]) / mp:.2f}x")
PY
