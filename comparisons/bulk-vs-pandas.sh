#!/usr/bin/env bash
# Bulk-loads N stock_kline rows (primary key on symbol, trade_date; fresh file each time) with
# DuckPool's column path (and its Encodable-row path, for contrast) and with DuckDB Python's
# `INSERT INTO stock_kline SELECT * FROM df` from a pandas DataFrame, the same rows, back to back
# in one run, and prints rows/s for each and the ratio.
#   comparisons/bulk-vs-pandas.sh [rows] [repeat]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-5000000}"
repeat="${2:-1}"
scripts/setup-duckdb.sh
python="$(comparisons/peers/setup-venv.sh)"
work="${TMPDIR:-/tmp}/duckpool-bench-load"
mkdir -p "$work"
swift build -c release --product duckpool ${DUCKPOOL_SWIFT_FLAGS:-} >&2
swift_json="$(.build/release/duckpool bench-load --db "$work/swift.duckdb" --rows "$rows" --repeat "$repeat" \
  --export-parquet "$work/rows.parquet" --json)"
python_json="$("$python" comparisons/bulk_pandas.py "$work/rows.parquet" "$work/pandas.duckdb" "$repeat")"
echo "$swift_json"
echo "$python_json"
"$python" - "$python_json" $swift_json <<'PY'
import json, sys
p = json.loads(sys.argv[1])
for line in sys.argv[2:]:
    s = json.loads(line)
    print(f"{s['impl']}: {s['rows_per_s']:,} rows/s = {s['rows_per_s'] / p['rows_per_s']:.2f}x pandas ({p['rows_per_s']:,} rows/s)")
PY
rm -rf "$work"
