import DuckPoolSupport
import DuckPool
import Foundation
import Testing

@Suite struct TransactionTests {
    @Test func thirtyTwoTasksTimesTwoHundredIncrementsAreExact() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        let retry = TransactionRetryPolicy(maxAttempts: 1_000, initialBackoff: .microseconds(100), maxBackoff: .milliseconds(5))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    for _ in 0..<200 {
                        try await pool.transaction(retry: retry) { connection in
                            try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(6_400)]])
        #expect(pool.status.inUse == 0)
        await pool.close()
    }

    /// Two transactions forced to overlap on one row: without retry the second one fails with
    /// a conflict; with retry it runs again after the first commits, and both increments count.
    @Test func conflictsHappenAndRetryResolvesThem() async throws {
        for retry in [TransactionRetryPolicy.none, TransactionRetryPolicy(maxAttempts: 5)] {
            let fixture = try PoolFixture()
            let pool = try fixture.makePool()
            let firstUpdated = DispatchSemaphore(value: 0)
            let secondTried = DispatchSemaphore(value: 0)
            let first = Task {
                try await onPlainThread {
                    try pool.transactionBlocking { connection in
                        try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                        firstUpdated.signal()
                        secondTried.wait() // commit only after the second transaction collided
                    }
                }
            }
            let outcome = await onPlainThread {
                Result {
                    var attempts = 0
                    try pool.transactionBlocking(retry: retry) { connection in
                        attempts += 1
                        if attempts == 1 { firstUpdated.wait() }
                        defer { if attempts == 1 { secondTried.signal() } }
                        try connection.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                    }
                    return attempts
                }
            }
            try await first.value
            let expected: Int64
            switch outcome {
            case .failure(let error as DuckDBError):
                #expect(retry.maxAttempts == 1)
                #expect(error.code == .transactionConflict)
                expected = 1
            case .failure(let error):
                Issue.record("unexpected error \(error)")
                expected = -1
            case .success(let attempts):
                #expect(retry.maxAttempts > 1)
                #expect(attempts >= 2) // a retry may collide again before the first commits
                expected = 2
            }
            #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(expected)]])
            await pool.close()
        }
    }

    @Test func aFailedBodyRollsEverythingBack() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
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
        let pool = try fixture.makePool()
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
        let pool = try fixture.makePool()
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
