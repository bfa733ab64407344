import DuckPoolSupport
import DuckDBKit

/// The benchmark's query mixes. The contract is shared with the Python peer
/// (`comparisons/peers`): same SQL, same parameter choices, every result read in full.
enum BenchWorkload: String, CaseIterable, Sendable {
    /// FactorWeave's own query: `SELECT * FROM stock_kline LIMIT 10`.
    case seed
    /// One bar: random symbol, random date.
    case point
    /// 250 consecutive trading dates of one random symbol.
    case range
    /// Moving average, daily return and volatility over the last 120 trading dates, all symbols.
    case factor
    /// Nine `point` reads, then one `INSERT INTO bench_writes`, per worker.
    case mixed

    static let seedSQL = "SELECT * FROM stock_kline LIMIT 10"
    static let pointSQL = "SELECT * FROM stock_kline WHERE symbol = ? AND trade_date = ?"
    static let rangeSQL = """
        SELECT trade_date, open, high, low, close, volume FROM stock_kline \
        WHERE symbol = ? AND trade_date BETWEEN ? AND ? ORDER BY trade_date
        """
    static let factorSQL = """
        WITH w AS (
          SELECT symbol, trade_date, close,
                 avg(close) OVER (PARTITION BY symbol ORDER BY trade_date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma20,
                 close / lag(close) OVER (PARTITION BY symbol ORDER BY trade_date) - 1 AS daily_return
          FROM stock_kline WHERE trade_date >= ?)
        SELECT symbol, avg(daily_return) AS avg_return, stddev_samp(daily_return) AS volatility,
               arg_max(ma20, trade_date) AS last_ma20
        FROM w GROUP BY symbol ORDER BY symbol
        """
    static let writeSQL = "INSERT INTO bench_writes VALUES (?, ?, ?, ?)"
    static let createWritesTable = "CREATE TABLE IF NOT EXISTS bench_writes (worker INTEGER, seq BIGINT, symbol VARCHAR, value DOUBLE)"
    static let rangeWindow = 250
    static let factorLookback = 120
}

/// What every worker draws its parameters from, loaded once per run.
struct BenchUniverse: Sendable {
    var symbols: [String]
    var dates: [DuckDBDate]

    /// Loads the distinct symbols and trading dates, in order.
    /// - Throws: ``DuckDBError`` when `stock_kline` is missing or has too few dates.
    static func load(from connection: Connection) throws -> BenchUniverse {
        var symbols: [String] = []
        try connection.query("SELECT DISTINCT symbol FROM stock_kline ORDER BY symbol").forEachChunk { (chunk) throws(DuckDBError) in
            for row in 0..<chunk.count { symbols.append(try chunk.string(column: 0, row: row)) }
        }
        var dates: [DuckDBDate] = []
        try connection.query("SELECT DISTINCT trade_date FROM stock_kline ORDER BY trade_date").forEachChunk { (chunk) throws(DuckDBError) in
            for row in 0..<chunk.count { dates.append(try chunk.date(column: 0, row: row)) }
        }
        guard !symbols.isEmpty, dates.count > max(BenchWorkload.rangeWindow, BenchWorkload.factorLookback) else {
            throw DuckDBError(code: .invalidInput, message: "stock_kline needs at least \(BenchWorkload.rangeWindow + 1) trading dates; it has \(dates.count) dates and \(symbols.count) symbols")
        }
        return BenchUniverse(symbols: symbols, dates: dates)
    }

    /// The `factor` cut-off: the date 120 trading dates before the last.
    var factorStart: DuckDBDate { dates[dates.count - 1 - BenchWorkload.factorLookback] }
}

/// One statement to run: SQL text (the key of the prepared-statement caches) and parameters.
struct BenchQuery: Sendable {
    var sql: String
    var parameters: [any DuckDBBindable]
}

/// A worker's deterministic stream of queries for one workload.
struct BenchQueryStream {
    let workload: BenchWorkload
    let universe: BenchUniverse
    let worker: Int
    private var random: SplitMix64
    /// The number of queries drawn so far (the `i` of the `mixed` rule).
    private(set) var drawn = 0

    init(workload: BenchWorkload, universe: BenchUniverse, worker: Int) {
        self.workload = workload
        self.universe = universe
        self.worker = worker
        self.random = SplitMix64(seed: UInt64(worker))
    }

    mutating func next() -> BenchQuery {
        defer { drawn += 1 }
        switch workload {
        case .seed:
            return BenchQuery(sql: BenchWorkload.seedSQL, parameters: [])
        case .point:
            return point()
        case .range:
            let symbol = universe.symbols[random.index(below: universe.symbols.count)]
            let first = random.index(below: universe.dates.count - BenchWorkload.rangeWindow + 1)
            return BenchQuery(sql: BenchWorkload.rangeSQL, parameters: [
                symbol, universe.dates[first], universe.dates[first + BenchWorkload.rangeWindow - 1],
            ])
        case .factor:
            return BenchQuery(sql: BenchWorkload.factorSQL, parameters: [universe.factorStart])
        case .mixed:
            guard drawn % 10 == 9 else { return point() }
            let symbol = universe.symbols[random.index(below: universe.symbols.count)]
            return BenchQuery(sql: BenchWorkload.writeSQL, parameters: [worker, drawn, symbol, random.unitDouble()])
        }
    }

    private mutating func point() -> BenchQuery {
        let symbol = universe.symbols[random.index(below: universe.symbols.count)]
        let date = universe.dates[random.index(below: universe.dates.count)]
        return BenchQuery(sql: BenchWorkload.pointSQL, parameters: [symbol, date])
    }
}
