import DuckPool
import DuckPoolSupport
import Logging
import StockKline

/// A step of `duckpool demo`: a pool whose connections live at most 100 ms, under 4 workers for
/// a second of point queries. Connections must be replaced while every query keeps succeeding.
struct DemoRecycling {
    let path: String
    let universe: BenchUniverse
    let logger: Logger

    func run(_ out: DemoOutput) async throws {
        out.heading("Recycling: connections live at most 100 ms while 4 workers run point queries for 1 s")
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 4
        configuration.maxLifetime = .milliseconds(100)
        let pool = try await DuckPool.open(path: path, configuration: configuration, logger: logger)
        let universe = self.universe
        let progress = ProgressBar("recycling", total: 0)
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: 4, seconds: 1.0, progress: progress) { worker, index in
                try Self.pointQuery(pool, universe, worker: worker, index: index)
            }
        }
        progress.finish()
        let statistics = pool.status.statistics
        await pool.close()
        out.line("  \(DemoFormat.count(outcome.queries)) queries, \(DemoFormat.count(outcome.errors.count, "error")), \(DemoFormat.count(outcome.wrong.count, "wrong result")), latency \(outcome.summary.text)")
        out.line("  connections recycled \(statistics.totalRecycled), opened \(statistics.totalCreated) in all")
        out.unexpected(outcome.errors + outcome.wrong)
        out.check(statistics.totalRecycled > 0, "no connection was recycled although they live 100 ms")
        out.summarize(
            "recycling",
            "\(statistics.totalRecycled) connections recycled under load, \(outcome.errors.count + outcome.wrong.count) failed queries of \(DemoFormat.count(outcome.queries + outcome.errors.count + outcome.wrong.count))"
        )
    }

    /// A worker's point query number `index` (a deterministic symbol and date), which must return
    /// exactly one bar. Blocking.
    /// - Throws: the pool's errors, or ``WrongResult``.
    static func pointQuery(_ pool: DuckPool, _ universe: BenchUniverse, worker: Int, index: Int) throws {
        var random = SplitMix64(seed: UInt64(worker) << 32 | UInt64(index))
        let symbol = universe.symbols[random.index(below: universe.symbols.count)]
        let date = universe.dates[random.index(below: universe.dates.count)]
        let bars = try pool.query(StockBar.self, BenchWorkload.pointSQL, [symbol, date])
        guard bars.count == 1 else { throw WrongResult(description: "\(bars.count) bars for \(symbol) \(date), expected 1") }
    }
}
