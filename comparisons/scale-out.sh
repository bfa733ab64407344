#!/usr/bin/env bash
# The scale-out benchmark, in one run: the same reads and transaction increments through
# `duckpool remote-worker` processes on three targets, back to back:
#   local   one process with a pool on a DuckDB file (the baseline);
#   quack   `duckpool serve` owning a file, 1 and 4 client processes;
#   lake    a DuckLake on a PostgreSQL server started here (loopback, its own data directory),
#           1 and 4 writer processes.
# Per cell: read qps (8 tasks per process, a point read of two counters), commits per second and
# commit latency p50/p99 (1 task per process, whole transaction(retry:) calls of two updates),
# and the Quack overhead per query (1 task, 1 process, against local). Writes JSON lines to
# comparisons/results/scale-out-<time>.jsonl, prints a Markdown table, and draws
# docs/images/scale-out.png with the peer venv's matplotlib.
#   comparisons/scale-out.sh [reads per task] [increments per process]
# Run through make or scripts/with-duckdb (the library and the extensions must be installed).
set -euo pipefail
cd "$(dirname "$0")/.."
reads="${1:-400}" increments="${2:-60}"
work="$(mktemp -d "${TMPDIR:-/tmp}/duckpool-scale-out.XXXXXX")"
results="comparisons/results/scale-out-$(date -u +%Y-%m-%dT%H%MZ).jsonl"
mkdir -p comparisons/results
swift build -c release --product duckpool ${DUCKPOOL_SWIFT_FLAGS:-} >&2
duckpool="$PWD/.build/release/duckpool"
pg_pid="" serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

schema="CREATE TABLE debits (id INTEGER, n BIGINT); INSERT INTO debits VALUES (1, 0);
CREATE TABLE credits (id INTEGER, n BIGINT); INSERT INTO credits VALUES (1, 0);
CREATE TABLE acks (worker INTEGER, task INTEGER, seq INTEGER);"
python="$(comparisons/peers/setup-venv.sh)"
make_file() { "$python" -c 'import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute(sys.argv[2]); c.close()' "$1" "$schema"; }

# Runs N worker processes with the given arguments at once; prints one JSON line for the cell.
cell() {
  local target="$1" processes="$2" kind="$3"; shift 3
  local pids=() i
  for i in $(seq 0 $((processes - 1))); do
    "$duckpool" remote-worker --worker "$i" "$@" >"$work/out.$i" 2>"$work/err.$i" & pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { cat "$work/err.$i" >&2; echo "worker $i failed" >&2; exit 1; }; done
  "$python" - "$target" "$processes" "$kind" "$work" <<'PY'
import json, statistics, sys
target, processes, kind, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
reports = [json.loads(open(f"{work}/out.{i}").read().strip().splitlines()[-1]) for i in range(processes)]
seconds = max(r["seconds"] for r in reports)
row = {"target": target, "processes": processes, "kind": kind, "seconds": round(seconds, 3),
       "errors": sum(sum(r["errors"].values()) for r in reports), "torn": sum(r["torn"] for r in reports)}
if kind == "commits":
    row["commits_per_s"] = round(sum(r["increments"] for r in reports) / seconds, 1)
    row["commit_p50_ms"] = round(statistics.median(r["commitP50Milliseconds"] for r in reports), 2)
    row["commit_p99_ms"] = round(max(r["commitP99Milliseconds"] for r in reports), 2)
else:
    row["reads_per_s"] = round(sum(r["reads"] for r in reports) / seconds, 1)
    if kind == "latency":
        row["ms_per_read"] = round(1000 * seconds / max(1, reports[0]["reads"]), 3)
print(json.dumps(row))
PY
}

run_target() {
  local target="$1"; shift
  echo "== $target" >&2
  cell "$target" 1 latency "$@" --tasks 1 --reads "$reads"
  for p in 1 4; do
    cell "$target" "$p" reads "$@" --tasks 8 --reads "$reads"
    cell "$target" "$p" commits "$@" --tasks 1 --increments "$increments"
  done
}

: >"$results.partial"
# local: one process at a time (DuckDB lets one process write a file).
make_file "$work/local.duckdb"
{
  echo "== local" >&2
  cell local 1 latency --db "$work/local.duckdb" --tasks 1 --reads "$reads"
  cell local 1 reads --db "$work/local.duckdb" --tasks 8 --reads "$reads"
  cell local 1 commits --db "$work/local.duckdb" --tasks 1 --increments "$increments"
} >>"$results.partial"

# quack: duckpool serve on a free loopback port.
make_file "$work/served.duckdb"
printf 'bench-token-%s\n' "$RANDOM$RANDOM" >"$work/token"; chmod 600 "$work/token"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$duckpool" serve --db "$work/served.duckdb" --listen "127.0.0.1:$port" --token-file "$work/token" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
until grep -q '^ready ' "$work/serve.out"; do kill -0 "$serve_pid" || { cat "$work/serve.err" >&2; exit 1; }; sleep 0.1; done
run_target quack --quack "127.0.0.1:$port" --token-file "$work/token" >>"$results.partial"
kill "$serve_pid"; wait "$serve_pid" || true; serve_pid=""

# lake: PostgreSQL from Debian's packages, as the tests start it.
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg=(); [ "$(id -u)" -eq 0 ] && { chown -R postgres "$work"; as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups); }
"${as_pg[@]}" "$bin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
pg_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${as_pg[@]}" "$bin/postgres" -D "$work/pg" -p "$pg_port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$work" >"$work/pg.log" 2>&1 &
pg_pid=$!
until grep -q 'ready to accept connections' "$work/pg.log"; do kill -0 "$pg_pid" || { cat "$work/pg.log" >&2; exit 1; }; sleep 0.1; done
"${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres lake
dsn="dbname=lake host=127.0.0.1 port=$pg_port user=postgres"
mkdir -p "$work/lake"; [ "$(id -u)" -eq 0 ] && chown postgres "$work/lake"
"$python" - "$dsn" "$work/lake/" "$schema" "$(scripts/install-extensions.sh --dir)" <<'PY'
import duckdb, sys
dsn, data, schema, extensions = sys.argv[1:5]
c = duckdb.connect(config={"extension_directory": extensions, "autoinstall_known_extensions": False})
c.execute("LOAD ducklake"); c.execute("LOAD postgres")
c.execute(f"ATTACH 'ducklake:postgres:{dsn}' AS lake (DATA_PATH '{data}')"); c.execute("USE lake"); c.execute(schema)
PY
run_target lake --lake-postgres "$dsn" --lake-data "$work/lake/" >>"$results.partial"

mv "$results.partial" "$results"
echo "results: $results" >&2
"$python" comparisons/scale_out_report.py "$results" docs/images/scale-out.png
