import StockKline
public import ArgumentParser
import DuckDBKit
import DuckPool
import Foundation

/// `duckpool bench-load`: how fast the pool bulk-loads `stock_kline` rows, from column arrays
/// and, for contrast, from `Encodable` rows. The rows are generated in memory first; only the
/// load is timed, commit included, each run into a fresh database file.
public struct BenchLoadCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "bench-load",
        abstract: "Bulk-load N generated stock_kline rows into a fresh file and report rows/s (column and Encodable paths)."
    )

    @Option(help: "Database file to create (replaced on every run; the Encodable path uses PATH.rows).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-bench-load.duckdb").path

    @Option(help: "Rows to load (a multiple of --days is used: whole symbols).")
    var rows = 5_000_000

    @Option(help: "Trading days per symbol.")
    var days = 2_500

    @Option(name: .customLong("repeat"), help: "Repetitions of each path; the best is reported.")
    var repetitions = 1

    @Option(help: "Rows between appender flushes (the pool's bulkInsert default: 122,880).")
    var flushEvery = 122_880

    @Option(help: "DuckDB worker threads (default: one per core).")
    var threads: Int?

    @Flag(help: "Create the table without its primary key (to see what the index costs).")
    var noPrimaryKey = false

    @Flag(help: "Skip the Encodable-row path.")
    var columnsOnly = false

    @Option(help: "Also write the loaded rows to this Parquet file (for the pandas peer).")
    var exportParquet: String?

    @Flag(help: "Print one JSON object per path instead of text.")
    var json = false

    public init() {}

    public func run() async throws {
        let generator = StockKlineGenerator(symbols: max(1, rows / days), days: days)
        let columns = generator.columns(symbols: 0..<generator.symbols)
        let batch = columns.batch
        var best = Duration.seconds(1_000_000)
        for _ in 0..<repetitions {
            best = min(best, try await timeLoad(into: db) { pool in
                try await pool.bulkInsert(into: "stock_kline", columns: batch, flushEvery: flushEvery)
            })
        }
        report("duckpool-columns", rows: batch.rowCount, best)
        if let exportParquet {
            let pool = try await DuckPool.open(path: db)
            try await pool.export("SELECT * FROM stock_kline ORDER BY symbol, trade_date", to: exportParquet, format: .parquet)
            await pool.close()
        }
        guard !columnsOnly else { return }
        let bars = columns.bars
        best = .seconds(1_000_000)
        for _ in 0..<repetitions {
            best = min(best, try await timeLoad(into: db + ".rows") { pool in
                try await pool.bulkInsert(into: "stock_kline", rows: bars, flushEvery: flushEvery)
            })
        }
        report("duckpool-encodable", rows: bars.count, best)
        Self.remove(db + ".rows")
    }

    /// Opens a pool on a fresh file with an empty table, times `load`, closes the pool.
    private func timeLoad(into path: String, _ load: @escaping @Sendable (DuckPool) async throws -> Int) async throws -> Duration {
        Self.remove(path)
        var configuration = DuckPoolConfiguration.bulkImport
        configuration.database.threads = threads
        let pool = try await DuckPool.open(path: path, configuration: configuration)
        do {
            let create = StockKline.createTable
            try await pool.execute(noPrimaryKey ? create.replacingOccurrences(of: "NOT NULL,\n    PRIMARY KEY (symbol, trade_date)", with: "NOT NULL") : create)
            let started = ContinuousClock.now
            _ = try await load(pool)
            let elapsed = ContinuousClock.now - started
            await pool.close()
            return elapsed
        } catch {
            await pool.close()
            throw error
        }
    }

    private func report(_ implementation: String, rows: Int, _ elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(rows) / seconds
        if json {
            print(#"{"impl":"\#(implementation)","rows":\#(rows),"seconds":\#(seconds),"rows_per_s":\#(Int(rate))}"#)
        } else {
            print("\(implementation): \(rows) rows in \(String(format: "%.3f", seconds)) s = \(Int(rate)) rows/s")
        }
    }

    private static func remove(_ path: String) {
        for file in [path, path + ".wal"] { try? FileManager.default.removeItem(atPath: file) }
    }
}
