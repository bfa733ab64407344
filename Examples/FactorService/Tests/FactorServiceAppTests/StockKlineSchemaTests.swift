import DuckPool
import StockKline
import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct StockKlineSchemaTests {
    /// The table as DuckDB describes it after `ddl`: its columns, types, nullability and keys.
    static func describe(_ ddl: String) throws -> String? {
        let database = try Database.inMemory()
        let connection = try database.connect()
        try connection.execute(ddl)
        let sql = try connection.query("SELECT sql FROM duckdb_tables() WHERE table_name = 'stock_kline'").scalar()
        guard case .string(let text) = sql else { return nil }
        return text
    }

    @Test func theServiceCreatesTheSameTableAsDuckpoolGenerate() throws {
        let service = try #require(try Self.describe(StockKlineSchema.createTable))
        #expect(service.contains("PRIMARY KEY(symbol, trade_date)"))
        #expect(service == (try Self.describe(StockKline.createTable)))
    }
}
