import DuckPool
import DuckPoolTestUtils
import Foundation

/// A file database with a small `stock_kline` table, in its own temporary directory.
struct PoolFixture {
    let directory = TemporaryDirectory()
    var path: String { directory.path("pool.duckdb") }

    init(symbols: Int = 20, days: Int = 50) throws {
        let database = try Database(path: path)
        let connection = try database.connect()
        try connection.execute("""
            CREATE TABLE stock_kline (
                symbol VARCHAR NOT NULL, trade_date DATE NOT NULL,
                open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL,
                volume BIGINT NOT NULL, amount DOUBLE NOT NULL,
                PRIMARY KEY (symbol, trade_date))
            """)
        try connection.execute("""
            INSERT INTO stock_kline
            SELECT lpad(CAST(s AS VARCHAR), 6, '0'), DATE '2020-01-01' + CAST(d AS INTEGER),
                   10 + s, 11 + s, 9 + s, 10.5 + s, 1000 + d, (1000 + d) * (10.5 + s)
            FROM range(\(symbols)) a(s), range(\(days)) b(d)
            """)
        try connection.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO counters VALUES (1, 0)")
        connection.close()
        database.close()
    }

    func makePool(_ configure: (inout DuckPoolConfiguration) -> Void = { _ in }) throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configure(&configuration)
        return try DuckPool(path: path, configuration: configuration)
    }
}

struct Bar: Decodable, Sendable, Equatable {
    var symbol: String
    var tradeDate: DuckDBDate
    var close: Double
    var volume: Int64
}
