import DuckDBKit
import Foundation

/// One daily bar of the `stock_kline` table, the running example of the docs and tests.
struct StockBar: Codable, Hashable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double
}
