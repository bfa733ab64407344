import DuckDBKitTestUtils
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import MetricsTestKit
import Testing

/// A pool on a Quack server (served in this process on loopback): the same API as on a file,
/// with statements running in each connection's own server session.
@Suite(.testThreads, .timeLimit(.minutes(3))) struct QuackTargetTests {
    let server: InProcessQuackServer

    init() throws {
        server = try InProcessQuackServer(setup: [
            "CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
            "INSERT INTO counters VALUES (1, 0)",
            "CREATE TABLE ledger (id INTEGER, amount BIGINT)",
        ])
    }

    private func makePool(token: String? = nil, _ configure: (inout DuckPoolConfiguration) -> Void = { _ in }) async throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 4
        configure(&configuration)
        let target = DuckPoolTarget.quack(QuackServer(host: "127.0.0.1", port: server.port, token: token ?? server.token))
        return try await DuckPool.open(target: target, configuration: configuration, metricsFactory: TestMetrics())
    }

    @Test func queriesAndWritesRunOnTheServer() async throws {
        let pool = try await makePool()
        #expect(pool.path == "quack:127.0.0.1:\(server.port)")
        #expect(try await pool.execute("UPDATE counters SET n = n + ? WHERE id = ?", [5, 1]) == 1)
        #expect(try await pool.query("SELECT n FROM counters WHERE id = ?", [1]).value("n", row: 0) == .int(5))
        let columns = try await pool.queryColumns("SELECT id, n FROM counters")
        #expect(try columns.int64s("n").values == [5])
        #expect(try server.connection.query("SELECT n FROM counters").scalar() == .int(5))
        await pool.close()
    }

    @Test func concurrentTransactionsRetryConflictsToAnExactCount() async throws {
        let pool = try await makePool()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for step in 0..<10 {
                        try await pool.transaction(retry: Self.patientRetry) { connection in
                            try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                            try connection.execute("INSERT INTO ledger VALUES (?, ?)", [task * 100 + step, 1])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        // Every increment and its ledger row committed together, exactly once.
        #expect(try server.connection.query("SELECT n FROM counters WHERE id = 1").scalar() == .int(80))
        #expect(try server.connection.query("SELECT count(*) FROM ledger").scalar() == .int(80))
        await pool.close()
    }

    @Test func aFailedTransactionLeavesNothingOnTheServer() async throws {
        let pool = try await makePool()
        await #expect(throws: DuckDBError.self) {
            try await pool.transaction { connection in
                try connection.execute("INSERT INTO ledger VALUES (1, 100)")
                try connection.execute("INSERT INTO no_such_table VALUES (1)")
            }
        }
        #expect(try server.connection.query("SELECT count(*) FROM ledger").scalar() == .int(0))
        // A transaction left open by a lease is rolled back on the server at check-in.
        try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("INSERT INTO ledger VALUES (2, 200)")
        }
        #expect(try server.connection.query("SELECT count(*) FROM ledger").scalar() == .int(0))
        #expect(try await pool.query("SELECT count(*) AS c FROM ledger").value("c", row: 0) == .int(0))
        await pool.close()
    }

    @Test func aWrongTokenIsATypedAuthenticationError() async throws {
        let pool = try await makePool(token: "wrong-token-0000") { $0.acquireTimeout = .seconds(60) }
        let error = await #expect(throws: (any Error).self) { try await pool.query("SELECT 1") }
        #expect(Self.duckDBCode(of: error) == .authenticationFailed, "\(String(describing: error))")
        await pool.close()
    }

    @Test func aStoppedServerIsRefusedAndARestartedOneIsReconnected() async throws {
        let pool = try await makePool {
            // Connection attempts while the server is down must not open the circuit breaker,
            // so that the first call after the restart waits for the next attempt.
            $0.circuitBreakerThreshold = 1_000
            $0.connectRetry = RetryPolicy(initialDelay: .milliseconds(5), maximumDelay: .milliseconds(50))
        }
        #expect(try await pool.execute("UPDATE counters SET n = n + 1 WHERE id = 1") == 1)
        try server.stop()
        let refused = await #expect(throws: (any Error).self) { try await pool.execute("UPDATE counters SET n = n + 1 WHERE id = 1") }
        #expect(Self.duckDBCode(of: refused) == .connectionRefused)
        // The restarted server knows none of the old sessions; the pool attaches new ones. How
        // many were open at the stop depends on timing (the second of the minimum two may not
        // have attached yet on a busy machine), so count from the restart.
        let createdBeforeRestart = pool.status.statistics.totalCreated
        try server.restart()
        #expect(try await pool.execute("UPDATE counters SET n = n + 1 WHERE id = 1") == 1)
        #expect(try server.connection.query("SELECT n FROM counters").scalar() == .int(2))
        #expect(pool.status.statistics.totalCreated > createdBeforeRestart)
        await pool.close()
    }

    @Test func closingThePoolEndsItsServerSessions() async throws {
        let pool = try await makePool()
        _ = try await pool.query("SELECT 1")
        await pool.close()
        let sessions = try server.connection.query("SELECT count(*) FROM quack_active_connections()").scalar()
        #expect(sessions == .int(0))
    }

    /// Conflict retries with room for a loaded test machine: each attempt is three round trips.
    static let patientRetry = RetryPolicy(initialDelay: .milliseconds(2), maximumDelay: .milliseconds(200), jitter: .full, budget: .seconds(120))

    /// The DuckDB error code of `error`, or of the DuckDB error a pool error wraps.
    static func duckDBCode(of error: (any Error)?) -> DuckDBError.Code? {
        if let error = error as? DuckDBError { return error.code }
        if let error = error as? DuckPoolError { return (error.underlying as? DuckDBError)?.code }
        return nil
    }
}
