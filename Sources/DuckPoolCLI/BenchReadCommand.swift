import StockKline
public import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool bench-read`: how fast DuckDBKit reads rows into `Decodable` structs.
public struct BenchReadCommand: ParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "bench-read",
        abstract: "Read N stock_kline rows into Decodable structs and report rows/s (best of --repeat)."
    )

    @Option(help: "Database file (generated when missing).")
    var db = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-demo.duckdb").path

    @Option(help: "Rows to read.")
    var rows = 1_000_000

    @Option(name: .customLong("repeat"), help: "Repetitions; the best is reported.")
    var repetitions = 5

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    public init() {}

    public func run() throws {
        let connection = try Database(path: db).connect()
        _ = try GenerateCommand.ensure(StockKlineGenerator(), connection: connection, force: false)
        var best = Duration.seconds(1_000_000)
        var decoded = 0
        for _ in 0..<repetitions {
            let started = ContinuousClock.now
            let bars = try connection.query(StockBar.self, "SELECT * FROM stock_kline LIMIT \(rows)")
            let elapsed = ContinuousClock.now - started
            decoded = bars.count
            best = min(best, elapsed)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let rate = Double(decoded) / seconds
        if json {
            print(#"{"impl":"duckpool-decodable","rows":\#(decoded),"seconds":\#(seconds),"rows_per_s":\#(Int(rate))}"#)
        } else {
            print("DuckDBKit Decodable: \(decoded) rows in \(String(format: "%.3f", seconds)) s = \(Int(rate)) rows/s")
        }
    }
}
