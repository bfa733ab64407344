import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool demo`: the README's main job.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate (or reuse) a stock_kline database and run the demo on it."
    )

    @Option(help: "Database file.")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-demo.duckdb").path

    @Option(help: "Number of symbols.")
    var symbols = 500

    @Option(help: "Number of trading days per symbol.")
    var days = 2_500

    func run() throws {
        let database = try Database(path: db)
        let connection = try database.connect()
        let rows = try GenerateCommand.ensure(StockKlineGenerator(symbols: symbols, days: days), connection: connection, force: false)
        print("DuckDB \(Database.libraryVersion), database \(db), stock_kline: \(rows) rows")
        let summary = try connection.query("""
            SELECT count(DISTINCT symbol) AS symbols, min(trade_date) AS first_day, max(trade_date) AS last_day,
                   round(avg(close), 3) AS avg_close, sum(volume) AS total_volume
            FROM stock_kline
            """)
        for row in try summary.rows() {
            for (column, value) in zip(summary.columnNames, row) { print("  \(column): \(value)") }
        }
    }
}
