"""Loads the rows of a Parquet file into a fresh stock_kline table (with its primary key) through
DuckDB Python's fastest pandas path, `INSERT INTO stock_kline SELECT * FROM df`, and reports
rows/s (best of R). The DataFrame is built before timing; the timed part is the INSERT with its
commit (autocommit), into a new database file each time.

The pandas half of `comparisons/bulk-vs-pandas.sh`; prints one JSON object.
    bulk_pandas.py ROWS.parquet DB_PATH [REPEAT] [--no-primary-key]
"""
import json
import os
import sys
import time

import duckdb

CREATE_TABLE = """
CREATE TABLE stock_kline (
    symbol     VARCHAR NOT NULL,
    trade_date DATE    NOT NULL,
    open       DOUBLE  NOT NULL,
    high       DOUBLE  NOT NULL,
    low        DOUBLE  NOT NULL,
    close      DOUBLE  NOT NULL,
    volume     BIGINT  NOT NULL,
    amount     DOUBLE  NOT NULL,
    PRIMARY KEY (symbol, trade_date)
)
"""


def remove(path: str) -> None:
    for file in (path, path + ".wal"):
        if os.path.exists(file):
            os.remove(file)


def main() -> None:
    parquet, path = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    create = CREATE_TABLE
    if "--no-primary-key" in sys.argv[4:]:
        create = create.replace("NOT NULL,\n    PRIMARY KEY (symbol, trade_date)", "NOT NULL")
    df = duckdb.sql(f"SELECT * FROM read_parquet('{parquet}')").df()  # noqa: F841 (used by the INSERT)
    best = float("inf")
    for _ in range(repeat):
        remove(path)
        con = duckdb.connect(path)
        con.execute(create)
        started = time.perf_counter()
        con.execute("INSERT INTO stock_kline SELECT * FROM df")
        best = min(best, time.perf_counter() - started)
        loaded = con.execute("SELECT count(*) FROM stock_kline").fetchone()[0]
        con.close()
    remove(path)
    print(json.dumps({"impl": "python-pandas-insert", "rows": loaded, "seconds": best,
                      "rows_per_s": int(loaded / best), "pandas_dtypes": {k: str(v) for k, v in df.dtypes.items()}}))


if __name__ == "__main__":
    main()
