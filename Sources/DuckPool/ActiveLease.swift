import DuckDBKit
import DuckPoolCore
import DuckPoolSupport

/// One lease of a pooled connection, from acquire to check-in: the part of a call that async and
/// blocking callers share.
///
/// ``perform(_:)`` runs on the thread that owns the connection for the lease (the connection's
/// serial queue for async callers, the caller's thread for blocking ones). It opens the
/// connection to the holder, runs the body, ends the gate, turns an interruption into the
/// caller's view of it (`CancellationError`, ``DuckPoolError/Code/timedOut``, an invalidation),
/// checks the connection in (``DuckPool/checkIn(_:after:)``) and releases it to the pool. The
/// connection is therefore never handed to anyone else while the body runs, also after an async
/// caller returned early.
///
/// **Thread-safety:** `Sendable`; the non-`Sendable` connection is touched only in
/// ``perform(_:)``, on the one thread that runs the lease.
final class ActiveLease: Sendable {
    let pool: DuckPool
    let pooled: PooledConnection
    let lane: Lane
    let gate: LeaseGate

    /// Starts a lease of `pooled`: its work must end by `workDeadline` (if any).
    init(pool: DuckPool, pooled: PooledConnection, lane: Lane, workDeadline: PoolClock.Instant?) {
        self.pool = pool
        self.pooled = pooled
        self.lane = lane
        self.gate = LeaseGate(pooled.interruptHandle, clock: pool.clock, gracePeriod: pool.configuration.interruptGracePeriod)
        if let workDeadline { gate.stop(at: workDeadline) }
    }

    /// Runs `body` on the connection's queue and returns its result, or returns early with the
    /// stop's error when the body outlives a deadline or a cancellation by the grace period.
    func runOnQueue<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let completion = LeaseCompletion<T>()
        gate.allowEarlyReturn { [pool, pooled] reason in
            pool.reporter.leaseAbandoned(connectionID: pooled.id)
            completion.complete(.failure(Self.abandonedError(reason, pool: pool)))
        }
        return try await withTaskCancellationHandler {
            try await completion.wait {
                pooled.queue.enqueue { completion.complete(self.perform(body)) }
            }
        } onCancel: {
            gate.stop(because: .cancellation)
        }
    }

    /// Runs `body` on the calling thread.
    func runHere<T>(_ body: (Connection) throws -> T) throws -> T {
        try perform(body).get()
    }

    /// The lease's work and check-in; see the type's documentation.
    func perform<T>(_ body: (Connection) throws -> T) -> Result<T, any Error> {
        let connection = pooled.connection
        connection.restoreAccess() // also forgets interrupts meant for earlier holders
        var result: Result<T, any Error>
        let early = gate.stopped
        if early.cancelled {
            result = .failure(CancellationError())
        } else if early.deadlinePassed {
            result = .failure(DuckPoolError(code: .timedOut, message: "the call's deadline passed before its work started", phase: .waiting))
        } else {
            result = NestedLeases.running(self, of: ObjectIdentifier(pool)) { Result { try body(connection) } }
        }
        let stop = gate.end()
        result = explained(result, deadlinePassed: stop.deadlinePassed, cancelled: stop.cancelled)
        let reusable = pool.checkIn(pooled, after: result)
        connection.revokeAccess()
        pooled.markUsed(at: pool.clock.now)
        pool.core(for: lane).release(pooled, reusable: reusable)
        return result
    }

    /// An interruption as the caller should see it: caused by its cancellation, its deadline, or
    /// an invalidation found on another connection.
    private func explained<T>(_ result: Result<T, any Error>, deadlinePassed: Bool, cancelled: Bool) -> Result<T, any Error> {
        guard case .failure(let error as DuckDBError) = result, error.code == .interrupted else { return result }
        if cancelled { return .failure(CancellationError()) }
        if deadlinePassed {
            return .failure(DuckPoolError(
                code: .timedOut,
                message: "the call ran past its deadline and its statement was interrupted",
                phase: .working,
                underlying: error,
                sql: error.sql
            ))
        }
        if !pool.generations.isCurrent(pooled.generation) {
            return .failure(DuckDBError(
                code: .invalidated,
                message: "the database was invalidated by a fatal error on another connection; this call was interrupted and the database is being reopened",
                sql: error.sql
            ))
        }
        return result
    }

    /// What an async caller gets when it stops waiting for a body that DuckDB could not stop.
    private static func abandonedError(_ reason: LeaseGate.Reason, pool: DuckPool) -> any Error {
        switch reason {
        case .cancellation:
            return CancellationError()
        case .deadline:
            return DuckPoolError(
                code: .timedOut,
                message: "the call ran past its deadline and its work did not stop within the grace period (DuckDB cannot interrupt parsing and planning); no further statement of it runs, and its connection returns to the pool once the work ends",
                phase: .working
            )
        }
    }
}
