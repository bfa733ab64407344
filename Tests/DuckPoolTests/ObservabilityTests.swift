import DuckPoolSupport
import Foundation
@testable import DuckPool
import Logging
import MetricsTestKit
import Testing

@Suite struct ObservabilityTests {
    @Test func quietByDefaultAtInfo() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        let pool = try DuckPool(path: fixture.path, configuration: DuckPoolConfiguration(), logger: logger)
        for _ in 0..<20 { _ = try await pool.query("SELECT 1") }
        await pool.close()
        let loud = store.entries.filter { $0.level >= .info }
        #expect(loud.isEmpty, "unexpected: \(loud.map(\.message))")
        // Per-acquire events exist, at trace.
        #expect(store.entries.contains { $0.level == .trace && $0.message.contains("lease acquired") })
        #expect(store.entries.contains { $0.level == .debug && $0.message.contains("connection opened") })
    }

    @Test func waitBucketsReadInMicrosecondsMillisecondsAndSeconds() {
        let labels = AcquireWaitHistogram.upperBoundsMicroseconds.map {
            DuckPoolStatus.WaitBucket(upperBound: .microseconds($0), count: 0).boundLabel
        }
        #expect(labels == ["≤10 µs", "≤100 µs", "≤1 ms", "≤10 ms", "≤100 ms", "≤1 s"])
        #expect(DuckPoolStatus.WaitBucket(upperBound: nil, count: 2).description == "longer: 2")
        #expect(DuckPoolStatus.WaitBucket(upperBound: .microseconds(1_500), count: 3).description == "≤1500 µs: 3")
    }

    @Test func utilizationWarningsAreRateLimited() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 5
        configuration.maximumConnections = 5
        configuration.utilizationWarningInterval = .seconds(3_600)
        let pool = try DuckPool(path: fixture.path, configuration: configuration, logger: logger)
        // Hold 4 of 5 (80%), twice: one warning, not two.
        try await onPlainThread {
            for _ in 0..<2 { try Self.holdConnections(pool, count: 4) }
        }
        let warnings = store.entries.filter { $0.level == .warning && $0.message.contains("utilization") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["duckpool.threshold"] == "80%")
        await pool.close()
    }

    /// Holds `count` connections at once, from `count` threads, then lets them all go.
    private static func holdConnections(_ pool: DuckPool, count: Int) throws {
        let allHeld = DispatchGroupBarrier(count: count)
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            Thread {
                defer { group.leave() }
                try? pool.withConnectionBlocking { _ in allHeld.arriveAndWait() }
            }.start()
        }
        group.wait()
    }

    @Test func leaksAreReportedWithTheAcquiringFileAndLine() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        var configuration = DuckPoolConfiguration()
        configuration.leakDetectionThreshold = .nanoseconds(1)
        let pool = try DuckPool(path: fixture.path, configuration: configuration, logger: logger)
        try await onPlainThread {
            try pool.withConnectionBlocking(file: "FactorJob.swift", line: 42) { _ in
                pool.housekeep()
                pool.housekeep() // reported once per lease
            }
        }
        let leaks = store.entries.filter { $0.message.contains("leak threshold") }
        #expect(leaks.count == 1)
        #expect(leaks.first?.metadata["duckpool.acquired_at"] == "FactorJob.swift:42")
        #expect(leaks.first?.level == .warning)
        await pool.close()
    }

    @Test func metricsAreRecorded() async throws {
        let fixture = try PoolFixture()
        let metrics = TestMetrics()
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = 2
        let pool = try DuckPool(path: fixture.path, configuration: configuration, metricsFactory: metrics)
        for _ in 0..<10 { _ = try await pool.query("SELECT 1") }
        let dimensions = [("pool", fixture.path)]
        #expect(try metrics.expectCounter("duckpool_connections_created_total", dimensions).totalValue >= 1)
        #expect(try metrics.expectTimer("duckpool_acquire_wait_seconds", dimensions).values.count == 10)
        #expect(try metrics.expectTimer("duckpool_hold_seconds", dimensions).values.count == 10)
        await pool.close()
        #expect(try metrics.expectCounter("duckpool_connections_closed_total", dimensions).totalValue >= 1)
    }

    @Test func statusReportsTheSeedsFieldsAndMore() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.minimumConnections = 2; $0.maximumConnections = 4 }
        let inside = try await pool.withConnection { _ in pool.status }
        #expect(inside.inUse == 1)
        #expect(inside.overflowInUse == 0)
        let after = pool.status
        #expect(after.inUse == 0)
        #expect(after.waiters == 0)
        #expect(after.idle == after.size)
        #expect(after.acquireWaits.map(\.count).reduce(0, +) == 1)
        #expect(after.description.contains("waits["))
        await pool.close()
    }
}

/// Lets `count` threads wait until all of them have arrived.
final class DispatchGroupBarrier: @unchecked Sendable {
    // Guarded by `condition`.
    private var arrived = 0
    private let count: Int
    private let condition = NSCondition()
    init(count: Int) { self.count = count }
    func arriveAndWait() {
        condition.lock()
        arrived += 1
        if arrived == count { condition.broadcast() }
        while arrived < count { condition.wait() }
        condition.unlock()
    }
}
