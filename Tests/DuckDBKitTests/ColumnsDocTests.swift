import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import StockKline
import Testing

// The tour of docs/columns.md, compiled and checked here. Keep the two identical.
// ---8<--- docs/columns.md: tour

/// One symbol's bars as columns, and what each reader gives (the comments show the lines).
func columnsTour(_ connection: Connection) throws -> [String] {
    let bars = try connection.queryColumns(
        "SELECT trade_date, close, volume FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000001"])
    var lines = ["\(bars.rowCount) rows: \(bars.columnNames)"]  // 5 rows: ["trade_date", "close", "volume"]
    lines.append("types: \(bars.columns.map { "\($0.type)" })") // types: ["date", "double", "bigInt"]

    let close = try bars.doubles("close")                      // TypedColumn<Double>, by name
    let days = try bars[column: 0, as: DuckDBDate.self]        // the generic form, by index
    let volume = try bars.int64s(2)                            // TypedColumn<Int64>
    let mean = close.values.reduce(0, +) / Double(close.count) // values: a contiguous [Double]
    lines.append("\(days.values[0]): close \(close.values[0]), mean \(mean), NULLs \(close.nullCount)")
    // 2015-01-01: close 11.25, mean 12.25, NULLs 0
    lines.append("volume \(volume.optionals.prefix(2))")       // volume [Optional(2000), Optional(2001)]

    do {
        _ = try bars.strings("close")
    } catch { // typed throws: `error` is a DuckDBError
        lines.append("\(error.code): \(error.message)")
        // conversion: column "close" of type double cannot be read as String; it reads as Double
    }
    return lines
}

// ---8<--- end of the tour

/// The tour's output, and that every Swift block of docs/columns.md is code compiled in this
/// test target, verbatim.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnsDocTests {
    @Test func theTourPrintsWhatTheDocsSay() throws {
        let connection = try Database.inMemory().connect()
        try StockKline.createPredictable(connection, symbols: 3, days: 5)
        #expect(try columnsTour(connection) == [
            #"5 rows: ["trade_date", "close", "volume"]"#,
            #"types: ["date", "double", "bigInt"]"#,
            "2015-01-01: close 11.25, mean 12.25, NULLs 0",
            "volume [Optional(2000), Optional(2001)]",
            #"conversion: column "close" of type double cannot be read as String; it reads as Double"#,
        ])
    }

    @Test func everySwiftBlockOfTheDocsIsCompiledHere() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let docs = tests.appendingPathComponent("../../docs/columns.md").standardizedFileURL
        let markdown = try String(contentsOf: docs, encoding: .utf8)
        let sources = try FileManager.default.contentsOfDirectory(at: tests, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
            .map { try String(contentsOf: $0, encoding: .utf8) }
            .joined(separator: "\n")
        let blocks = markdown.components(separatedBy: "```swift\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        #expect(blocks.count >= 2)
        for block in blocks {
            #expect(sources.contains(block), "docs/columns.md block not found verbatim in Tests/DuckDBKitTests:\n\(block)")
        }
    }
}
