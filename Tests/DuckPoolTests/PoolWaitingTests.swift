import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// Waiting, timeouts, exhaustion, cancellation and recycling, with time moved by hand.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolWaitingTests {
    private func makePool(_ fixture: PoolFixture, clock: MockClock, _ configure: @escaping (inout DuckPoolConfiguration) -> Void) async throws -> DuckPool {
        try await fixture.makePool(clock: clock) { configuration in
            configuration.housekeepingInterval = .seconds(3_600)
            configure(&configuration)
        }
    }

    /// Holds the pool's only connection on a plain thread until `release()`.
    final class Holder: Sendable {
        private let letGo = BlockingWaiter<Bool>()
        private let done = BlockingWaiter<Bool>()

        static func start(_ pool: DuckPool, file: String, line: Int) async throws -> Holder {
            let holder = Holder()
            try await withCheckedThrowingContinuation { (held: CheckedContinuation<Void, any Error>) in
                Thread { [letGo = holder.letGo, done = holder.done] in
                    do {
                        try pool.withConnection(file: file, line: line) { _ in
                            held.resume()
                            _ = letGo.wait()
                        }
                    } catch {
                        held.resume(throwing: error)
                    }
                    done.signal(true)
                }.start()
            }
            return holder
        }

        func release() async {
            letGo.signal(true)
            _ = await onPlainThread { [done] in done.wait() }
        }
    }

    @Test func acquireTimeoutNamesTheHolders() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await makePool(fixture, clock: clock) {
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
        let error = await #expect(throws: DuckPoolError.self) { try await waiting.value }
        #expect(error?.code == .acquireTimeout)
        #expect(error?.message.contains("FactorJobs/MomentumJob.swift:88") == true)
        // The holders are data too: file, line, how long, which request.
        #expect(error?.holders.count == 1)
        #expect(error?.holders.first?.file == "FactorJobs/MomentumJob.swift")
        #expect(error?.holders.first?.line == 88)
        #expect(error?.holders.first?.heldFor == .seconds(5))
        #expect(error?.waited == .seconds(5))
        #expect(pool.status.statistics.totalTimedOut == 1)
        await holder.release()
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func fullWaitQueueFailsFast() async throws {
        let fixture = try PoolFixture()
        let pool = try await makePool(fixture, clock: MockClock()) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.maxWaiters = 1
        }
        let holder = try await Holder.start(pool, file: "holder", line: 1)
        let queued = Task { try await pool.query("SELECT 1") }
        while pool.status.waiters == 0 { await Task.yield() }
        let error = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .poolExhausted)
        await holder.release()
        #expect(try await queued.value.count == 1)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func cancellingAWaiterRemovesIt() async throws {
        let fixture = try PoolFixture()
        let pool = try await makePool(fixture, clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
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
        let pool = try await makePool(fixture, clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let started = BlockingWaiter<Bool>()
        let long = Task {
            try await pool.withConnection { connection in
                started.signal(true)
                return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
            }
        }
        _ = await onPlainThread { started.wait() }
        long.cancel()
        let result = await long.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(try await pool.query("SELECT 1").count == 1)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func cancellationAtRandomPointsNeverLeaksAConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try await makePool(fixture, clock: MockClock()) { $0.minimumConnections = 2; $0.maximumConnections = 4 }
        var generator = SplitMix64(seed: 0xD0C)
        let (served, cancelled, other) = (LockedCounter(), LockedCounter(), LockedCounter())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<1_000 {
                let yields = Int(generator.next() % 4)
                let task = Task { try await pool.query("SELECT ? AS n", [round]) }
                group.addTask {
                    for _ in 0..<yields { await Task.yield() }
                    task.cancel()
                    switch await task.result {
                    case .success: served.add(1)
                    case .failure(is CancellationError): cancelled.add(1)
                    case .failure: other.add(1)
                    }
                }
            }
            try await group.waitForAll()
        }
        // Cancellation landed at every stage: some calls finished first, many did not.
        #expect(served.value + cancelled.value == 1_000)
        #expect(cancelled.value > 0)
        #expect(other.value == 0)
        // Every connection comes back (a leak would hold this until the time limit): check-ins
        // and the refill to the minimum finish in the background after the calls return.
        await eventually { pool.status.idle == pool.status.size }
        let status = pool.status
        #expect(status.inUse == 0)
        #expect(status.waiters == 0)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    /// The stage the random test above does not reach: the call holds its connection and is
    /// cancelled before its work starts on the connection's queue (held busy here). The body
    /// never runs, and the connection is back in the pool when the call returns.
    @Test func aCallCancelledBeforeItsWorkStartsGivesItsConnectionBack() async throws {
        let fixture = try PoolFixture()
        let pool = try await makePool(fixture, clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let pooled = try await pool.core(for: .read).lease()
        let queueFree = BlockingWaiter<Bool>()
        pooled.queue.enqueue { _ = queueFree.wait() }
        let bodyRuns = LockedCounter()
        let call = Task {
            try await ActiveLease(pool: pool, pooled: pooled, lane: .read, workDeadline: nil).runOnQueue { _ in bodyRuns.add(1) }
        }
        call.cancel()
        queueFree.signal(true)
        let result = await call.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(bodyRuns.value == 0)
        #expect(pool.status.inUse == 0)
        #expect(pool.status.idle == 1)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func connectionsAreRecycledAfterTheirLifetime() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await makePool(fixture, clock: clock) {
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
