import DuckPoolSupport
public import DuckDBKit
import Foundation
import Logging

/// Transactions: BEGIN, the closure, COMMIT, and ROLLBACK on every failing path.
extension DuckPool {
    /// Runs `body` in a transaction on a pooled connection and commits it.
    ///
    /// With ``WriteLane/dedicatedWriter`` the transaction runs on the writer lane's one
    /// connection, after the writes that asked before it (see ``write(retry:timeout:file:line:_:)``).
    ///
    /// If `body` throws, or any statement in it failed (even one whose error `body` caught), the
    /// transaction is rolled back and the error is thrown; nothing partial is committed. On a
    /// transaction conflict the whole closure is retried per `retry`, so `body` must be safe to
    /// run again (no side effects outside the database). Do not issue BEGIN, COMMIT or ROLLBACK
    /// inside `body`.
    ///
    /// - Parameters:
    ///   - retry: Conflict retries. Default ``TransactionRetryPolicy/none``.
    ///   - timeout: Per attempt, as in ``withConnection(timeout:file:line:_:)``. Default none.
    /// - Throws: ``DuckDBError`` (``DuckDBError/Code/transactionConflict`` once retries are
    ///   used up), `CancellationError`, or what `body` throws.
    @discardableResult
    public func transaction<T: Sendable>(
        retry: TransactionRetryPolicy = .none,
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withLease(on: writeCore, timeout: timeout, file: file, line: line) { connection in
                    try Self.runTransaction(on: connection, body)
                }
            } catch let error as DuckDBError where error.code == .transactionConflict && attempt < retry.maxAttempts {
                let wait = retry.backoff(afterAttempt: attempt)
                logRetry(attempt: attempt, of: retry.maxAttempts, wait: wait, file: file, line: line)
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    /// ``transaction(retry:timeout:file:line:_:)`` for plain threads (blocks the caller, also
    /// during backoff).
    @discardableResult
    public func transactionBlocking<T>(
        retry: TransactionRetryPolicy = .none,
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        var attempt = 1
        while true {
            do {
                return try withLeaseBlocking(on: writeCore, timeout: timeout, file: file, line: line) { connection in
                    try Self.runTransaction(on: connection, body)
                }
            } catch let error as DuckDBError where error.code == .transactionConflict && attempt < retry.maxAttempts {
                let wait = retry.backoff(afterAttempt: attempt)
                logRetry(attempt: attempt, of: retry.maxAttempts, wait: wait, file: file, line: line)
                Thread.sleep(forTimeInterval: wait.secondsDouble)
                attempt += 1
            }
        }
    }

    private func logRetry(attempt: Int, of maxAttempts: Int, wait: Duration, file: String, line: Int) {
        logger.info("duckpool retrying a transaction after a conflict", metadata: [
            "duckpool.attempt": "\(attempt + 1)/\(maxAttempts)",
            "duckpool.backoff_us": "\(wait.microseconds)",
            "duckpool.transaction_at": "\(file):\(line)",
        ])
    }

    static func runTransaction<T>(on connection: Connection, _ body: (Connection) throws -> T) throws -> T {
        try connection.execute("BEGIN TRANSACTION")
        do {
            let value = try body(connection)
            if connection.isTransactionAborted {
                throw DuckDBError(
                    code: .transaction,
                    message: "a statement in this transaction failed, so it was rolled back instead of committed"
                )
            }
            try connection.execute("COMMIT") // a failed COMMIT has already rolled back
            return value
        } catch {
            if connection.transactionState == .active {
                connection.discardPendingInterrupt() // the deadline stopped the work, not its cleanup
                _ = try? connection.execute("ROLLBACK")
            }
            throw error
        }
    }
}
