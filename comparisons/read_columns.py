"""Reads a whole stock_kline table (all 8 columns) with DuckDB Python's fetchnumpy() and .df()
and reports rows/s, best and median of R timed runs after W untimed ones, for each.

The Python half of `comparisons/columns-vs-python.sh`; prints one JSON object per method. The
timed region is `con.execute(sql).fetchnumpy()` (or `.df()`): the query and the conversion, the
same region `duckpool bench-columns` times for `connection.queryColumns(sql)`.
"""
import json
import statistics
import sys
import time

import duckdb


def bench(con, sql: str, method: str, repeat: int, warmup: int) -> dict:
    def run():
        relation = con.execute(sql)
        return relation.fetchnumpy() if method == "fetchnumpy" else relation.df()

    for _ in range(warmup):
        run()
    times, result = [], None
    for _ in range(repeat):
        result = None  # free the previous result outside the timed region
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    rows = len(result["close"])
    best, median = min(times), statistics.median(times)
    return {
        "impl": f"python-{method}",
        "rows": rows,
        "columns": len(result.keys()) if method == "fetchnumpy" else len(result.columns),
        "repeat": repeat,
        "best_seconds": best,
        "median_seconds": median,
        "rows_per_s": int(rows / best),
        "median_rows_per_s": int(rows / median),
        "close_sum": float(result["close"].sum()),
    }


def main() -> None:
    path, repeat = sys.argv[1], int(sys.argv[2])
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    con = duckdb.connect(path, read_only=True)
    sql = "SELECT * FROM stock_kline"
    for method in ("fetchnumpy", "df"):
        print(json.dumps(bench(con, sql, method, repeat, warmup)), flush=True)


if __name__ == "__main__":
    main()
