import StockKline
import DuckPoolSupport
import DuckDBKit
import DuckPool
import Foundation
import Logging
import Synchronization

/// The steps of `duckpool demo`, each on plain worker threads (as FactorWeave's ThreadPoolExecutor).
struct DemoScenario: Sendable {
    let path: String
    let universe: BenchUniverse
    let workers: Int
    let queries: Int

    private var quietLogger: Logger {
        var logger = Logger(label: "duckpool.demo")
        logger.logLevel = .error // the demo reports what happened itself
        return logger
    }

    /// FactorWeave's query, decoded in full: the same call for the pool and the shared connection.
    static func seedQuery(_ connection: Connection) throws -> Int {
        let bars = try connection.cachedStatement(BenchWorkload.seedSQL).query().decode(StockBar.self)
        guard bars.count == 10 else { throw DuckDBError(code: .other, message: "expected 10 rows, got \(bars.count)") }
        return bars.count
    }

    // MARK: 1. FactorWeave's test: 10 workers x 100 queries

    /// Runs the main workload on a pool with FactorWeave's defaults; returns the (still open) pool.
    func seedWorkload(_ report: inout DemoReport) async throws -> DuckPool {
        let pool = try await DuckPool.open(path: path, configuration: DuckPoolConfiguration(), logger: quietLogger)
        let (workers, queries) = (self.workers, self.queries)
        let progress = ProgressBar("\(workers) workers x \(queries) queries", total: workers * queries)
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: workers, queriesPerWorker: queries, progress: progress) { _, _ in
                _ = try pool.withConnection { try Self.seedQuery($0) }
            }
        }
        progress.finish()
        let status = pool.status
        report.line("")
        report.line("1. \(workers) worker threads x \(queries) queries (SELECT * FROM stock_kline LIMIT 10), pool with FactorWeave's defaults (\(pool.configuration.minimumConnections) kept, \(pool.configuration.maximumConnections) max)")
        report.line("   queries \(outcome.queries), errors \(outcome.errors.count), \(Int(outcome.qps)) q/s, latency \(outcome.summary.text)")
        report.line("   pool status: \(status.statistics.summary)")
        report.line("   acquire waits: \(Self.histogram(status))")
        report.unexpected(outcome.errors)
        report.check(status.inUse == 0, "pool reports \(status.inUse) connections still in use after the run")
        return pool
    }

    // MARK: 2. Recycling

    /// A pool whose connections live 100 ms: they are replaced while queries keep succeeding.
    func recycling(_ report: inout DemoReport) async throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 4
        configuration.maxLifetime = .milliseconds(100)
        let pool = try await DuckPool.open(path: path, configuration: configuration, logger: quietLogger)
        let universe = self.universe
        let progress = ProgressBar("recycling", total: 0)
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: 4, seconds: 1.0, progress: progress) { worker, index in
                let (symbol, date) = Self.pointParameters(universe, worker: worker, index: index)
                let bars = try pool.query(StockBar.self, BenchWorkload.pointSQL, [symbol, date])
                guard bars.count == 1 else { throw DuckDBError(code: .other, message: "expected 1 bar for \(symbol) \(date), got \(bars.count)") }
            }
        }
        progress.finish()
        let statistics = pool.status.statistics
        await pool.close()
        report.line("")
        report.line("2. Recycling: 4 workers for 1 s of point queries, connections live at most 100 ms")
        report.line("   queries \(outcome.queries), errors \(outcome.errors.count), latency \(outcome.summary.text)")
        report.line("   connections recycled \(statistics.totalRecycled), opened \(statistics.totalCreated) in all")
        report.unexpected(outcome.errors)
        report.check(statistics.totalRecycled > 0, "no connection was recycled although they live 100 ms")
    }

    // MARK: 3. Error recovery

    /// Faults provoked in the middle of a run: each must fail with its typed error, and every
    /// other query must succeed on the same, healthy pool.
    func errorRecovery(_ report: inout DemoReport) async throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 4
        let pool = try await DuckPool.open(path: path, configuration: configuration, logger: quietLogger)
        let universe = self.universe
        let provoked = Mutex<[String]>([])
        let progress = ProgressBar("error recovery", total: 4 * 50)
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: 4, queriesPerWorker: 50, progress: progress) { worker, index in
                if let fault = DemoFault.at(worker: worker, index: index) {
                    provoked.withLock { $0.append(fault.provoke(on: pool)) }
                    return
                }
                let (symbol, date) = Self.pointParameters(universe, worker: worker, index: index)
                _ = try pool.query(StockBar.self, BenchWorkload.pointSQL, [symbol, date])
            }
        }
        progress.finish()
        let after = Result { try pool.query("SELECT count(*) AS n FROM stock_kline").value("n", row: 0) }
        let status = pool.status
        await pool.close()
        let faults = provoked.withLock { $0 }
        report.line("")
        report.line("3. Error recovery: 4 workers x 50 point queries with \(DemoFault.allCases.count) faults provoked mid-run")
        for fault in faults { report.line("   \(fault)") }
        report.line("   other queries \(outcome.queries - faults.count), errors \(outcome.errors.count); afterwards: \(status.statistics.summary)")
        report.unexpected(outcome.errors)
        report.unexpected(faults.filter { $0.contains("UNEXPECTED") })
        report.check(faults.count == DemoFault.allCases.count, "only \(faults.count) of \(DemoFault.allCases.count) faults ran")
        report.check(status.inUse == 0, "\(status.inUse) connections still in use after the run")
        report.check(status.statistics.totalClosed == 0, "\(status.statistics.totalClosed) connections were discarded; ordinary errors must not cost a connection")
        if case .failure(let error) = after { report.unexpected(["query after the faults: \(error)"]) }
    }

    // MARK: 4. Comparison

    /// The main workload again on the warm pool and on one connection behind a mutex, three
    /// alternating rounds each; the best round of each is compared (this machine may be busy).
    func comparison(_ report: inout DemoReport, database: Database, pool: DuckPool) async throws {
        let (workers, queries) = (self.workers, self.queries)
        let shared = try SharedConnection(database: database)
        let rounds = await onPlainThread { () -> [(pooled: DemoWorkers.Outcome, mutexed: DemoWorkers.Outcome)] in
            // One unmeasured round on the shared connection, so that both run warm.
            _ = DemoWorkers.run(workers: workers, queriesPerWorker: queries) { _, _ in _ = try shared.withConnection(Self.seedQuery) }
            return (0..<3).map { _ in
                let mutexed = DemoWorkers.run(workers: workers, queriesPerWorker: queries) { _, _ in _ = try shared.withConnection(Self.seedQuery) }
                let pooled = DemoWorkers.run(workers: workers, queriesPerWorker: queries) { _, _ in _ = try pool.withConnection { try Self.seedQuery($0) } }
                return (pooled, mutexed)
            }
        }
        let status = pool.status
        await pool.close()
        shared.close()
        for round in rounds { report.unexpected(round.pooled.errors + round.mutexed.errors) }
        guard let pooled = rounds.map(\.pooled).max(by: { $0.qps < $1.qps }),
              let mutexed = rounds.map(\.mutexed).max(by: { $0.qps < $1.qps }) else { return }
        report.line("")
        report.line("4. Same \(workers) x \(queries) workload, warm, best of 3 rounds: pool \(pooled.summary.text); shared-mutex \(mutexed.summary.text)")
        report.line("   pool after all runs: size \(status.size), in use \(status.inUse), created \(status.statistics.totalCreated), acquires \(status.acquireWaits.map(\.count).reduce(0, +))")
        report.line("")
        let ratio = mutexed.qps > 0 ? pooled.qps / mutexed.qps : 0
        report.line("pool \(workers) workers: \(Int(pooled.qps)) q/s, shared-mutex: \(Int(mutexed.qps)) q/s (\(String(format: "%.1f", ratio))x)")
    }

    /// "≤10 µs: 981, ≤100 µs: 3, ..." (empty buckets left out).
    static func histogram(_ status: DuckPoolStatus) -> String {
        status.acquireWaits.filter { $0.count > 0 }.map(\.description).joined(separator: ", ")
    }

    /// Deterministic (symbol, date) for a worker's query number.
    static func pointParameters(_ universe: BenchUniverse, worker: Int, index: Int) -> (String, DuckDBDate) {
        var random = SplitMix64(seed: UInt64(worker) << 32 | UInt64(index))
        return (universe.symbols[random.index(below: universe.symbols.count)], universe.dates[random.index(below: universe.dates.count)])
    }
}

/// One connection shared by threads behind a lock (the alternative the pool is compared with).
// @unchecked Sendable: `connection` is only used while `lock` is held.
final class SharedConnection: @unchecked Sendable {
    private let lock = NSLock()
    private let connection: Connection

    init(database: Database) throws { connection = try database.connect() }

    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try lock.withLock { try body(connection) }
    }

    func close() { lock.withLock { connection.close() } }
}
