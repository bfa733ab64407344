"""Runs the `duckpool bench` workloads against the seed's Python pool (`seed_pool.py`).

Same database file, same workloads and parameters, same numbers of worker threads as the Swift
`duckpool bench`; a fixed warm-up and measured duration per cell. Prints one line per
(mode, workload, workers), a JSON object with `--json`:

  python bench_peer.py --db stock_kline.duckdb --workload seed,point --workers 1,10 \
      --duration 10 --warmup 2 --json

Counting: `queries` are the queries that succeeded in the measured window, `errors` those that
failed there (the seed's `execute_query` hides a failure behind an empty DataFrame; the pool
records the swallowed exception and the driver counts it), `qps` is `queries / duration_s`.
Latency is one `execute_query` / `execute_command` call as its caller sees it: checkout, execute,
fetch the whole result as a DataFrame, check-in. Percentiles are nearest-rank over the measured
calls that succeeded. `acquire_*` is the time of `QueuePool.connect()` alone.

Extra keys, for the Python peer only, over the whole cell (warm-up included): `connect_attempts`
(calls of the pool's `creator`), `connections_opened` (those that succeeded),
`connections_per_query` (connect attempts per call), `invalidations`, `reset_failures`; and
`error_kinds`, the most frequent swallowed exceptions of the measured window with their counts.

Logging: the pool's and SQLAlchemy's records are counted, not formatted or printed (the seed's
loguru default would print each one to stderr; skipping that favours the peer).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_pool import SeedDuckDBPool  # noqa: E402

MODE = "python-seed-pool"
WORKLOADS = ("seed", "point", "range", "factor", "mixed")

SEED_SQL = "SELECT * FROM stock_kline LIMIT 10"
POINT_SQL = "SELECT * FROM stock_kline WHERE symbol = ? AND trade_date = ?"
RANGE_SQL = (
    "SELECT trade_date, open, high, low, close, volume FROM stock_kline "
    "WHERE symbol = ? AND trade_date BETWEEN ? AND ? ORDER BY trade_date"
)
FACTOR_SQL = """
WITH w AS (
  SELECT symbol, trade_date, close,
         avg(close) OVER (PARTITION BY symbol ORDER BY trade_date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma20,
         close / lag(close) OVER (PARTITION BY symbol ORDER BY trade_date) - 1 AS daily_return
  FROM stock_kline WHERE trade_date >= ?)
SELECT symbol, avg(daily_return) AS avg_return, stddev_samp(daily_return) AS volatility,
       arg_max(ma20, trade_date) AS last_ma20
FROM w GROUP BY symbol ORDER BY symbol
"""
WRITE_SQL = "INSERT INTO bench_writes VALUES (?, ?, ?, ?)"
RANGE_WINDOW = 250
FACTOR_LOOKBACK = 120


class CountingLogHandler(logging.Handler):
    """Counts log records by (logger, level) without formatting them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.counts: Counter = Counter()
        self._counts_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._counts_lock:
            self.counts[(record.name, record.levelname)] += 1

    def take(self, name: str, level: str) -> int:
        with self._counts_lock:
            return self.counts.pop((name, level), 0)


@dataclass
class Catalog:
    """The distinct symbols and trading dates, loaded once at startup."""

    symbols: List[str]
    dates: List[Any]


def load_catalog(db: str) -> Catalog:
    conn = duckdb.connect(db)
    try:
        symbols = [row[0] for row in conn.execute("SELECT DISTINCT symbol FROM stock_kline ORDER BY symbol").fetchall()]
        dates = [row[0] for row in conn.execute("SELECT DISTINCT trade_date FROM stock_kline ORDER BY trade_date").fetchall()]
    finally:
        conn.close()
    if not symbols or len(dates) < max(RANGE_WINDOW, FACTOR_LOOKBACK + 1):
        raise SystemExit(f"{db}: stock_kline has {len(symbols)} symbols and {len(dates)} dates; generate it first")
    return Catalog(symbols, dates)


def prepare_writes_table(db: str) -> None:
    conn = duckdb.connect(db)
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_writes (worker INTEGER, seq BIGINT, symbol VARCHAR, value DOUBLE)")
        conn.execute("DELETE FROM bench_writes")
    finally:
        conn.close()


# One query of a workload: (pool, catalog, rng, worker index, query number) -> call result.
Step = Callable[[SeedDuckDBPool, Catalog, random.Random, int, int], Any]


def point_step(pool: SeedDuckDBPool, cat: Catalog, rng: random.Random, worker: int, i: int) -> Any:
    return pool.execute_query(POINT_SQL, [rng.choice(cat.symbols), rng.choice(cat.dates)])


def seed_step(pool: SeedDuckDBPool, cat: Catalog, rng: random.Random, worker: int, i: int) -> Any:
    return pool.execute_query(SEED_SQL)


def range_step(pool: SeedDuckDBPool, cat: Catalog, rng: random.Random, worker: int, i: int) -> Any:
    symbol = rng.choice(cat.symbols)
    first = rng.randrange(len(cat.dates) - RANGE_WINDOW + 1)
    return pool.execute_query(RANGE_SQL, [symbol, cat.dates[first], cat.dates[first + RANGE_WINDOW - 1]])


def factor_step(pool: SeedDuckDBPool, cat: Catalog, rng: random.Random, worker: int, i: int) -> Any:
    return pool.execute_query(FACTOR_SQL, [cat.dates[-1 - FACTOR_LOOKBACK]])


def mixed_step(pool: SeedDuckDBPool, cat: Catalog, rng: random.Random, worker: int, i: int) -> Any:
    if i % 10 == 9:
        return pool.execute_command(WRITE_SQL, [worker, i, rng.choice(cat.symbols), rng.random()])
    return point_step(pool, cat, rng, worker, i)


STEPS = {"seed": seed_step, "point": point_step, "range": range_step, "factor": factor_step, "mixed": mixed_step}


@dataclass
class WorkerRecord:
    """What one worker thread saw: measured latencies and checkout times, and its counts."""

    latencies_ns: List[int] = field(default_factory=list)
    acquires_ns: List[int] = field(default_factory=list)
    errors: int = 0
    error_kinds: Counter = field(default_factory=Counter)
    calls: int = 0
    last_finish: float = 0.0
    crash: Optional[BaseException] = None


def run_worker(
    pool: SeedDuckDBPool,
    cat: Catalog,
    step: Step,
    worker: int,
    start: threading.Barrier,
    stop: threading.Event,
    measure_from: List[float],
    record: WorkerRecord,
) -> None:
    rng = random.Random(worker)
    try:
        start.wait()
        i = 0
        while not stop.is_set():
            began = time.perf_counter_ns()
            step(pool, cat, rng, worker, i)
            ended = time.perf_counter_ns()
            record.calls += 1
            i += 1
            if began / 1e9 >= measure_from[0]:
                record.last_finish = ended / 1e9
                error = pool.last_error()
                if error is not None:
                    record.errors += 1
                    record.error_kinds[f"{type(error).__name__}: {str(error)[:160]}"] += 1
                else:
                    record.latencies_ns.append(ended - began)
                acquire = pool.last_acquire_seconds()
                if acquire is not None:
                    record.acquires_ns.append(int(acquire * 1e9))
    except BaseException as crash:  # reported by the main thread
        record.crash = crash


def percentile_us(sorted_ns: List[int], fraction: float) -> float:
    if not sorted_ns:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_ns)))
    return round(sorted_ns[rank - 1] / 1000.0, 1)


def run_cell(db: str, cat: Catalog, workload: str, workers: int, duration: float, warmup: float, logs: CountingLogHandler) -> dict:
    if workload == "mixed":
        prepare_writes_table(db)
    pool = SeedDuckDBPool(db)
    step = STEPS[workload]
    start = threading.Barrier(workers + 1)
    stop = threading.Event()
    measure_from = [math.inf]
    records = [WorkerRecord() for _ in range(workers)]
    threads = [
        threading.Thread(target=run_worker, args=(pool, cat, step, w, start, stop, measure_from, records[w]), daemon=True)
        for w in range(workers)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    measure_from[0] = time.perf_counter() + warmup
    time.sleep(warmup + duration)
    stop.set()
    for thread in threads:
        thread.join()
    pool.dispose()
    for record in records:
        if record.crash is not None:
            raise record.crash

    latencies = sorted(ns for r in records for ns in r.latencies_ns)
    acquires = sorted(ns for r in records for ns in r.acquires_ns)
    errors = sum(r.errors for r in records)
    calls = sum(r.calls for r in records)
    error_kinds = sum((r.error_kinds for r in records), Counter())
    elapsed = max([r.last_finish for r in records if r.last_finish] or [measure_from[0] + duration]) - measure_from[0]
    counters = pool.counters()
    return {
        "impl": "python",
        "mode": MODE,
        "workload": workload,
        "workers": workers,
        "duration_s": round(elapsed, 3),
        "queries": len(latencies),
        "errors": errors,
        "qps": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_us": percentile_us(latencies, 0.50),
        "p95_us": percentile_us(latencies, 0.95),
        "p99_us": percentile_us(latencies, 0.99),
        "acquire_p50_us": percentile_us(acquires, 0.50),
        "acquire_p99_us": percentile_us(acquires, 0.99),
        "connect_attempts": counters["connect_attempts"],
        "connections_opened": counters["connections_opened"],
        "connections_per_query": round(counters["connect_attempts"] / calls, 3) if calls else 0.0,
        "invalidations": counters["invalidations"],
        "reset_failures": logs.take("sqlalchemy.pool.impl.QueuePool", "ERROR"),
        "error_kinds": dict(error_kinds.most_common(3)),
    }


def comma_list(text: str) -> List[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The duckpool bench workloads against the seed's Python pool.")
    parser.add_argument("--db", required=True, help="stock_kline database file (as made by `duckpool generate`)")
    parser.add_argument("--workload", default=",".join(WORKLOADS), help="comma-separated: " + ",".join(WORKLOADS))
    parser.add_argument("--workers", default="1,2,4,10,16", help="comma-separated worker thread counts")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each cell")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args()
    args.workload = comma_list(args.workload)
    unknown = [w for w in args.workload if w not in STEPS]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    try:
        args.workers = [int(w) for w in comma_list(args.workers)]
    except ValueError:
        parser.error("--workers takes integers, e.g. 1,4,10")
    if not args.workers or min(args.workers) < 1:
        parser.error("--workers takes positive integers")
    if args.duration <= 0 or args.warmup < 0:
        parser.error("--duration must be positive and --warmup not negative")
    return args


def main() -> None:
    args = parse_arguments()
    logs = CountingLogHandler()
    root = logging.getLogger()
    root.handlers[:] = [logs]
    root.setLevel(logging.INFO)
    cat = load_catalog(args.db)
    for workload in args.workload:
        for workers in args.workers:
            line = run_cell(args.db, cat, workload, workers, args.duration, args.warmup, logs)
            if args.json:
                print(json.dumps(line), flush=True)
            else:
                print(
                    f"{MODE:18} {workload:7} workers={workers:<3} qps={line['qps']:>9.1f} "
                    f"p50={line['p50_us']:.0f}us p95={line['p95_us']:.0f}us p99={line['p99_us']:.0f}us "
                    f"errors={line['errors']} connections/query={line['connections_per_query']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
