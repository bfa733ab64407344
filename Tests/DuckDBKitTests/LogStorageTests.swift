import DuckDBKit
import DuckPoolSupport
import DuckPoolTestTraits
import Testing

/// A log storage registered through the C API receives DuckDB's log entries as they are written.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct LogStorageTests {
    @Test func entriesReachTheHandlerAsDuckDBWritesThem() throws {
        let database = try Database.inMemory()
        defer { database.close() }
        let entries = LockedValue<[DuckDBLogEntry]>([])
        try database.registerLogStorage(named: "test_storage") { entry in entries.withLock { $0.append(entry) } }
        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute("CALL enable_logging('QueryLog', storage => 'test_storage')")
        for n in 1...3 { _ = try connection.query("SELECT \(n) AS answer").scalar() }
        let queries = entries.withLock { $0 }.filter { $0.type == "QueryLog" }.map(\.message)
        // Each statement is written before it returns: nothing to wait or poll for.
        #expect(queries.filter { $0.hasPrefix("SELECT") } == ["SELECT 1 AS answer", "SELECT 2 AS answer", "SELECT 3 AS answer"])
        #expect(entries.withLock { $0 }.allSatisfy { $0.level == "INFO" && $0.timestampMicroseconds > 1_700_000_000_000_000 })
        // Nothing is kept in DuckDB's own in-memory log.
        #expect(try connection.query("SELECT count(*) FROM duckdb_logs()").scalar() == .int(0))
    }

    @Test func badNamesAndClosedDatabasesAreTypedErrors() throws {
        let database = try Database.inMemory()
        try database.registerLogStorage(named: "once") { _ in }
        #expect(throws: DuckDBError.self) { try database.registerLogStorage(named: "once") { _ in } }
        for name in ["", "a\u{0}b"] {
            let error = #expect(throws: DuckDBError.self) { try database.registerLogStorage(named: name) { _ in } }
            #expect(error?.code == .invalidInput)
        }
        database.close()
        let error = #expect(throws: DuckDBError.self) { try database.registerLogStorage(named: "late") { _ in } }
        #expect(error?.code == .misuse)
    }

    @Test func anUnknownStorageIsRefusedByEnableLogging() throws {
        let database = try Database.inMemory()
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        let error = #expect(throws: DuckDBError.self) { try connection.execute("CALL enable_logging('QueryLog', storage => 'nowhere')") }
        #expect(error?.message.contains("not yet registered") == true)
    }
}
