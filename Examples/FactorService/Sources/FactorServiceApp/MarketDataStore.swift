import DuckPool

/// The service's SQL, over one ``DuckPool``. Every call takes the request's deadline
/// (``FactorRequestContext/deadline``) and passes it to the pool, which bounds the whole call
/// with it: a call still waiting for a connection then fails, and a running query is
/// interrupted; both throw ``DuckPoolError/Code/timedOut`` (``DuckPoolError/phase`` tells which).
/// A nil deadline puts no limit on the call.
///
/// Thread-safety: `Sendable`; share one store between all requests.
struct MarketDataStore: Sendable {
    let pool: DuckPool

    /// The bars of `symbol` between `from` and `to` (both inclusive, either open), oldest first.
    /// - Throws: ``DuckPoolError``, ``DuckDBError`` or `CancellationError`.
    func bars(symbol: String, from: CalendarDay?, to: CalendarDay?, deadline: Deadline?) async throws -> [Bar] {
        var sql = "SELECT * FROM stock_kline WHERE symbol = ?"
        var parameters: [any DuckDBBindable] = [symbol]
        if let from {
            sql += " AND trade_date >= ?"
            parameters.append(from.date)
        }
        if let to {
            sql += " AND trade_date <= ?"
            parameters.append(to.date)
        }
        sql += " ORDER BY trade_date"
        return try await pool.query(StockKlineRow.self, sql, parameters, deadline: deadline).map(Bar.init)
    }

    /// Per symbol with bars on or after `since`: the latest close, its 20-day moving average,
    /// and the average daily return since `since`. Ordered by symbol.
    ///
    /// The moving average and each day's return look back past `since` (the 20-day window and
    /// the previous close are taken over the whole table), so the first days after `since` are
    /// not biased by where the range starts.
    /// - Throws: ``DuckPoolError``, ``DuckDBError`` or `CancellationError`.
    func factors(since: CalendarDay, deadline: Deadline?) async throws -> [SymbolFactors] {
        try await pool.query(SymbolFactors.self, Self.factorsQuery, [since.date], deadline: deadline)
    }

    /// One pass of windows over `stock_kline` (one sort by symbol and date serves them all),
    /// then one group per symbol; `arg_max_null(x, trade_date)` is `x` on the last day, NULL
    /// included. (A `row_number()` pick of the last row instead took about twice as long on the
    /// 1.25M-row FactorWeave table.)
    static let factorsQuery = """
        WITH daily AS (
            SELECT symbol, trade_date, close,
                   CASE WHEN count(*) OVER last20 = 20 THEN avg(close) OVER last20 END AS ma20,
                   close / lag(close) OVER (PARTITION BY symbol ORDER BY trade_date) - 1 AS daily_return
            FROM stock_kline
            WINDOW last20 AS (PARTITION BY symbol ORDER BY trade_date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)
        )
        SELECT symbol,
               max(trade_date) AS as_of,
               arg_max(close, trade_date) AS close,
               arg_max_null(ma20, trade_date) AS ma20,
               avg(daily_return) AS avg_daily_return,
               count(*) AS trading_days
        FROM daily
        WHERE trade_date >= ?
        GROUP BY symbol
        ORDER BY symbol
        """

    /// Appends `bars` to `stock_kline` in one transaction through DuckDB's Appender; returns the
    /// number inserted. A bar whose (symbol, trade date) exists already, or appears twice in
    /// `bars`, fails the whole batch with ``DuckDBError/Code/constraint`` and inserts nothing.
    /// - Throws: ``DuckPoolError``, ``DuckDBError`` or `CancellationError`.
    func insert(_ bars: [Bar], deadline: Deadline?) async throws -> Int {
        try await pool.bulkInsert(into: "stock_kline", rows: bars.map(StockKlineRow.init), deadline: deadline)
    }

    /// Runs `SELECT 1` on a pooled connection: the pool can lease and the database answers.
    /// - Throws: ``DuckPoolError``, ``DuckDBError`` or `CancellationError`.
    func ping(deadline: Deadline?) async throws {
        _ = try await pool.query("SELECT 1", deadline: deadline)
    }
}
