import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool generate`: writes a deterministic synthetic `stock_kline` database.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Create a deterministic synthetic stock_kline database (symbols x trading days)."
    )

    @Option(help: "Database file to create or extend.")
    var db = "stock_kline.duckdb"

    @Option(help: "Number of symbols.")
    var symbols = 500

    @Option(help: "Number of trading days per symbol.")
    var days = 2_500

    @Flag(help: "Drop and regenerate the table even if it already has the expected rows.")
    var force = false

    func run() throws {
        let connection = try Database(path: db).connect()
        let generator = StockKlineGenerator(symbols: symbols, days: days)
        let rows = try Self.ensure(generator, connection: connection, force: force)
        print("stock_kline in \(db): \(rows) rows (\(symbols) symbols x \(days) days)")
    }

    /// Reuses a table that already has the expected size; otherwise (re)generates it.
    static func ensure(_ generator: StockKlineGenerator, connection: Connection, force: Bool) throws -> Int {
        if !force, StockKlineGenerator.existingRows(in: connection) == generator.expectedRows {
            return generator.expectedRows
        }
        try connection.execute("DROP TABLE IF EXISTS stock_kline")
        let started = ContinuousClock.now
        let rows = try generator.generate(into: connection)
        try connection.execute("CHECKPOINT")
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("generated \(rows) rows in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))\n".utf8))
        return rows
    }
}
