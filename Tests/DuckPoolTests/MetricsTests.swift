import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import MetricsTestKit
import Testing

/// Every series in `PoolMetrics`'s table, provoked for real and read back from swift-metrics'
/// test factory (`duckpool_abandoned_calls_total` is provoked in `DeadlineTests`).
@Suite(.testThreads, .timeLimit(.minutes(2))) struct MetricsTests {
    /// Holds the pool's one connection until `release` is signalled.
    private static func holdTheConnection(_ pool: DuckPool) async -> (BlockingWaiter<Bool>, Task<Void, any Error>) {
        let holding = BlockingWaiter<Bool>(), release = BlockingWaiter<Bool>()
        let held = Task { try await pool.withConnection { _ in holding.signal(true); _ = release.wait() } }
        _ = await onPlainThread { holding.wait() }
        return (release, held)
    }

    @Test func leaseConnectionTimeoutLeakAndRecoverySeriesAreRecorded() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let metrics = TestMetrics()
        let pool = try await fixture.makePool(clock: clock, metrics: metrics) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.acquireTimeout = .seconds(5)
            $0.maxLifetime = .seconds(10)
            $0.idleTimeout = nil
            $0.leakDetectionThreshold = .seconds(1)
            $0.housekeepingInterval = .seconds(3_600)
            $0.reopen = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(1))
        }
        let pooled = [("pool", fixture.path)]
        for _ in 0..<3 { _ = try await pool.query("SELECT 1") }
        #expect(try metrics.expectTimer("duckpool_acquire_wait_seconds", pooled).values.count == 3)
        #expect(try metrics.expectTimer("duckpool_hold_seconds", pooled).values.count == 3)
        #expect(try metrics.expectCounter("duckpool_connections_created_total", pooled).totalValue == 1)

        // One holder, one waiter that times out; the holder is a leak suspect by then.
        let (release, held) = await Self.holdTheConnection(pool)
        let waiting = Task { try await pool.query("SELECT 1") }
        await eventually { pool.status.waiters == 1 }
        pool.housekeep()
        #expect(try metrics.expectGauge("duckpool_waiters", pooled).lastValue == 1)
        #expect(try metrics.expectGauge("duckpool_connections", pooled + [("state", "in_use")]).lastValue == 1)
        #expect(try metrics.expectGauge("duckpool_connections", pooled + [("state", "idle")]).lastValue == 0)
        clock.advance(by: .seconds(5))
        await #expect(throws: DuckPoolError.self) { try await waiting.value }
        #expect(try metrics.expectCounter("duckpool_acquire_timeouts_total", pooled).totalValue == 1)
        pool.housekeep()
        #expect(try metrics.expectCounter("duckpool_leaks_total", pooled).totalValue == 1)
        release.signal(true)
        try await held.value

        // Past its lifetime, the connection is closed instead of reused.
        clock.advance(by: .seconds(6))
        _ = try await pool.query("SELECT 1")
        await eventually { (try? metrics.expectCounter("duckpool_connections_recycled_total", pooled).totalValue) == 1 }
        #expect(try metrics.expectCounter("duckpool_connections_closed_total", pooled).totalValue >= 1)

        // An invalidation whose first reopen fails (an outside handle keeps the old instance).
        let outsider = try Database(path: fixture.path)
        let outsiderConnection = try outsider.connect()
        await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("UPDATE counters SET n = n + 1") // something to checkpoint
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
        await eventually { pool.status.database.reopenFailures == 1 }
        outsiderConnection.close()
        outsider.close()
        clock.advance(by: .seconds(1))
        _ = try await pool.query("SELECT 1")
        #expect(try metrics.expectCounter("duckpool_database_invalidations_total", pooled).totalValue == 1)
        #expect(try metrics.expectCounter("duckpool_database_reopen_failures_total", pooled).totalValue == 1)
        #expect(try metrics.expectCounter("duckpool_database_reopens_total", pooled).totalValue == 1)
        await pool.close()
    }

    @Test func validationAndConnectFailuresAreRecorded() async throws {
        let fixture = try PoolFixture()
        let metrics = TestMetrics()
        let pool = try await fixture.makePool(metrics: metrics) {
            $0.minimumConnections = 2 // the second one is idle when the first finds the database invalidated
            $0.maximumConnections = 2
            $0.validationTrustInterval = .zero
            $0.circuitBreakerThreshold = 1
            $0.reopen = nil
        }
        await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("UPDATE counters SET n = n + 1") // something to checkpoint
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
        await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        let pooled = [("pool", fixture.path)]
        await eventually { ((try? metrics.expectCounter("duckpool_validation_failures_total", pooled).totalValue) ?? 0) >= 1 }
        #expect(try metrics.expectCounter("duckpool_connect_failures_total", pooled).totalValue >= 1)
        await pool.close()
    }

    /// Every series of the documented table exists once a pool has opened, with the one fixed
    /// `pool` dimension (and `lane` for the writer lane's).
    @Test func everyDocumentedSeriesIsCreatedAtOpen() async throws {
        let fixture = try PoolFixture()
        let metrics = TestMetrics()
        let pool = try await fixture.makePool(metrics: metrics) { $0.writeLane = .dedicatedWriter }
        let counters = [
            "duckpool_connections_created_total", "duckpool_connections_closed_total", "duckpool_connections_recycled_total",
            "duckpool_validation_failures_total", "duckpool_acquire_timeouts_total", "duckpool_connect_failures_total",
            "duckpool_leaks_total", "duckpool_abandoned_calls_total", "duckpool_database_invalidations_total",
            "duckpool_database_reopens_total", "duckpool_database_reopen_failures_total",
        ]
        for label in counters {
            #expect(throws: Never.self) { try metrics.expectCounter(label, [("pool", fixture.path)]) }
            #expect(throws: Never.self) { try metrics.expectCounter(label, [("pool", fixture.path), ("lane", "writer")]) }
        }
        for label in ["duckpool_acquire_wait_seconds", "duckpool_hold_seconds"] {
            #expect(throws: Never.self) { try metrics.expectTimer(label, [("pool", fixture.path)]) }
        }
        #expect(throws: Never.self) { try metrics.expectGauge("duckpool_waiters", [("pool", fixture.path)]) }
        for state in ["in_use", "idle"] {
            #expect(throws: Never.self) { try metrics.expectGauge("duckpool_connections", [("pool", fixture.path), ("state", state)]) }
        }
        await pool.close()
    }
}
