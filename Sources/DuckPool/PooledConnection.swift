import DuckDBKit
import DuckPoolCore
import DuckPoolSupport
import Synchronization

/// A DuckDB connection owned by a ``DuckPool``, with the serial queue that runs its blocking
/// calls for async callers.
// @unchecked Sendable: the non-Sendable `connection` is used by one lease holder at a time — the
// core pool hands each connection to exactly one holder — either on `queue` (async callers) or
// on the holder's own thread (blocking callers). Other threads only use the thread-safe
// `interruptHandle` and the atomics.
final class PooledConnection: PoolableConnection, @unchecked Sendable {
    let id: ConnectionID
    let connection: Connection
    let queue: ConnectionQueue
    let interruptHandle: InterruptHandle
    /// The database instance (generation) it belongs to; see `DatabaseGenerations`.
    let generation: Int
    /// Set when a statement failed with `.invalidated`: the connection must not be reused.
    let isPoisoned = Atomic(false)
    /// Set when another connection's remote session failed (a Quack server went away or
    /// restarted): this one must pass a ping before its next lease. Cleared by the ping.
    let needsPing = Atomic(false)
    /// When the connection last finished a lease or a ping: nanoseconds on the pool's clock.
    private let lastUsedNanoseconds = Atomic<Int64>(0)

    init(id: ConnectionID, connection: Connection, queue: ConnectionQueue, generation: Int, openedAt: PoolClock.Instant) {
        self.id = id
        self.generation = generation
        self.connection = connection
        self.queue = queue
        self.interruptHandle = connection.interruptHandle
        markUsed(at: openedAt)
    }

    /// Records that the connection was in use until `instant`.
    func markUsed(at instant: PoolClock.Instant) {
        lastUsedNanoseconds.store(instant.offset.nanoseconds, ordering: .relaxed)
    }

    /// How long the connection has been unused at `instant`.
    func idleTime(at instant: PoolClock.Instant) -> Duration {
        .nanoseconds(instant.offset.nanoseconds - lastUsedNanoseconds.load(ordering: .relaxed))
    }
}
