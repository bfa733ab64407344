@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import DuckPoolSupport
import Foundation
import MetricsTestKit
import Testing

@Suite(.testThreads, .timeLimit(.minutes(5))) struct WriteLaneTests {
    /// A pool with the writer lane. The acquire timeout is out of the way: with every write
    /// queued on one connection, a slow machine must make the tests slower, not wrong.
    private static func writerPool(_ fixture: PoolFixture, metrics: TestMetrics? = nil) async throws -> DuckPool {
        try await fixture.makePool(metrics: metrics) {
            $0.writeLane = .dedicatedWriter
            $0.minimumConnections = 2
            $0.maximumConnections = 4
            $0.acquireTimeout = .seconds(3_600)
        }
    }

    /// The hot-row workload of `TransactionTests`, without any retry: through one writer there
    /// is nothing to conflict with.
    @Test func sixteenTasksTimesFiftyIncrementsWithoutRetryNeverConflict() async throws {
        let fixture = try PoolFixture()
        let pool = try await Self.writerPool(fixture)
        let failures = LockedCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 {
                        do {
                            try await pool.transaction { connection in
                                try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                            }
                        } catch {
                            failures.add(1)
                        }
                    }
                }
            }
        }
        #expect(failures.value == 0)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(800)]])
        let writer = try #require(pool.status.writer)
        #expect(writer.maximumConnections == 1)
        #expect(writer.totalCreated == 1)
        await pool.close()
    }

    /// Timeline (no timing involved):
    ///   writer thread: holds the writer, updates n to 42 (uncommitted), signals `held`, waits
    ///   test:          sees `held`; a second write queues behind the writer; a read completes
    ///                  (it sees the last committed value, 0); only then is the writer released
    /// If reads waited for the writer, the read would never complete and the test would hang.
    @Test func readsProceedWhileTheWriterIsHeldAndWritesQueue() async throws {
        let fixture = try PoolFixture()
        let pool = try await Self.writerPool(fixture)
        let held = BlockingWaiter<Bool>()
        let release = BlockingWaiter<Bool>()
        let first = Task {
            try await onPlainThread {
                try pool.transaction { connection in
                    try connection.execute("UPDATE counters SET n = 42 WHERE id = 1")
                    held.signal(true)
                    _ = release.wait()
                }
            }
        }
        _ = await onPlainThread { held.wait() }
        let second = Task {
            _ = try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1") }
        }
        while pool.status.writer?.waiters != 1 { await Task.yield() }

        let seen = try await pool.query("SELECT n FROM counters").value("n", row: 0)
        #expect(seen == .int(0))
        #expect(pool.status.writer?.inUse == 1) // the read finished while the write was still held
        #expect(pool.status.writer?.waiters == 1)

        release.signal(true)
        try await first.value
        try await second.value
        #expect(try await pool.query("SELECT n FROM counters").value("n", row: 0) == .int(43))
        await pool.close()
    }

    @Test func aReadOnlyPoolRejectsTheWriterLane() async throws {
        let fixture = try PoolFixture()
        let error = await #expect(throws: DuckPoolError.self) {
            try await fixture.makePool { $0.writeLane = .dedicatedWriter; $0.database.accessMode = .readOnly }
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.field == "writeLane")
    }

    @Test func theWriterHonoursDeadlinesCancellationAndCheckInReset() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) {
            $0.writeLane = .dedicatedWriter
            $0.housekeepingInterval = .seconds(3_600)
        }
        // A deadline interrupts a write that would run for minutes.
        let started = LockedCounter()
        let slow = Task {
            try await pool.transaction(timeout: .seconds(2)) { connection in
                started.add(1)
                return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
            }
        }
        while started.value == 0 { await Task.yield() }
        // A write waiting behind it is cancelled: it leaves the queue.
        let waiting = Task { _ = try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = 99") } }
        while pool.status.writer?.waiters != 1 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(2)))
        clock.advance(by: .seconds(2))
        let error = await #expect(throws: DuckPoolError.self) { try await slow.value }
        #expect(error?.code == .timedOut)

        // A failing write is rolled back; the writer connection is reset and kept.
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await pool.transaction { connection in
                try connection.execute("UPDATE counters SET n = 7")
                throw Abort()
            }
        }
        try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = n + 1") }
        #expect(try await pool.query("SELECT n FROM counters").value("n", row: 0) == .int(1))
        #expect(pool.status.writer?.totalCreated == 1)
        await pool.close()
    }

    @Test func theWriterIsReplacedAfterAnInvalidation() async throws {
        let fixture = try PoolFixture()
        let metrics = TestMetrics()
        let pool = try await Self.writerPool(fixture, metrics: metrics)
        try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = 5") }
        let fatal = await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
        #expect(fatal?.code == .invalidated)
        try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = n + 1") }
        #expect(try await pool.query("SELECT n FROM counters").value("n", row: 0) == .int(6))
        let status = pool.status
        // Replaced at least once. A refill that opens a writer on the dead instance just before
        // the reopen sees it fail validation and opens one more, hence up to 3.
        let created = try #require(status.writer?.totalCreated)
        #expect((2...3).contains(created))
        #expect(status.database.reopens == 1)
        let writerDimensions = [("pool", fixture.path), ("lane", "writer")]
        #expect(try metrics.expectCounter("duckpool_connections_created_total", writerDimensions).totalValue == Int64(created))
        await pool.close()
    }

    @Test func withoutTheLaneThereIsNoWriterPool() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        #expect(pool.status.writer == nil)
        try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = 3") }
        #expect(try await pool.query("SELECT n FROM counters").value("n", row: 0) == .int(3))
        await pool.close()
    }
}
