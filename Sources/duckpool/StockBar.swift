import DuckDBKit

/// One row of `stock_kline`, matched to columns by name (`trade_date` ↔ `tradeDate`): decoded by
/// the read paths, encoded by the `Encodable` bulk-load path.
struct StockBar: Codable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double
}
