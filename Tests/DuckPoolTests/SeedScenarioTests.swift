import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// The seed's own three tests, against a real DuckDB file.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct SeedScenarioTests {
    @Test func tenWorkersTimesHundredQueriesWithZeroErrors() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        let errors = LockedCounter()
        let rowsSeen = LockedCounter()
        // Plain threads, as the seed's ThreadPoolExecutor.
        await onPlainThread {
        let group = DispatchGroup()
        for _ in 0..<10 {
            group.enter()
            Thread {
                defer { group.leave() }
                for _ in 0..<100 {
                    do {
                        let rows = try pool.query("SELECT * FROM stock_kline LIMIT 10")
                        rowsSeen.add(rows.count)
                    } catch {
                        errors.add(1)
                    }
                }
            }.start()
        }
        group.wait()
        }
        #expect(errors.value == 0)
        #expect(rowsSeen.value == 10 * 100 * 10)
        let status = pool.status
        #expect(status.inUse == 0)
        #expect(status.size <= 15)
        #expect(status.acquireWaits.map(\.count).reduce(0, +) == 1_000)
        await pool.close()
    }

    @Test func tenTasksTimesHundredQueriesAsync() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    var rows = 0
                    for _ in 0..<100 { rows += try await pool.query("SELECT * FROM stock_kline LIMIT 10").count }
                    return rows
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == 10_000)
        #expect(pool.status.inUse == 0)
        await pool.close()
    }

    @Test func errorRecovery() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        #expect(try await pool.query("SELECT 1 AS one").rows == [[.int(1)]])
        // The seed returned an empty DataFrame here; DuckPool throws a typed error.
        let error = await #expect(throws: DuckDBError.self) { try await pool.query("SELECT * FROM non_existent_table") }
        #expect(error?.code == .binder)
        #expect(try await pool.query("SELECT 1 AS one").rows == [[.int(1)]])
        let status = pool.status
        #expect(status.statistics.totalCreated == 1) // the failed query did not cost the connection
        #expect(status.inUse == 0)
        await pool.close()
    }

    @Test func decodedQueriesAndCommands() async throws {
        let fixture = try PoolFixture(symbols: 2, days: 3)
        let pool = try await fixture.makePool()
        let bars = try await pool.query(Bar.self, "SELECT * FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000001"])
        #expect(bars.map(\.tradeDate) == [0, 1, 2].map { DuckDBDate(year: 2015, month: 1, day: 1).adding(days: $0) })
        #expect(bars.first?.close == 11.25)
        #expect(try await pool.execute("UPDATE stock_kline SET volume = volume + 1 WHERE symbol = ?", ["000001"]) == 3)
        #expect(try await onPlainThread { try pool.execute("DELETE FROM stock_kline WHERE symbol = ?", ["000000"]) } == 3)
        #expect(try await onPlainThread { try pool.query(Bar.self, "SELECT * FROM stock_kline").count } == 3)
        await pool.close()
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnarPoolTests {
    /// One call from the pool gives typed columns; the blocking form gives the same.
    @Test func columnsComeFromThePoolInOneCall() async throws {
        let fixture = try PoolFixture(symbols: 3, days: 40)
        let pool = try await fixture.makePool()
        let sql = "SELECT symbol, trade_date, close, volume FROM stock_kline WHERE symbol = ? ORDER BY trade_date"
        let columns = try await pool.queryColumns(sql, ["000001"])
        #expect(columns.rowCount == 40)
        #expect(try columns.doubles("close").values.first == 11.25)
        #expect(try columns.int64s("volume").values.last == 2_039)
        let blocking = try await onPlainThread { try pool.queryColumns(sql, ["000001"]) }
        #expect(try blocking.doubles("close") == columns.doubles("close"))
        await pool.close()
    }
}
