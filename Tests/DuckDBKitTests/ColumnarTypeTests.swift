import DuckDBKit
import DuckPoolTestTraits
import Foundation
import Testing

/// Every column type a `ColumnarResult` reads, each with a NULL in the middle row, checking the
/// values, the NULL bitmap, the placeholder under the NULL and the widening of the type table.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ColumnarTypeTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
    }

    /// Three rows (first, NULL, last) of each expression, in order.
    private func threeRows(_ columns: [(name: String, first: String, last: String)]) throws -> ColumnarResult {
        let select = columns.map(\.name).joined(separator: ", ")
        let first = columns.map(\.first).joined(separator: ", ")
        let nulls = columns.map { _ in "NULL" }.joined(separator: ", ")
        let last = columns.map(\.last).joined(separator: ", ")
        return try connection.queryColumns("""
            SELECT \(select) FROM (VALUES (0, \(first)), (1, \(nulls)), (2, \(last))) t(row_id, \(select)) ORDER BY row_id
            """)
    }

    @Test func booleans() throws {
        let result = try threeRows([("b", "true", "false")])
        let column = try result.bools("b")
        #expect(column.values == [true, false, false])
        #expect(column.optionals == [true, nil, false])
        #expect(column.validity.nulls == [false, true, false])
        #expect(column.nullCount == 1)
    }

    @Test func everyIntegerWidthWidensToInt64() throws {
        let result = try threeRows([
            ("ti", "(-128)::TINYINT", "127::TINYINT"), ("si", "(-32768)::SMALLINT", "32767::SMALLINT"),
            ("i", "(-2147483648)::INTEGER", "2147483647::INTEGER"),
            ("bi", "(-9223372036854775808)::BIGINT", "9223372036854775807::BIGINT"),
            ("uti", "0::UTINYINT", "255::UTINYINT"), ("usi", "0::USMALLINT", "65535::USMALLINT"),
            ("ui", "0::UINTEGER", "4294967295::UINTEGER"),
        ])
        #expect(result.columns.map(\.type) == [.tinyInt, .smallInt, .integer, .bigInt, .uTinyInt, .uSmallInt, .uInteger])
        let expected: [(Int64, Int64)] = [
            (-128, 127), (-32768, 32767), (-2_147_483_648, 2_147_483_647), (.min, .max), (0, 255), (0, 65535), (0, 4_294_967_295),
        ]
        for (index, (first, last)) in expected.enumerated() {
            let column = try result.int64s(index)
            #expect(column.values == [first, 0, last], "column \(column.name)")
            #expect(column.optionals == [first, nil, last], "column \(column.name)")
        }
        // Integers also read as Int128, Double (NaN under NULL) and Decimal, converted.
        #expect(try result[column: "i", as: Int128.self].optionals == [-2_147_483_648, nil, 2_147_483_647])
        let doubles = try result.doubles("usi")
        #expect(doubles.optionals == [0, nil, 65535])
        #expect(doubles.values[1].isNaN)
        #expect(try result.decimals("bi").optionals == [Decimal(Int64.min), nil, Decimal(Int64.max)])
    }

    @Test func unsignedBigIntAndHugeInts() throws {
        let result = try threeRows([
            ("ubi", "18446744073709551615::UBIGINT", "7::UBIGINT"),
            ("hi", "'-170141183460469231731687303715884105728'::HUGEINT", "(-5)::HUGEINT"),
            ("uhi", "'340282366920938463463374607431768211455'::UHUGEINT", "9::UHUGEINT"),
        ])
        #expect(try result[column: "ubi", as: UInt64.self].optionals == [UInt64.max, nil, 7])
        #expect(try result[column: "hi", as: Int128.self].optionals == [Int128.min, nil, -5])
        #expect(try result[column: "uhi", as: UInt128.self].optionals == [UInt128.max, nil, 9])
        #expect(try result.doubles("ubi").values[0] == 18_446_744_073_709_551_615.0)
        #expect(try result.decimals("hi").values[2] == -5)
        // Narrowing to Int64 is checked: the first row does not fit, and the error says where.
        for name in ["ubi", "hi", "uhi"] {
            let error = #expect(throws: DuckDBError.self) { try result.int64s(name) }
            #expect(error?.code == .conversion)
            #expect(error?.message.contains("row 0") == true, "\(name): \(String(describing: error))")
        }
        let fits = try connection.queryColumns("SELECT sum(x) AS total FROM (VALUES (1), (2)) t(x)")
        #expect(fits.columns[0].type == .hugeInt) // DuckDB sums integers into HUGEINT
        #expect(try fits.int64s("total").values == [3])
    }

    @Test func floatsWidenAndDoublesCopy() throws {
        let result = try threeRows([("f", "1.5::FLOAT", "-0.25::FLOAT"), ("d", "0.1::DOUBLE", "-1e300::DOUBLE")])
        let floats = try result.doubles("f")
        #expect(floats.optionals == [1.5, nil, -0.25])
        #expect(floats.values[1].isNaN)
        let doubles = try result.doubles("d")
        #expect(doubles.optionals == [0.1, nil, -1e300])
        #expect(doubles.values[1].isNaN)
    }

    @Test func decimalsAsDoubleExactDecimalAndScaledIntegers() throws {
        let result = try threeRows([
            ("d4", "12.34::DECIMAL(4,2)", "-0.01::DECIMAL(4,2)"),
            ("d9", "-123456.789::DECIMAL(9,3)", "0.001::DECIMAL(9,3)"),
            ("d18", "123456789012.345678::DECIMAL(18,6)", "-0.000001::DECIMAL(18,6)"),
            ("d38", "-12345678901234567890.123456789::DECIMAL(38,9)", "0.000000001::DECIMAL(38,9)"),
        ])
        let exact: [[String]] = [
            ["12.34", "-0.01"], ["-123456.789", "0.001"], ["123456789012.345678", "-0.000001"],
            ["-12345678901234567890.123456789", "0.000000001"],
        ]
        for (index, texts) in exact.enumerated() {
            let decimals = try result.decimals(index)
            let expected = texts.compactMap { Decimal(string: $0) }
            #expect(decimals.optionals == [expected[0], nil, expected[1]], "column \(decimals.name)")
            #expect(decimals.values[1] == 0)
            // Rounded: unscaled / 10^scale, within one unit in the last place of the nearest Double.
            let doubles = try result.doubles(index)
            let nearest = texts.compactMap { Double($0) }
            #expect(doubles.isNull(1) && doubles.values[1].isNaN)
            for (row, value) in [(0, nearest[0]), (2, nearest[1])] {
                #expect(abs(doubles.values[row] - value) <= value.ulp, "column \(doubles.name) row \(row)")
            }
        }
        let scaled = try result.scaledDecimals("d18")
        #expect(scaled.scale == 6)
        #expect(scaled.unscaled.optionals == [123_456_789_012_345_678, nil, -1])
        #expect(scaled.decimal(at: 0) == Decimal(string: "123456789012.345678"))
        #expect(scaled.decimal(at: 1) == nil)
        let wide = try result.scaledDecimals("d38")
        #expect(wide.unscaled.values[0] == -12_345_678_901_234_567_890_123_456_789)
        #expect(wide.scale == 9)
    }

    @Test func stringsInlinedLongUnicodeAndEnums() throws {
        let long = String(repeating: "duck", count: 100)
        let result = try threeRows([
            ("short", "'123456789012'", "''"), ("long", "'1234567890123'", "'\(long)'"),
            ("unicode", "'größe €'", "'日本語のテキストです'"), ("e", "'b'::ENUM('a', 'b', 'c')", "'a'::ENUM('a', 'b', 'c')"),
        ])
        #expect(try result.strings("short").optionals == ["123456789012", nil, ""])
        #expect(try result.strings("long").optionals == ["1234567890123", nil, long])
        #expect(try result.strings("unicode").optionals == ["größe €", nil, "日本語のテキストです"])
        #expect(try result.strings("unicode").values[1] == "")
        #expect(result.columns[3].type == .enumeration)
        #expect(try result.strings("e").optionals == ["b", nil, "a"])
    }

    @Test func datesAndDatesAsTimestamps() throws {
        let result = try threeRows([("day", "DATE '1969-12-31'", "DATE '2262-04-11'")])
        let dates = try result.dates("day")
        #expect(dates.optionals == [DuckDBDate(daysSinceEpoch: -1), nil, DuckDBDate(year: 2262, month: 4, day: 11)])
        #expect(dates.values[1] == DuckDBDate(daysSinceEpoch: 0))
        let midnight = try result.timestamps("day")
        #expect(midnight.values[0].microsecondsSinceEpoch == -86_400_000_000)
        #expect(midnight.isNull(1))
    }

    @Test func everyTimestampFlavourInMicrosecondsUTC() throws {
        let result = try threeRows([
            ("ts", "TIMESTAMP '1999-12-31 23:59:59.999999'", "TIMESTAMP '1969-12-31 23:59:59'"),
            ("s", "TIMESTAMP_S '2000-01-01 00:00:01'", "TIMESTAMP_S '1970-01-01 00:00:00'"),
            ("ms", "TIMESTAMP_MS '2000-01-01 00:00:00.123'", "TIMESTAMP_MS '1970-01-01 00:00:00.001'"),
            ("ns", "TIMESTAMP_NS '2000-01-01 00:00:00.123456789'", "TIMESTAMP_NS '1970-01-01 00:00:00.000001999'"),
        ])
        let micros: [[Int64?]] = [
            [946_684_799_999_999, nil, -1_000_000], [946_684_801_000_000, nil, 0], [946_684_800_123_000, nil, 1_000],
            [946_684_800_123_456, nil, 1],
        ]
        for (index, expected) in micros.enumerated() {
            let column = try result.timestamps(index)
            #expect(column.optionals.map { $0?.microsecondsSinceEpoch } == expected, "column \(column.name)")
        }
    }

    @Test func timestampsWithTimeZoneAreTheUTCInstant() throws {
        try connection.execute("SET TimeZone = 'Asia/Shanghai'")
        let result = try threeRows([
            ("tz", "TIMESTAMPTZ '2024-01-02 03:04:05.25+02'", "TIMESTAMPTZ '2024-01-02 08:00:00+08'"),
        ])
        #expect(result.columns[0].type == .timestampWithTimeZone)
        let column = try result.timestamps("tz")
        #expect(column.values[0].description == "2024-01-02 01:04:05.250000")
        #expect(column.values[2].description == "2024-01-02 00:00:00.000000")
        #expect(column.isNull(1))
    }

    @Test func anUntypedNullColumnIsAnAllNullInteger() throws {
        let result = try connection.queryColumns("SELECT NULL AS nothing FROM range(3)")
        #expect(result.columns[0].type == .integer) // DuckDB types a bare NULL as INTEGER
        #expect(result.validity(0).nulls == [true, true, true])
        #expect(try result.validity("nothing").nullCount == 3)
        #expect(try result.int64s(0).values == [0, 0, 0])
        #expect(try result.doubles("nothing").values.allSatisfy(\.isNaN))
    }

    @Test func unreadTypesThrowOnlyWhenRead() throws {
        let result = try connection.queryColumns("SELECT [1, 2] AS list, 'x'::BLOB AS bytes, 42 AS answer")
        #expect(try result.int64s("answer").values == [42])
        for name in ["list", "bytes"] {
            let error = #expect(throws: DuckDBError.self) { try result.strings(name) }
            #expect(error?.code == .conversion)
            #expect(error?.message.contains("cast it in SQL") == true)
        }
    }
}
