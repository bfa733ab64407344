import DuckPoolSupport
import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct QueryProgressPoolTests {
    /// A query that would run for hours (DuckDB estimates progress for table scans, not `range()`).
    static let endlessQuery = "SELECT sum(hash(a.i * b.i)) FROM big a, big b"

    private func makePool(_ fixture: PoolFixture, connections: Int = 2) async throws -> DuckPool {
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = connections }
        try await pool.execute("CREATE TABLE big AS SELECT range AS i FROM range(1000000)")
        return pool
    }

    @Test(.timeLimit(.minutes(1)))
    func theStreamReportsProgressAndFinishesWhenTheWorkIsCancelled() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture, connections: 1)
        let run = pool.withProgress(every: .milliseconds(5)) { connection in
            try connection.query(Self.endlessQuery).rows()
        }
        var updates = run.progress.makeAsyncIterator()
        var moving: QueryProgress?
        while let progress = await updates.next() {
            if progress.percentage > 0 { moving = progress; break }
        }
        #expect(moving.map { $0.rowsProcessed > 0 && $0.percentage < 100 } == true)
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        while await updates.next() != nil {} // drains what was buffered, then ends: the stream finished
        #expect(await updates.next() == nil)
        // The one connection is back, usable, and still tracks progress.
        #expect(try await pool.query("SELECT 42").rows == [[.int(42)]])
        #expect(try await pool.query("SELECT current_setting('enable_progress_bar')").rows == [[.bool(true)]])
        #expect(pool.status.inUse == 0)
        await pool.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func theCallbackFormSeesProgressAndCanStopTheQuery() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        let seen = LockedValue<[QueryProgress]>([])
        let stop = LockedValue<(@Sendable () -> Void)?>(nil)
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.withConnection(progressEvery: .milliseconds(5), onProgress: { progress in
                seen.withLock { $0.append(progress) }
                if progress.percentage > 0 { stop.withLock { $0?() } }
            }) { connection in
                let handle = connection.interruptHandle
                stop.withLock { $0 = { handle.interrupt() } }
                return try connection.query(Self.endlessQuery).rows()
            }
        }
        #expect(error?.code == .interrupted)
        #expect(seen.withLock { $0.contains { $0.percentage > 0 } })
        let rows = try await pool.query("SELECT count(*) FROM stock_kline", progressEvery: .milliseconds(5), onProgress: { _ in })
        #expect(rows.rows == [[.int(1)]])
        await pool.close()
    }
}
