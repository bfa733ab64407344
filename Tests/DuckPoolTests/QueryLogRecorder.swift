import DuckDBKit
import DuckPoolSupport
import Foundation

/// Every statement any connection runs on a database instance, from DuckDB's `QueryLog`: opens
/// the instance a pool shares (the same path, the default configuration), registers a log
/// storage on it and turns the query log on. Tests count what the pool runs on its own (pings,
/// rollbacks) with it.
///
/// Thread-safety: `Sendable`; DuckDB calls the storage from any thread.
final class QueryLogRecorder: Sendable {
    private let database: Database
    private let statements = LockedValue<[String]>([])

    init(path: String) throws {
        database = try Database(path: path)
        let name = "query_log_\(UUID().uuidString.prefix(8))"
        try database.registerLogStorage(named: name) { [statements] entry in
            guard entry.type == "QueryLog" else { return }
            statements.withLock { $0.append(entry.message) }
        }
        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute("CALL enable_logging('QueryLog', storage => '\(name)')")
    }

    /// How many statements with exactly this text ran (surrounding whitespace ignored).
    func count(of statement: String) -> Int {
        statements.withLock { $0 }.filter { $0.trimmingCharacters(in: .whitespacesAndNewlines) == statement }.count
    }

    /// Closes this handle on the instance.
    func close() { database.close() }
}
