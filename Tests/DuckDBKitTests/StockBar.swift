import DuckDBKit
import Foundation

/// One daily bar of the `stock_kline` table, the running example of the docs and tests.
struct StockBar: Codable, Hashable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var volume: Int64
    var amount: Double
}

enum StockKline {
    static let createTable = """
        CREATE TABLE stock_kline (
            symbol     VARCHAR       NOT NULL,
            trade_date DATE          NOT NULL,
            open       DOUBLE        NOT NULL,
            high       DOUBLE        NOT NULL,
            low        DOUBLE        NOT NULL,
            close      DOUBLE        NOT NULL,
            volume     BIGINT        NOT NULL,
            amount     DOUBLE        NOT NULL,
            PRIMARY KEY (symbol, trade_date)
        )
        """

    /// `symbols` x `days` deterministic rows, generated in SQL.
    static func fill(_ connection: Connection, symbols: Int, days: Int) throws {
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
