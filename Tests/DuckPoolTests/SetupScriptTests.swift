import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import MetricsTestKit
import Testing

/// The database setup runs once per instance (again after a reopen); the connection setup on
/// every new connection; a failing setup is retried like a failed connect.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct SetupScriptTests {
    @Test func theConnectionSetupRunsOnEveryNewConnection() async throws {
        let fixture = try PoolFixture()
        let runs = LockedCounter()
        let pool = try await fixture.makePool {
            $0.minimumConnections = 3
            $0.maximumConnections = 3
            // A temporary table belongs to one connection: every connection must have made its own.
            $0.connectionSetup = SetupScript(statements: ["CREATE TEMP TABLE session_marker AS SELECT 7 AS x"], name: "count") { _ in runs.add(1) }
        }
        let seen = try await withThrowingTaskGroup(of: DuckDBValue?.self) { group in
            for _ in 0..<6 { group.addTask { try await pool.query("SELECT x FROM session_marker").value("x", row: 0) } }
            return try await group.reduce(into: [DuckDBValue?]()) { $0.append($1) }
        }
        #expect(seen.allSatisfy { $0 == .int(7) })
        // A connection's setup has run before the pool records it as created.
        await eventually { pool.status.statistics.totalCreated == 3 }
        #expect(runs.value == 3)
        await pool.close()
    }

    @Test func theDatabaseSetupRunsOncePerInstanceAndAgainAfterAReopen() async throws {
        let fixture = try PoolFixture()
        let other = fixture.directory.path("other.duckdb")
        let runs = LockedCounter()
        let pool = try await fixture.makePool {
            $0.minimumConnections = 3
            $0.maximumConnections = 3
            $0.reopen = RetryPolicy(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1))
            $0.databaseSetup = SetupScript(
                statements: ["ATTACH '\(other)' AS other", "CREATE TABLE IF NOT EXISTS other.notes (n INTEGER)"],
                name: "attach"
            ) { _ in runs.add(1) }
        }
        try await pool.execute("INSERT INTO other.notes VALUES (1)")
        _ = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await pool.query("SELECT n FROM other.notes").count } }
            return try await group.reduce(0, +)
        }
        #expect(runs.value == 1)
        await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("UPDATE counters SET n = n + 1")
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
        // The reopened instance is attached again: the table is there for every connection.
        #expect(try await pool.query("SELECT count(*) FROM other.notes").rows == [[.int(1)]])
        #expect(runs.value == 2)
        await pool.close()
    }

    @Test func aFailingSetupIsRetriedLikeAFailedConnect() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let metrics = TestMetrics()
        let failuresLeft = LockedValue(2)
        struct NotYet: Error {}
        let pool = try await fixture.makePool(clock: clock, metrics: metrics) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.housekeepingInterval = .seconds(3_600)
            $0.connectionSetup = SetupScript(statements: [], name: "flaky") { _ in
                if failuresLeft.withLock({ left in left -= 1; return left >= 0 }) { throw NotYet() }
            }
        }
        let query = Task { try await pool.query("SELECT 1") }
        await clock.waitForSleeper(deadline: MockClock.Instant(.milliseconds(100)))
        clock.advance(to: MockClock.Instant(.milliseconds(100)))
        await clock.waitForSleeper(deadline: MockClock.Instant(.milliseconds(300)))
        clock.advance(to: MockClock.Instant(.milliseconds(300)))
        #expect(try await query.value.rows == [[.int(1)]])
        #expect(try metrics.expectCounter("duckpool_connect_failures_total", [("pool", fixture.path)]).totalValue == 2)
        await pool.close()
    }
}
