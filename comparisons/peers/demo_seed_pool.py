"""Act 3 of `duckpool demo`: FactorWeave's three queries through the seed's Python pool.

`duckpool demo` runs this with the venv of `setup-venv.sh` when that venv exists:

  python demo_seed_pool.py --db /tmp/duckpool-demo.duckdb --symbols 500 --days 2500 \
      --threads 16 --iterations 300 --seconds 8

The workload is the demo's (acts 1 and 2): query i of thread t is, by (t + i) % 3,
`SELECT * FROM stock_kline LIMIT 10` (10 rows expected), `SELECT count(*) FROM stock_kline`
(symbols x days), or `SELECT * FROM stock_kline WHERE symbol = ?` for symbol i % symbols (days
rows), each one call of the seed's `execute_query` (checkout, execute, fetchdf, check-in). A
thread stops after --iterations queries or once --seconds have passed, whichever comes first.

Prints one JSON object on one line:
  threads, planned (threads x iterations), queries (calls made), correct (results that passed
  their check), errors (calls whose exception `execute_query` swallowed), wrong (results that
  failed their check without an exception), seconds, qps (correct / seconds), stopped_by_time,
  connect_attempts and connections_opened (calls of the pool's creator, and those that
  succeeded), connections_per_query (connections opened / queries), invalidations,
  reset_failures (SQLAlchemy's "Exception during reset" records), error_kinds (the most
  frequent swallowed exceptions).
Exits 2 and prints {"error": ...} when a module is missing (an incomplete venv).
Logging is counted, not printed (as in bench_peer.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from bench_peer import CountingLogHandler  # noqa: E402
    from seed_pool import SeedDuckDBPool  # noqa: E402
except ImportError as missing:
    print(json.dumps({"error": f"missing module: {missing}"}), flush=True)
    sys.exit(2)

FIRST_ROWS_SQL = "SELECT * FROM stock_kline LIMIT 10"
COUNT_SQL = "SELECT count(*) FROM stock_kline"
SYMBOL_SQL = "SELECT * FROM stock_kline WHERE symbol = ?"


def run_thread(pool, args, thread, deadline, start, tally, lock):
    mine = Counter()
    kinds = Counter()
    start.wait()
    for i in range(args.iterations):
        if time.perf_counter() >= deadline[0]:
            mine["stopped_by_time"] = 1
            break
        kind = (thread + i) % 3
        if kind == 0:
            df, expected = pool.execute_query(FIRST_ROWS_SQL), 10
            got = len(df)
        elif kind == 1:
            df, expected = pool.execute_query(COUNT_SQL), args.symbols * args.days
            got = int(df.iloc[0, 0]) if len(df) == 1 else -1
        else:
            df, expected = pool.execute_query(SYMBOL_SQL, [f"{i % args.symbols:06d}"]), args.days
            got = len(df)
        mine["queries"] += 1
        error = pool.last_error()
        if error is not None:
            mine["errors"] += 1
            text = str(error)
            kinds[f"{type(error).__name__}: {text[:160]}{'…' if len(text) > 160 else ''}"] += 1
        elif got != expected:
            mine["wrong"] += 1
            kinds[f"wrong result: {got} instead of {expected}"] += 1
        else:
            mine["correct"] += 1
    with lock:
        tally["counts"] += mine
        tally["kinds"] += kinds


def main() -> None:
    parser = argparse.ArgumentParser(description="The demo's workload through the seed's Python pool.")
    parser.add_argument("--db", required=True, help="stock_kline database file (as `duckpool demo` made it)")
    parser.add_argument("--symbols", type=int, required=True, help="symbols in stock_kline")
    parser.add_argument("--days", type=int, required=True, help="trading days per symbol")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=300, help="queries per thread at most")
    parser.add_argument("--seconds", type=float, default=8.0, help="time limit of the run")
    args = parser.parse_args()

    logs = CountingLogHandler()
    root = logging.getLogger()
    root.handlers[:] = [logs]
    root.setLevel(logging.INFO)

    pool = SeedDuckDBPool(args.db)  # the seed's sizes: 5 kept, 10 overflow, 30 s timeout
    tally = {"counts": Counter(), "kinds": Counter()}
    lock = threading.Lock()
    start = threading.Barrier(args.threads + 1)
    deadline = [0.0]  # set just before the threads are let go
    threads = [
        threading.Thread(target=run_thread, args=(pool, args, t, deadline, start, tally, lock), daemon=True)
        for t in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + args.seconds
    start.wait()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    pool.dispose()

    counts, counters = tally["counts"], pool.counters()
    queries = counts["queries"]
    print(json.dumps({
        "threads": args.threads,
        "planned": args.threads * args.iterations,
        "queries": queries,
        "correct": counts["correct"],
        "errors": counts["errors"],
        "wrong": counts["wrong"],
        "seconds": round(seconds, 3),
        "qps": round(counts["correct"] / seconds, 1) if seconds > 0 else 0.0,
        "stopped_by_time": counts["stopped_by_time"] > 0,
        "connect_attempts": counters["connect_attempts"],
        "connections_opened": counters["connections_opened"],
        "connections_per_query": round(counters["connections_opened"] / queries, 3) if queries else 0.0,
        "invalidations": counters["invalidations"],
        "reset_failures": logs.take("sqlalchemy.pool.impl.QueuePool", "ERROR"),
        "error_kinds": dict(tally["kinds"].most_common(3)),
    }), flush=True)


if __name__ == "__main__":
    main()
