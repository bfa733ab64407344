import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct TransactionTests {
    /// One hot row, 16 tasks x 50 increments, the recommended policy: every increment commits.
    /// The acquire timeout is out of the way, so the result cannot depend on the machine's speed.
    @Test func sixteenTasksTimesFiftyIncrementsOfOneHotRowAreExactWithTheDefaultPolicy() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.acquireTimeout = .seconds(3_600) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 {
                        try await pool.transaction(retry: .transactionConflicts) { connection in
                            try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(800)]])
        #expect(pool.status.inUse == 0)
        await pool.close()
    }

    /// Holds an uncommitted update of the hot row on a plain thread until `commit` is signalled.
    private static func holdAnUpdate(_ pool: DuckPool) async -> (commit: BlockingWaiter<Bool>, done: Task<Void, any Error>) {
        let updated = BlockingWaiter<Bool>(), commit = BlockingWaiter<Bool>()
        let done = Task {
            try await onPlainThread {
                try pool.transaction { connection in
                    try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                    updated.signal(true)
                    _ = commit.wait()
                }
            }
        }
        _ = await onPlainThread { updated.wait() }
        return (commit, done)
    }

    /// Timeline, on the mock clock: the first transaction holds the row; the second conflicts,
    /// logs its retry at debug, and backs off 1 s without holding a connection; the first
    /// commits; the clock moves 1 s; the retry commits.
    @Test func aConflictIsRetriedAfterABackoffOnThePoolClock() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let (logger, logs) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(clock: clock, logger: logger) {
            $0.minimumConnections = 2
            $0.maximumConnections = 2
            $0.housekeepingInterval = .seconds(3_600)
        }
        let (commit, first) = await Self.holdAnUpdate(pool)
        let attempts = LockedCounter()
        let retry = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(1), maxAttempts: 5)
        let second = Task {
            try await pool.transaction(retry: retry) { connection in
                attempts.add(1)
                try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
            }
        }
        await clock.waitForSleeper(deadline: MockClock.Instant(clock.now.offset + .seconds(1)))
        #expect(attempts.value == 1)
        #expect(pool.status.inUse == 1) // only the first: the backoff holds no connection
        commit.signal(true)
        try await first.value
        clock.advance(by: .seconds(1))
        try await second.value
        #expect(attempts.value == 2)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(2)]])
        let retries = logs.entries.filter { $0.message.contains("retrying a transaction") }
        #expect(retries.map(\.level) == [.debug])
        #expect(!logs.entries.contains { $0.level >= .info && $0.message.contains("transaction") })
        await pool.close()
    }

    @Test func aConflictThatOutlastsThePolicyIsATypedErrorWithTheAttemptCount() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let (logger, logs) = CapturingLogHandler.logger()
        let pool = try await fixture.makePool(clock: clock, logger: logger) {
            $0.minimumConnections = 2
            $0.maximumConnections = 2
            $0.housekeepingInterval = .seconds(3_600)
        }
        let (commit, first) = await Self.holdAnUpdate(pool)
        let retry = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(1), maxAttempts: 2)
        let second = Task {
            try await pool.transaction(retry: retry) { connection in
                try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
            }
        }
        await clock.waitForSleeper(deadline: MockClock.Instant(clock.now.offset + .seconds(1)))
        clock.advance(by: .seconds(1))
        let error = await #expect(throws: DuckPoolError.self) { try await second.value }
        #expect(error?.code == .transactionConflict)
        #expect(error?.attempts == 2)
        #expect((error?.underlying as? DuckDBError)?.code == .transactionConflict)
        #expect(logs.entries.filter { $0.level == .info && $0.message.contains("giving up") }.count == 1)
        let once = await #expect(throws: DuckPoolError.self) {
            try await pool.transaction { connection in try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1") }
        }
        #expect(once?.attempts == 1) // without retry: the first conflict is final
        commit.signal(true)
        try await first.value
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(1)]])
        await pool.close()
    }

    @Test func aFailedBodyRollsEverythingBack() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.transaction { connection in
                try connection.execute("UPDATE counters SET n = 50 WHERE id = 1")
                try connection.execute("INSERT INTO counters VALUES (1, 0)") // duplicate key
            }
        }
        #expect(error?.code == .constraint)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        #expect(pool.status.statistics.totalCreated == 1) // the connection was reset, not lost
        await pool.close()
    }

    @Test func aSwallowedStatementErrorNeverCommitsSilently() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        // DuckDB would report COMMIT as successful here while rolling back; the pool refuses.
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.transaction { connection in
                try connection.execute("UPDATE counters SET n = 9 WHERE id = 1")
                _ = try? connection.execute("INSERT INTO counters VALUES (1, 0)")
            }
        }
        #expect(error?.code == .transaction)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }

    @Test func committedValueIsReturned() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        let n = try await pool.transaction { connection -> Int64 in
            try connection.execute("UPDATE counters SET n = n + 5 WHERE id = 1")
            guard case .int(let value)? = try connection.query("SELECT n FROM counters").scalar() else { return -1 }
            return value
        }
        #expect(n == 5)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(5)]])
        await pool.close()
    }
}
