import DuckPoolSupport
import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// A bar whose properties are declared in another order than the table's columns.
struct NewBar: Encodable, Sendable {
    enum Board: String, Encodable { case main, growth }
    var volume: Int64
    var symbol: String
    var tradeDate: DuckDBDate
    var close: Double
    var open: Double
    var high: Double
    var low: Double
    var amount: Double?
    var board: Board
}

@Suite(.testThreads, .timeLimit(.minutes(2))) struct BulkImportTests {
    private func bars(_ count: Int, symbol: String = "900001") -> [NewBar] {
        (0..<count).map { day in
            NewBar(volume: Int64(day), symbol: symbol, tradeDate: DuckDBDate(year: 2030, month: 1, day: 1).adding(days: Int32(day)),
                   close: 1.5, open: 1, high: 2, low: 0.5, amount: day.isMultiple(of: 2) ? nil : Double(day), board: .growth)
        }
    }

    private func makePool(_ fixture: PoolFixture) async throws -> DuckPool {
        let pool = try await fixture.makePool()
        try await pool.execute("ALTER TABLE stock_kline ALTER amount DROP NOT NULL")
        try await pool.execute("ALTER TABLE stock_kline ADD COLUMN board VARCHAR DEFAULT 'main'")
        return pool
    }

    @Test func rowsGoInByColumnNameWithNullsAndEnums() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        let inserted = try await pool.bulkInsert(into: "stock_kline", rows: bars(25_000), flushEvery: 10_000)
        #expect(inserted == 25_000)
        let check = try await pool.query("""
            SELECT count(*), count(amount), sum(volume), min(trade_date), max(board), min(close)
            FROM stock_kline WHERE symbol = '900001'
            """).rows
        #expect(check == [[.int(25_000), .int(12_500), .hugeInt(312_487_500), .date(DuckDBDate(year: 2030, month: 1, day: 1)), .string("growth"), .double(1.5)]])
        await pool.close()
    }

    @Test func aConstraintViolationLeavesNothingBehind() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        var rows = bars(5_000)
        rows.append(rows[10]) // duplicate primary key, after a flush boundary
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.bulkInsert(into: "stock_kline", rows: rows, flushEvery: 1_000)
        }
        #expect(error?.code == .constraint)
        #expect(try await pool.query("SELECT count(*) FROM stock_kline WHERE symbol = '900001'").rows == [[.int(0)]])
        #expect(try await pool.query("SELECT count(*) FROM stock_kline").rows == [[.int(1)]])
        await pool.close()
    }

    @Test func aValueThatDoesNotFitLeavesNothingBehind() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await fixture.makePool()
        try await pool.execute("CREATE TABLE small (id INTEGER PRIMARY KEY, code TINYINT NOT NULL)")
        struct Small: Encodable, Sendable { var id: Int; var code: Int }
        let rows = (0..<3_000).map { Small(id: $0, code: $0 == 2_500 ? 1_000 : $0 % 100) } // 1000 overflows TINYINT
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.bulkInsert(into: "small", rows: rows, flushEvery: 1_000)
        }
        #expect(error?.code == .conversion)
        #expect(try await pool.query("SELECT count(*) FROM small").rows == [[.int(0)]])
        await pool.close()
    }

    @Test func anUnknownTableIsATypedError() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await fixture.makePool()
        let error = await #expect(throws: DuckDBError.self) { try await pool.bulkInsert(into: "nope", rows: bars(1)) }
        #expect(error?.code == .binder)
        await pool.close()
    }

    /// `count` bars of symbol `symbol` as columns; `amount` is NULL on even days.
    private func columns(_ count: Int, symbol: String = "900001", dayOffset: Int = 0) -> ColumnBatch {
        let days = (0..<count).map { DuckDBDate(year: 2030, month: 1, day: 1).adding(days: Int32($0 + dayOffset)) }
        var batch = ColumnBatch()
        batch.append("symbol", Array(repeating: symbol, count: count))
        batch.append("trade_date", days)
        batch.append("open", Array(repeating: 1.0, count: count))
        batch.append("high", Array(repeating: 2.0, count: count))
        batch.append("low", Array(repeating: 0.5, count: count))
        batch.append("close", (0..<count).map { 1 + Double($0) / 1_000 })
        batch.append("volume", (0..<count).map { Int64($0) })
        batch.append("amount", (0..<count).map { $0.isMultiple(of: 2) ? nil : Double($0) } as [Double?])
        return batch
    }

    @Test func columnsGoInThroughThePoolAcrossManyChunks() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        let flushed = LastFlushedCount()
        let inserted = try await pool.bulkInsert(into: "stock_kline", columns: columns(50_001), flushEvery: 8_192, onFlush: { flushed.set($0) })
        #expect(inserted == 50_001)
        #expect(flushed.value == 50_001)
        let check = try await pool.query("""
            SELECT count(*), count(amount), sum(volume), max(trade_date), max(board), round(sum(close), 3)
            FROM stock_kline WHERE symbol = '900001'
            """).rows
        #expect(check == [[.int(50_001), .int(25_000), .hugeInt(1_250_025_000),
                           .date(DuckDBDate(year: 2030, month: 1, day: 1).adding(days: 50_000)), .string("main"), .double(1_300_026)]])
        let blocking = try await onPlainThread { try pool.bulkInsert(into: "stock_kline", columns: self.columns(3, symbol: "900002")) }
        #expect(blocking == 3)
        await pool.close()
    }

    @Test func aPrimaryKeyViolationInTheMiddleOfColumnsRollsEverythingBack() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        try await pool.bulkInsert(into: "stock_kline", columns: columns(10, symbol: "900009"))
        var batch = ColumnBatch()
        let original = columns(30_000)
        for (name, values) in original.columns where name != "trade_date" { batch.append(name, values) }
        var days = (0..<30_000).map { DuckDBDate(year: 2030, month: 1, day: 1).adding(days: Int32($0)) }
        days[20_000] = days[3] // a duplicate key far past the first flush
        batch.append("trade_date", days)
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.bulkInsert(into: "stock_kline", columns: batch, flushEvery: 4_096)
        }
        #expect(error?.code == .constraint)
        #expect(try await pool.query("SELECT count(*) FROM stock_kline WHERE symbol = '900001'").rows == [[.int(0)]])
        #expect(try await pool.query("SELECT count(*) FROM stock_kline").rows == [[.int(11)]])
        #expect(pool.status.inUse == 0)
        #expect(try await pool.bulkInsert(into: "stock_kline", columns: columns(5)) == 5)
        await pool.close()
    }

    @Test func badColumnsAreTypedErrorsThatChangeNothing() async throws {
        let fixture = try PoolFixture(symbols: 1, days: 1)
        let pool = try await makePool(fixture)
        var wrongType = ColumnBatch()
        for (name, values) in columns(10).columns where name != "volume" { wrongType.append(name, values) }
        wrongType.append("volume", (0..<10).map { Double($0) }) // DOUBLE values for a BIGINT column
        let mismatch = await #expect(throws: DuckDBError.self) { try await pool.bulkInsert(into: "stock_kline", columns: wrongType) }
        #expect(mismatch?.code == .conversion)

        var short = columns(10)
        short.append("board", ["main"]) // 1 value where the others have 10
        let length = await #expect(throws: DuckDBError.self) { try await pool.bulkInsert(into: "stock_kline", columns: short) }
        #expect(length?.code == .invalidInput)

        let unknown = await #expect(throws: DuckDBError.self) { try await pool.bulkInsert(into: "nope", columns: columns(1)) }
        #expect(unknown?.code == .binder)

        #expect(try await pool.query("SELECT count(*) FROM stock_kline").rows == [[.int(1)]])
        #expect(pool.status.inUse == 0)
        #expect(try await pool.bulkInsert(into: "stock_kline", columns: columns(10)) == 10)
        await pool.close()
    }

    @Test func copyRoundTripsThroughParquetAndCSV() async throws {
        let fixture = try PoolFixture(symbols: 4, days: 30)
        let pool = try await fixture.makePool()
        for format in [CopyFormat.parquet, .csv] {
            let file = fixture.directory.path("bars.\(format.rawValue)")
            #expect(try await pool.export("SELECT * FROM stock_kline ORDER BY symbol, trade_date", to: file, format: format) == 120)
            try await pool.execute("CREATE TABLE copied_\(format.rawValue) AS SELECT * FROM stock_kline LIMIT 0")
            #expect(try await pool.copy(from: file, into: "copied_\(format.rawValue)", format: format) == 120)
            let difference = try await pool.query("""
                SELECT count(*) FROM (SELECT * FROM stock_kline EXCEPT SELECT * FROM copied_\(format.rawValue))
                """).rows
            #expect(difference == [[.int(0)]])
        }
        let missing = await #expect(throws: DuckDBError.self) {
            try await pool.copy(from: fixture.directory.path("absent.parquet"), into: "copied_parquet", format: .parquet)
        }
        #expect(missing?.code == .io)
        await pool.close()
    }
}

/// A thread-safe last-value box for callbacks.
final class LastFlushedCount: Sendable {
    private let storage = LockedValue(0)
    func set(_ value: Int) { storage.withLock { $0 = value } }
    var value: Int { storage.withLock { $0 } }
}
