import DuckPool
import Logging

/// Act 2 of `duckpool demo`: act 1's workload (the same threads, queries and result checks) on
/// the same file, through a ``DuckPool`` with FactorWeave's sizes, with a live status line.
/// Every error and wrong result is unexpected.
struct DemoCureAct {
    let path: String
    let workload: FactorWeaveWorkload
    let logger: Logger

    /// Runs the act; returns its queries per second (queries with the right result), for act 3's
    /// comparison.
    func run(_ out: DemoOutput) async throws -> Double {
        out.heading("Act 2: the cure. The same \(workload.threads) threads, queries and checks through DuckPool")
        let pool = try await DuckPool.open(path: path, configuration: DuckPoolConfiguration(), logger: logger)
        let configuration = pool.configuration
        out.line("  A pool with FactorWeave's sizes (\(configuration.minimumConnections) kept, \(configuration.maximumConnections) at most) on \(path);")
        out.line("  each query leases a connection, runs, and gives it back (the blocking API, on plain threads).")
        let workload = self.workload
        let counter = DemoCounter()
        let statusLine = DemoStatusLine(pool: pool, counter: counter)
        statusLine.start()
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: workload.threads, queriesPerWorker: workload.iterations) { thread, iteration in
                defer { counter.increment() }
                let query = workload.query(thread: thread, iteration: iteration)
                if let mismatch = query.mismatch(try query.result(on: pool)) { throw WrongResult(description: mismatch) }
            }
        }
        statusLine.finish()
        let status = pool.status
        await pool.close()

        let total = outcome.queries + outcome.errors.count + outcome.wrong.count
        out.line("  \(DemoFormat.count(total)) queries in \(DemoFormat.seconds(outcome.seconds)): \(DemoFormat.count(outcome.errors.count, "error")), "
            + "\(DemoFormat.count(outcome.wrong.count, "wrong result")), \(DemoFormat.qps(outcome.qps))")
        out.line("  latency \(outcome.summary.text)")
        out.line("  pool at the end: \(status.statistics.summary); \(status.statistics.totalCreated) connections opened in all")
        out.line("  acquire waits: \(DemoFormat.histogram(status))")
        out.unexpected(outcome.errors + outcome.wrong)
        out.check(status.inUse == 0, "the pool reports \(status.inUse) connections still in use after the run")
        out.summarize(
            "2. DuckPool",
            "\(DemoFormat.count(total)) queries, \(DemoFormat.count(outcome.errors.count, "error")), \(DemoFormat.count(outcome.wrong.count, "wrong result")), "
                + "\(DemoFormat.qps(outcome.qps)), \(status.statistics.totalCreated) connections opened"
        )
        return outcome.qps
    }
}
