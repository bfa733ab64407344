import DuckPoolSupport
import DuckPoolTestTraits
import Foundation
@testable import DuckPool
import DuckPoolTestUtils
import Logging
import MetricsTestKit
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ObservabilityTests {
    @Test func theDefaultLoggerDiscardsEverything() async throws {
        let fixture = try PoolFixture()
        let pool = try await DuckPool.open(path: fixture.path)
        #expect(pool.logger.handler is SwiftLogNoOpLogHandler)
        await pool.close()
    }

    @Test func quietAtInfoWithPerAcquireEventsAtTrace() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(logger: logger)
        for _ in 0..<20 { _ = try await pool.query("SELECT 1") }
        await pool.close()
        let loud = store.entries.filter { $0.level >= .info }
        #expect(loud.isEmpty, "unexpected: \(loud.map(\.message))")
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

    /// Holds `count` connections at once until `release` is signalled; returns once all are held.
    private static func hold(_ pool: DuckPool, count: Int) async -> (release: BlockingWaiter<Bool>, done: Task<Void, Never>) {
        let release = BlockingWaiter<Bool>(), held = LockedCounter()
        let done = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<count {
                    group.addTask { _ = try? await pool.withConnection { _ in held.add(1); _ = release.wait() } }
                }
            }
        }
        await eventually { held.value == count }
        return (release, done)
    }

    private static func utilizationWarnings(_ store: CapturingLogHandler.Store) -> [String] {
        store.entries.filter { $0.level == .warning && $0.message.contains("utilization") }
            .compactMap { $0.metadata["duckpool.threshold"].map { "\($0)" } }
    }

    /// Utilization is measured against the kept connections (5): 4 in use is 80%, 5 is 100%
    /// (past 90%). Each threshold warns once per interval of the pool's clock.
    @Test func utilizationWarningsReachBothThresholdsAndAreRateLimited() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let (logger, store) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(clock: clock, logger: logger) {
            $0.minimumConnections = 5
            $0.maximumConnections = 10
            $0.housekeepingInterval = .seconds(3_600)
        }
        for (count, expected) in [(4, ["80%"]), (5, ["80%", "90%"]), (4, ["80%", "90%"]), (5, ["80%", "90%"])] {
            let (release, done) = await Self.hold(pool, count: count)
            release.signal(true)
            await done.value
            #expect(Self.utilizationWarnings(store) == expected)
        }
        clock.advance(by: .seconds(61)) // past the interval: each threshold may warn again
        let (release, done) = await Self.hold(pool, count: 4)
        release.signal(true)
        await done.value
        #expect(Self.utilizationWarnings(store) == ["80%", "90%", "80%"])
        await pool.close()
    }

    @Test func utilizationCanBeMeasuredAgainstTheMaximumAndAPoolOfOneNeverWarns() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(logger: logger) {
            $0.minimumConnections = 5
            $0.maximumConnections = 10
            $0.utilizationWarnings.measuredAgainst = .maximumConnections
        }
        var (release, done) = await Self.hold(pool, count: 5) // 50% of the maximum: quiet
        release.signal(true)
        await done.value
        #expect(Self.utilizationWarnings(store).isEmpty)
        (release, done) = await Self.hold(pool, count: 8)
        release.signal(true)
        await done.value
        #expect(Self.utilizationWarnings(store) == ["80%"])
        await pool.close()

        let (singleLogger, singleStore) = CapturingLogHandler.logger()
        let single = try await fixture.makePool(logger: singleLogger) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        for _ in 0..<3 { _ = try await single.query("SELECT 1") }
        #expect(Self.utilizationWarnings(singleStore).isEmpty)
        await single.close()
    }

    @Test func leaksAreReportedOnceWithTheAcquiringFileAndLine() async throws {
        let fixture = try PoolFixture()
        let (logger, store) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(logger: logger) { $0.leakDetectionThreshold = .nanoseconds(1) }
        try await onPlainThread {
            try pool.withConnection(file: "FactorJob.swift", line: 42) { _ in
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

    @Test func statusReportsSizesHoldersAndWaits() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 2; $0.maximumConnections = 4 }
        let inside = try await pool.withConnection { _ in pool.status }
        #expect(inside.inUse == 1)
        #expect(inside.overflowInUse == 0)
        #expect(inside.statistics.holders.first?.file.hasSuffix("ObservabilityTests.swift") == true)
        #expect(pool.status.inUse == 0)
        // The second of the minimum connections may still be opening in the background.
        await eventually { pool.status.idle == pool.status.size }
        let after = pool.status
        #expect(after.waiters == 0)
        #expect(after.acquireWaits.map(\.count).reduce(0, +) == 1)
        #expect(after.description.contains("waits["))
        await pool.close()
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct StatusCodingTests {
    @Test func statusJSONHasFactorWeavesKeysAndOursAndDecodesBack() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 2; $0.maximumConnections = 4 }
        let inside = try await pool.withConnection { _ in pool.status }
        let json = try JSONEncoder().encode(inside)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["pool_size"] as? Int == 2)
        #expect(object["checked_out"] as? Int == 1)
        #expect(object["checked_in"] as? Int == inside.idle)
        #expect(object["overflow"] as? Int == 0)
        #expect((object["status"] as? String)?.contains("in use") == true)
        for key in ["size", "in_use", "idle", "waiters", "utilization", "abandoned_calls", "statistics", "acquire_waits", "database"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(try JSONDecoder().decode(DuckPoolStatus.self, from: json) == inside)
        await pool.close()
    }
}
