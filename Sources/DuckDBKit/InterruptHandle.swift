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

    /// Stops the running query and refuses every later call on the connection with
    /// ``DuckDBError/Code/interrupted`` until its owner calls ``Connection/clearInterrupts()``:
    /// for a deadline or a cancellation that must end all of the caller's work, including
    /// statements it starts after a statement DuckDB could not stop (parsing and planning are
    /// not interruptible). Thread-safe and never blocks.
    public func interruptUntilCleared() { handle.interrupt(untilCleared: true) }

    /// The running query's progress, or nil when none runs or DuckDB cannot estimate it (also
    /// when progress tracking is off: see ``Connection/enableProgressTracking()``).
    public func progress() -> QueryProgress? { handle.progress() }
}
