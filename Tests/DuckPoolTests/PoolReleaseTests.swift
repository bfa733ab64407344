@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// What a pool allocates is freed once it is closed and dropped: nothing it made keeps another
/// part of it alive (a long-running service opens and closes pools, and `make leaks` checks
/// the CLI's processes at exit).
@Suite(.testThreads, .timeLimit(.minutes(1))) struct PoolReleaseTests {
    /// Holds weak references to a pool's parts.
    private struct Parts {
        weak var pool: DuckPool?
        weak var readers: AnyObject?
        weak var writer: AnyObject?
        weak var generations: AnyObject?

        var alive: [String] {
            [("pool", pool as AnyObject?), ("readers", readers), ("writer", writer), ("generations", generations)]
                .compactMap { $0.1 == nil ? nil : $0.0 }
        }
    }

    @Test(arguments: [WriteLane.shared, .dedicatedWriter])
    func aClosedPoolIsFreedWithEveryPart(lane: WriteLane) async throws {
        let fixture = try PoolFixture()
        var parts = Parts()
        do {
            let pool = try await fixture.makePool { $0.writeLane = lane }
            _ = try await pool.query("SELECT count(*) FROM stock_kline")
            try await pool.transaction { try $0.execute("UPDATE counters SET n = n + 1 WHERE id = 1") }
            parts.pool = pool
            parts.readers = pool.readers
            parts.writer = pool.writer
            parts.generations = pool.generations
            await pool.close()
        }
        #expect(parts.alive == [])
    }
}
