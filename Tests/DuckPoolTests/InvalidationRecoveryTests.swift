@testable import DuckPool
import DuckPoolSupport
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Logging
import MetricsTestKit
import Testing

/// Recovery from a real invalidation: DuckDB 1.5.5's `debug_checkpoint_abort = 'before_header'`
/// makes `CHECKPOINT` raise a fatal error that invalidates the instance (pinned in
/// `ErrorTests.invalidatedDatabase`).
@Suite(.testThreads, .timeLimit(.minutes(2))) struct InvalidationRecoveryTests {
    /// Would run for minutes: only an interrupt ends it within the time limit.
    private static let longQuery = "SELECT count(*) FROM range(100000000000) a WHERE a.range = -1"

    /// Invalidates the instance from a pooled connection; returns what the call threw.
    private static func invalidate(_ pool: DuckPool, insertingID id: Int) async -> DuckDBError? {
        await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("INSERT INTO journal VALUES (?)", [id]) // committed: must survive
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
    }

    @Test func aRealInvalidationIsRecoveredWithEveryCommittedRow() async throws {
        let fixture = try PoolFixture()
        let metrics = TestMetrics()
        let (logger, logs) = CapturingLogHandler.logger()
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 3
        configuration.reopen = RetryPolicy(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(10))
        let pool = try await DuckPool.open(path: fixture.path, configuration: configuration, logger: logger, metricsFactory: metrics)
        try await pool.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY)")
        try await pool.transaction { connection in
            for id in 0..<100 { try connection.execute("INSERT INTO journal VALUES (?)", [id]) }
        }

        // An in-flight call: a minutes-long query on another connection.
        let started = BlockingWaiter<Bool>()
        let inFlight = Task {
            await onPlainThread {
                Result {
                    try pool.withConnection { connection in
                        started.signal(true)
                        return try connection.query(Self.longQuery).countRows()
                    }
                }
            }
        }
        _ = await onPlainThread { started.wait() }
        let createdBefore = pool.status.statistics.totalCreated

        let fatal = await Self.invalidate(pool, insertingID: 100)
        #expect(fatal?.code == .invalidated)
        // The running query was interrupted, and says why.
        let inFlightResult = await inFlight.value
        #expect(throws: DuckDBError.self) { try inFlightResult.get() }
        if case .failure(let error as DuckDBError) = inFlightResult {
            #expect(error.code == .invalidated)
        }

        // The next calls wait for the reopen and succeed on new connections of a new instance.
        let count = try await pool.query("SELECT count(*) AS n FROM journal").value("n", row: 0)
        #expect(count == .int(101))
        try await pool.execute("INSERT INTO journal VALUES (101)")
        #expect(try await pool.query("SELECT max(id) AS m FROM journal").value("m", row: 0) == .int(101))

        let status = pool.status
        #expect(status.database == DatabaseRecoveryStatus(phase: .healthy, generation: 1, invalidations: 1, reopens: 1, reopenFailures: 0))
        #expect(status.statistics.totalCreated > createdBefore)
        #expect(status.inUse == 0)
        let dimensions = [("pool", fixture.path)]
        #expect(try metrics.expectCounter("duckpool_database_invalidations_total", dimensions).totalValue == 1)
        #expect(try metrics.expectCounter("duckpool_database_reopens_total", dimensions).totalValue == 1)
        #expect(logs.entries.contains { $0.level == .error && $0.message.contains("invalidated") })
        #expect(logs.entries.contains { $0.level == .info && $0.message.contains("reopened") })
        await pool.close()

        // Nothing is lost on disk either.
        let database = try Database(path: fixture.path)
        #expect(try database.connect().query("SELECT count(*) FROM journal").scalar() == .int(102))
        database.close()
    }

    /// Another `Database` in this process keeps the invalidated instance alive, so the instance
    /// cache hands it back and the probe fails: the attempt counts as failed and is retried on
    /// the (mock) clock's backoff; once that handle is closed, the next attempt gets a new
    /// instance.
    @Test func aReopenWaitsUntilEveryHandleOnTheOldInstanceIsClosed() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 2
            $0.housekeepingInterval = .seconds(3_600)
            $0.reopen = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(4))
        }
        try await pool.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY)")
        let outsider = try Database(path: fixture.path) // same instance, through the cache
        let outsiderConnection = try outsider.connect()

        #expect(await Self.invalidate(pool, insertingID: 1)?.code == .invalidated)
        // Attempt 1 finds the old instance (the outsider still holds it) and backs off 1 s.
        await clock.waitUntilSleepers { $0.contains(MockClock.Instant(.seconds(1))) }
        #expect(pool.status.database.phase == .waitingToRetry(attempt: 2))
        #expect(pool.status.database.reopenFailures == 1)
        clock.advance(to: MockClock.Instant(.seconds(1)))
        await clock.waitUntilSleepers { $0.contains(MockClock.Instant(.seconds(3))) }
        #expect(pool.status.database.reopenFailures == 2)

        outsiderConnection.close()
        outsider.close()
        clock.advance(to: MockClock.Instant(.seconds(3)))
        #expect(try await pool.query("SELECT count(*) AS n FROM journal").value("n", row: 0) == .int(1))
        #expect(pool.status.database == DatabaseRecoveryStatus(phase: .healthy, generation: 1, invalidations: 1, reopens: 1, reopenFailures: 2))
        await pool.close()
    }

    /// An acquire waits for the reopen, bounded by its acquire timeout on the pool's clock; when
    /// the timeout passes first (here: an outside handle blocks the reopen, and the next attempt
    /// is a minute away), it says the database is being reopened.
    @Test func anAcquireThatTimesOutDuringTheReopenSaysSo() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.acquireTimeout = .seconds(2)
            $0.housekeepingInterval = .seconds(3_600)
            $0.reopen = RetryPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(60))
        }
        try await pool.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY)")
        let outsider = try Database(path: fixture.path)
        let outsiderConnection = try outsider.connect()
        #expect(await Self.invalidate(pool, insertingID: 1)?.code == .invalidated)
        await clock.waitUntilSleepers { $0.contains(MockClock.Instant(.seconds(60))) } // attempt 1 failed
        let waiting = Task { try await pool.query("SELECT 1") }
        await eventually { pool.status.waiters == 1 }
        clock.advance(by: .seconds(2))
        let error = await #expect(throws: DuckPoolError.self) { try await waiting.value }
        #expect(error?.code == .databaseUnavailable)
        #expect(error?.message.contains("being reopened") == true)
        #expect(pool.status.database.invalidations == 1)
        await pool.close() // cancels the minute-long backoff
        outsiderConnection.close()
        outsider.close()
    }

    @Test func afterGivingUpAcquiresFailFastWithDatabaseUnavailable() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.housekeepingInterval = .seconds(3_600)
            $0.reopen = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(1), maxAttempts: 2)
            $0.circuitBreakerThreshold = 1 // the failed connect after giving up fails the waiter at once
        }
        try await pool.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY)")
        let outsider = try Database(path: fixture.path)
        let outsiderConnection = try outsider.connect()
        #expect(await Self.invalidate(pool, insertingID: 1)?.code == .invalidated)
        let waiting = Task { try await pool.query("SELECT 1") }
        await clock.waitUntilSleepers { $0.contains(MockClock.Instant(.seconds(1))) }
        clock.advance(to: MockClock.Instant(.seconds(1)))
        // The second attempt fails too: the recovery gives up, and the waiting call hears why.
        let next = await #expect(throws: DuckPoolError.self) { try await waiting.value }
        #expect(next?.code == .databaseUnavailable)
        #expect(pool.status.database.phase == .failed)
        #expect(pool.status.database.reopenFailures == 2)
        let later = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(later?.code == .databaseUnavailable)
        #expect(later?.message.contains("could not be reopened") == true)
        await pool.close()
        outsiderConnection.close()
        outsider.close()
    }

    @Test func withoutReopenAcquiresFailFast() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.housekeepingInterval = .seconds(3_600)
            $0.reopen = nil
            $0.circuitBreakerThreshold = 1
        }
        try await pool.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY)")
        #expect(await Self.invalidate(pool, insertingID: 1)?.code == .invalidated)
        let next = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(next?.code == .connectionFailed)
        #expect((next?.underlying as? DuckDBError)?.code == .invalidated)
        #expect(pool.status.database.invalidations == 0)
        await pool.close()
    }
}
