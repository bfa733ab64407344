import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool bench`: throughput and latency of the pool against the alternatives
/// (connect per query, one shared connection behind a mutex, one dedicated connection per
/// thread), over the workloads shared with the Python peer.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the pool against connect-per-query, shared-mutex and dedicated connections.",
        discussion: """
            Every (mode, workload, workers) cell warms up, then runs for --duration seconds (or \
            --queries per worker) on plain threads. --json prints one JSON object per cell and \
            nothing else on standard output.
            """
    )

    @Option(help: "Database file (generated when missing).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-demo.duckdb").path

    @Option(help: "Comma-separated modes: \(BenchMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode = BenchMode.defaults.map(\.rawValue).joined(separator: ",")

    @Option(help: "Comma-separated workloads: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workload = BenchWorkload.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Comma-separated worker thread counts.")
    var workers = "1,2,4,10,16"

    @Option(help: "Seconds to measure per cell.")
    var duration = 3.0

    @Option(help: "Queries per worker per cell (instead of --duration).")
    var queries: Int?

    @Option(help: "Seconds of warm-up per cell, not measured.")
    var warmup = 0.5

    @Option(help: "Symbols when the database must be generated.")
    var symbols = 500

    @Option(help: "Trading days per symbol when the database must be generated.")
    var days = 2_500

    @Flag(help: "One JSON object per cell on standard output, nothing else.")
    var json = false

    func validate() throws {
        _ = try parsedModes()
        _ = try parsedWorkloads()
        _ = try parsedWorkers()
        guard duration > 0, warmup >= 0 else { throw ValidationError("--duration must be positive and --warmup not negative") }
        if let queries, queries < 1 { throw ValidationError("--queries must be at least 1") }
    }

    func run() async throws {
        let modes = try parsedModes(), workloads = try parsedWorkloads(), workerCounts = try parsedWorkers()
        // One handle kept open for the whole run: every cell shares one warm DuckDB instance.
        let database = try Database(path: db)
        let universe: BenchUniverse
        do {
            let connection = try database.connect()
            defer { connection.close() }
            _ = try GenerateCommand.ensure(StockKlineGenerator(symbols: symbols, days: days), connection: connection, force: false)
            universe = try BenchUniverse.load(from: connection)
        }
        let runner = BenchRunner(
            database: database, universe: universe,
            timing: BenchTiming(duration: duration, queriesPerWorker: queries, warmup: warmup)
        )
        let cells = workloads.flatMap { workload in workerCounts.flatMap { workers in modes.map { (workload, workers, $0) } } }
        let progress = ProgressBar("bench", total: cells.count)
        var results: [BenchCellResult] = []
        for (workload, workers, mode) in cells {
            let result = try await runner.run(mode: mode, workload: workload, workers: workers)
            progress.advance()
            if json {
                print(BenchReport.json(result))
                fflush(nil) // all output streams: a script reading the pipe sees each line at once
            }
            results.append(result)
        }
        progress.finish()
        if !json {
            print("DuckDB \(Database.libraryVersion), \(db): \(universe.symbols.count) symbols x \(universe.dates.count) dates")
            print(BenchReport.table(results, timing: runner.timing))
        }
        database.close()
    }

    private func parsedModes() throws -> [BenchMode] {
        try Self.list(mode, "--mode") { BenchMode(rawValue: $0) }
    }

    private func parsedWorkloads() throws -> [BenchWorkload] {
        try Self.list(workload, "--workload") { BenchWorkload(rawValue: $0) }
    }

    private func parsedWorkers() throws -> [Int] {
        try Self.list(workers, "--workers") { Int($0).flatMap { $0 >= 1 && $0 <= 1_024 ? $0 : nil } }
    }

    private static func list<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws -> [T] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ValidationError("\(option) needs at least one value") }
        return try items.map { item in
            guard let value = parse(item) else { throw ValidationError("\(option): unknown value '\(item)'") }
            return value
        }
    }
}
