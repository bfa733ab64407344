public import DuckDBKit
import DuckPoolCore

/// Scoped access to a pooled connection, and the one lease path every operation goes through.
///
/// A call: (1) fails fast if the database could not be reopened; (2) waits for a connection, at
/// most ``PoolConfiguration/acquireTimeout`` and at most until its `deadline:`; (3) runs its body
/// under an ``ActiveLease`` that enforces `timeout:`/`deadline:` and cancellation; (4) checks the
/// connection in and releases it. Async and blocking callers differ only in how step 2 waits and
/// where step 3 runs.
extension DuckPool {
    /// Runs `body` with a pooled connection, on that connection's serial queue, and returns the
    /// connection to the pool on every path (return, throw, cancellation).
    ///
    /// Waits FIFO for a free connection, at most ``PoolConfiguration/acquireTimeout``.
    /// On return an open transaction is rolled back (see
    /// ``DuckPoolConfiguration/resetOnReturn``); a connection whose state is unknown or that
    /// hit a fatal error is discarded and replaced.
    ///
    /// - Parameters:
    ///   - timeout: Bounds the work once the call holds its connection: when it passes, the
    ///     running statement is interrupted and the call throws ``DuckPoolError/Code/timedOut``.
    ///     Default: none.
    ///   - deadline: Bounds the whole call, the wait for a connection included (see
    ///     ``Deadline``). Default: none.
    ///   - body: Uses the connection; it must not keep it.
    /// - Throws: `CancellationError` (the task was cancelled: a waiting call leaves the queue, a
    ///   running statement is interrupted), ``DuckPoolError`` (`acquireTimeout`, `timedOut`,
    ///   `poolClosed`, `poolExhausted`, ...), or what `body` throws.
    ///
    /// When a deadline passes or the task is cancelled while DuckDB cannot stop the statement
    /// (it is parsing or planning), the call still returns within
    /// ``DuckPoolConfiguration/interruptGracePeriod``; no later statement of `body` runs, and the
    /// connection goes back to the pool only when DuckDB lets go of it.
    public func withConnection<T: Sendable>(
        timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line), body)
    }

    /// Runs `body` with a pooled connection on the calling thread, blocking it while it waits;
    /// the blocking form of ``withConnection(timeout:deadline:file:line:_:)``, for plain threads.
    ///
    /// A nested call on a thread that already holds a connection of this pool gets that same
    /// connection, or fails with ``DuckPoolError/Code/nestedAcquisition``, per
    /// ``DuckPoolConfiguration/nestedAcquisition``; it never deadlocks. A deadline that passes
    /// while DuckDB parses or plans is honoured when planning ends: the statement does not run.
    ///
    /// - Throws: ``DuckPoolError``s, or what `body` throws.
    @available(*, noasync, message: "blocks the calling thread; use the async withConnection in async code")
    public func withConnection<T>(
        timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        try lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line), body)
    }

    // MARK: - The lease path

    /// An async call's lease.
    func lease<T: Sendable>(_ lane: Lane, _ options: LeaseOptions, _ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let plan = try planLease(options)
        let pooled: PooledConnection
        do {
            pooled = try await core(for: lane).lease(timeout: plan.waitLimit, file: options.file, line: options.line)
        } catch let error as ConnectionPoolError {
            throw acquireFailure(error, plan)
        }
        return try await ActiveLease(pool: self, pooled: pooled, lane: lane, workDeadline: plan.workDeadline(options, clock: clock))
            .runOnQueue(body)
    }

    /// A blocking call's lease (or the held connection, for a nested call).
    @available(*, noasync)
    func lease<T>(_ lane: Lane, _ options: LeaseOptions, _ body: (Connection) throws -> T) throws -> T {
        if let held = NestedLeases.current(of: ObjectIdentifier(self)) {
            guard configuration.nestedAcquisition == .reuseHeldConnection else {
                throw DuckPoolError(
                    code: .nestedAcquisition,
                    message: "this thread already holds a connection of the pool for \(path) (\(options.file):\(options.line) asked for another); nesting is configured to fail"
                )
            }
            return try body(held.pooled.connection)
        }
        let plan = try planLease(options)
        let pooled: PooledConnection
        do {
            pooled = try core(for: lane).leaseBlocking(timeout: plan.waitLimit, file: options.file, line: options.line)
        } catch let error as ConnectionPoolError {
            throw acquireFailure(error, plan)
        }
        return try ActiveLease(pool: self, pooled: pooled, lane: lane, workDeadline: plan.workDeadline(options, clock: clock))
            .runHere(body)
    }

    /// What a call knows before it waits: when it started, its deadline, the recovery's phase.
    struct LeasePlan {
        var callDeadline: PoolClock.Instant?
        var waitLimit: Duration?
        var recoveryBefore: DatabaseRecoveryStatus?

        /// When the work must end: the `timeout:` from now, or the call's deadline if earlier.
        func workDeadline(_ options: LeaseOptions, clock: PoolClock) -> PoolClock.Instant? {
            let byTimeout = options.timeout.map { clock.now.advanced(by: $0) }
            switch (byTimeout, callDeadline) {
            case (let timeout?, let deadline?): return min(timeout, deadline)
            case (let timeout, let deadline): return timeout ?? deadline
            }
        }
    }

    /// Fails fast once the database could not be reopened; computes the call's deadline.
    private func planLease(_ options: LeaseOptions) throws(DuckPoolError) -> LeasePlan {
        let status = recovery?.status
        if status?.phase == .failed {
            throw DuckPoolError(
                code: .databaseUnavailable,
                message: "the database \(path) was invalidated and could not be reopened; close the pool and make a new one"
            )
        }
        let start = clock.now
        let callDeadline = options.deadline.map { clock.instant(of: $0, callStartedAt: start) }
        return LeasePlan(callDeadline: callDeadline, waitLimit: callDeadline.map { start.duration(to: $0) }, recoveryBefore: status)
    }

    /// An acquire failure as the caller should see it: the call's own deadline, or a timeout
    /// while the database was being reopened, say so.
    private func acquireFailure(_ error: ConnectionPoolError, _ plan: LeasePlan) -> DuckPoolError {
        let translated = DuckPoolError(error)
        guard error.code == .acquireTimeout else { return translated }
        if let waitLimit = plan.waitLimit, waitLimit < configuration.acquireTimeout {
            return DuckPoolError(
                code: .timedOut,
                message: "the call's deadline passed while it waited for a connection: \(error.description)",
                holders: error.holders, poolState: error.poolState, waited: error.waited, phase: .waiting
            )
        }
        return explainedDuringRecovery(translated, statusBefore: plan.recoveryBefore)
    }

    /// An acquire that timed out while the database was being reopened (or after a reopen ran
    /// while it waited) fails with ``DuckPoolError/Code/databaseUnavailable``.
    private func explainedDuringRecovery(_ error: DuckPoolError, statusBefore: DatabaseRecoveryStatus?) -> DuckPoolError {
        guard let recovery, let statusBefore else { return error }
        let status = recovery.status
        let recovering: Bool
        switch status.phase {
        case .draining, .reopening, .waitingToRetry, .failed: recovering = true
        case .healthy: recovering = status != statusBefore || statusBefore.phase != .healthy
        case .closed: recovering = false
        }
        guard recovering else { return error }
        return DuckPoolError(
            code: .databaseUnavailable,
            message: "the database \(path) was invalidated and is being reopened (\(status.phase)); no connection became free within the acquire timeout. \(error.message)",
            holders: error.holders, poolState: error.poolState, waited: error.waited
        )
    }
}
