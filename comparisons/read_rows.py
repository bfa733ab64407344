"""Reads N stock_kline rows with DuckDB Python's fetchall() and reports rows/s (best of R).

The Python half of `comparisons/read-vs-python.sh`; prints one JSON object.
"""
import json
import sys
import time

import duckdb


def main() -> None:
    path, rows, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    con = duckdb.connect(path, read_only=True)
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = con.execute(f"SELECT * FROM stock_kline LIMIT {rows}").fetchall()
        best = min(best, time.perf_counter() - started)
        count = len(result)
    print(json.dumps({"impl": "python-fetchall", "rows": count, "seconds": best, "rows_per_s": int(count / best)}))


if __name__ == "__main__":
    main()
