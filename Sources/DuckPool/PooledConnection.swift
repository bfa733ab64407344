import DuckDBKit
import DuckPoolCore
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
    /// When the connection last finished a lease (ContinuousClock nanoseconds since `epoch`).
    let lastUsedNanoseconds = Atomic<Int64>(0)

    init(id: ConnectionID, connection: Connection, queue: ConnectionQueue, generation: Int = 0) {
        self.id = id
        self.generation = generation
        self.connection = connection
        self.queue = queue
        self.interruptHandle = connection.interruptHandle
        markUsed()
    }

    static let epoch = ContinuousClock.now

    func markUsed() {
        lastUsedNanoseconds.store(Self.nanosecondsSinceEpoch(), ordering: .relaxed)
    }

    static func nanosecondsSinceEpoch() -> Int64 {
        let (seconds, attoseconds) = (ContinuousClock.now - epoch).components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var idleNanoseconds: Int64 { Self.nanosecondsSinceEpoch() - lastUsedNanoseconds.load(ordering: .relaxed) }
}
