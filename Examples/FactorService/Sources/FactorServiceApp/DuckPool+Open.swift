import Dispatch
import DuckPool
import Logging

extension DuckPool {
    /// Opens a pool from async code without blocking Swift's cooperative thread pool: opening a
    /// DuckDB file is blocking I/O (and may wait for another process's lock), so it runs on a
    /// Dispatch worker thread while the caller suspends.
    /// - Throws: ``DuckDBError`` from ``DuckPool/init(path:configuration:logger:metricsFactory:)``.
    static func open(path: String, configuration: DuckPoolConfiguration, logger: Logger) async throws -> DuckPool {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try DuckPool(path: path, configuration: configuration, logger: logger) })
            }
        }
    }
}
