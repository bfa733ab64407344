public import DuckDBKit
import DuckPoolSupport

/// Builds the synthetic `stock_kline` table: `symbols` x `days` daily bars, the same for a given
/// size on every run and machine.
///
/// Symbol `s` is `lpad(s, 6, '0')` ("000000", "000001", ...); day `d` is the `d`-th weekday from
/// Monday 2015-01-05, that is 2015-01-05 + (d / 5) * 7 + d % 5 days. Each symbol has its own
/// seeded generator (SplitMix64): a base price, then per day an opening gap and a return (a
/// multiplicative random walk), rounded to 0.001; high ≥ max(open, close), low ≤ min(open,
/// close); volume 100,000 to 999,999 shares; amount = volume x the bar's mean price, rounded to
/// 0.01, so it lies between volume x low and volume x high.
public struct StockKlineGenerator: Sendable {
    /// Symbols to generate. Default 500.
    public var symbols: Int
    /// Trading days per symbol. Default 2,500 (about ten years).
    public var days: Int

    /// A generator of `symbols` x `days` bars.
    public init(symbols: Int = 500, days: Int = 2_500) {
        self.symbols = symbols
        self.days = days
    }

    /// Rows per bulk-insert call (and per progress step between flushes).
    public static let rowsPerBatch = 125_000

    /// The rows a full run generates.
    public var expectedRows: Int { symbols * days }

    /// The first trading day: Monday 2015-01-05.
    public static let firstTradingDay = DuckDBDate(year: 2015, month: 1, day: 5)

    /// The `day`-th weekday from 2015-01-05.
    public static func tradingDate(_ day: Int) -> DuckDBDate {
        firstTradingDay.adding(days: Int32((day / 5) * 7 + day % 5))
    }


    /// The symbol ranges of the batches, each about ``rowsPerBatch`` rows (at least one symbol).
    public var batchRanges: [Range<Int>] {
        let perBatch = max(1, Self.rowsPerBatch / max(1, days))
        return stride(from: 0, to: symbols, by: perBatch).map { $0..<min($0 + perBatch, symbols) }
    }

    /// Every row of the symbols in `range`, as columns in table order.
    public func batch(symbols range: Range<Int>) -> ColumnBatch { columns(symbols: range).batch }

    /// Every row of the symbols in `range`, as arrays.
    public func columns(symbols range: Range<Int>) -> StockKlineColumns {
        var columns = StockKlineColumns(capacity: range.count * days)
        let calendar = (0..<days).map(Self.tradingDate)
        for index in range {
            let symbol = StockKline.symbol(index)
            var random = SplitMix64(seed: UInt64(index))
            var previousClose = 8 + random.unitDouble() * 90
            for day in 0..<days {
                let open = Self.round(max(0.01, previousClose * (1 + (random.unitDouble() - 0.5) * 0.01)), places: 1_000)
                let close = Self.round(max(0.01, open * (1 + (random.unitDouble() - 0.5) * 0.04)), places: 1_000)
                let spread = random.unitDouble() * 0.01
                let top = max(open, close), bottom = min(open, close)
                let high = max(top, Self.round(top * (1 + spread), places: 1_000))
                let low = min(bottom, Self.round(bottom * (1 - spread), places: 1_000))
                let volume = Int64(100_000 + random.next() % 900_000)
                columns.symbols.append(symbol)
                columns.dates.append(calendar[day])
                columns.opens.append(open); columns.highs.append(high); columns.lows.append(low); columns.closes.append(close)
                columns.volumes.append(volume)
                columns.amounts.append(Self.round(Double(volume) * (open + high + low + close) / 4, places: 100))
                previousClose = close
            }
        }
        return columns
    }

    private static func round(_ value: Double, places: Double) -> Double { (value * places).rounded() / places }

    /// Loads every row on one connection through DuckDBKit's column appender, in one
    /// transaction. Creates the table if needed. Returns the number of rows inserted.
    ///
    /// - Throws: ``DuckDBError`` from DuckDB; the transaction is then rolled back.
    public func generate(into connection: Connection, progress: (Int) -> Void = { _ in }) throws -> Int {
        try connection.execute(StockKline.createTable)
        try connection.execute("BEGIN TRANSACTION")
        do {
            let appender = try Appender(connection: connection, table: "stock_kline")
            var loaded = 0
            for range in batchRanges {
                let before = loaded
                loaded += try appender.appendColumns(batch(symbols: range), flushEvery: 122_880, onFlush: { progress(before + $0) })
            }
            try appender.close()
            try connection.execute("COMMIT")
            return loaded
        } catch {
            if connection.transactionState == .active { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}

/// Generated `stock_kline` rows as one array per column.
public struct StockKlineColumns: Sendable {
    public var symbols: [String] = [], dates: [DuckDBDate] = [], volumes: [Int64] = []
    public var opens: [Double] = [], highs: [Double] = [], lows: [Double] = [], closes: [Double] = [], amounts: [Double] = []

    /// Empty columns with room for `capacity` rows.
    public init(capacity: Int) {
        symbols.reserveCapacity(capacity); dates.reserveCapacity(capacity); volumes.reserveCapacity(capacity)
        opens.reserveCapacity(capacity); highs.reserveCapacity(capacity); lows.reserveCapacity(capacity)
        closes.reserveCapacity(capacity); amounts.reserveCapacity(capacity)
    }

    /// The number of rows.
    public var count: Int { symbols.count }

    /// The columns, named as the table's.
    public var batch: ColumnBatch {
        var batch = ColumnBatch()
        batch.append("symbol", symbols)
        batch.append("trade_date", dates)
        batch.append("open", opens)
        batch.append("high", highs)
        batch.append("low", lows)
        batch.append("close", closes)
        batch.append("volume", volumes)
        batch.append("amount", amounts)
        return batch
    }

    /// The same rows as `Encodable` values.
    public var bars: [StockBar] {
        (0..<count).map { row in
            StockBar(symbol: symbols[row], tradeDate: dates[row], open: opens[row], high: highs[row],
                     low: lows[row], close: closes[row], volume: volumes[row], amount: amounts[row])
        }
    }
}
