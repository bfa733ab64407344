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
        try StockKlineFixture.create(connection, symbols: symbols, days: days)
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
