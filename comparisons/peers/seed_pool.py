"""The seed's Python DuckDB pool, re-implemented for measurement.

The seed proposes a DuckDB pool built on SQLAlchemy's `QueuePool`: a `creator` that calls
`duckdb.connect(path)`, 5 pooled connections plus 10 overflow, a 30 s checkout timeout, recycling
after an hour, pre-ping, LIFO reuse and `reset_on_return="rollback"`, a scoped `get_connection()`
context manager, and `execute_query` / `execute_command` helpers that connect, execute, fetch a
DataFrame (or report a bool) and close. This module follows that design and call pattern so that
`bench_peer.py` can measure it against DuckPool. It keeps the seed's behaviour, flaws included:

- DuckDB refuses `ROLLBACK` outside a transaction, so every check-in's reset raises. SQLAlchemy
  logs "Exception during reset or similar" and invalidates the connection: the pool keeps no
  connection, every query opens a new one, and when no other connection to the file is open,
  DuckDB closes and reopens the whole database.
- Because every connection is fresh, pre-ping never runs (without a dialect it could not).
- `execute_query` turns any failure into an empty DataFrame, `execute_command` into `False`.
- `recreate()` discards the pool that `QueuePool.recreate()` returns; `dispose(False)` passes an
  argument `QueuePool.dispose()` does not take. Both only log.

Added for measurement, without changing behaviour: counters of connections tried, opened and
invalidated and swallowed exceptions, the last swallowed exception and the last checkout time of
the calling thread. The seed logs with loguru; this module uses the standard `logging` module at
the same levels, and leaves handlers to the program that runs it.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Sequence

import duckdb
import pandas as pd
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

log = logging.getLogger("seed_pool")


class SeedDuckDBPool:
    """A DuckDB connection pool on SQLAlchemy's QueuePool, as the seed designs it.

    Thread-safe as far as QueuePool is: each thread checks out its own connection.
    """

    def __init__(
        self,
        db_path: str,
        pool_size: int = 5,
        max_overflow: int = 10,
        timeout: float = 30.0,
        pool_recycle: int = 3600,
        pool_pre_ping: bool = True,
    ) -> None:
        self.db_path = db_path
        self._counters_lock = threading.Lock()
        self._thread = threading.local()
        self._connect_attempts = 0
        self._connections_opened = 0
        self._invalidations = 0
        self._swallowed_errors = 0
        self.pool = QueuePool(
            creator=self._create_connection,
            pool_size=pool_size,
            max_overflow=max_overflow,
            timeout=timeout,
            recycle=pool_recycle,
            pre_ping=pool_pre_ping,
            use_lifo=True,
            echo=False,
            reset_on_return="rollback",
        )
        event.listen(self.pool, "invalidate", self._on_invalidate)
        log.info(
            "DuckDB pool ready: pool_size=%s, max_overflow=%s, db_path=%s",
            pool_size,
            max_overflow,
            db_path,
        )

    # The pool's connection factory: one new DuckDB connection per call.
    def _create_connection(self) -> duckdb.DuckDBPyConnection:
        with self._counters_lock:
            self._connect_attempts += 1
        try:
            conn = duckdb.connect(self.db_path, read_only=False)
            with self._counters_lock:
                self._connections_opened += 1
            log.debug("opened a DuckDB connection to %s", self.db_path)
            return conn
        except Exception as error:
            log.error("could not open a DuckDB connection: %s", error)
            raise

    def _on_invalidate(self, dbapi_connection: Any, record: Any, exception: Any) -> None:
        with self._counters_lock:
            self._invalidations += 1

    def _swallow(self, error: Exception) -> None:
        self._thread.last_error = error
        with self._counters_lock:
            self._swallowed_errors += 1

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        """Checks a connection out for the `with` block and returns it to the pool afterwards."""
        conn = None
        self._thread.last_acquire_seconds = None
        try:
            started = time.perf_counter()
            conn = self.pool.connect()
            self._thread.last_acquire_seconds = time.perf_counter() - started
            log.debug("checked a connection out of the pool")
            yield conn
        except Exception as error:
            log.error("error while using a connection: %s", error)
            raise
        finally:
            if conn is not None:
                try:
                    conn.close()  # back to the pool (which then resets, fails and discards it)
                    log.debug("returned a connection to the pool")
                except Exception as error:
                    log.warning("could not return a connection to the pool: %s", error)

    def execute_query(self, sql: str, params: Optional[Sequence[Any]] = None) -> pd.DataFrame:
        """Runs a query and returns its rows as a DataFrame; any failure gives an empty one."""
        self._thread.last_error = None
        try:
            with self.get_connection() as conn:
                if params:
                    return conn.execute(sql, params).fetchdf()
                return conn.execute(sql).fetchdf()
        except Exception as error:
            log.error("query failed: %s", error)
            self._swallow(error)
            return pd.DataFrame()

    def execute_command(self, sql: str, params: Optional[Sequence[Any]] = None) -> bool:
        """Runs a statement (INSERT, UPDATE, DELETE...); returns whether it succeeded."""
        self._thread.last_error = None
        try:
            with self.get_connection() as conn:
                if params:
                    conn.execute(sql, params)
                else:
                    conn.execute(sql)
                return True
        except Exception as error:
            log.error("command failed: %s", error)
            self._swallow(error)
            return False

    def status(self) -> dict:
        """The pool's own status line and counts (the seed's `get_pool_status`)."""
        try:
            return {
                "status": self.pool.status(),
                "pool_size": self.pool.size(),
                "checked_out": self.pool.checkedout(),
                "overflow": self.pool.overflow(),
                "checked_in": self.pool.checkedin(),
            }
        except Exception as error:
            log.error("could not read the pool status: %s", error)
            return {}

    def dispose(self, close_connections: bool = True) -> None:
        """Closes the pooled connections (`close_connections=False` fails and only logs, as in the seed)."""
        try:
            if close_connections:
                self.pool.dispose()
                log.info("pool disposed, connections closed")
            else:
                self.pool.dispose(_close=False)  # type: ignore[call-arg]
                log.info("pool released without closing connections")
        except Exception as error:
            log.error("could not dispose of the pool: %s", error)

    def recreate(self) -> None:
        """Asks QueuePool for a new pool and, as in the seed, keeps the old one."""
        try:
            self.pool.recreate()
            log.info("pool recreated")
        except Exception as error:
            log.error("could not recreate the pool: %s", error)

    # Measurement hooks: read by bench_peer.py, no effect on the pool.

    def last_error(self) -> Optional[Exception]:
        """The exception the calling thread's last execute_query/execute_command swallowed, if any."""
        return getattr(self._thread, "last_error", None)

    def last_acquire_seconds(self) -> Optional[float]:
        """How long the calling thread's last checkout took (None when it failed)."""
        return getattr(self._thread, "last_acquire_seconds", None)

    def counters(self) -> dict:
        """Connections tried, opened and invalidated, and exceptions swallowed, since the pool was made."""
        with self._counters_lock:
            return {
                "connect_attempts": self._connect_attempts,
                "connections_opened": self._connections_opened,
                "invalidations": self._invalidations,
                "swallowed_errors": self._swallowed_errors,
            }
