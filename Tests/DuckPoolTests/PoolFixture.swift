@testable import DuckPool
import DuckPoolTestUtils
import Foundation
import Logging
import MetricsTestKit
import StockKline

/// A file database with a small `stock_kline` table and a `counters` table, in its own temporary
/// directory.
struct PoolFixture {
    let directory = TemporaryDirectory()
    var path: String { directory.path("pool.duckdb") }

    init(symbols: Int = 20, days: Int = 50) throws {
        let database = try Database(path: path)
        let connection = try database.connect()
        try StockKline.createPredictable(connection, symbols: symbols, days: days)
        try connection.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO counters VALUES (1, 0)")
        connection.close()
        database.close()
    }

    /// A pool on the real clock.
    func makePool(
        logger: Logger = DuckPool.silentLogger,
        metrics: TestMetrics? = nil,
        _ configure: (inout DuckPoolConfiguration) -> Void = { _ in }
    ) async throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configure(&configuration)
        return try await DuckPool.open(path: path, configuration: configuration, logger: logger, metricsFactory: metrics ?? TestMetrics())
    }

    /// A pool whose every timer, deadline and retry wait runs on `clock`, moved by hand.
    func makePool(
        clock: MockClock,
        logger: Logger = DuckPool.silentLogger,
        metrics: TestMetrics? = nil,
        _ configure: (inout DuckPoolConfiguration) -> Void = { _ in }
    ) async throws -> DuckPool {
        var configuration = DuckPoolConfiguration()
        configure(&configuration)
        return try await DuckPool.open(
            path: path, configuration: configuration, logger: logger, metricsFactory: metrics ?? TestMetrics(), clock: PoolClock(clock)
        )
    }
}

/// A daily bar with the columns the tests read.
struct Bar: Decodable, Sendable, Equatable {
    var symbol: String
    var tradeDate: DuckDBDate
    var close: Double
    var volume: Int64
}
