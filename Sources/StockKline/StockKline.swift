public import DuckDBKit

/// The `stock_kline` table: FactorWeave's daily bars (symbol, trade date, open, high, low, close,
/// volume, amount). The one definition of its schema for the tests, the command-line tool and
/// the benchmarks.
public enum StockKline {
    /// The table's name.
    public static let table = "stock_kline"

    /// `CREATE TABLE IF NOT EXISTS stock_kline (...)`, keyed by (symbol, trade_date).
    public static let createTable = """
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

    /// The symbol of index `index`: `lpad(index, 6, '0')` ("000000", "000001", ...).
    public static func symbol(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// One `INSERT ... SELECT` that fills the table with `symbols` x `days` rows of small,
    /// predictable values (tests check them by formula): row (s, d) has symbol `symbol(s)`, date
    /// 2015-01-01 + d, open 10 + s%50 + (d%7)·0.5, high open + 0.5, low open − 0.5, close
    /// 10.25 + s%50 + (d%5)·0.5, volume 1000·(s+1) + d, amount volume · 10.25.
    public static func insertPredictableRows(symbols: Int, days: Int) -> String {
        """
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
        """
    }

    /// Creates the table on `connection` and fills it with ``insertPredictableRows(symbols:days:)``.
    /// - Throws: ``DuckDBError`` from DuckDB (for example a constraint violation when rows exist).
    public static func createPredictable(_ connection: Connection, symbols: Int, days: Int) throws(DuckDBError) {
        try connection.execute(createTable)
        try connection.execute(insertPredictableRows(symbols: symbols, days: days))
    }

    /// The number of rows in the table, or nil when it does not exist.
    public static func rowCount(in connection: Connection) -> Int? {
        guard let value = try? connection.query("SELECT count(*) FROM stock_kline").scalar(),
              case .int(let count) = value else { return nil }
        return Int(count)
    }

    /// The three queries FactorWeave's workers run: the first rows, a count, one symbol's bars
    /// (with a `?` for the symbol).
    public static let firstRowsQuery = "SELECT * FROM stock_kline LIMIT 10"
    /// See ``firstRowsQuery``.
    public static let countQuery = "SELECT count(*) FROM stock_kline"
    /// See ``firstRowsQuery``.
    public static let symbolQuery = "SELECT * FROM stock_kline WHERE symbol = ?"
}

extension StockKline {
    /// The size of a predictable table: `symbols` x `days` rows. Value type.
    public struct Size: Sendable, Hashable {
        /// Symbols (`000000` ...).
        public var symbols: Int
        /// Days per symbol, from 2015-01-01.
        public var days: Int
        /// `symbols * days`.
        public var rows: Int { symbols * days }

        /// A size.
        public init(symbols: Int, days: Int) {
            self.symbols = symbols
            self.days = days
        }

        /// The statements that create and fill the table: ``StockKline/createTable`` and
        /// ``StockKline/insertPredictableRows(symbols:days:)``.
        public var createStatements: [String] {
            [StockKline.createTable, StockKline.insertPredictableRows(symbols: symbols, days: days)]
        }
    }
}
