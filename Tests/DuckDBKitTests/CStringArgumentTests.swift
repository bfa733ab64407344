@testable import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// Every entry point that hands Swift text to DuckDB as a C string refuses an embedded NUL byte
/// before anything runs; without the check, C would read the text only up to the NUL.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct CStringArgumentTests {
    let directory = TemporaryDirectory()
    let connection: Connection

    init() throws {
        connection = try Database(path: directory.path("nul.duckdb")).connect()
        try connection.execute("CREATE TABLE victim (x INTEGER)")
        try connection.execute("INSERT INTO victim VALUES (1), (2), (3)")
    }

    private func rows() throws -> DuckDBValue? {
        try connection.query("SELECT count(*) FROM victim").scalar()
    }

    private func expectRefused(_ role: String, _ body: () throws -> Void) {
        let error = #expect(throws: DuckDBError.self) { try body() }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("\(role) contains a NUL byte") == true, "\(String(describing: error))")
    }

    @Test func deleteCutAtNULLeavesTheTableIntact() throws {
        expectRefused("SQL text") { try connection.execute("DELETE FROM victim\u{0} WHERE x = 2") }
        #expect(try rows() == .int(3))
        // The statement without the NUL deletes exactly one row: the guard is all that differs.
        try connection.execute("DELETE FROM victim WHERE x = 2")
        #expect(try rows() == .int(2))
    }

    @Test func queryCutAtNULReturnsNoRow() throws {
        expectRefused("SQL text") { _ = try connection.query("SELECT 1 AS x\u{0} WHERE false") }
        expectRefused("SQL text") { _ = try connection.query("SELECT ? AS x\u{0} WHERE false", [1]) }
        expectRefused("SQL text") { _ = try connection.prepare("DELETE FROM victim\u{0} WHERE x = 2") }
        expectRefused("SQL text") { _ = try connection.cachedStatement("DELETE FROM victim\u{0} WHERE x = 2") }
        #expect(try rows() == .int(3))
    }

    @Test func scriptWithNULRunsNoStatement() throws {
        expectRefused("SQL script") {
            try connection.executeScript("INSERT INTO victim VALUES (4); DELETE FROM victim\u{0} WHERE x = 2")
        }
        #expect(try rows() == .int(3))
    }

    @Test func errorMessageAndSQLShowTheNULVisibly() {
        let error = #expect(throws: DuckDBError.self) { try connection.execute("SELECT 1\u{0}") }
        #expect(error?.sql == "SELECT 1\\0")
        #expect(error?.message.contains("offset 8") == true)
    }

    @Test func appenderNamesWithNULAreRefused() throws {
        expectRefused("table name") { _ = try Appender(connection: connection, table: "victim\u{0}x") }
        expectRefused("schema name") { _ = try Appender(connection: connection, table: "victim", schema: "main\u{0}x") }
        let appender = try Appender(connection: connection, table: "victim")
        expectRefused("column name") { try appender.setColumns(["x\u{0}y"]) }
        try appender.append(Int32(4))
        try appender.endRow()
        try appender.close()
        #expect(try rows() == .int(4))
    }

    @Test func databasePathAndOptionsWithNULAreRefused() {
        let path = directory.path("other.duckdb")
        expectRefused("database path") { _ = try Database(path: path + "\u{0}.ignored") }
        var badName = DatabaseConfiguration()
        badName.additionalOptions = ["threads\u{0}x": "1"]
        expectRefused("configuration option name") { _ = try Database(path: path, configuration: badName) }
        var badValue = DatabaseConfiguration()
        badValue.memoryLimit = "1GB\u{0}x"
        expectRefused("value of configuration option memory_limit") { _ = try Database(path: path, configuration: badValue) }
    }

    @Test func boundStringParametersKeepTheirNULBytes() throws {
        let value = "a\u{0}b"
        let echoed = try connection.query("SELECT ?::VARCHAR", [value]).scalar()
        #expect(echoed == .string(value))
    }

    @Test func offsetsAreUTF8() {
        #expect(CStringArgument.firstNULOffset(in: "é\u{0}") == 2)
        #expect(CStringArgument.firstNULOffset(in: "plain") == nil)
    }
}
