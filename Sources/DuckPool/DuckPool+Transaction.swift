public import DuckDBKit
public import DuckPoolCore
import DuckPoolSupport
import Logging

/// Transactions: BEGIN, the closure, COMMIT, and ROLLBACK on every failing path; conflicts
/// retried per a ``RetryPolicy``.
extension DuckPool {
    /// Runs `body` in a transaction on a pooled connection and commits it.
    ///
    /// With ``WriteLane/dedicatedWriter`` the transaction runs on the writer lane's one
    /// connection, after the transactions that asked before it.
    ///
    /// If `body` throws, or any statement in it failed (even one whose error `body` caught), the
    /// transaction is rolled back and the error is thrown; nothing partial is committed. On a
    /// DuckDB transaction conflict the whole closure runs again in a new transaction, after a
    /// backoff during which no connection is held, as `retry` allows; so `body` must be safe to
    /// run again (no side effects outside the database). Do not issue BEGIN, COMMIT or ROLLBACK
    /// inside `body`.
    ///
    /// A ``DuckPoolError/Code/timedOut`` (or `CancellationError`) means nothing was committed:
    /// the COMMIT itself is always waited for, so its outcome is the call's.
    ///
    /// - Parameters:
    ///   - retry: Conflict retries. Default ``RetryPolicy/none``; ``RetryPolicy/transactionConflicts``
    ///     is the recommended policy for rows many callers update.
    ///   - timeout: Per attempt, as in ``withConnection(timeout:deadline:file:line:_:)``. Default none.
    ///   - deadline: For the whole call, every attempt and backoff included. Default none.
    /// - Throws: ``DuckPoolError/Code/transactionConflict`` (with ``DuckPoolError/attempts``) once
    ///   `retry` has no attempt left; ``DuckDBError``, other ``DuckPoolError``s,
    ///   `CancellationError`, or what `body` throws.
    @discardableResult
    public func transaction<T: Sendable>(
        retry: RetryPolicy = .none, timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        let options = transactionOptions(timeout: timeout, deadline: deadline, file: file, line: line)
        do {
            return try await retry.run(on: clock, shouldRetry: Self.isConflict, onRetry: { logRetry($0, options) }) { _ in
                try await lease(.write, options) { [self] connection in try runTransaction(on: connection, body) }
            }
        } catch let exhausted as RetriesExhausted {
            throw conflictGaveUp(exhausted, options)
        }
    }

    /// The blocking form of ``transaction(retry:timeout:deadline:file:line:_:)``, for plain
    /// threads: it blocks while it waits, works and backs off.
    @available(*, noasync, message: "blocks the calling thread; use the async transaction in async code")
    @discardableResult
    public func transaction<T>(
        retry: RetryPolicy = .none, timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        let options = transactionOptions(timeout: timeout, deadline: deadline, file: file, line: line)
        do {
            return try retry.runBlocking(on: clock, shouldRetry: Self.isConflict, onRetry: { logRetry($0, options) }) { _ in
                try lease(.write, options) { connection in try runTransaction(on: connection, body) }
            }
        } catch let exhausted as RetriesExhausted {
            throw conflictGaveUp(exhausted, options)
        }
    }

    /// The options of every attempt: a relative deadline is fixed at the call's start.
    private func transactionOptions(timeout: Duration?, deadline: Deadline?, file: String, line: Int) -> LeaseOptions {
        let now = clock.now
        let fixed = deadline.map { Deadline(kind: .onPoolClock(clock.instant(of: $0, callStartedAt: now))) }
        return LeaseOptions(timeout: timeout, deadline: fixed, file: file, line: line)
    }

    static func isConflict(_ error: any Error) -> Bool {
        (error as? DuckDBError)?.code == .transactionConflict
    }

    private func logRetry(_ failure: RetryAttemptFailure, _ options: LeaseOptions) {
        logger.debug("duckpool retrying a transaction after a conflict", metadata: [
            "duckpool.attempt": "\(failure.attempt + 1)",
            "duckpool.backoff_us": "\(failure.delay.microseconds)",
            "duckpool.transaction_at": "\(options.file):\(options.line)",
        ])
    }

    private func conflictGaveUp(_ exhausted: RetriesExhausted, _ options: LeaseOptions) -> DuckPoolError {
        if exhausted.attempts > 1 {
            logger.info("duckpool transaction still conflicting after its retries; giving up", metadata: [
                "duckpool.attempts": "\(exhausted.attempts)",
                "duckpool.elapsed": "\(exhausted.elapsed)",
                "duckpool.transaction_at": "\(options.file):\(options.line)",
            ])
        }
        return DuckPoolError(
            code: .transactionConflict,
            message: "the transaction at \(options.file):\(options.line) conflicted with other writers \(exhausted.attempts) time\(exhausted.attempts == 1 ? "" : "s") over \(exhausted.elapsed.formattedSeconds), and its retry policy allows no more attempts",
            attempts: exhausted.attempts,
            underlying: exhausted.lastError,
            sql: (exhausted.lastError as? DuckDBError)?.sql
        )
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when anything failed. The COMMIT runs without the lease's
    /// early return, so that its outcome always reaches the caller.
    func runTransaction<T>(on connection: Connection, _ body: (Connection) throws -> T) throws -> T {
        try connection.execute("BEGIN TRANSACTION")
        do {
            let value = try body(connection)
            if connection.isTransactionAborted {
                throw DuckDBError(
                    code: .transaction,
                    message: "a statement in this transaction failed, so it was rolled back instead of committed"
                )
            }
            let commit = { try connection.execute("COMMIT") } // a failed COMMIT has already rolled back
            if let lease = NestedLeases.current(of: ObjectIdentifier(self)) {
                _ = try lease.gate.withoutEarlyReturn(commit)
            } else {
                _ = try commit()
            }
            return value
        } catch {
            if connection.transactionState == .active {
                connection.clearInterrupts() // a deadline stops the work, not its cleanup
                _ = try? connection.execute("ROLLBACK")
            }
            throw error
        }
    }
}
