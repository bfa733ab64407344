import DuckPool
import DuckPoolTestTraits
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolConcurrencyTests {
    /// 64 tasks mixing reads, writes and transactions; the invariants hold at the end.
    @Test func sixtyFourTasksMixedReadsAndWrites() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.maximumConnections = 8 }
        try await pool.execute("CREATE TABLE events (task INTEGER, step INTEGER, PRIMARY KEY (task, step))")
        let conflicts = LockedCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    for step in 0..<20 {
                        switch step % 4 {
                        case 0:
                            _ = try await pool.query("SELECT count(*) FROM stock_kline WHERE symbol = ?", [String(format: "%06d", task % 20)])
                        case 1:
                            try await pool.execute("INSERT INTO events VALUES (?, ?)", [task, step])
                        case 2:
                            try await pool.withConnection { connection in
                                try connection.execute("BEGIN")
                                try connection.execute("INSERT INTO events VALUES (?, ?)", [task, step])
                                try connection.execute("COMMIT")
                            }
                        default:
                            do {
                                try await pool.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
                            } catch let error as DuckDBError where error.code == .transactionConflict {
                                conflicts.add(1) // optimistic concurrency: a lost race, not a failure
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.query("SELECT count(*) FROM events").rows == [[.int(64 * 10)]])
        let counter = try await pool.query("SELECT n FROM counters").rows
        #expect(counter == [[.int(Int64(64 * 5 - conflicts.value))]])
        let status = pool.status
        #expect(status.inUse == 0)
        #expect(status.waiters == 0)
        #expect(status.size <= 8)
        await pool.close()
    }

    /// With every connection busy on a query that only ends when interrupted, unrelated async
    /// work still runs: DuckDB never occupies Swift's cooperative threads.
    @Test func cooperativePoolIsNeverBlocked() async throws {
        let fixture = try PoolFixture()
        // More slow queries than the cooperative pool has threads (one per core): if the library
        // ran DuckDB calls on that pool, the unrelated work below would starve.
        let connections = 2 * ProcessInfo.processInfo.activeProcessorCount
        let pool = try await fixture.makePool { $0.minimumConnections = connections; $0.maximumConnections = connections }
        let started = LockedCounter()
        let slowQueries = (0..<connections).map { _ in
            Task {
                try await pool.withConnection { connection in
                    started.add(1)
                    return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
                }
            }
        }
        // If DuckDB ran on the cooperative pool, only one slow query per cooperative thread could
        // start, and the pool (where the time limit runs too) would stall: bounded on the wall.
        let allStarted = await holds(within: .seconds(60)) { started.value == connections && pool.status.inUse == connections }
        #expect(allStarted, "\(started.value) of \(connections) slow queries started: DuckDB calls hold the cooperative threads")
        if allStarted {
            // Unrelated async work on the cooperative pool (not the test's own threads) completes
            // while all of them still run.
            let unrelated = await withTaskGroup(of: Int.self) { group in
                for value in 0..<100 { group.addTask(executorPreference: globalConcurrentExecutor) { value } }
                return await group.reduce(0, +)
            }
            #expect(unrelated == 4_950)
            #expect(pool.status.inUse == connections)
        }
        for query in slowQueries { query.cancel() }
        for query in slowQueries {
            let result = await query.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
        // A cancelled call returns at once; its interrupted statement ends and checks the
        // connection in just after.
        await eventually { pool.status.inUse == 0 }
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }
}
