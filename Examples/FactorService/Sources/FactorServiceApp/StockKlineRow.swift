import DuckPool

/// One row of `stock_kline`, decoded and appended by column name (`trade_date` ↔ `tradeDate`).
/// The API's shape is ``Bar``. Value type; thread-safe.
struct StockKlineRow: Codable, Hashable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double
}

extension StockKlineRow {
    init(_ bar: Bar) {
        self.init(
            symbol: bar.symbol, tradeDate: bar.tradeDate.date,
            open: bar.open, high: bar.high, low: bar.low, close: bar.close,
            volume: bar.volume, amount: bar.amount
        )
    }
}
