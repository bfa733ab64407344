public import ArgumentParser
import DuckDBKit
import Foundation
import StockKline

/// `duckpool bench-columns`: how fast DuckDBKit reads a whole `stock_kline` table (all 8 columns)
/// into a `ColumnarResult` (one typed array and NULL bitmap per column), timed from the query's
/// start to the last column filled. The Swift half of `comparisons/columns-vs-python.sh`, whose
/// Python half reads the same file and query with `fetchnumpy()` and `.df()`.
///
/// The table holds exactly `--rows` rows (whole symbols of `--days` days) and the query is a plain
/// `SELECT * FROM stock_kline`: with a `LIMIT` below the table's size DuckDB 1.5 plans a rowid
/// semi-join and a sort (late materialisation), which would time DuckDB's plan more than the read.
public struct BenchColumnsCommand: ParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "bench-columns",
        abstract: "Read a stock_kline table of N rows (all 8 columns) into a ColumnarResult and report rows/s (best and median of --repeat)."
    )

    @Option(help: "Database file (generated with --rows rows when it holds a different number).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-bench-columns.duckdb").path

    @Option(help: "Rows in the table, all read by SELECT * FROM stock_kline (a multiple of --days is used: whole symbols).")
    var rows = 1_000_000

    @Option(help: "Trading days per symbol.")
    var days = 2_500

    @Option(name: .customLong("repeat"), help: "Timed repetitions; best and median are reported.")
    var repetitions = 10

    @Option(help: "Untimed runs first (file cache, DuckDB buffer pool).")
    var warmup = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Also time the same query with its chunks fetched but not read (DuckDB's share: the floor for any reader).")
    var fetchOnly = false

    public init() {}

    public func run() throws {
        let connection = try Database(path: db).connect()
        let generator = StockKlineGenerator(symbols: max(1, rows / max(1, days)), days: max(1, days))
        _ = try GenerateCommand.ensure(generator, connection: connection, force: false)
        let sql = "SELECT * FROM stock_kline"
        for _ in 0..<warmup { _ = try connection.queryColumns(sql) }
        var times: [Double] = []
        var last: ColumnarResult?
        for _ in 0..<max(1, repetitions) {
            last = nil // free the previous result outside the timed region
            let started = ContinuousClock.now
            let result = try connection.queryColumns(sql)
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            last = result
        }
        guard let result = last else { return }
        let floor = fetchOnly ? try fetchOnlySeconds(sql, on: connection) : nil
        let close = try result.doubles("close").values
        let checksum = close.reduce(0, +)
        times.sort()
        let best = times[0]
        let median = Self.median(times)
        let count = result.rowCount
        if json {
            let floorField = floor.map { #","fetch_only_best_seconds":\#($0.best),"fetch_only_median_seconds":\#($0.median)"# } ?? ""
            print(#"{"impl":"duckpool-columns","rows":\#(count),"columns":\#(result.columnCount),"repeat":\#(times.count),"best_seconds":\#(best),"median_seconds":\#(median),"rows_per_s":\#(Int(Double(count) / best)),"median_rows_per_s":\#(Int(Double(count) / median)),"close_sum":\#(checksum)\#(floorField)}"#)
        } else {
            print("DuckDBKit columns: \(count) rows x \(result.columnCount) columns; best \(String(format: "%.4f", best)) s = \(Int(Double(count) / best)) rows/s, median \(String(format: "%.4f", median)) s over \(times.count) runs")
            if let floor {
                print("query + fetch only (chunks not read): best \(String(format: "%.4f", floor.best)) s, median \(String(format: "%.4f", floor.median)) s")
            }
        }
    }

    /// Best and median time of running `sql` and fetching every chunk without reading it.
    private func fetchOnlySeconds(_ sql: String, on connection: Connection) throws -> (best: Double, median: Double) {
        var times: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let started = ContinuousClock.now
            _ = try connection.query(sql).countRows()
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        times.sort()
        return (times[0], Self.median(times))
    }

    /// The median of sorted `times`.
    static func median(_ times: [Double]) -> Double {
        times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }
}
