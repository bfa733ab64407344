import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import StockKline
import Testing

/// Reaching a `ColumnarResult`'s columns: by name and index, its metadata, empty results, the
/// typed errors, and `TypedColumn`'s conveniences.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnarAccessTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
        try StockKline.createPredictable(connection, symbols: 3, days: 4)
    }

    @Test func rowCountNamesAndTypes() throws {
        let result = try connection.queryColumns("SELECT * FROM stock_kline ORDER BY symbol, trade_date")
        #expect(result.rowCount == 12)
        #expect(result.columnCount == 8)
        #expect(!result.isEmpty)
        #expect(result.columnNames == ["symbol", "trade_date", "open", "high", "low", "close", "volume", "amount"])
        #expect(result.columns.map(\.type) == [.varchar, .date, .double, .double, .double, .double, .bigInt, .double])
        #expect(result.columnIndex(named: "close") == 5)
        #expect(result.columnIndex(named: "TRADE_DATE") == 1)
        #expect(result.columnIndex(named: "nope") == nil)
    }

    @Test func byNameByIndexAndBySubscriptAgree() throws {
        let result = try connection.queryColumns("SELECT * FROM stock_kline ORDER BY symbol, trade_date")
        let byName = try result.doubles("close")
        #expect(byName.count == 12)
        #expect(byName.values.prefix(4) == [10.25, 10.75, 11.25, 11.75]) // symbol 000000, days 0-3
        #expect(try result.doubles(5) == byName)
        #expect(try result.doubles("CLOSE") == byName)
        #expect(try result[column: "close", as: Double.self] == byName)
        #expect(try result[column: 5, as: Double.self] == byName)
        #expect(try result.strings(0).values.prefix(5) == ["000000", "000000", "000000", "000000", "000001"])
        #expect(try result.int64s("volume").values.last == 3003)
        #expect(try result.dates("trade_date").values[1] == DuckDBDate(year: 2015, month: 1, day: 2))
        #expect(try result.validity("amount").hasNulls == false)
    }

    @Test func columnsMatchTheRowReader() throws {
        let sql = "SELECT * FROM stock_kline ORDER BY symbol, trade_date"
        let result = try connection.queryColumns(sql)
        let bars = try connection.query(StockBar.self, sql)
        #expect(try result.strings("symbol").values == bars.map(\.symbol))
        #expect(try result.dates("trade_date").values == bars.map(\.tradeDate))
        #expect(try result.doubles("open").values == bars.map(\.open))
        #expect(try result.doubles("high").values == bars.map(\.high))
        #expect(try result.doubles("low").values == bars.map(\.low))
        #expect(try result.doubles("close").values == bars.map(\.close))
        #expect(try result.int64s("volume").values == bars.map(\.volume))
        #expect(try result.doubles("amount").values == bars.map(\.amount))
    }

    @Test func emptyResultsKeepColumnsAndTypes() throws {
        let result = try connection.queryColumns("SELECT * FROM stock_kline WHERE symbol = ?", ["none"])
        #expect(result.rowCount == 0)
        #expect(result.isEmpty)
        #expect(result.columnNames.count == 8)
        #expect(result.columns[1].type == .date)
        #expect(try result.doubles("close").values.isEmpty)
        #expect(try result.strings("symbol").optionals.isEmpty)
        #expect(try result.dates("trade_date").validity == ColumnValidity(allValid: 0))
        let error = #expect(throws: DuckDBError.self) { try result.doubles("symbol") }
        #expect(error?.code == .conversion)
    }

    @Test func readingAColumnAsATypeItDoesNotHoldIsAConversionError() throws {
        let result = try connection.queryColumns("SELECT * FROM stock_kline")
        let asDouble = #expect(throws: DuckDBError.self) { try result.doubles("symbol") }
        #expect(asDouble?.code == .conversion)
        #expect(asDouble?.message.contains("\"symbol\"") == true)
        #expect(asDouble?.message.contains("reads as String") == true)
        let failures: [(String, () throws -> Void)] = [
            ("Int64 from DOUBLE", { _ = try result.int64s("close") }),
            ("String from DATE", { _ = try result.strings("trade_date") }),
            ("DuckDBDate from VARCHAR", { _ = try result.dates(0) }),
            ("DuckDBTimestamp from DOUBLE", { _ = try result.timestamps("open") }),
            ("Bool from BIGINT", { _ = try result.bools("volume") }),
            ("Decimal from DOUBLE", { _ = try result.decimals("amount") }),
            ("ScaledDecimalColumn from DOUBLE", { _ = try result.scaledDecimals("amount") }),
            ("UInt64 from BIGINT", { _ = try result[column: "volume", as: UInt64.self] }),
            ("unknown name", { _ = try result.doubles("no_such_column") }),
        ]
        for (what, read) in failures {
            let error = #expect(throws: DuckDBError.self, "\(what)") { try read() }
            #expect(error?.code == .conversion, "\(what)")
        }
        let unknown = #expect(throws: DuckDBError.self) { try result.doubles("no_such_column") }
        #expect(unknown?.message.contains("columns: symbol, trade_date") == true)
    }

    @Test func typedColumnConveniences() throws {
        let result = try connection.queryColumns("SELECT * FROM (VALUES (1, 1.5), (2, NULL), (3, 3.5)) t(id, x) ORDER BY id")
        let x = try result.doubles("x")
        #expect(x.name == "x")
        #expect(x[row: 0] == 1.5)
        #expect(x[row: 1] == nil)
        #expect(x.nonNullValues == [1.5, 3.5])
        #expect(x.hasNulls && x.nullCount == 1)
        #expect(x.validity.words == [0b101])
        let doubled = x.map { $0 * 2 }
        #expect(doubled.optionals == [3, nil, 7])
        #expect(doubled.validity == x.validity)
        // Equality ignores the placeholders under NULLs (NaN here, which equals nothing).
        #expect(x == x)
        #expect(x != TypedColumn(name: "x", values: [1.5, 0, 3.5]))
    }

    @Test func theResultIsSendableAndLeavesItsThread() async throws {
        let result = try connection.queryColumns("SELECT close FROM stock_kline")
        let total = try await Task.detached { try result.doubles("close").values.reduce(0, +) }.value
        let expected = try #require(try connection.query("SELECT sum(close) FROM stock_kline").scalar())
        #expect(expected == .double(total))
    }

    @Test func preparedStatementsAndPlainResultsConvertToo() throws {
        let statement = try connection.prepare("SELECT volume FROM stock_kline WHERE symbol = ? ORDER BY trade_date")
        let columns = try statement.query(["000002"]).columnar()
        #expect(try columns.int64s("volume").values == [3000, 3001, 3002, 3003])
        let partlyRead = try connection.query("SELECT * FROM range(5000) t(n)")
        let first = try #require(partlyRead.nextChunk())
        let rest = try partlyRead.columnar()
        #expect(rest.rowCount == 5000 - first.count)
        #expect(try rest.int64s("n").values.first == Int64(first.count))
    }
}
