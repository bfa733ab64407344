import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// Text with an embedded NUL byte is refused before it reaches DuckDB, through every pool entry
/// point that takes text, and the pool stays usable afterwards.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct EmbeddedNULTests {
    private func victimPool(_ fixture: PoolFixture) async throws -> DuckPool {
        let pool = try await fixture.makePool()
        try await pool.execute("CREATE TABLE victim (x INTEGER)")
        try await pool.execute("INSERT INTO victim VALUES (1), (2), (3)")
        return pool
    }

    private func victimRows(_ pool: DuckPool) async throws -> [[DuckDBValue]] {
        try await pool.query("SELECT count(*) FROM victim").rows
    }

    @Test func deleteWithNULFailsAndTheTableIsIntact() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await victimPool(fixture)
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.execute("DELETE FROM victim\u{0} WHERE x = 2")
        }
        #expect(error?.code == .invalidInput)
        #expect(try await victimRows(pool) == [[.int(3)]])
        #expect(throws: DuckDBError.self) { try pool.execute("DELETE FROM victim\u{0} WHERE x = 2") }
        #expect(try await victimRows(pool) == [[.int(3)]])
        #expect(try await pool.execute("DELETE FROM victim WHERE x = 2") == 1)
        await pool.close()
    }

    @Test func selectWithNULReturnsNoRowsButAnError() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await victimPool(fixture)
        await #expect(throws: DuckDBError.self) { _ = try await pool.query("SELECT 1 AS x\u{0} WHERE false") }
        await #expect(throws: DuckDBError.self) {
            try await pool.transaction { connection in try connection.execute("DELETE FROM victim\u{0} WHERE x = 2") }
        }
        #expect(try await victimRows(pool) == [[.int(3)]])
        #expect(pool.status.statistics.inUse == 0)
        await pool.close()
    }

    @Test func copyAndExportRefuseNULInPathsNamesAndQueries() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await victimPool(fixture)
        let file = fixture.directory.path("victim.parquet")
        try await pool.export("SELECT * FROM victim", to: file, format: .parquet)
        func expectRefused(_ label: String, _ call: () async throws -> Int) async {
            let error = await #expect(throws: DuckDBError.self) { _ = try await call() }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.contains("\(label) contains a NUL byte") == true, "\(String(describing: error))")
        }
        await expectRefused("file path") { try await pool.copy(from: file + "\u{0}.csv", into: "victim", format: .parquet) }
        await expectRefused("table name") { try await pool.copy(from: file, into: "victim\u{0}x", format: .parquet) }
        await expectRefused("SQL text") { try await pool.export("SELECT * FROM victim\u{0} WHERE x = 2", to: file, format: .parquet) }
        await expectRefused("file path") { try await pool.export("SELECT * FROM victim", to: file + "\u{0}.x", format: .parquet) }
        #expect(try await victimRows(pool) == [[.int(3)]])
        #expect(try await pool.copy(from: file, into: "victim", format: .parquet) == 3)
        await pool.close()
    }

    @Test func bulkInsertRefusesATableNameWithNUL() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await victimPool(fixture)
        struct Row: Encodable, Sendable { var x: Int32 }
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.bulkInsert(into: "victim\u{0}x", rows: [Row(x: 9)])
        }
        #expect(error?.code == .invalidInput)
        #expect(try await victimRows(pool) == [[.int(3)]])
        await pool.close()
    }
}
