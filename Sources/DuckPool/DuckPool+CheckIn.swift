import DuckDBKit
import DuckPoolCore

/// What happens to a connection when its lease ends.
extension DuckPool {
    /// Makes the connection ready for the next holder, or says it must be discarded. Runs on
    /// the thread that ran the lease, after the lease's gate ended (no interrupt can reach it).
    ///
    /// - A call that found the database invalidated poisons the connection and starts the
    ///   reopen.
    /// - A connection whose remote session failed (``DuckDBError/Code/connectionRefused``,
    ///   ``DuckDBError/Code/remote``) is discarded, and every other connection is pinged before
    ///   its next lease (a server that went away or restarted took their sessions too).
    /// - A closed connection, or one of a retired database instance, is discarded.
    /// - An open transaction is rolled back (``DuckPoolConfiguration/ResetOnReturn``), interrupts
    ///   of the lease forgotten first so that the cleanup runs; a connection whose rollback fails,
    ///   or whose transaction state is unknown, is discarded.
    func checkIn<T>(_ pooled: PooledConnection, after result: Result<T, any Error>) -> Bool {
        let connection = pooled.connection
        if case .failure(let error as DuckDBError) = result, error.code == .invalidated {
            pooled.isPoisoned.store(true, ordering: .relaxed)
            logger.warning("duckpool connection hit a fatal DuckDB error; discarding it", metadata: [
                "duckpool.connection.id": "\(pooled.id)", "duckpool.error": "\(error)",
            ])
            factory.reportInvalidation(of: pooled.generation)
            return false
        }
        if case .failure(let error as DuckDBError) = result, Self.endsRemoteSession(error) {
            logger.debug("duckpool discarding a connection whose remote session failed", metadata: [
                "duckpool.connection.id": "\(pooled.id)", "duckpool.error.code": "\(error.code)",
            ])
            factory.reportRemoteSessionFailure()
            return false
        }
        if connection.isClosed || !generations.isCurrent(pooled.generation) { return false }
        connection.clearInterrupts()
        switch connection.transactionState {
        case .idle:
            return true
        case .active where configuration.resetOnReturn == .rollbackOpenTransaction:
            do {
                try connection.execute("ROLLBACK")
                logger.debug("duckpool rolled back a transaction left open", metadata: ["duckpool.connection.id": "\(pooled.id)"])
                return true
            } catch {
                logger.debug("duckpool could not roll back on check-in; discarding the connection", metadata: [
                    "duckpool.connection.id": "\(pooled.id)", "duckpool.error": "\(error)",
                ])
                return false
            }
        case .active, .unknown:
            logger.debug("duckpool discarding a connection with an open or unknown transaction", metadata: [
                "duckpool.connection.id": "\(pooled.id)",
            ])
            return false
        }
    }

    /// Errors after which a connection's remote session (a Quack ATTACH) cannot be trusted: the
    /// server was unreachable, died mid-request, or restarted and forgot the session. A fresh
    /// connection attaches anew.
    static func endsRemoteSession(_ error: DuckDBError) -> Bool {
        error.code == .connectionRefused || error.code == .remote
    }
}
