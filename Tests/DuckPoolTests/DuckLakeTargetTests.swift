import DuckDBKit
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import MetricsTestKit
import Testing

/// A pool on a DuckLake whose catalog lives in a PostgreSQL server started for the test.
@Suite(.testThreads, .timeLimit(.minutes(4))) struct DuckLakeTargetTests {
    let postgres: PostgresServer
    let data = TemporaryDirectory()

    init() throws {
        postgres = try PostgresServer()
        try postgres.createDatabase("lake")
    }

    private func makePool(_ configure: (inout DuckPoolConfiguration) -> Void = { _ in }) async throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 6
        configure(&configuration)
        let lake = DuckLakeCatalog(postgres: postgres.connectionString(database: "lake"), dataPath: data.path("lake") + "/")
        return try await DuckPool.open(target: .duckLake(lake), configuration: configuration, metricsFactory: TestMetrics())
    }

    @Test func concurrentWritersCommitExactlyAndReadersNeverSeeHalfACommit() async throws {
        let pool = try await makePool()
        try await pool.execute("CREATE TABLE debits (id INTEGER, n BIGINT)")
        try await pool.execute("CREATE TABLE credits (id INTEGER, n BIGINT)")
        try await pool.execute("INSERT INTO debits VALUES (1, 0)")
        try await pool.execute("INSERT INTO credits VALUES (1, 0)")
        let torn = LockedCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<10 {
                        try await pool.transaction(retry: Self.patientRetry) { connection in
                            try connection.execute("UPDATE debits SET n = n + 1 WHERE id = 1")
                            try connection.execute("UPDATE credits SET n = n + 1 WHERE id = 1")
                        }
                    }
                }
            }
            group.addTask {
                for _ in 0..<20 {
                    let row = try await pool.query("SELECT (SELECT n FROM debits) AS d, (SELECT n FROM credits) AS c").rows[0]
                    if row[0] != row[1] { torn.add(1) }
                }
            }
            try await group.waitForAll()
        }
        #expect(torn.value == 0)
        let totals = try await pool.query("SELECT (SELECT n FROM debits) AS d, (SELECT n FROM credits) AS c").rows[0]
        #expect(totals == [.int(40), .int(40)])
        await pool.close()
    }

    @Test func aCommitConflictIsTheTypedConflict() async throws {
        let pool = try await makePool()
        try await pool.execute("CREATE TABLE hot (id INTEGER, n BIGINT)")
        try await pool.execute("INSERT INTO hot VALUES (1, 0)")
        // Two transactions change the same row; the second to commit conflicts.
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { first in
                try first.execute("BEGIN")
                try first.execute("UPDATE hot SET n = n + 1")
                let second = try pool.database.connect()
                try second.execute("UPDATE lake.hot SET n = n + 10")
                try first.execute("COMMIT")
            }
        }
        #expect(error?.code == .transactionConflict)
        #expect(try await pool.query("SELECT n FROM hot").rows == [[.int(10)]])
        await pool.close()
    }

    @Test func postgresDownIsConnectionRefusedAndTheLakeRecovers() async throws {
        let pool = try await makePool()
        try await pool.execute("CREATE TABLE notes (n INTEGER)")
        try await pool.execute("INSERT INTO notes VALUES (1)")
        try postgres.stop()
        let refused = await #expect(throws: DuckDBError.self) { try await pool.execute("INSERT INTO notes VALUES (2)") }
        #expect(refused?.code == .connectionRefused)
        try postgres.start()
        try await pool.execute("INSERT INTO notes VALUES (3)")
        // The refused insert left nothing; the others are there.
        #expect(try await pool.query("SELECT string_agg(n::VARCHAR, ',' ORDER BY n) AS l FROM notes").rows == [[.string("1,3")]])
        await pool.close()
    }

    /// Conflict retries with room for a loaded test machine: every DuckLake commit asks PostgreSQL.
    static let patientRetry = RetryPolicy(initialDelay: .milliseconds(2), maximumDelay: .milliseconds(200), jitter: .full, budget: .seconds(180))
}
