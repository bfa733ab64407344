import DuckDBKit
import Foundation

/// Builds the synthetic `stock_kline` table: `symbols` x `days` daily bars, deterministic for a
/// given size (prices are a seeded random walk per symbol, over weekdays from 2015-01-05).
struct StockKlineGenerator {
    var symbols = 500
    var days = 2_500

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

    var expectedRows: Int { symbols * days }

    /// Creates the table if needed and fills it. Returns the number of rows inserted.
    func generate(into connection: Connection) throws(DuckDBError) -> Int {
        try connection.execute(Self.createTable)
        return try connection.execute("""
            INSERT INTO stock_kline
            WITH base AS (
                SELECT s, d,
                       lpad(CAST(s AS VARCHAR), 6, '0') AS symbol,
                       DATE '2015-01-05' + CAST((d // 5) * 7 + d % 5 AS INTEGER) AS trade_date,
                       8 + (hash(s) % 9000) / 100.0 AS base_price,
                       ((hash(s, d) % 2001)::DOUBLE - 1000) / 50000.0 AS ret,
                       (hash(d, s) % 1000) / 100000.0 AS spread,
                       100000 + hash(s, d, 7) % 900000 AS volume
                FROM range(\(symbols)) a(s), range(\(days)) b(d)
            ), walk AS (
                SELECT *, base_price * exp(sum(ret) OVER (PARTITION BY s ORDER BY d)) AS px FROM base
            )
            SELECT symbol, trade_date,
                   round(px * (1 - ret / 2), 3) AS open,
                   round(greatest(px * (1 - ret / 2), px) * (1 + spread), 3) AS high,
                   round(least(px * (1 - ret / 2), px) * (1 - spread), 3) AS low,
                   round(px, 3) AS close,
                   volume::BIGINT AS volume,
                   round(volume * px, 2) AS amount
            FROM walk
            ORDER BY symbol, trade_date
            """)
    }

    /// The number of rows already in the table, or nil when it does not exist.
    static func existingRows(in connection: Connection) -> Int? {
        guard let value = try? connection.query("SELECT count(*) FROM stock_kline").scalar(),
              case .int(let count) = value else { return nil }
        return Int(count)
    }
}
