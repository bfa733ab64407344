import StockKline
public import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool bench`: throughput and latency of the pool against the alternatives
/// (connect per query, one shared connection behind a mutex, one dedicated connection per
/// thread), over the workloads shared with the Python peer.
public struct BenchCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the pool against connect-per-query, shared-mutex and dedicated connections.",
        discussion: """
            Every (mode, workload, workers) cell warms up, then runs for --duration seconds (or \
            --queries per worker) on plain threads. With --rounds N, each cell is measured in N \
            rounds of --duration/N seconds (or --queries per worker each), and the modes of one \
            workload and worker count take turns running first, so that none of them always \
            meets the process still warming up. --json prints one JSON object per cell and \
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

    @Option(help: "Seconds of warm-up per cell (per round), not measured.")
    var warmup = 0.5

    @Option(help: "Rounds per cell; the order of the modes rotates between rounds.")
    var rounds = 1

    @Option(help: "Symbols when the database must be generated.")
    var symbols = 500

    @Option(help: "Trading days per symbol when the database must be generated.")
    var days = 2_500

    @Flag(help: "One JSON object per cell on standard output, nothing else.")
    var json = false

    public init() {}

    public func validate() throws {
        _ = try parsedModes()
        _ = try parsedWorkloads()
        _ = try parsedWorkers()
        guard duration > 0, warmup >= 0 else { throw ValidationError("--duration must be positive and --warmup not negative") }
        if let queries, queries < 1 { throw ValidationError("--queries must be at least 1") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    public func run() async throws {
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
            timing: BenchTiming(duration: duration / Double(rounds), queriesPerWorker: queries, warmup: warmup),
            clock: .continuous
        )
        let progress = ProgressBar("bench", total: workloads.count * workerCounts.count * modes.count * rounds)
        var results: [BenchCellResult] = []
        for workload in workloads {
            for workers in workerCounts {
                var samples: [BenchMode: BenchCellSamples] = [:]
                for round in 0..<rounds {
                    for mode in Self.rotated(modes, by: round) {
                        let measured = try await runner.run(mode: mode, workload: workload, workers: workers)
                        if samples[mode] == nil { samples[mode] = measured } else { samples[mode]?.absorb(measured) }
                        progress.advance()
                    }
                }
                for mode in modes {
                    guard let result = samples[mode]?.result else { continue }
                    if json {
                        print(BenchReport.json(result))
                        fflush(nil) // all output streams: a script reading the pipe sees each line at once
                    }
                    results.append(result)
                }
            }
        }
        progress.finish()
        if !json {
            print("DuckDB \(Database.libraryVersion), \(db): \(universe.symbols.count) symbols x \(universe.dates.count) dates")
            print(BenchReport.table(results, timing: runner.timing, rounds: rounds))
        }
        database.close()
    }

    /// `modes` starting at index `round` (mod count): round 0 keeps the given order.
    static func rotated(_ modes: [BenchMode], by round: Int) -> [BenchMode] {
        let shift = round % modes.count
        return Array(modes[shift...] + modes[..<shift])
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
