public import DuckDBKit

/// One daily bar of `stock_kline`, matched to columns by name (`trade_date` ↔ `tradeDate`):
/// decoded by the typed read paths, encoded by the `Encodable` bulk-load path. Value type.
public struct StockBar: Codable, Hashable, Sendable {
    public var symbol: String
    public var tradeDate: DuckDBDate
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Int64
    public var amount: Double

    /// Creates a bar.
    public init(symbol: String, tradeDate: DuckDBDate, open: Double, high: Double, low: Double, close: Double, volume: Int64, amount: Double) {
        self.symbol = symbol
        self.tradeDate = tradeDate
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.amount = amount
    }
}
