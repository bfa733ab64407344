import DuckPool
import Logging
import DuckPoolSupport

/// A step of `duckpool demo`: the faults of ``DemoFault`` provoked in the middle of a run of point
/// queries. Each must fail with its typed error, every other query must succeed, and the pool
/// must come out healthy, without having discarded a connection.
struct DemoErrorRecovery {
    let path: String
    let universe: BenchUniverse
    let logger: Logger

    func run(_ out: DemoOutput) async throws {
        out.heading("Error recovery: 4 workers x 50 point queries with \(DemoFault.allCases.count) faults provoked mid-run")
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 4
        let pool = try await DuckPool.open(path: path, configuration: configuration, logger: logger)
        let universe = self.universe
        let provoked = LockedValue<[String]>([])
        let progress = ProgressBar("error recovery", total: 4 * 50)
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: 4, queriesPerWorker: 50, progress: progress) { worker, index in
                if let fault = DemoFault.at(worker: worker, index: index) {
                    provoked.withLock { $0.append(fault.provoke(on: pool)) }
                    return
                }
                try DemoRecycling.pointQuery(pool, universe, worker: worker, index: index)
            }
        }
        progress.finish()
        let after = Result { try pool.query("SELECT count(*) AS n FROM stock_kline").value("n", row: 0) }
        let status = pool.status
        await pool.close()
        let faults = provoked.withLock { $0 }
        for fault in faults { out.line("  \(fault)") }
        let others = outcome.queries + outcome.errors.count + outcome.wrong.count - faults.count
        out.line("  other queries \(others), errors \(outcome.errors.count), wrong results \(outcome.wrong.count); afterwards: \(status.statistics.summary)")
        out.line("  connections discarded: \(status.statistics.totalClosed) (an error in a query must not cost its connection)")
        out.unexpected(outcome.errors + outcome.wrong)
        out.unexpected(faults.filter { $0.contains("UNEXPECTED") })
        out.check(faults.count == DemoFault.allCases.count, "only \(faults.count) of \(DemoFault.allCases.count) faults ran")
        out.check(status.inUse == 0, "\(status.inUse) connections still in use after the run")
        out.check(status.statistics.totalClosed == 0, "\(status.statistics.totalClosed) connections were discarded; ordinary errors must not cost a connection")
        if case .failure(let error) = after { out.unexpected(["query after the faults: \(error)"]) }
        let typed = faults.filter { !$0.contains("UNEXPECTED") }.count
        out.summarize(
            "error recovery",
            "\(typed) of \(DemoFault.allCases.count) faults gave their typed error; \(others) other queries, "
                + "\(outcome.errors.count + outcome.wrong.count) failed; \(status.statistics.totalClosed) connections discarded"
        )
    }
}
