import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import StockKline
import Testing

// The factor example of docs/columns.md, compiled and checked here. Keep the two identical.
// ---8<--- docs/columns.md: factor example

/// Two daily factors per symbol, computed in Swift over the columns of `stock_kline`: the 20-day
/// moving average of the close and the daily return. The rows must be ordered by symbol, then
/// trade date, so that each symbol's bars are one run of rows.
struct DailyFactors {
    /// The mean close of the row's day and the 19 trading days before it; NaN on a symbol's
    /// first 19 days.
    var ma20: [Double]
    /// close / previous close − 1; NaN on a symbol's first day.
    var dailyReturn: [Double]

    init(symbols: [String], close: [Double], window: Int = 20) {
        ma20 = Array(repeating: .nan, count: close.count)
        dailyReturn = Array(repeating: .nan, count: close.count)
        var start = 0
        while start < close.count {
            var end = start + 1 // this symbol's rows are start..<end
            while end < close.count, symbols[end] == symbols[start] { end += 1 }
            var sum = 0.0
            for row in start..<end {
                sum += close[row]
                if row - start >= window { sum -= close[row - window] }
                if row - start >= window - 1 { ma20[row] = sum / Double(window) }
                if row > start { dailyReturn[row] = close[row] / close[row - 1] - 1 }
            }
            start = end
        }
    }
}

/// Reads every bar as columns and computes the factors; returns both, row for row.
func dailyFactors(_ connection: Connection) throws -> (bars: ColumnarResult, factors: DailyFactors) {
    let bars = try connection.queryColumns("SELECT * FROM stock_kline ORDER BY symbol, trade_date")
    let close = try bars.doubles("close") // TypedColumn<Double>: values plus a NULL bitmap
    precondition(!close.hasNulls, "stock_kline.close is NOT NULL")
    let factors = DailyFactors(symbols: try bars.strings("symbol").values, close: close.values)
    return (bars, factors)
}

// ---8<--- end of the example

/// The example's numbers against the same factors computed by DuckDB's window functions on the
/// same rows, so that the documented example stays true.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct FactorExampleTests {
    static let windowSQL = """
        SELECT symbol, trade_date,
               CASE WHEN row_number() OVER (PARTITION BY symbol ORDER BY trade_date) >= 20
                    THEN avg(close) OVER (PARTITION BY symbol ORDER BY trade_date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)
               END AS ma20,
               close / lag(close) OVER (PARTITION BY symbol ORDER BY trade_date) - 1 AS daily_return
        FROM stock_kline
        ORDER BY symbol, trade_date
        """

    @Test func theExampleMatchesDuckDBsWindowFunctions() throws {
        let connection = try Database.inMemory().connect()
        try StockKline.createPredictable(connection, symbols: 12, days: 1_000) // 12,000 rows: several chunks
        let (bars, factors) = try dailyFactors(connection)
        let expected = try connection.queryColumns(Self.windowSQL)
        #expect(bars.rowCount == 12_000)
        #expect(expected.rowCount == bars.rowCount)
        #expect(try expected.strings("symbol") == bars.strings("symbol"))
        #expect(try expected.dates("trade_date") == bars.dates("trade_date"))

        let ma20 = try expected.doubles("ma20")
        let dailyReturn = try expected.doubles("daily_return")
        for row in 0..<bars.rowCount {
            #expect(Self.same(factors.ma20[row], ma20[row: row]), "ma20 at row \(row)")
            #expect(Self.same(factors.dailyReturn[row], dailyReturn[row: row]), "daily return at row \(row)")
        }
        // Not vacuous: each symbol has 19 days without a 20-day average and one without a return.
        #expect(ma20.nullCount == 12 * 19)
        #expect(dailyReturn.nullCount == 12)
        // Symbol 000000 closes at 10.25 + (day % 5) * 0.5, so its 20-day mean is 11.25.
        #expect(factors.ma20[19] == 11.25)
        #expect(factors.dailyReturn[1] == 10.75 / 10.25 - 1)
    }

    /// NaN in Swift where SQL has NULL; otherwise equal to within rounding of the summation order.
    private static func same(_ swift: Double, _ sql: Double?) -> Bool {
        guard let sql else { return swift.isNaN }
        return abs(swift - sql) <= 1e-12 * max(1, abs(sql))
    }
}
