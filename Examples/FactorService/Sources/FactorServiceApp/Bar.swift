/// One daily bar as the API sends and receives it (JSON, snake_case keys, dates as `YYYY-MM-DD`):
///
/// ```json
/// {"symbol": "000001", "trade_date": "2024-01-02", "open": 10.0, "high": 10.5,
///  "low": 9.8, "close": 10.2, "volume": 120000, "amount": 1224000.0}
/// ```
///
/// The table row is ``StockKlineRow``; the two convert into each other. Value type; thread-safe.
struct Bar: Codable, Hashable, Sendable {
    var symbol: String
    var tradeDate: CalendarDay
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double

    enum CodingKeys: String, CodingKey {
        case symbol, tradeDate = "trade_date", open, high, low, close, volume, amount
    }

    /// The longest symbol the service accepts.
    static let maximumSymbolLength = 16

    /// Checks what the table's types cannot: a plausible symbol, finite positive prices with
    /// `low <= high`, and a non-negative volume and amount.
    ///
    /// - Throws: ``APIError`` (400) naming the first problem and the bar's position in its batch.
    func validate(at index: Int) throws(APIError) {
        let position = "bar \(index) (\(symbol) \(tradeDate))"
        try Self.validate(symbol: symbol, what: position)
        let prices = [open, high, low, close]
        guard prices.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .badRequest("\(position): open, high, low and close must be finite positive numbers")
        }
        guard low <= high else { throw .badRequest("\(position): low must not exceed high") }
        guard volume >= 0, amount.isFinite, amount >= 0 else {
            throw .badRequest("\(position): volume and amount must be finite and non-negative")
        }
    }

    /// Checks a symbol from a path or a body: 1 to ``maximumSymbolLength`` letters, digits, `.`,
    /// `-` or `_`. - Throws: ``APIError`` (400).
    static func validate(symbol: String, what: String = "symbol") throws(APIError) {
        guard (1...maximumSymbolLength).contains(symbol.count),
              symbol.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else {
            throw .badRequest("\(what): a symbol is 1 to \(maximumSymbolLength) ASCII letters, digits, '.', '-' or '_'")
        }
    }
}

extension Bar {
    init(_ row: StockKlineRow) {
        self.init(
            symbol: row.symbol, tradeDate: CalendarDay(row.tradeDate),
            open: row.open, high: row.high, low: row.low, close: row.close,
            volume: row.volume, amount: row.amount
        )
    }
}
