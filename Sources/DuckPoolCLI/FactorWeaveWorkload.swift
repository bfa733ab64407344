import Foundation
import StockKline

/// FactorWeave's workload as `duckpool demo` runs it in all three acts, and as the
/// `crash-repro-child` process runs it: `threads` threads each run `iterations` of FactorWeave's
/// three `stock_kline` queries, and every result is checked. Value type.
///
/// Query `i` of thread `t` is, by `(t + i) % 3`: `SELECT * FROM stock_kline LIMIT 10` (10 rows),
/// `SELECT count(*) FROM stock_kline` (`symbols × days`), or `SELECT * FROM stock_kline WHERE
/// symbol = ?` for the symbol `i % symbols` (`days` rows). `comparisons/peers/demo_seed_pool.py`
/// runs the same plan in Python.
public struct FactorWeaveWorkload: Sendable, Hashable {
    /// Threads sharing the connection (act 1) or the pool (act 2).
    public var threads: Int
    /// Queries per thread.
    public var iterations: Int
    /// Symbols in the table (`000000` ...).
    public var symbols: Int
    /// Trading days per symbol.
    public var days: Int

    /// A workload on a `symbols × days` table.
    public init(threads: Int, iterations: Int, symbols: Int, days: Int) {
        self.threads = threads
        self.iterations = iterations
        self.symbols = symbols
        self.days = days
    }

    /// `threads × iterations`.
    public var totalQueries: Int { threads * iterations }

    /// One planned query and what its result must be.
    public struct Query: Sendable, Hashable {
        /// What the query returns, and so what is checked.
        public enum Kind: Sendable, Hashable {
            /// Rows are counted: `expected` is the number of rows.
            case rows
            /// One value is read: `expected` is that value.
            case count
        }

        public var kind: Kind
        public var sql: String
        /// The value bound to the query's `?`, if it has one.
        public var symbol: String?
        /// The number of rows (``Kind/rows``) or the value (``Kind/count``) it must return.
        public var expected: Int

        /// nil when `got` is right; otherwise a sentence for people.
        public func mismatch(_ got: Int) -> String? {
            guard got != expected else { return nil }
            let what = kind == .rows ? "rows" : "as the count"
            let text = symbol.map { sql.replacingOccurrences(of: "?", with: "'\($0)'") } ?? sql
            return "\(text) returned \(got) \(what), expected \(expected)"
        }
    }

    /// Query `iteration` of thread `thread`.
    public func query(thread: Int, iteration: Int) -> Query {
        switch (thread + iteration) % 3 {
        case 0:
            Query(kind: .rows, sql: StockKline.firstRowsQuery, symbol: nil, expected: min(10, symbols * days))
        case 1:
            Query(kind: .count, sql: StockKline.countQuery, symbol: nil, expected: symbols * days)
        default:
            Query(kind: .rows, sql: StockKline.symbolQuery, symbol: StockKline.symbol(iteration % symbols), expected: days)
        }
    }
}
