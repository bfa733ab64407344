import DuckPool

/// The factors of one symbol since a date: decoded from a query row by column name, sent as
/// JSON (snake_case keys, the date as `YYYY-MM-DD`, `null` where a factor is undefined):
///
/// ```json
/// {"symbol": "000001", "as_of": "2024-03-29", "close": 10.2, "ma20": 10.05,
///  "avg_daily_return": 0.0012, "trading_days": 60}
/// ```
///
/// Value type; thread-safe.
struct SymbolFactors: Decodable, Encodable, Hashable, Sendable {
    var symbol: String
    /// The last trading day on or after `since`.
    var asOf: DuckDBDate
    /// The close on ``asOf``.
    var close: Double
    /// The mean close of the 20 trading days ending at ``asOf``; nil when the symbol has fewer.
    var ma20: Double?
    /// The mean of `close / previous close - 1` over the days since `since`; nil when no day
    /// since then has a previous close.
    var avgDailyReturn: Double?
    /// Trading days since `since`.
    var tradingDays: Int

    private enum JSONKeys: String, CodingKey {
        case symbol, asOf = "as_of", close, ma20, avgDailyReturn = "avg_daily_return", tradingDays = "trading_days"
    }

    // Decodable is synthesized (the row decoder maps `as_of` to `asOf`); the JSON form is written
    // by hand so the date is a string and missing factors are explicit nulls.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(symbol, forKey: .symbol)
        try container.encode(asOf.description, forKey: .asOf)
        try container.encode(close, forKey: .close)
        try container.encode(ma20, forKey: .ma20)
        try container.encode(avgDailyReturn, forKey: .avgDailyReturn)
        try container.encode(tradingDays, forKey: .tradingDays)
    }
}
