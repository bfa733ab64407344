#!/usr/bin/env bash
# Reads a stock_kline table of [rows] rows (default 1M; all 8 columns, SELECT * FROM stock_kline)
# into DuckDBKit's ColumnarResult and with DuckDB Python's fetchnumpy() and .df(), back to back in
# one run on the same file and query, and prints the figures and the ratios (best and median of
# [repeat] timed runs, after [warmup] untimed ones).
#   comparisons/columns-vs-python.sh [rows] [repeat] [warmup]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
repeat="${2:-10}"
warmup="${3:-1}"
scripts/setup-duckdb.sh
python="$(comparisons/peers/setup-venv.sh)"
db="${TMPDIR:-/tmp}/duckpool-bench-columns-$rows.duckdb"
swift build -c release --product duckpool >&2
# Generate the database (once) before anything is timed.
.build/release/duckpool bench-columns --db "$db" --rows "$rows" --repeat 1 --warmup 0 --json >/dev/null
swift_json="$(.build/release/duckpool bench-columns --db "$db" --rows "$rows" --repeat "$repeat" --warmup "$warmup" --fetch-only --json)"
python_json="$("$python" comparisons/read_columns.py "$db" "$repeat" "$warmup")"
echo "$swift_json"
echo "$python_json"
"$python" - "$swift_json" "$python_json" <<'PY'
import json, sys
swift = json.loads(sys.argv[1])
print(f"DuckDB's share (query + chunks fetched, not read): best {swift['fetch_only_best_seconds']:.4f} s "
      f"of DuckDBKit's {swift['best_seconds']:.4f} s")
peers = {p["impl"]: p for p in map(json.loads, sys.argv[2].splitlines())}
for name in ("python-fetchnumpy", "python-df"):
    peer = peers[name]
    if peer["rows"] != swift["rows"] or abs(peer["close_sum"] - swift["close_sum"]) > 1e-6 * abs(swift["close_sum"]):
        sys.exit(f"{name} read different data: {peer['rows']} rows, close sum {peer['close_sum']} != {swift['close_sum']}")
    print(f"ratio DuckDBKit columns / {name}: best {swift['rows_per_s'] / peer['rows_per_s']:.2f}x, "
          f"median {swift['median_rows_per_s'] / peer['median_rows_per_s']:.2f}x")
PY
