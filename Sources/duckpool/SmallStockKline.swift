/// A small `stock_kline`-shaped table for the stress and crash-repro workloads: `symbols` x `days`
/// rows with the FactorWeave columns, built by one SQL statement (so the raw C API child of
/// `crash-repro` and the pooled runs build exactly the same table).
struct SmallStockKline {
    var table = "stock_kline"
    var symbols = 50
    var days = 200

    var rows: Int { symbols * days }

    /// The symbol of index `index`: `000000`, `000001`, ...
    static func symbol(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// `CREATE TABLE ... AS SELECT ...`: one statement that creates and fills the table. Prices are
    /// cast to DOUBLE, as in the real schema (the literals alone would make wide DECIMALs, slow to scan).
    var createStatement: String {
        """
        CREATE TABLE \(table) AS
        SELECT lpad(CAST(s AS VARCHAR), 6, '0') AS symbol,
               DATE '2015-01-01' + CAST(d AS INTEGER) AS trade_date,
               CAST(10 + (s % 50) + (d % 7) * 0.5 AS DOUBLE) AS open,
               CAST(10.5 + (s % 50) + (d % 7) * 0.5 AS DOUBLE) AS high,
               CAST(9.5 + (s % 50) + (d % 7) * 0.5 AS DOUBLE) AS low,
               CAST(10.25 + (s % 50) + (d % 5) * 0.5 AS DOUBLE) AS close,
               CAST(1000 * (s + 1) + d AS BIGINT) AS volume,
               CAST((1000 * (s + 1) + d) * 10.25 AS DOUBLE) AS amount
        FROM range(\(symbols)) t(s), range(\(days)) u(d)
        """
    }

    /// The seed's three queries: the latest rows, a count, one symbol's bars (with a `?`).
    var limitQuery: String { "SELECT * FROM \(table) LIMIT 10" }
    var countQuery: String { "SELECT count(*) FROM \(table)" }
    var symbolQuery: String { "SELECT * FROM \(table) WHERE symbol = ?" }
}
