import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// Pooled connections live long: their prepared statements are reused across leases.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct PooledStatementCacheTests {
    @Test func conveniencesReuseStatementsAcrossLeases() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        for _ in 0..<3 {
            let bars = try await pool.query(Bar.self, "SELECT * FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000001"])
            #expect(bars.count == 50)
        }
        #expect(try await onPlainThread { try pool.query(Bar.self, "SELECT * FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000002"]).count } == 50)
        let statistics = try await pool.withConnection { $0.statementCacheStatistics }
        #expect(statistics.misses == 1)
        #expect(statistics.hits == 3)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func droppedTableIsATypedErrorAndThePoolStaysHealthy() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        #expect(try await pool.query("SELECT n FROM counters WHERE id = ?", [1]).rows == [[.int(0)]])
        try await pool.execute("DROP TABLE counters")
        let error = await #expect(throws: DuckDBError.self) { try await pool.query("SELECT n FROM counters WHERE id = ?", [1]) }
        #expect(error?.code == .binder)
        try await pool.execute("CREATE TABLE counters (id INTEGER, n VARCHAR)")
        try await pool.execute("INSERT INTO counters VALUES (?, ?)", [1, "seven"])
        #expect(try await pool.query("SELECT n FROM counters WHERE id = ?", [1]).rows == [[.string("seven")]])
        let status = pool.status
        #expect(status.statistics.totalCreated == 1) // the stale statement did not cost the connection
        #expect(status.inUse == 0)
        await pool.close()
    }

    @Test func recreatedConnectionsStartWithAnEmptyCache() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        _ = try await pool.query("SELECT count(*) FROM stock_kline WHERE symbol = ?", ["000001"])
        #expect(try await pool.withConnection { $0.cachedStatementCount } == 1)
        pool.recreate()
        #expect(try await pool.withConnection { $0.cachedStatementCount } == 0)
        await pool.close()
    }
}
