import DuckDBKit
import DuckPoolTestTraits
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct BindingTests {
    let connection: Connection

    init() throws {
        connection = try Database.inMemory().connect()
    }

    /// Binds `value` to `?::type` and reads it back through the same SQL type.
    private func roundTrip(_ value: some DuckDBBindable, as type: String) throws -> DuckDBValue {
        try connection.query("SELECT CAST(? AS \(type))", [value]).scalar() ?? .null
    }

    @Test func bool() throws {
        #expect(try roundTrip(true, as: "BOOLEAN") == .bool(true))
        #expect(try roundTrip(false, as: "BOOLEAN") == .bool(false))
    }

    @Test func integers() throws {
        #expect(try roundTrip(Int.max, as: "BIGINT") == .int(Int64.max))
        #expect(try roundTrip(Int32.min, as: "INTEGER") == .int(Int64(Int32.min)))
        #expect(try roundTrip(Int64(-5), as: "BIGINT") == .int(-5))
    }

    @Test func double() throws {
        #expect(try roundTrip(3.25, as: "DOUBLE") == .double(3.25))
        #expect(try roundTrip(-0.1, as: "DOUBLE") == .double(-0.1))
    }

    @Test func strings() throws {
        #expect(try roundTrip("short", as: "VARCHAR") == .string("short"))
        let long = String(repeating: "长字符串 with UTF-8 ", count: 40)
        #expect(try roundTrip(long, as: "VARCHAR") == .string(long))
        #expect(try roundTrip("", as: "VARCHAR") == .string(""))
    }

    @Test func bytes() throws {
        let bytes: [UInt8] = [0, 1, 2, 255, 0, 128]
        #expect(try roundTrip(bytes, as: "BLOB") == .blob(bytes))
        #expect(try roundTrip(Data(bytes), as: "BLOB") == .blob(bytes))
        let large = [UInt8](repeating: 7, count: 100_000)
        #expect(try roundTrip(large, as: "BLOB") == .blob(large))
    }

    @Test func dateAndTimestamp() throws {
        let date = DuckDBDate(year: 2024, month: 2, day: 29)
        #expect(try roundTrip(date, as: "DATE") == .date(date))
        #expect(date.description == "2024-02-29")
        let stamp = DuckDBTimestamp(microsecondsSinceEpoch: 1_700_000_000_123_456)
        #expect(try roundTrip(stamp, as: "TIMESTAMP") == .timestamp(stamp))
        let foundation = Date(timeIntervalSince1970: 1_600_000_000.5)
        #expect(try roundTrip(foundation, as: "TIMESTAMP") == .timestamp(DuckDBTimestamp(foundation)))
        let early = DuckDBDate(year: 1900, month: 1, day: 1)
        #expect(try roundTrip(early, as: "DATE") == .date(early))
        #expect(early.components == (1900, 1, 1))
    }

    @Test func decimal() throws {
        let value = Decimal(string: "12345.678")!
        #expect(try roundTrip(value, as: "DECIMAL(12,3)") == .decimal(value))
        let negative = Decimal(string: "-0.001")!
        #expect(try roundTrip(negative, as: "DECIMAL(18,3)") == .decimal(negative))
        let wide = Decimal(string: "12345678901234567890.12345")!
        #expect(try roundTrip(wide, as: "DECIMAL(38,5)") == .decimal(wide))
    }

    @Test func nulls() throws {
        let none: Int? = nil
        #expect(try roundTrip(none, as: "BIGINT") == .null)
        let noText: String? = nil
        #expect(try roundTrip(noText, as: "VARCHAR") == .null)
        #expect(try roundTrip(DuckDBValue.null, as: "DATE") == .null)
        let some: Int? = 5
        #expect(try roundTrip(some, as: "BIGINT") == .int(5))
    }

    @Test func manyParametersInOneStatement() throws {
        try connection.execute("CREATE TABLE p (a BIGINT, b VARCHAR, c DOUBLE, d DATE, e BOOLEAN, f BLOB)")
        let changed = try connection.execute(
            "INSERT INTO p VALUES (?, ?, ?, ?, ?, ?)",
            [1, "x", 2.5, DuckDBDate(year: 2020, month: 1, day: 1), true, [UInt8]([9])]
        )
        #expect(changed == 1)
        let row = try connection.query("SELECT * FROM p").rows()
        #expect(row == [[.int(1), .string("x"), .double(2.5), .date(DuckDBDate(year: 2020, month: 1, day: 1)), .bool(true), .blob([9])]])
    }

    @Test func preparedStatementReuse() throws {
        try connection.execute("CREATE TABLE r (x BIGINT)")
        let insert = try connection.prepare("INSERT INTO r VALUES (?)")
        #expect(insert.parameterCount == 1)
        #expect(insert.kind == .insert)
        for value in 0..<100 { try insert.execute([value]) }
        #expect(try connection.query("SELECT sum(x) FROM r").scalar() == .hugeInt(4950))
        insert.close()
        let error = #expect(throws: DuckDBError.self) { try insert.execute([1]) }
        #expect(error?.code == .misuse)
    }

    @Test func wrongParameterCountIsTyped() throws {
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT ? + ?", [1]) }
        #expect(error?.code == .binder)
        #expect(error?.message.contains("2 parameters") == true)
    }

    @Test func wrongParameterTypeIsTyped() throws {
        try connection.execute("CREATE TABLE w (x INTEGER)")
        let error = #expect(throws: DuckDBError.self) { try connection.execute("INSERT INTO w VALUES (?)", ["not a number"]) }
        #expect(error?.code == .conversion)
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct NumberBindingTests {
    /// Each narrow, unsigned or Float value binds as DuckDB's own type, and Data and Date bind as
    /// BLOB and TIMESTAMP.
    @Test func everyNumberTypeBindsAsItsDuckDBType() throws {
        let connection = try Database.inMemory().connect()
        let cases: [(any DuckDBBindable, String, DuckDBValue)] = [
            (Int8(-7), "TINYINT", .int(-7)),
            (Int16(-300), "SMALLINT", .int(-300)),
            (Int32(-70_000), "INTEGER", .int(-70_000)),
            (UInt8(200), "UTINYINT", .int(200)),
            (UInt16(60_000), "USMALLINT", .int(60_000)),
            (UInt32(4_000_000_000), "UINTEGER", .int(4_000_000_000)),
            (UInt64.max, "UBIGINT", .uint(UInt64.max)),
            (UInt(42), "UBIGINT", .uint(42)),
            (Float(1.5), "FLOAT", .double(1.5)),
            (Data([1, 0, 2]), "BLOB", .blob([1, 0, 2])),
            (Date(timeIntervalSince1970: 86_400), "TIMESTAMP", .timestamp(DuckDBTimestamp(microsecondsSinceEpoch: 86_400_000_000))),
        ]
        for (value, type, expected) in cases {
            let row = try connection.query("SELECT typeof(?) AS t, ? AS v", [value, value]).rows()
            #expect(row == [[.string(type), expected]], "\(value)")
        }
    }
}
