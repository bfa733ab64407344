import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import StockKline
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ResultTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
    }

    @Test func columnsAndTypes() throws {
        let result = try connection.query("""
            SELECT 1::INTEGER AS i, 'a' AS s, 1.5::DECIMAL(10,2) AS d, DATE '2024-01-02' AS day,
                   TIMESTAMP '2024-01-02 03:04:05.678901' AS ts, 'x'::BLOB AS b
            """)
        #expect(result.columnNames == ["i", "s", "d", "day", "ts", "b"])
        #expect(result.columns.map(\.type) == [.integer, .varchar, .decimal(width: 10, scale: 2), .date, .timestamp, .blob])
        #expect(result.statementKind == .select)
        #expect(result.columnIndex(named: "DAY") == 3)
    }

    @Test func typedAccessByName() throws {
        try StockKline.createPredictable(connection, symbols: 1, days: 2)
        let chunk = try #require(try connection.query("SELECT * FROM stock_kline ORDER BY trade_date").nextChunk())
        #expect(try chunk.string("symbol", row: 0) == "000000")
        #expect(try chunk.date("TRADE_DATE", row: 1) == DuckDBDate(year: 2015, month: 1, day: 2))
        #expect(try chunk.double("close", row: 0) == 10.25)
        #expect(try chunk.int64("volume", row: 1) == 1001)
        #expect(try chunk.isNull("amount", row: 0) == false)
        let missing = #expect(throws: DuckDBError.self) { try chunk.double("no_such_column", row: 0) }
        #expect(missing?.code == .conversion)
    }

    @Test func resultSpanningManyChunks() throws {
        let result = try connection.query("SELECT range AS n, range % 3 = 0 AS fizz FROM range(1000000)")
        var count = 0
        var sum: Int64 = 0
        var chunks = 0
        var fizz = 0
        try result.forEachChunk { (chunk) throws(DuckDBError) in
            chunks += 1
            for row in 0..<chunk.count {
                sum += try chunk.int64(column: 0, row: row)
                if try chunk.bool(column: 1, row: row) { fizz += 1 }
            }
            count += chunk.count
        }
        #expect(count == 1_000_000)
        #expect(sum == 499_999_500_000)
        #expect(fizz == 333_334)
        #expect(chunks >= 1_000_000 / 2048)
        #expect(result.nextChunk() == nil)
    }

    @Test func decimalsOfEveryWidth() throws {
        let result = try connection.query("""
            SELECT 12.34::DECIMAL(4,2), -123456.789::DECIMAL(9,3), 123456789012.345678::DECIMAL(18,6),
                   -12345678901234567890.123456789::DECIMAL(38,9), NULL::DECIMAL(10,2)
            """)
        let row = try #require(try result.rows().first)
        #expect(row[0] == .decimal(Decimal(string: "12.34")!))
        #expect(row[1] == .decimal(Decimal(string: "-123456.789")!))
        #expect(row[2] == .decimal(Decimal(string: "123456789012.345678")!))
        #expect(row[3] == .decimal(Decimal(string: "-12345678901234567890.123456789")!))
        #expect(row[4] == .null)
    }

    @Test func timestampsAndDates() throws {
        let result = try connection.query("""
            SELECT TIMESTAMP '1999-12-31 23:59:59.999999', TIMESTAMP_S '2000-01-01 00:00:01',
                   TIMESTAMP_MS '2000-01-01 00:00:00.123', TIMESTAMPTZ '2000-01-01 00:00:00+00',
                   DATE '1969-12-31', DATE '2262-04-11'
            """)
        let chunk = try #require(result.nextChunk())
        #expect(try chunk.timestamp(column: 0, row: 0).description == "1999-12-31 23:59:59.999999")
        #expect(try chunk.timestamp(column: 1, row: 0).microsecondsSinceEpoch == 946_684_801_000_000)
        #expect(try chunk.timestamp(column: 2, row: 0).microsecondsSinceEpoch == 946_684_800_123_000)
        #expect(try chunk.timestamp(column: 3, row: 0).microsecondsSinceEpoch == 946_684_800_000_000)
        #expect(try chunk.date(column: 4, row: 0) == DuckDBDate(daysSinceEpoch: -1))
        #expect(try chunk.date(column: 5, row: 0).components == (2262, 4, 11))
    }

    @Test func inlinedAndLongStrings() throws {
        let twelve = "123456789012"    // inlined: exactly 12 bytes
        let thirteen = "1234567890123" // not inlined
        let long = String(repeating: "duck", count: 1000)
        let result = try connection.query("SELECT ?, ?, ?, ''", [twelve, thirteen, long])
        let chunk = try #require(result.nextChunk())
        #expect(try chunk.string(column: 0, row: 0) == twelve)
        #expect(try chunk.string(column: 1, row: 0) == thirteen)
        #expect(try chunk.string(column: 2, row: 0) == long)
        #expect(try chunk.string(column: 3, row: 0) == "")
    }

    @Test func blobs() throws {
        let result = try connection.query("SELECT '\\xAA\\x00\\xFF'::BLOB, 'abcdefghijklmnopqrstuvwxyz'::BLOB")
        let chunk = try #require(result.nextChunk())
        #expect(try chunk.bytes(column: 0, row: 0) == [0xAA, 0x00, 0xFF])
        #expect(try chunk.bytes(column: 1, row: 0) == Array("abcdefghijklmnopqrstuvwxyz".utf8))
    }

    @Test func otherTypesAsValues() throws {
        let row = try #require(try connection.query("""
            SELECT 170141183460469231731687303715884105727::HUGEINT, 18446744073709551615::UBIGINT,
                   '550e8400-e29b-41d4-a716-446655440000'::UUID, TIME '12:34:56', INTERVAL 3 DAY,
                   'b'::ENUM('a', 'b'), 2.5::FLOAT
            """).rows().first)
        #expect(row[0] == .hugeInt(Int128.max))
        #expect(row[1] == .uint(UInt64.max))
        #expect(row[2] == .uuid("550e8400-e29b-41d4-a716-446655440000"))
        #expect(row[3] == .time(microseconds: (12 * 3600 + 34 * 60 + 56) * 1_000_000))
        #expect(row[4] == .interval(months: 0, days: 3, microseconds: 0))
        #expect(row[5] == .string("b"))
        #expect(row[6] == .double(2.5))
    }

    @Test func unsupportedTypeIsATypedError() throws {
        let result = try connection.query("SELECT [1, 2, 3] AS list")
        let error = #expect(throws: DuckDBError.self) { try result.rows() }
        #expect(error?.code == .conversion)
    }

    @Test func wrongTypedReadIsATypedError() throws {
        let chunk = try #require(try connection.query("SELECT 'text' AS s, NULL::INTEGER AS n").nextChunk())
        let typeError = #expect(throws: DuckDBError.self) { try chunk.int64(column: 0, row: 0) }
        #expect(typeError?.code == .conversion)
        #expect(typeError?.message.contains("\"s\"") == true)
        let nullError = #expect(throws: DuckDBError.self) { try chunk.int64(column: 1, row: 0) }
        #expect(nullError?.message.contains("NULL") == true)
        #expect(chunk.isNull(column: 1, row: 0))
    }

    @Test func decodesStockBars() throws {
        try StockKline.createPredictable(connection, symbols: 3, days: 5)
        let bars = try connection.query(StockBar.self, "SELECT * FROM stock_kline WHERE symbol = ? ORDER BY trade_date", ["000001"])
        #expect(bars.count == 5)
        let first = try #require(bars.first)
        #expect(first.symbol == "000001")
        #expect(first.tradeDate == DuckDBDate(year: 2015, month: 1, day: 1))
        #expect(first.open == 11)
        #expect(first.volume == 2000)
        #expect(first.amount == 20_500)
    }

    @Test func decodingOptionalsRawValuesAndMissingColumns() throws {
        enum Side: String, Decodable { case buy, sell }
        struct Trade: Decodable {
            var id: Int
            var side: Side
            var note: String?
            var absent: Int?
            var at: Date
        }
        let trades = try connection.query(Trade.self, """
            SELECT 1 AS id, 'sell' AS side, NULL AS note, TIMESTAMP '2020-01-01 00:00:00' AS at
            """)
        #expect(trades.count == 1)
        #expect(trades[0].side == .sell)
        #expect(trades[0].note == nil)
        #expect(trades[0].absent == nil)
        #expect(trades[0].at == Date(timeIntervalSince1970: 1_577_836_800))

        struct NeedsMissing: Decodable { var missing: Int }
        let error = #expect(throws: DuckDBError.self) { try connection.query(NeedsMissing.self, "SELECT 1 AS present") }
        #expect(error?.code == .conversion)
        #expect(error?.message.contains("missing") == true)
    }

    @Test func rowsChangedAndStatementKinds() throws {
        try connection.execute("CREATE TABLE k (x INTEGER)")
        #expect(try connection.execute("INSERT INTO k SELECT * FROM range(10)") == 10)
        #expect(try connection.execute("UPDATE k SET x = x + 1 WHERE x < 3") == 3)
        #expect(try connection.execute("DELETE FROM k WHERE x > 5") == 4) // 1,2,3,3,4,5 remain
        #expect(try connection.query("SELECT * FROM k").statementKind == .select)
    }

    @Test func scriptsRunEveryStatement() throws {
        let changed = try connection.executeScript("""
            CREATE TABLE s (x INTEGER);
            INSERT INTO s VALUES (1), (2);
            INSERT INTO s VALUES (3);
            """)
        #expect(changed == 3)
        #expect(try connection.query("SELECT count(*) FROM s").scalar() == .int(3))
        let error = #expect(throws: DuckDBError.self) { try connection.executeScript("SELECT 1; SELEC 2;") }
        #expect(error?.code == .parser)
    }
}

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ScriptTests {
    @Test func scriptErrorsNameTheFailingStatement() throws {
        let connection = try Database.inMemory().connect()
        let error = #expect(throws: DuckDBError.self) {
            try connection.executeScript("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES ('x;y'); SELECT 1")
        }
        #expect(error?.code == .conversion)
        #expect(error?.sql?.contains("INSERT INTO a") == true)
        #expect(error?.sql?.contains("CREATE TABLE") == false)
    }
}
