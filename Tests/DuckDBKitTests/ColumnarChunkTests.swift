import DuckDBKit
import DuckPoolTestTraits
import Foundation
import Testing

/// Results of many chunks: 10,000 rows (five DuckDB chunks of up to 2,048) of every main type,
/// with NULLs on different strides so that they land on both sides of each chunk boundary, and
/// NULLs that appear only in the first or only in the last chunk.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnarChunkTests {
    let connection: Connection
    static let rows = 10_000

    init() throws {
        connection = try Database.inMemory().connect()
    }

    static let sql = """
        SELECT n,
               CASE WHEN n % 7 = 3 THEN NULL ELSE CAST(n AS INTEGER) * -3 END AS i32,
               CASE WHEN n % 11 = 5 THEN NULL ELSE CAST(n AS DOUBLE) * 0.5 END AS d,
               CASE WHEN n % 13 = 0 THEN NULL WHEN n % 3 = 0 THEN 'v' || n ELSE 'a longer, heap-allocated string ' || n END AS s,
               CASE WHEN n % 17 = 1 THEN NULL ELSE DATE '2000-01-01' + CAST(n AS INTEGER) END AS day,
               CASE WHEN n % 19 = 2 THEN NULL ELSE TIMESTAMP '2000-01-01' + n * INTERVAL 1 SECOND END AS ts,
               CASE WHEN n % 23 = 4 THEN NULL ELSE CAST(n AS DECIMAL(18, 2)) END AS dec,
               CASE WHEN n % 29 = 6 THEN NULL ELSE n % 2 = 0 END AS b,
               CASE WHEN n >= 9990 THEN NULL ELSE n END AS late_nulls,
               CASE WHEN n < 3 THEN NULL ELSE n END AS early_nulls
        FROM range(10000) t(n)
        ORDER BY n
        """

    @Test func theQuerySpansSeveralChunks() throws {
        var chunks = 0
        try connection.query(Self.sql).forEachChunk { _ in chunks += 1 }
        #expect(chunks >= 5)
    }

    @Test func everyRowAndEveryNullSurvivesTheChunkBoundaries() throws {
        let result = try connection.queryColumns(Self.sql)
        #expect(result.rowCount == Self.rows)
        #expect(result.columns.map(\.type) == [
            .bigInt, .integer, .double, .varchar, .date, .timestamp, .decimal(width: 18, scale: 2), .boolean, .bigInt, .bigInt,
        ])
        let n = try result.int64s("n")
        let i32 = try result.int64s("i32")
        let d = try result.doubles("d")
        let s = try result.strings("s")
        let day = try result.dates("day")
        let ts = try result.timestamps("ts")
        let dec = try result.scaledDecimals("dec")
        let b = try result.bools("b")
        #expect(n.values == (0..<Int64(Self.rows)).map { $0 })
        #expect(!n.hasNulls)
        for row in 0..<Self.rows {
            let value = Int64(row)
            #expect(i32[row: row] == (row % 7 == 3 ? nil : value * -3), "i32 row \(row)")
            #expect(d[row: row] == (row % 11 == 5 ? nil : Double(row) * 0.5), "d row \(row)")
            let text = row % 3 == 0 ? "v\(row)" : "a longer, heap-allocated string \(row)"
            #expect(s[row: row] == (row % 13 == 0 ? nil : text), "s row \(row)")
            #expect(day[row: row] == (row % 17 == 1 ? nil : DuckDBDate(year: 2000, month: 1, day: 1).adding(days: Int32(row))), "day row \(row)")
            let micros = 946_684_800_000_000 + value * 1_000_000
            #expect(ts[row: row]?.microsecondsSinceEpoch == (row % 19 == 2 ? nil : micros), "ts row \(row)")
            #expect(dec.unscaled[row: row] == (row % 23 == 4 ? nil : Int128(row) * 100), "dec row \(row)")
            #expect(b[row: row] == (row % 29 == 6 ? nil : row % 2 == 0), "b row \(row)")
        }
        #expect(i32.nullCount == (0..<Self.rows).filter { $0 % 7 == 3 }.count)
        #expect(s.nullCount == (0..<Self.rows).filter { $0 % 13 == 0 }.count)
        #expect(dec.scale == 2)
    }

    @Test func placeholdersReplaceWhateverDuckDBLeftUnderNulls() throws {
        let result = try connection.queryColumns(Self.sql)
        let d = try result.doubles("d")
        let i32 = try result.int64s("i32")
        let day = try result.dates("day")
        let s = try result.strings("s")
        for row in 0..<Self.rows {
            if row % 11 == 5 { #expect(d.values[row].isNaN, "d row \(row)") }
            if row % 7 == 3 { #expect(i32.values[row] == 0, "i32 row \(row)") }
            if row % 17 == 1 { #expect(day.values[row] == DuckDBDate(daysSinceEpoch: 0), "day row \(row)") }
            if row % 13 == 0 { #expect(s.values[row] == "", "s row \(row)") }
        }
    }

    @Test func nullsFirstSeenInTheLastChunkOrOnlyInTheFirst() throws {
        let result = try connection.queryColumns(Self.sql)
        let late = try result.int64s("late_nulls")
        #expect(late.nullCount == 10)
        #expect((0..<Self.rows).filter { late.isNull($0) } == Array(9990..<10_000))
        #expect(late.values[9989] == 9989)
        let early = try result.int64s("early_nulls")
        #expect(early.nullCount == 3)
        #expect((0..<Self.rows).filter { early.isNull($0) } == [0, 1, 2])
        #expect(early.validity.words.count == (Self.rows + 63) / 64)
        #expect(early.values[9999] == 9999)
    }

    @Test func runsOfEqualStringsAcrossChunksAndNulls() throws {
        let result = try connection.queryColumns("""
            SELECT CASE WHEN n % 1000 = 7 THEN NULL ELSE 'sym' || (n // 700) END AS short,
                   CASE WHEN n % 1000 = 8 THEN NULL ELSE 'a heap-allocated symbol ' || (n // 700) END AS long
            FROM range(10000) t(n) ORDER BY n
            """)
        let short = try result.strings("short")
        let long = try result.strings("long")
        for row in 0..<Self.rows {
            #expect(short[row: row] == (row % 1000 == 7 ? nil : "sym\(row / 700)"), "short row \(row)")
            #expect(long[row: row] == (row % 1000 == 8 ? nil : "a heap-allocated symbol \(row / 700)"), "long row \(row)")
        }
        // A run of equal long strings shares one allocation instead of one per row.
        func storage(_ row: Int) -> UnsafeRawPointer? {
            long.values[row].utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        }
        #expect(storage(1) != nil && storage(1) == storage(2) && storage(2) == storage(699))
        #expect(storage(699) != storage(700))
    }

    @Test func aMillionRowsOfTwoColumns() throws {
        let result = try connection.queryColumns("SELECT range AS n, range % 3 = 0 AS fizz FROM range(1000000)")
        #expect(result.rowCount == 1_000_000)
        #expect(try result.int64s("n").values.reduce(0, +) == 499_999_500_000)
        #expect(try result.bools("fizz").values.filter { $0 }.count == 333_334)
    }
}
