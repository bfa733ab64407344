import Dispatch
import DuckDBKit
import DuckPoolCore
import DuckPoolSupport
import Logging

/// Opens a pool's database, waiting while another process holds the file.
///
/// DuckDB lets one process at a time open a file for writing; a second gets
/// ``DuckDBError/Code/fileLocked``. With ``DuckPoolConfiguration/openTimeout`` the open is retried
/// on the pool's clock (``RetryPolicy/lockedFileWait(budget:)``: 10 ms doubling to 500 ms), and
/// the last attempt is made when the timeout ends, never before. Each retry is logged at debug;
/// giving up at info, and the last `fileLocked` error (naming the holder's PID) is thrown.
enum DatabaseOpening {
    /// Opens on the calling thread; waits block it (on the pool's clock).
    @available(*, noasync)
    static func open(path: String, configuration: DuckPoolConfiguration, clock: PoolClock, logger: Logger) throws -> Database {
        guard let timeout = configuration.openTimeout else {
            return try Database(path: path, configuration: configuration.database)
        }
        do {
            return try RetryPolicy.lockedFileWait(budget: timeout).runBlocking(
                on: clock, shouldRetry: isFileLocked, onRetry: { log($0, logger) }
            ) { _ in try Database(path: path, configuration: configuration.database) }
        } catch let exhausted as RetriesExhausted {
            throw gaveUp(exhausted, logger)
        }
    }

    /// Opens on a Dispatch queue (never on the cooperative pool); waits suspend the task.
    static func open(path: String, configuration: DuckPoolConfiguration, clock: PoolClock, logger: Logger) async throws -> Database {
        let policy = configuration.openTimeout.map(RetryPolicy.lockedFileWait(budget:)) ?? .none
        do {
            return try await policy.run(on: clock, shouldRetry: isFileLocked, onRetry: { log($0, logger) }) { _ in
                try await openOffThePool(path: path, configuration: configuration.database)
            }
        } catch let exhausted as RetriesExhausted {
            if configuration.openTimeout == nil { throw exhausted.lastError }
            throw gaveUp(exhausted, logger)
        }
    }

    private static func openOffThePool(path: String, configuration: DatabaseConfiguration) async throws -> Database {
        // The result crosses through a lock, not the continuation: when the open finishes before
        // the task has suspended, ThreadSanitizer sees no order between the Dispatch thread's
        // writes and the task's reads (scripts/tsan.supp).
        let opened = LockedValue<Result<Database, any Error>?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                let result = Result { try Database(path: path, configuration: configuration) }
                opened.withLock { $0 = result }
                continuation.resume()
            }
        }
        return try opened.withLock { $0! }.get()
    }

    private static func isFileLocked(_ error: any Error) -> Bool {
        (error as? DuckDBError)?.code == .fileLocked
    }

    private static func log(_ failure: RetryAttemptFailure, _ logger: Logger) {
        logger.debug("duckpool database file is locked by another process; retrying", metadata: [
            "duckpool.lock_holder_pid": "\((failure.error as? DuckDBError)?.lockHolderPID.map(String.init) ?? "unknown")",
            "duckpool.attempt": "\(failure.attempt)",
            "duckpool.retry_in_ms": "\(failure.delay.microseconds / 1_000)",
        ])
    }

    private static func gaveUp(_ exhausted: RetriesExhausted, _ logger: Logger) -> any Error {
        logger.info("duckpool gave up waiting for the database file's lock", metadata: [
            "duckpool.attempts": "\(exhausted.attempts)",
            "duckpool.waited": "\(exhausted.elapsed)",
        ])
        return exhausted.lastError
    }
}
