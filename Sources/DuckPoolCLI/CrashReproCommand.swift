import StockKline
public import ArgumentParser
import DuckPool
import Foundation
import Logging

/// `duckpool crash-repro`: why pools exist. A child process shares one DuckDB connection between
/// threads with no guard (FactorWeave's bug) and the parent reports how it ended; then the same
/// workload runs through a `DuckPool` in this process, without an error. `duckpool demo` tells
/// the same story on a database file; this command uses a small table in memory.
public struct CrashReproCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "crash-repro",
        abstract: "Show FactorWeave's crash (threads sharing one connection) in a child process, then the same workload through a pool.",
        discussion: """
            The child re-executes this program (/proc/self/exe) with a hidden subcommand and uses \
            DuckDB's C API directly: DuckDBKit's Connection would refuse the sharing. The parent \
            survives whatever happens to the child, repeats up to --attempts times until it fails, \
            and kills it after --timeout seconds.
            """
    )

    @Option(help: "Threads sharing the one connection (and threads using the pool).")
    var threads = 8

    @Option(help: "Queries per thread.")
    var iterations = 500

    @Option(help: "Child runs to try until one fails.")
    var attempts = 5

    @Option(help: "Seconds after which a hung child is killed.")
    var timeout = 60

    public init() {}

    public func validate() throws {
        guard threads > 0, iterations > 0, attempts > 0, timeout > 0 else {
            throw ValidationError("--threads, --iterations, --attempts and --timeout must be positive")
        }
    }

    public func run() async throws {
        let kline = StockKline.Size(symbols: 50, days: 100)
        let workload = FactorWeaveWorkload(threads: threads, iterations: iterations, symbols: kline.symbols, days: kline.days)
        print("crash-repro: \(threads) threads share ONE DuckDB connection (raw C API, no guard), \(iterations) queries each, in a child process")
        var failed = false
        for attempt in 1...attempts {
            let outcome = try await ChildProcess.run(try ChildProcess.thisExecutable(), [
                "crash-repro-child", "--threads", "\(threads)", "--iterations", "\(iterations)",
                "--symbols", "\(kline.symbols)", "--days", "\(kline.days)",
            ], timeoutSeconds: Double(timeout))
            print("attempt \(attempt): the child \(outcome.exit)")
            let report = CrashChildReport(lastLineOf: outcome.lines)
            let printed = report == nil ? outcome.lines : outcome.lines.dropLast()
            for line in printed.prefix(8) { print("    \(line)") }
            if printed.count > 8 { print("    ... \(printed.count - 8) more lines") }
            if let report {
                print("    \(report.completed) queries: \(report.errors) DuckDB errors, \(report.wrong) wrong results")
            }
            if outcome.exit != ChildExit(.exited(0)) {
                failed = true
                break
            }
        }
        if !failed { print("the child survived \(attempts) attempt(s); try more --threads, --iterations or --attempts") }

        print("")
        print("the same workload through a DuckPool: \(threads) threads, \(iterations) queries each")
        let (outcome, elapsed) = try await runThroughPool(kline, workload)
        print(String(format: "pool: %d queries, %d errors, %.2f s", outcome.queries + outcome.errors.count + outcome.wrong.count,
                     outcome.errors.count + outcome.wrong.count, elapsed))
        for line in (outcome.errors + outcome.wrong).prefix(5) { print("    \(line)") }
        if !outcome.errors.isEmpty || !outcome.wrong.isEmpty { throw ExitCode(1) }
    }

    /// The child's workload through a pool of in-memory connections, on plain threads.
    private func runThroughPool(_ kline: StockKline.Size, _ workload: FactorWeaveWorkload) async throws -> (DemoWorkers.Outcome, Double) {
        var logger = Logger(label: "duckpool.crash-repro")
        logger.logLevel = .error
        var configuration = DuckPoolConfiguration()
        configuration.database.threads = 1
        let pool = try await DuckPool.open(path: ":memory:", configuration: configuration, logger: logger)
        for statement in kline.createStatements { try await pool.execute(statement) }
        let outcome = await onPlainThread {
            DemoWorkers.run(workers: workload.threads, queriesPerWorker: workload.iterations) { thread, iteration in
                let query = workload.query(thread: thread, iteration: iteration)
                if let mismatch = query.mismatch(try query.result(on: pool)) { throw WrongResult(description: mismatch) }
            }
        }
        await pool.close()
        return (outcome, outcome.seconds)
    }
}
