import DuckDBKit
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ColumnAppendTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
    }

    private func count(_ table: String) throws -> [[DuckDBValue]] {
        try connection.query("SELECT count(*) FROM \(table)").rows()
    }

    @Test func everyTypeRoundTripsWithNulls() throws {
        try connection.execute("""
            CREATE TABLE every (
                b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, i BIGINT,
                u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, f FLOAT, d DOUBLE,
                s VARCHAR, day DATE, ts TIMESTAMP, tz TIMESTAMPTZ, bytes BLOB,
                wide BIGINT, wider DOUBLE, signed INTEGER
            )
            """)
        let long = String(repeating: "long string ", count: 5) + "ü"
        var batch = ColumnBatch()
        batch.append("b", [true, nil, false] as [Bool?])
        batch.append("i8", [Int8.min, nil, Int8.max] as [Int8?])
        batch.append("i16", [Int16.min, nil, Int16.max] as [Int16?])
        batch.append("i32", [Int32.min, nil, Int32.max] as [Int32?])
        batch.append("i64", [Int64.min, nil, Int64.max] as [Int64?])
        batch.append("i", [-1, 0, 1] as [Int])
        batch.append("u8", [UInt8.max, nil, 0] as [UInt8?])
        batch.append("u16", [UInt16.max, nil, 0] as [UInt16?])
        batch.append("u32", [UInt32.max, nil, 0] as [UInt32?])
        batch.append("u64", [UInt64.max, nil, 0] as [UInt64?])
        batch.append("f", [1.5, nil, -2] as [Float?])
        batch.append("d", [0.1, nil, -1e300] as [Double?])
        batch.append("s", ["short", nil, long] as [String?])
        batch.append("day", [DuckDBDate(year: 2024, month: 2, day: 29), nil, DuckDBDate(daysSinceEpoch: -1)] as [DuckDBDate?])
        batch.append("ts", [DuckDBTimestamp(microsecondsSinceEpoch: 1), nil, DuckDBTimestamp(microsecondsSinceEpoch: -1)] as [DuckDBTimestamp?])
        batch.append("tz", [DuckDBTimestamp(microsecondsSinceEpoch: 86_400_000_000), nil, DuckDBTimestamp(microsecondsSinceEpoch: 0)] as [DuckDBTimestamp?])
        batch.append("bytes", [[0, 1, 2], nil, Array(repeating: 255, count: 40)] as [[UInt8]?])
        batch.append("wide", [Int32(7), Int32.min, Int32.max] as [Int32])          // widened into BIGINT
        batch.append("wider", [Float(0.5), 2, -4] as [Float])                     // widened into DOUBLE
        batch.append("signed", [UInt16.max, 0, 1] as [UInt16])                   // unsigned into a wider signed column
        let appender = try Appender(connection: connection, table: "every")
        #expect(try appender.appendColumns(batch) == 3)
        try appender.close()

        let rows = try connection.query("SELECT * FROM every ORDER BY i").rows()
        #expect(rows.count == 3)
        #expect(rows[0] == [
            .bool(true), .int(-128), .int(-32_768), .int(Int64(Int32.min)), .int(Int64.min), .int(-1),
            .int(255), .int(65_535), .int(Int64(UInt32.max)), .uint(UInt64.max), .double(1.5), .double(0.1),
            .string("short"), .date(DuckDBDate(year: 2024, month: 2, day: 29)), .timestamp(DuckDBTimestamp(microsecondsSinceEpoch: 1)),
            .timestamp(DuckDBTimestamp(microsecondsSinceEpoch: 86_400_000_000)), .blob([0, 1, 2]),
            .int(7), .double(0.5), .int(65_535),
        ])
        #expect(rows[1] == Array(repeating: DuckDBValue.null, count: 5) + [.int(0)] + Array(repeating: .null, count: 11) + [.int(Int64(Int32.min)), .double(2), .int(0)])
        #expect(rows[2][12] == .string(long))
        #expect(rows[2][13] == .date(DuckDBDate(year: 1969, month: 12, day: 31)))
        #expect(rows[2][16] == .blob(Array(repeating: 255, count: 40)))
        #expect(rows[2][3] == .int(Int64(Int32.max)) && rows[2][9] == .uint(0))
    }

    @Test func columnsMatchByNameAndOthersGetTheirDefault() throws {
        try connection.execute("CREATE TABLE t (a INTEGER, b VARCHAR DEFAULT 'dflt', c DOUBLE)")
        let batch = ColumnBatch(["c": ColumnValues([2.5, 3.5]), "a": ColumnValues([Int32(1), 2])])
        let appender = try Appender(connection: connection, table: "t")
        try appender.appendColumns(batch)
        try appender.close()
        #expect(try connection.query("SELECT a, b, c FROM t ORDER BY a").rows() == [
            [.int(1), .string("dflt"), .double(2.5)], [.int(2), .string("dflt"), .double(3.5)],
        ])
    }

    @Test func aTypeMismatchIsRefusedBeforeAnythingIsAppended() throws {
        try connection.execute("CREATE TABLE t (id INTEGER, price DECIMAL(10, 2), n INTEGER)")
        let appender = try Appender(connection: connection, table: "t")
        var batch = ColumnBatch()
        batch.append("id", [Int32(1), 2])
        batch.append("price", [1.25, 2.5] as [Double])
        let decimal = #expect(throws: DuckDBError.self) { try appender.appendColumns(batch) }
        #expect(decimal?.code == .conversion)
        #expect(decimal?.message.contains("price") == true)

        var narrowing = ColumnBatch()
        narrowing.append("id", [Int32(1), 2])
        narrowing.append("n", [Int64(1), 2]) // BIGINT values into an INTEGER column: never narrowed
        let narrowed = #expect(throws: DuckDBError.self) { try Appender(connection: connection, table: "t").appendColumns(narrowing) }
        #expect(narrowed?.code == .conversion)
        #expect(try count("t") == [[.int(0)]])
    }

    @Test func badBatchesAreInvalidInput() throws {
        try connection.execute("CREATE TABLE t (a INTEGER, b INTEGER)")
        var uneven = ColumnBatch()
        uneven.append("a", [Int32(1), 2, 3])
        uneven.append("b", [Int32(1), 2])
        let lengths = #expect(throws: DuckDBError.self) { try Appender(connection: connection, table: "t").appendColumns(uneven) }
        #expect(lengths?.code == .invalidInput)

        var twice = ColumnBatch()
        twice.append("a", [Int32(1)])
        twice.append("A", [Int32(1)])
        let repeated = #expect(throws: DuckDBError.self) { try Appender(connection: connection, table: "t").appendColumns(twice) }
        #expect(repeated?.code == .invalidInput)

        let empty = #expect(throws: DuckDBError.self) { try Appender(connection: connection, table: "t").appendColumns(ColumnBatch()) }
        #expect(empty?.code == .invalidInput)

        var unknown = ColumnBatch()
        unknown.append("nope", [Int32(1)])
        let missing = #expect(throws: DuckDBError.self) { try Appender(connection: connection, table: "t").appendColumns(unknown) }
        #expect(missing?.code == .binder)
        #expect(try count("t") == [[.int(0)]])
        #expect(try connection.query("SELECT 42").rows() == [[.int(42)]])
    }

    @Test func largeLoadsCrossManyChunksAndFlushes() throws {
        try connection.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, label VARCHAR, value DOUBLE)")
        let rows = 100_003 // 48 full chunks and a partial one
        let ids = Array(0..<Int64(rows))
        let labels = ids.map { $0 % 1000 == 0 ? nil : "label-\($0)" as String? }
        let values = ids.map { $0 % 7 == 0 ? nil : Double($0) / 2 as Double? }
        var flushes: [Int] = []
        let appender = try Appender(connection: connection, table: "big")
        let appended = try appender.appendColumns(
            ColumnBatch(["id": ColumnValues(ids), "label": ColumnValues(labels), "value": ColumnValues(values)]),
            flushEvery: 10_000, onFlush: { flushes.append($0) }
        )
        try appender.close()
        #expect(appended == rows)
        #expect(flushes.last == rows)
        #expect(flushes == Array(stride(from: 8_192, to: rows, by: 8_192)) + [rows]) // every 4 whole chunks, then the rest
        let check = try connection.query("""
            SELECT count(*), count(label), count(value), sum(id), max(label),
                   sum(CASE WHEN label = 'label-' || id THEN 1 ELSE 0 END), sum(value)
            FROM big
            """).rows()
        let expectedValueSum = ids.filter { $0 % 7 != 0 }.reduce(0.0) { $0 + Double($1) / 2 }
        let labelled = Int64(labels.compactMap { $0 }.count), valued = Int64(values.compactMap { $0 }.count)
        #expect(check == [[.int(Int64(rows)), .int(labelled), .int(valued),
                           .hugeInt(Int128(rows) * Int128(rows - 1) / 2), .string("label-99999"),
                           .hugeInt(Int128(labelled)), .double(expectedValueSum)]])
    }

    @Test func aPrimaryKeyViolationIsAConstraintError() throws {
        try connection.execute("CREATE TABLE k (id INTEGER PRIMARY KEY)")
        var ids = Array(Int32(0)..<5_000)
        ids[4_321] = 17
        try connection.execute("BEGIN TRANSACTION")
        let error = #expect(throws: DuckDBError.self) {
            let appender = try Appender(connection: connection, table: "k")
            try appender.appendColumns(ColumnBatch(["id": ColumnValues(ids)]))
            try appender.close()
        }
        #expect(error?.code == .constraint)
        try connection.execute("ROLLBACK")
        #expect(try count("k") == [[.int(0)]])
    }
}
