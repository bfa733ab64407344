extension Connection {
    /// Runs `sql` (one statement, with `?`/`$n` parameters) and reads its whole result into a
    /// ``ColumnarResult``: one contiguous typed array and one NULL bitmap per column.
    ///
    /// The columnar sibling of ``query(_:_:)`` (rows, chunk by chunk) and
    /// ``query(_:_:_:keyDecoding:)`` (`Decodable` structs); it is
    /// `try query(sql, parameters).columnar()`. With parameters, the prepared statement is kept
    /// in the connection's statement cache, as for ``query(_:_:)``.
    ///
    /// ```swift
    /// let bars = try connection.queryColumns(
    ///     "SELECT trade_date, close FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000001"])
    /// let close: [Double] = try bars.doubles("close").values
    /// ```
    ///
    /// **Thread-safety:** like every `Connection` call, on the connection's thread only; the
    /// result is `Sendable` and may leave that thread (a pool's `withConnection` can return it).
    /// - Throws: the errors of ``query(_:_:)``, and those of ``QueryResult/columnar()``.
    public func queryColumns(_ sql: String, _ parameters: [any DuckDBBindable] = []) throws(DuckDBError) -> ColumnarResult {
        try query(sql, parameters).columnar()
    }
}
