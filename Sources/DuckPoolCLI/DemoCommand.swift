import StockKline
public import ArgumentParser
import DuckDBKit
import DuckPool
import Foundation
import Logging

/// `duckpool demo`: the README's main job, FactorWeave's story in three acts on one generated (or
/// reused) `stock_kline` file. 1: one connection shared by threads, in a child process, ends
/// badly. 2: the same workload through a ``DuckPool``, with a live status line. 3: the same
/// workload through FactorWeave's own Python pool, when its venv exists. Then recycling, error
/// recovery, a factor example over columns and a summary.
///
/// The file is used by one process at a time: this one generates it and closes it before act 1,
/// the child opens it read-only, each later step opens and closes its own pool, and act 3's
/// Python process has it alone.
public struct DemoCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "FactorWeave's crash, the cure through DuckPool, and FactorWeave's own pool, on a generated stock_kline database.",
        discussion: "Exits non-zero when the demo sees an error it did not provoke."
    )

    @Option(help: "Database file (generated when missing or of another size).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-demo.duckdb").path

    @Option(help: "Number of symbols.")
    var symbols = 500

    @Option(help: "Number of trading days per symbol.")
    var days = 2_500

    @Option(help: "Threads of acts 1 to 3.")
    var threads = 16

    @Option(help: "Queries per thread in acts 1 to 3 (FactorWeave's test ran 100 per worker).")
    var iterations = 100

    @Option(help: "Runs of act 1's child (one run can pass by luck).")
    var crashRuns = 3

    @Option(help: "Seconds after which act 1's child is killed as hung.")
    var childTimeout = 10.0

    @Option(help: "Time limit of act 3 (FactorWeave's Python pool), in seconds.")
    var peerSeconds = 8.0

    public init() {}

    public func validate() throws {
        guard threads >= 1, iterations >= 1, crashRuns >= 1 else {
            throw ValidationError("--threads, --iterations and --crash-runs must be at least 1")
        }
        // Error recovery's duplicate-key fault copies a row of symbol 000001.
        guard symbols >= 2, days > BenchWorkload.rangeWindow else {
            throw ValidationError("--symbols must be at least 2 and --days above \(BenchWorkload.rangeWindow)")
        }
        guard childTimeout > 0, peerSeconds > 0 else {
            throw ValidationError("--child-timeout and --peer-seconds must be positive")
        }
    }

    public func run() async throws {
        let started = monotonicNanoseconds()
        let (rows, universe) = try prepare()
        let out = DemoOutput()
        out.line("DuckPool demo: DuckDB \(Database.libraryVersion), \(db), stock_kline \(DemoFormat.count(rows)) rows (\(universe.symbols.count) symbols x \(universe.dates.count) days)")
        let workload = FactorWeaveWorkload(threads: threads, iterations: iterations, symbols: universe.symbols.count, days: universe.dates.count)
        var logger = Logger(label: "duckpool.demo")
        logger.logLevel = .error // the demo reports what happened itself

        try await DemoCrashAct(path: db, workload: workload, runs: crashRuns, timeoutSeconds: childTimeout).run(out)
        let duckPoolQPS = try await DemoCureAct(path: db, workload: workload, logger: logger).run(out)
        try await DemoPeerAct(path: db, workload: workload, seconds: peerSeconds, duckPoolQPS: duckPoolQPS).run(out)
        try await DemoRecycling(path: db, universe: universe, logger: logger).run(out)
        try await DemoErrorRecovery(path: db, universe: universe, logger: logger).run(out)
        let symbol = universe.symbols.count > 1 ? universe.symbols[1] : universe.symbols[0]
        try await DemoFactorExample(path: db, symbol: symbol, logger: logger).run(out)

        out.printSummary()
        out.line("  demo time (after the build): \(DemoFormat.seconds(Double(monotonicNanoseconds() - started) / 1e9))")
        if out.unexpectedErrors > 0 {
            FileHandle.standardError.write(Data("demo: \(out.unexpectedErrors) unexpected error(s)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Generates the table when it is missing or of another size, reads its symbols and dates,
    /// and closes the file, so that act 1's child can open it.
    private func prepare() throws -> (rows: Int, universe: BenchUniverse) {
        let database = try Database(path: db)
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        let rows = try GenerateCommand.ensure(StockKlineGenerator(symbols: symbols, days: days), connection: connection, force: false)
        return (rows, try BenchUniverse.load(from: connection))
    }
}

extension LatencySummary {
    /// "p50 120 µs, p95 310 µs, p99 900 µs".
    var text: String {
        func format(_ value: Double) -> String { value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value) }
        return "p50 \(format(p50)) µs, p95 \(format(p95)) µs, p99 \(format(p99)) µs"
    }
}
