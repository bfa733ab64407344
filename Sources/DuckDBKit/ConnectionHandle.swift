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
    /// Set by `interrupt(untilCleared: true)`: every statement is stopped until the owner clears
    /// it; a statement never consumes it.
    private let interruptsUntilCleared = Atomic(false)
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
    func interrupt(untilCleared: Bool = false) {
        isOpen.withLock { open in
            interruptRequested.store(true, ordering: .relaxed)
            if untilCleared { interruptsUntilCleared.store(true, ordering: .relaxed) }
            if open { duckdb_interrupt(raw) }
        }
    }

    /// True while every statement is to be stopped (``interrupt(untilCleared:)``).
    var isInterruptingUntilCleared: Bool { interruptsUntilCleared.load(ordering: .relaxed) }

    /// Starts a query with `start` (which makes DuckDB clear its own interrupt flag) and applies
    /// a request made before it.
    func startQuery(_ start: () -> duckdb_state) -> duckdb_state {
        isOpen.withLock { open in
            let state = start()
            let requested = interruptRequested.exchange(false, ordering: .relaxed) || interruptsUntilCleared.load(ordering: .relaxed)
            if requested, open, state == DuckDBSuccess {
                duckdb_interrupt(raw)
            }
            return state
        }
    }

    /// Forgets a one-shot request that a statement honoured (it stopped that statement).
    func consumeInterruptRequest() {
        isOpen.withLock { _ in interruptRequested.store(false, ordering: .relaxed) }
    }

    /// Forgets every request, one-shot and until-cleared: the owner's reset.
    func clearInterrupts() {
        isOpen.withLock { _ in
            interruptRequested.store(false, ordering: .relaxed)
            interruptsUntilCleared.store(false, ordering: .relaxed)
        }
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
