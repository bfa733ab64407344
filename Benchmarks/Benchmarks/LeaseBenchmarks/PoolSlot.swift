import DuckPool
import Synchronization

/// Holds the pool between a benchmark's `setup`, body and `teardown` hooks (separate closures,
/// run one after another by the benchmark runner, never concurrently). Thread-safe.
final class PoolSlot: Sendable {
    private let opened = Mutex<DuckPool?>(nil)

    /// The pool opened by ``open()``.
    var pool: DuckPool {
        guard let pool = opened.withLock({ $0 }) else {
            fatalError("benchmark body ran without its setup hook")
        }
        return pool
    }

    /// Opens a pool of exactly one connection on a private in-memory database and returns once
    /// that connection is open and idle.
    /// - Throws: ``DuckPoolError`` or ``DuckDBError`` when the pool cannot open or lease.
    func open() async throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = 1
        let pool = try await DuckPool.open(path: ":memory:", configuration: configuration)
        // The first lease waits for the connection to open; afterwards it is idle in the pool.
        try await pool.withConnection { _ in }
        opened.withLock { $0 = pool }
    }

    /// Closes the pool.
    func close() async {
        let pool = opened.withLock { pool in
            defer { pool = nil }
            return pool
        }
        await pool?.close()
    }
}
