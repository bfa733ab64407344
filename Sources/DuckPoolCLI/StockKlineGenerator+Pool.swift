import DuckPool
import StockKline

extension StockKlineGenerator {
    /// Loads every row through the pool's column bulk path, one transaction per batch; the next
    /// batch is generated while the current one loads. `progress` gets the rows loaded so far.
    /// The table must exist. Returns the number of rows inserted.
    func load(into pool: DuckPool, progress: @escaping @Sendable (Int) -> Void) async throws -> Int {
        let ranges = batchRanges
        guard let first = ranges.first else { return 0 }
        var next = Task { [self] in batch(symbols: first) }
        var loaded = 0
        for position in ranges.indices {
            let current = await next.value
            if position + 1 < ranges.count {
                let following = ranges[position + 1]
                next = Task { [self] in batch(symbols: following) }
            }
            let before = loaded
            loaded += try await pool.bulkInsert(into: "stock_kline", columns: current, onFlush: { progress(before + $0) })
        }
        return loaded
    }

}
