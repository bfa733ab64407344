import DuckPoolSupport
import DuckDBKit
import DuckPoolCore

/// Interrupts the query of one lease, and never anything after that lease has ended.
///
/// A deadline timer or a cancellation handler can fire late: after the lease's body returned
/// and its connection went back to the pool, possibly to the next holder. Going through this
/// gate, such a late interrupt does nothing, so it can never stop another caller's query, and
/// the reason (deadline, cancellation) is recorded only when the interrupt was really sent.
///
/// Thread-safety: `Sendable`; ``interrupt(because:)`` may race with ``end()`` from any thread.
/// The lock is held while `duckdb_interrupt` is called, which never blocks.
final class LeaseInterrupter: Sendable {
    enum Reason: Sendable { case deadline, cancellation }

    private struct State {
        var ended = false
        var deadlinePassed = false
        var cancelled = false
    }

    private let handle: InterruptHandle
    private let state = LockedValue(State())

    init(_ handle: InterruptHandle) { self.handle = handle }

    /// Interrupts the lease's running (or next) statement, unless the lease has ended.
    func interrupt(because reason: Reason) {
        state.withLock { state in
            guard !state.ended else { return }
            switch reason {
            case .deadline: state.deadlinePassed = true
            case .cancellation: state.cancelled = true
            }
            handle.interrupt()
        }
    }

    /// Ends the lease: later interrupts are ignored. Call it before the connection is released.
    func end() {
        state.withLock { $0.ended = true }
    }

    /// True when the deadline interrupted this lease.
    var deadlinePassed: Bool { state.withLock { $0.deadlinePassed } }
    /// True when a cancellation interrupted this lease (or arrived before its body started).
    var cancelled: Bool { state.withLock { $0.cancelled } }
}
