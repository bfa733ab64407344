@testable import DuckPool
import DuckPoolTestUtils
import Foundation
import Logging
import Testing

/// Waiting, timeouts, exhaustion, cancellation and recycling, with time moved by hand.
@Suite struct PoolWaitingTests {
    private let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private func makePool(_ fixture: PoolFixture, clock: MockClock, _ configure: (inout DuckPoolConfiguration) -> Void) throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configuration.housekeepingInterval = .seconds(3_600)
        configure(&configuration)
        return try DuckPool(path: fixture.path, configuration: configuration, logger: quiet, clock: clock)
    }

    /// Holds the pool's only connection on a plain thread until `release()`.
    final class Holder: @unchecked Sendable {
        private let letGo = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        static func start(_ pool: DuckPool, file: String, line: Int) async throws -> Holder {
            let holder = Holder()
            try await withCheckedThrowingContinuation { (held: CheckedContinuation<Void, any Error>) in
                Thread { [letGo = holder.letGo, done = holder.done] in
                    do {
                        try pool.withConnectionBlocking(file: file, line: line) { _ in
                            held.resume()
                            letGo.wait()
                        }
                    } catch {
                        held.resume(throwing: error)
                    }
                    done.signal()
                }.start()
            }
            return holder
        }

        func release() async {
            letGo.signal()
            await onPlainThread { [done] in done.wait() }
        }
    }

    @Test func acquireTimeoutNamesTheHolders() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try makePool(fixture, clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.acquireTimeout = .seconds(5)
        }
        let holder = try await Holder.start(pool, file: "FactorJobs/MomentumJob.swift", line: 88)
        let waiting = Task { try await pool.query("SELECT 1") }
        // The waiter is queued with deadline 0 + 5 s, and a pool timer sleeps until then.
        while pool.status.waiters == 0 { await Task.yield() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(5)))
        clock.advance(by: .seconds(5))
        let error = await #expect(throws: DuckDBError.self) { try await waiting.value }
        #expect(error?.code == .poolTimeout)
        #expect(error?.message.contains("FactorJobs/MomentumJob.swift:88") == true)
        #expect(pool.status.statistics.totalTimedOut == 1)
        await holder.release()
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func fullWaitQueueFailsFast() async throws {
        let fixture = try PoolFixture()
        let pool = try makePool(fixture, clock: MockClock()) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.maxWaiters = 1
        }
        let holder = try await Holder.start(pool, file: "holder", line: 1)
        let queued = Task { try await pool.query("SELECT 1") }
        while pool.status.waiters == 0 { await Task.yield() }
        let error = await #expect(throws: DuckDBError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .poolExhausted)
        await holder.release()
        #expect(try await queued.value.count == 1)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func cancellingAWaiterRemovesIt() async throws {
        let fixture = try PoolFixture()
        let pool = try makePool(fixture, clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let holder = try await Holder.start(pool, file: "holder", line: 1)
        let waiter = Task { try await pool.query("SELECT 1") }
        while pool.status.waiters == 0 { await Task.yield() }
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(pool.status.waiters == 0)
        await holder.release()
        #expect(pool.status.inUse == 0)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func cancellingARunningQueryInterruptsItAndKeepsTheConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try makePool(fixture, clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let started = LockedCounter()
        let long = Task {
            try await pool.withConnection { connection in
                started.add(1)
                return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
            }
        }
        while started.value == 0 { await Task.yield() }
        long.cancel()
        let result = await long.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(try await pool.query("SELECT 1").count == 1)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func cancellationAtRandomPointsNeverLeaksAConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try makePool(fixture, clock: MockClock()) { $0.minimumConnections = 2; $0.maximumConnections = 4 }
        var generator = SplitMix64(seed: 0xD0C)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<1_000 {
                let yields = Int(generator.next() % 4)
                let task = Task { try await pool.query("SELECT ? AS n", [round]) }
                group.addTask {
                    for _ in 0..<yields { await Task.yield() }
                    task.cancel()
                    _ = await task.result // success or CancellationError, both fine
                }
            }
            try await group.waitForAll()
        }
        let status = pool.status
        #expect(status.inUse == 0)
        #expect(status.waiters == 0)
        #expect(status.idle == status.size)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func connectionsAreRecycledAfterTheirLifetime() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try makePool(fixture, clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.maxLifetime = .seconds(5)
            $0.idleTimeout = nil
        }
        _ = try await pool.query("SELECT 1")
        #expect(pool.status.statistics.totalCreated == 1)
        clock.advance(by: .seconds(6))
        _ = try await pool.query("SELECT 1")
        let statistics = pool.status.statistics
        #expect(statistics.totalRecycled == 1)
        #expect(statistics.totalCreated == 2)
        await pool.close()
    }
}

/// A tiny seeded generator, so "random" cancellation points are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
