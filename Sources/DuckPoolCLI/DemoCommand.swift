import StockKline
public import ArgumentParser
import DuckDBKit
import DuckPool
import Foundation
import Logging

/// `duckpool demo`: the README's main job. Generates (or reuses) a `stock_kline` database and
/// runs FactorWeave's scenario through the pool: 10 workers x 100 queries, connection recycling,
/// error recovery, and a comparison with one connection behind a mutex.
public struct DemoCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate (or reuse) a stock_kline database and run FactorWeave's pool scenario on it.",
        discussion: "Exits non-zero when the scenario sees an error it did not provoke."
    )

    @Option(help: "Database file (generated when missing).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-demo.duckdb").path

    @Option(help: "Number of symbols.")
    var symbols = 500

    @Option(help: "Number of trading days per symbol.")
    var days = 2_500

    @Option(help: "Worker threads of the main scenario.")
    var workers = 10

    @Option(help: "Queries per worker of the main scenario.")
    var queries = 100

    public init() {}

    public func validate() throws {
        guard workers >= 1, queries >= 1, symbols >= 1, days > BenchWorkload.rangeWindow else {
            throw ValidationError("--workers and --queries must be at least 1, --days above \(BenchWorkload.rangeWindow)")
        }
    }

    public func run() async throws {
        let database = try Database(path: db)
        let universe: BenchUniverse
        let rows: Int
        do {
            let connection = try database.connect()
            defer { connection.close() }
            rows = try GenerateCommand.ensure(StockKlineGenerator(symbols: symbols, days: days), connection: connection, force: false)
            universe = try BenchUniverse.load(from: connection)
        }
        var report = DemoReport()
        report.line("DuckPool demo: DuckDB \(Database.libraryVersion), \(db), stock_kline \(rows) rows (\(universe.symbols.count) symbols x \(universe.dates.count) days)")

        let scenario = DemoScenario(path: db, universe: universe, workers: workers, queries: queries)
        let poolRun = try await scenario.seedWorkload(&report)
        try await scenario.recycling(&report)
        try await scenario.errorRecovery(&report)
        try await scenario.comparison(&report, database: database, pool: poolRun)
        database.close()

        print(report.text)
        if report.unexpectedErrors > 0 {
            FileHandle.standardError.write(Data("demo: \(report.unexpectedErrors) unexpected error(s)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// The demo's printed report and its count of unexpected errors.
struct DemoReport {
    private(set) var lines: [String] = []
    private(set) var unexpectedErrors = 0

    mutating func line(_ text: String) { lines.append(text) }

    mutating func unexpected(_ errors: [String]) {
        unexpectedErrors += errors.count
        for error in errors.prefix(5) { lines.append("  UNEXPECTED: \(error)") }
        if errors.count > 5 { lines.append("  ... and \(errors.count - 5) more") }
    }

    mutating func check(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if !condition { unexpected([failure()]) }
    }

    var text: String { lines.joined(separator: "\n") }
}

extension LatencySummary {
    /// "p50 120 µs, p95 310 µs, p99 900 µs".
    var text: String {
        func format(_ value: Double) -> String { value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value) }
        return "p50 \(format(p50)) µs, p95 \(format(p95)) µs, p99 \(format(p99)) µs"
    }
}
