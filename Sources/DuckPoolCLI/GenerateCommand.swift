import StockKline
public import ArgumentParser
import DuckDBKit
import DuckPool
import Foundation

/// `duckpool generate`: writes a deterministic synthetic `stock_kline` database through the
/// pool's column bulk-import path, with a progress bar on a terminal.
public struct GenerateCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
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

    public init() {}

    public func run() async throws {
        let pool = try await DuckPool.open(path: db, configuration: .bulkImport)
        do {
            let rows = try await Self.ensure(StockKlineGenerator(symbols: symbols, days: days), pool: pool, force: force)
            print("stock_kline in \(db): \(rows) rows (\(symbols) symbols x \(days) days)")
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// Reuses a table that already has the expected size; otherwise (re)generates it through
    /// `pool.bulkInsert(into:columns:)`, one transaction per batch of about 125,000 rows. A run
    /// stopped half-way leaves a table of the wrong size, which the next run replaces.
    static func ensure(_ generator: StockKlineGenerator, pool: DuckPool, force: Bool) async throws -> Int {
        let existing = try await pool.withConnection { StockKline.rowCount(in: $0) }
        if !force, existing == generator.expectedRows { return generator.expectedRows }
        try await pool.execute("DROP TABLE IF EXISTS stock_kline")
        try await pool.execute(StockKline.createTable)
        let started = ContinuousClock.now
        let bar = ProgressBar("generate", total: generator.expectedRows)
        let rows = try await generator.load(into: pool, progress: { bar.update(completed: $0) })
        bar.finish()
        try await pool.execute("CHECKPOINT")
        report(rows: rows, since: started)
        return rows
    }

    /// The same on one connection (the demo and bench commands): DuckDBKit's column appender, in
    /// one transaction.
    static func ensure(_ generator: StockKlineGenerator, connection: Connection, force: Bool) throws -> Int {
        if !force, StockKline.rowCount(in: connection) == generator.expectedRows {
            return generator.expectedRows
        }
        try connection.execute("DROP TABLE IF EXISTS stock_kline")
        let started = ContinuousClock.now
        let bar = ProgressBar("generate", total: generator.expectedRows)
        let rows = try generator.generate(into: connection, progress: { bar.update(completed: $0) })
        bar.finish()
        try connection.execute("CHECKPOINT")
        report(rows: rows, since: started)
        return rows
    }

    private static func report(rows: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("generated \(rows) rows in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))\n".utf8))
    }
}
