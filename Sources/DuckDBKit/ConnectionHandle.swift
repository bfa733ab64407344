internal import CDuckDB
import DuckPoolSupport
import Synchronization

/// Owns one `duckdb_connection` and frees it exactly once.
///
/// Shared between a ``Connection`` (which runs statements) and its ``InterruptHandle``s (which
/// may fire from any thread). `duckdb_interrupt` and `duckdb_query_progress` are thread-safe in
/// DuckDB; the lock only makes sure they never race with `duckdb_disconnect`.
final class ConnectionHandle: Sendable {
    // The raw pointer is only dereferenced by DuckDB. Statement execution happens on the one
    // thread that owns the Connection (guarded by Connection's usage flag); interrupt, progress
    // and disconnect take the lock, so disconnect never frees it while they run.
    nonisolated(unsafe) let raw: duckdb_connection
    private let isOpen = LockedValue(true)
    /// Set by `interrupt()`, consumed by the next statement check. DuckDB clears its own
    /// interrupt flag when a query starts, so an interrupt that lands just before a query
    /// starts would be lost; this flag is checked after the start, so it never is.
    private let interruptRequested = Atomic(false)
    private let progressTracking = Atomic(false)

    /// True once the connection ran the `SET`s that make DuckDB track query progress.
    var isProgressTrackingEnabled: Bool {
        get { progressTracking.load(ordering: .relaxed) }
        set { progressTracking.store(newValue, ordering: .relaxed) }
    }

    init(raw: duckdb_connection) { self.raw = raw }

    /// Records an interrupt request and interrupts the running query, as one step with respect
    /// to ``startQuery(_:)``: a request lands either before a query starts (and is applied to
    /// it) or while it runs (and DuckDB stops it), never in between.
    func interrupt() {
        isOpen.withLock { open in
            interruptRequested.store(true, ordering: .relaxed)
            if open { duckdb_interrupt(raw) }
        }
    }

    /// Starts a query with `start` (which makes DuckDB clear its own interrupt flag) and applies
    /// a request made before it.
    func startQuery(_ start: () -> duckdb_state) -> duckdb_state {
        isOpen.withLock { open in
            let state = start()
            if interruptRequested.exchange(false, ordering: .relaxed), open, state == DuckDBSuccess {
                duckdb_interrupt(raw)
            }
            return state
        }
    }

    /// Forgets requests made while the finished query ran (they were honoured), or meant for a
    /// previous pool lease.
    func clearInterruptRequest() {
        isOpen.withLock { _ in interruptRequested.store(false, ordering: .relaxed) }
    }

    func progress() -> QueryProgress? {
        isOpen.withLock { open -> QueryProgress? in
            guard open else { return nil }
            let value = duckdb_query_progress(raw)
            guard value.percentage >= 0 else { return nil }
            return QueryProgress(
                percentage: value.percentage,
                rowsProcessed: value.rows_processed,
                totalRowsToProcess: value.total_rows_to_process
            )
        }
    }

    var isClosed: Bool { isOpen.withLock { !$0 } }

    func disconnect() {
        isOpen.withLock { open in
            guard open else { return }
            var connection: duckdb_connection? = raw
            duckdb_disconnect(&connection)
            open = false
        }
    }

    deinit { disconnect() }
}

/// The progress of the query running on a connection, as DuckDB estimates it.
///
/// DuckDB estimates only on connections with progress tracking on
/// (``Connection/enableProgressTracking()``); watch a query with
/// ``Connection/withProgress(every:onProgress:_:)`` or a ``QueryProgressSampler``.
public struct QueryProgress: Sendable, Hashable {
    /// 0 to 100.
    public var percentage: Double
    /// Rows (of the sources DuckDB can count) processed so far.
    public var rowsProcessed: UInt64
    /// Rows DuckDB expects to process in all.
    public var totalRowsToProcess: UInt64

    /// Creates a value (for tests and test doubles).
    public init(percentage: Double, rowsProcessed: UInt64, totalRowsToProcess: UInt64) {
        self.percentage = percentage
        self.rowsProcessed = rowsProcessed
        self.totalRowsToProcess = totalRowsToProcess
    }
}

/// Interrupts, or watches, the query running on one ``Connection``, from any thread.
///
/// **Thread-safety:** `Sendable`; every method may be called from any thread at any time, also
/// after the connection has closed (then it does nothing). Holding it keeps the native
/// connection allocated, not open.
public struct InterruptHandle: Sendable {
    let handle: ConnectionHandle

    /// Stops the running query, or, when none is running, the next statement to start on the
    /// connection; it fails with ``DuckDBError/Code/interrupted``. Thread-safe and never blocks.
    public func interrupt() { handle.interrupt() }

    /// The running query's progress, or nil when none runs or DuckDB cannot estimate it (also
    /// when progress tracking is off: see ``Connection/enableProgressTracking()``).
    public func progress() -> QueryProgress? { handle.progress() }
}
