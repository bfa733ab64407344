#!/usr/bin/env bash
# DuckPool (`duckpool bench`: pool, dedicated, shared-mutex, connect-per-query) and the seed's
# Python pool (comparisons/peers/bench_peer.py) on the same database with the same workloads and
# worker counts, back to back in one run. Saves every JSON line, with a first "meta" line, to
# comparisons/results/side-by-side-<UTC time>.jsonl and rewrites the side-by-side section of
# docs/benchmarks.md (tables, ratios, targets, plots in docs/images/) with comparisons/report.py.
#
#   comparisons/side-by-side.sh                          # the full run (about 35 minutes)
#   DURATION=1 WARMUP=0 WORKERS=1,4 comparisons/side-by-side.sh        # a quick look
#
# Environment (defaults): DURATION measured seconds per cell (10), WARMUP seconds of warm-up before
# each cell, and before each round of a DuckPool cell (2), ROUNDS of each DuckPool cell, the order
# of the modes rotating between rounds so that no mode always runs first (4),
# WORKERS (1,2,4,10,16), WORKLOADS (seed,point,range,factor,mixed),
# MODES for duckpool (pool,dedicated,shared-mutex,connect-per-query),
# DB (${TMPDIR:-/tmp}/duckpool-side-by-side.duckdb), RESULTS (the output file), DOC
# (docs/benchmarks.md), IMAGES (docs/images), DUCKPOOL_BIN (a duckpool binary to use instead of building one).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-10}"
warmup="${WARMUP:-2}"
rounds="${ROUNDS:-4}"
workers="${WORKERS:-1,2,4,10,16}"
workloads="${WORKLOADS:-seed,point,range,factor,mixed}"
modes="${MODES:-pool,dedicated,shared-mutex,connect-per-query}"
db="${DB:-${TMPDIR:-/tmp}/duckpool-side-by-side.duckdb}"
results="${RESULTS:-comparisons/results/side-by-side-$(date -u +%Y-%m-%dT%H%MZ).jsonl}"
doc="${DOC:-docs/benchmarks.md}"
images="${IMAGES:-docs/images}"

python="$(comparisons/peers/setup-venv.sh)"
if [ -n "${DUCKPOOL_BIN:-}" ]; then
  duckpool="$DUCKPOOL_BIN"
else
  scripts/setup-duckdb.sh
  swift build -c release --product duckpool ${DUCKPOOL_SWIFT_FLAGS:-} >&2
  duckpool=.build/release/duckpool
fi
"$duckpool" generate --db "$db" >&2

swift_command="$duckpool bench --db $db --json --mode $modes --workload $workloads --workers $workers --duration $duration --warmup $warmup --rounds $rounds"
python_command="python comparisons/peers/bench_peer.py --db $db --workload $workloads --workers $workers --duration $duration --warmup $warmup --json"
command="DURATION=$duration WARMUP=$warmup ROUNDS=$rounds WORKERS=$workers WORKLOADS=$workloads MODES=$modes comparisons/side-by-side.sh"

mkdir -p "$(dirname "$results")"
partial="$results.partial"
"$python" - "$command" "$swift_command" "$python_command" "$warmup" "$rounds" >"$partial" <<'PY'
import datetime, json, os, platform, subprocess, sys
import duckdb, sqlalchemy

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None

def memory():
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f"{pages * size / 2**30:.0f} GiB"
    except (ValueError, OSError):
        return None

def c_duckdb():
    try:
        return subprocess.run(["pkg-config", "--modversion", "duckdb"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None

command, swift_command, python_command, warmup, rounds = sys.argv[1:6]
print(json.dumps({"meta": {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cores": os.cpu_count(), "cpu": cpu_model(), "memory": memory(),
    "duckdb": c_duckdb(), "duckdb_python": duckdb.__version__, "sqlalchemy": sqlalchemy.__version__,
    "command": command, "swift_command": swift_command, "python_command": python_command,
    "warmup": float(warmup), "rounds": int(rounds),
}}))
PY

echo "duckpool bench: $modes x $workloads x workers $workers, ${duration}s per cell in $rounds rounds, ${warmup}s warm-up each" >&2
"$duckpool" bench --db "$db" --json --mode "$modes" --workload "$workloads" --workers "$workers" \
  --duration "$duration" --warmup "$warmup" --rounds "$rounds" | tee -a "$partial"
echo "python-seed-pool: $workloads x workers $workers, ${warmup}s + ${duration}s per cell" >&2
"$python" comparisons/peers/bench_peer.py --db "$db" --workload "$workloads" --workers "$workers" \
  --duration "$duration" --warmup "$warmup" --json | tee -a "$partial"
mv "$partial" "$results"

"$python" comparisons/report.py "$results" --doc "$doc" --images "$images"
echo "results: $results" >&2
