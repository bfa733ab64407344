public import DuckDBKit

/// The `stock_kline` table of the tests: the FactorWeave schema with small, predictable values.
///
/// Row (s, d) for symbol index s and day d: symbol `lpad(s, 6, '0')`, date 2015-01-01 + d,
/// open 10 + s%50 + (d%7)·0.5, high open + 0.5, low open − 0.5, close 10.25 + s%50 + (d%5)·0.5,
/// volume 1000·(s+1) + d, amount volume · 10.25.
public enum StockKlineFixture {
    public static let createTable = """
        CREATE TABLE stock_kline (
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

    /// Creates the table and fills it with `symbols` x `days` rows.
    public static func create(_ connection: Connection, symbols: Int, days: Int) throws {
        try connection.execute(createTable)
        try connection.execute("""
            INSERT INTO stock_kline
            SELECT lpad(CAST(s AS VARCHAR), 6, '0'),
                   DATE '2015-01-01' + CAST(d AS INTEGER),
                   10 + (s % 50) + (d % 7) * 0.5,
                   10.5 + (s % 50) + (d % 7) * 0.5,
                   9.5 + (s % 50) + (d % 7) * 0.5,
                   10.25 + (s % 50) + (d % 5) * 0.5,
                   1000 * (s + 1) + d,
                   (1000 * (s + 1) + d) * 10.25
            FROM range(\(symbols)) t(s), range(\(days)) u(d)
            """)
    }
}
