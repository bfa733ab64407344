#!/usr/bin/env bash
# Reads 1M stock_kline rows with DuckDBKit (into Decodable structs) and with DuckDB Python
# (fetchall), back to back in one run, and prints both and their ratio.
#   comparisons/read-vs-python.sh [rows] [repeat]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
repeat="${2:-5}"
scripts/setup-duckdb.sh
python="$(comparisons/peers/setup-venv.sh)"
db="${TMPDIR:-/tmp}/duckpool-bench-read.duckdb"
swift build -c release --product duckpool ${DUCKPOOL_SWIFT_FLAGS:-} >&2
swift_json="$(.build/release/duckpool bench-read --db "$db" --rows "$rows" --repeat "$repeat" --json)"
python_json="$("$python" comparisons/read_rows.py "$db" "$rows" "$repeat")"
echo "$swift_json"
echo "$python_json"
"$python" - "$swift_json" "$python_json" <<'PY'
import json, sys
s, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"ratio DuckDBKit/Python: {s['rows_per_s'] / p['rows_per_s']:.2f}x")
PY
