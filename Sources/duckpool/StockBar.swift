import DuckDBKit

/// One row of `stock_kline`, decoded by column name (`trade_date` → `tradeDate`).
struct StockBar: Decodable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double
}
