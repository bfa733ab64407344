import DuckDBKit
import DuckPool
import Foundation
import Logging

/// A step of `duckpool demo`: factor code over columns, as in docs/columns.md. One symbol's
/// closes come back from the pool as a ``ColumnarResult`` (`pool.queryColumns(sql, params)`),
/// its 20-day moving average and daily returns are computed in Swift over the `[Double]`
/// column, and both are checked against DuckDB's window functions on the same rows.
struct DemoFactorExample {
    let path: String
    let symbol: String
    let logger: Logger

    static let barsSQL = "SELECT trade_date, close FROM stock_kline WHERE symbol = ? ORDER BY trade_date"
    static let windowSQL = """
        SELECT CASE WHEN row_number() OVER (ORDER BY trade_date) >= 20
                    THEN avg(close) OVER (ORDER BY trade_date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) END AS ma20,
               close / lag(close) OVER (ORDER BY trade_date) - 1 AS daily_return
        FROM stock_kline WHERE symbol = ? ORDER BY trade_date
        """

    func run(_ out: DemoOutput) async throws {
        out.heading("Factor example: 20-day moving average and daily returns of \(symbol), in Swift over columns")
        let pool = try await DuckPool.open(path: path, configuration: DuckPoolConfiguration(), logger: logger)
        let bars: ColumnarResult, reference: ColumnarResult
        do {
            bars = try await pool.queryColumns(Self.barsSQL, [symbol])
            reference = try await pool.queryColumns(Self.windowSQL, [symbol])
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        let dates = try bars.dates("trade_date").values
        let close = try bars.doubles("close").values
        let (ma20, dailyReturn) = Self.factors(close)

        out.line("  pool.queryColumns(\"\(Self.barsSQL)\", [\"\(symbol)\"])")
        out.line("  -> \(DemoFormat.count(bars.rowCount)) rows as columns: trade_date [DuckDBDate], close [Double]; the last five days:")
        out.line("    trade_date      close       ma20   daily return")
        for row in max(0, close.count - 5)..<close.count {
            out.line("    \(dates[row])" + String(format: "  %9.3f  %9.3f  %+12.3f%%", close[row], ma20[row], dailyReturn[row] * 100))
        }
        let expectedMA = try reference.doubles("ma20"), expectedReturn = try reference.doubles("daily_return")
        let disagreements = (0..<close.count).filter {
            !Self.same(ma20[$0], expectedMA[row: $0]) || !Self.same(dailyReturn[$0], expectedReturn[row: $0])
        }
        let compared = "\(DemoFormat.count(ma20.filter { !$0.isNaN }.count)) moving averages and \(DemoFormat.count(dailyReturn.filter { !$0.isNaN }.count)) returns"
        out.line("  checked against DuckDB's window functions on the same rows: \(compared), \(disagreements.count) disagree")
        out.check(reference.rowCount == bars.rowCount && disagreements.isEmpty,
                  "the factors of \(symbol) disagree with DuckDB's window functions at \(disagreements.count) rows")
        out.summarize("factor example", "\(compared) of \(symbol) from pool.queryColumns, \(disagreements.count) disagree with DuckDB's window functions")
    }

    /// The 20-day moving average (NaN on the first 19 days) and the daily return (NaN on the first
    /// day) of one symbol's closes, in date order.
    static func factors(_ close: [Double], window: Int = 20) -> (ma20: [Double], dailyReturn: [Double]) {
        var ma20 = Array(repeating: Double.nan, count: close.count)
        var dailyReturn = Array(repeating: Double.nan, count: close.count)
        var sum = 0.0
        for row in close.indices {
            sum += close[row]
            if row >= window { sum -= close[row - window] }
            if row >= window - 1 { ma20[row] = sum / Double(window) }
            if row > 0 { dailyReturn[row] = close[row] / close[row - 1] - 1 }
        }
        return (ma20, dailyReturn)
    }

    /// NaN in Swift where SQL has NULL; otherwise equal to within rounding of the summation order.
    private static func same(_ swift: Double, _ sql: Double?) -> Bool {
        guard let sql else { return swift.isNaN }
        return abs(swift - sql) <= 1e-9 * max(1, abs(sql))
    }
}
