public import DuckDBKit

/// The single-writer lane (``WriteLane/dedicatedWriter``): writes go through one connection,
/// one at a time, so they never conflict with each other; reads use the other connections.
extension DuckPool {
    /// The pool writes go to: the writer lane's, or the shared one.
    var writeCore: ConnectionPool<DuckDBConnectionFactory, PoolClock> { writerCore ?? core }

    /// Runs `body` in a write transaction and commits it.
    ///
    /// With ``WriteLane/dedicatedWriter`` it runs on the writer connection: writes wait for it
    /// first-come first-served (within ``PoolConfiguration/acquireTimeout``) and run one at a
    /// time, so two writes never conflict, and reads through ``withConnection(timeout:file:line:_:)``
    /// or ``query(_:_:timeout:file:line:)`` proceed on the other connections meanwhile. With
    /// ``WriteLane/shared`` it is ``transaction(retry:timeout:file:line:_:)``.
    ///
    /// BEGIN, COMMIT and ROLLBACK work as in ``transaction(retry:timeout:file:line:_:)``;
    /// deadlines, cancellation, check-in reset and invalidation recovery apply to the writer too.
    ///
    /// - Parameters:
    ///   - retry: Conflict retries. Default ``TransactionRetryPolicy/none``: with the writer lane,
    ///     only a writer outside this pool (another process, a connection opened directly) can
    ///     cause a conflict.
    ///   - timeout: Per attempt, once the writer is held. Default none.
    /// - Throws: ``DuckDBError``, `CancellationError`, or what `body` throws.
    @discardableResult
    public func write<T: Sendable>(
        retry: TransactionRetryPolicy = .none,
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        try await transaction(retry: retry, timeout: timeout, file: file, line: line, body)
    }

    /// ``write(retry:timeout:file:line:_:)`` for plain threads (blocks the caller while it waits
    /// for the writer and while it writes).
    @discardableResult
    public func writeBlocking<T>(
        retry: TransactionRetryPolicy = .none,
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        try transactionBlocking(retry: retry, timeout: timeout, file: file, line: line, body)
    }
}
