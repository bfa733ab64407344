import Dispatch
import DuckDBKit
import DuckPoolSupport

/// Closes the connections of threads that have ended, on one serial Dispatch queue of its own.
///
/// A thread that is exiting must not run DuckDB's clean-up itself (see `ThreadSlot` in
/// `PerThreadConnectionPool.swift`), so it hands its connection over here.
///
/// **Thread-safety:** `Sendable`. ``closeAndRelease(_:)`` may be called from any thread, an
/// exiting one included. ``waitForPendingCloses()`` blocks the caller: call it from a plain
/// thread. The queue is not Swift's cooperative pool.
final class OrphanedConnectionCloser: Sendable {
    private let queue = DispatchQueue(label: "duckpool.per-thread-pool.closer")
    private let closed = LockedValue(0)

    /// Takes `connection`, which no thread uses any more, and closes it on the queue: its
    /// prepared statements, its DuckDB connection and, when it was the database's last user, the
    /// database instance are destroyed on the queue's thread.
    func closeAndRelease(_ connection: Connection) {
        let orphan = Orphan(connection)
        queue.async { [closed] in
            orphan.closeAndRelease()
            closed.withLock { $0 += 1 }
        }
    }

    /// Returns once every connection handed over before the call is closed.
    func waitForPendingCloses() {
        queue.sync {}
    }

    /// How many connections this closer has closed.
    var closedCount: Int { closed.withLock { $0 } }
}

/// A connection on its way to the closer's queue.
// @unchecked: the connection is handed over once, by its last user, and from then on is touched
// only on the closer's queue.
private final class Orphan: @unchecked Sendable {
    private var connection: Connection?

    init(_ connection: Connection) { self.connection = connection }

    func closeAndRelease() {
        connection?.close()
        connection = nil
    }
}
