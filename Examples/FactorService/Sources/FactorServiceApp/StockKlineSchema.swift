import DuckPool

/// The `stock_kline` table the service reads and writes.
///
/// The service writes its own DDL and row type (``StockKlineRow``) rather than importing the
/// main package's `StockKline` library: that library is the project's test and tooling fixture,
/// and this package shows what a user of DuckPool writes.
enum StockKlineSchema {
    /// The same table as the main package's `StockKline.createTable` (what `duckpool generate`
    /// creates), so a file generated there and a file created here are interchangeable; a test
    /// checks that DuckDB reads the two the same way.
    static let createTable = """
        CREATE TABLE IF NOT EXISTS stock_kline (
            symbol     VARCHAR NOT NULL,
            trade_date DATE    NOT NULL,
            open       DOUBLE  NOT NULL,
            high       DOUBLE  NOT NULL,
            low        DOUBLE  NOT NULL,
            close      DOUBLE  NOT NULL,
            volume     BIGINT  NOT NULL,
            amount     DOUBLE  NOT NULL,
            PRIMARY KEY (symbol, trade_date)
        )
        """

    /// Creates the table when the database does not have it yet, and leaves an existing one
    /// alone (without writing, so a read-only file that has the table opens fine).
    ///
    /// - Returns: whether the table was created.
    /// - Throws: ``DuckDBError`` (a read-only file without the table, a full disk) or
    ///   ``DuckPoolError`` (no connection in time, a closed pool).
    @discardableResult
    static func ensure(in pool: DuckPool) async throws -> Bool {
        try await pool.withConnection { connection in
            let existing = try connection.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'stock_kline'"
            ).scalar()
            guard existing == .int(0) else { return false }
            try connection.execute(createTable)
            return true
        }
    }
}
