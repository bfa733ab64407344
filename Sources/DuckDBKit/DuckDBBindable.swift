public import Foundation
internal import CDuckDB

/// A Swift value that can be bound to a `?` or `$n` parameter of a ``PreparedStatement``.
///
/// Conforming types: `Bool`, `Int`, `Int32`, `Int64`, `Double`, `String`, `[UInt8]`, `Data`,
/// `Date` (as TIMESTAMP), ``DuckDBDate``, ``DuckDBTimestamp``, `Decimal`, ``DuckDBValue``, and
/// `Optional` of any of them (`nil` binds NULL). Values are `Sendable` so parameters can travel
/// to the thread that runs the query.
public protocol DuckDBBindable: Sendable {
    /// Binds `self` to parameter `index` (1-based) of `statement`. Throws ``DuckDBError`` with
    /// ``DuckDBError/Code/binder`` or ``DuckDBError/Code/conversion`` when DuckDB refuses it.
    func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError)
}

/// The binding side of a prepared statement, handed to ``DuckDBBindable/bind(to:at:)``.
/// Only valid during that call.
public struct StatementBinder: ~Copyable {
    let handle: duckdb_prepared_statement
    let sql: String

    func check(_ state: duckdb_state, _ index: Int, _ what: @autoclosure () -> String) throws(DuckDBError) {
        guard state == DuckDBSuccess else {
            let reason = duckdb_prepare_error(handle).map { String(cString: $0) } ?? ""
            throw DuckDBError(
                code: .binder,
                message: "could not bind \(what()) to parameter \(index)\(reason.isEmpty ? "" : ": \(reason)")",
                sql: sql
            )
        }
    }

    public func bindNull(at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_null(handle, idx_t(index)), index, "NULL")
    }
    public func bind(_ value: Bool, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_boolean(handle, idx_t(index), value), index, "a Bool")
    }
    public func bind(_ value: Int64, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_int64(handle, idx_t(index), value), index, "an Int64")
    }
    public func bind(_ value: Int32, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_int32(handle, idx_t(index), value), index, "an Int32")
    }
    public func bind(_ value: Double, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_double(handle, idx_t(index), value), index, "a Double")
    }
    public func bind(_ value: String, at index: Int) throws(DuckDBError) {
        var copy = value
        let state = copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                duckdb_bind_varchar_length(handle, idx_t(index), chars.baseAddress, idx_t(chars.count))
            }
        }
        try check(state, index, "a String")
    }
    public func bind(bytes: some ContiguousBytes, at index: Int) throws(DuckDBError) {
        let state = bytes.withUnsafeBytes { raw in
            duckdb_bind_blob(handle, idx_t(index), raw.baseAddress, idx_t(raw.count))
        }
        try check(state, index, "a BLOB")
    }
    public func bind(_ value: DuckDBDate, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_date(handle, idx_t(index), duckdb_date(days: value.daysSinceEpoch)), index, "a DATE")
    }
    public func bind(_ value: DuckDBTimestamp, at index: Int) throws(DuckDBError) {
        let ts = duckdb_timestamp(micros: value.microsecondsSinceEpoch)
        try check(duckdb_bind_timestamp(handle, idx_t(index), ts), index, "a TIMESTAMP")
    }
    public func bind(_ value: Int128, at index: Int) throws(DuckDBError) {
        try check(duckdb_bind_hugeint(handle, idx_t(index), duckdb_hugeint(value)), index, "an Int128")
    }
    /// Binds a DECIMAL with the given scale whose unscaled value is `unscaled` (123.45 = 12345, 2).
    public func bindDecimal(unscaled: Int128, scale: UInt8, at index: Int) throws(DuckDBError) {
        let digits = UInt8(min(38, max(Int(scale) + 1, String(unscaled.magnitude).count)))
        let decimal = duckdb_decimal(width: digits, scale: scale, value: duckdb_hugeint(unscaled))
        try check(duckdb_bind_decimal(handle, idx_t(index), decimal), index, "a DECIMAL")
    }
}

extension duckdb_hugeint {
    init(_ value: Int128) {
        self.init(lower: UInt64(truncatingIfNeeded: value), upper: Int64(truncatingIfNeeded: value >> 64))
    }
    var int128: Int128 { (Int128(upper) << 64) | Int128(lower) }
}

extension Bool: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension Int: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(Int64(self), at: index)
    }
}
extension Int64: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension Int32: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension Double: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension String: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension Array: DuckDBBindable where Element == UInt8 {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(bytes: self, at: index)
    }
}
extension Data: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(bytes: self, at: index)
    }
}
extension Date: DuckDBBindable {
    /// Binds as TIMESTAMP (UTC), microsecond precision.
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(DuckDBTimestamp(self), at: index)
    }
}
extension DuckDBDate: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension DuckDBTimestamp: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        try statement.bind(self, at: index)
    }
}
extension Decimal: DuckDBBindable {
    /// Binds as DECIMAL with the value's own scale (at most 38 digits).
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        guard let (unscaled, scale) = DecimalConversion.unscaled(self) else {
            throw DuckDBError(code: .conversion, message: "Decimal \(self) does not fit DECIMAL(38)", sql: statement.sql)
        }
        try statement.bindDecimal(unscaled: unscaled, scale: scale, at: index)
    }
}
extension Optional: DuckDBBindable where Wrapped: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        switch self {
        case .none: try statement.bindNull(at: index)
        case .some(let value): try value.bind(to: statement, at: index)
        }
    }
}
extension DuckDBValue: DuckDBBindable {
    public func bind(to statement: borrowing StatementBinder, at index: Int) throws(DuckDBError) {
        switch self {
        case .null: try statement.bindNull(at: index)
        case .bool(let v): try statement.bind(v, at: index)
        case .int(let v): try statement.bind(v, at: index)
        case .uint(let v): try statement.bind(Int128(v), at: index)
        case .hugeInt(let v): try statement.bind(v, at: index)
        case .double(let v): try statement.bind(v, at: index)
        case .string(let v), .uuid(let v): try statement.bind(v, at: index)
        case .blob(let v): try v.bind(to: statement, at: index)
        case .date(let v): try statement.bind(v, at: index)
        case .timestamp(let v): try statement.bind(v, at: index)
        case .time(let micros): try statement.bind(DuckDBTimestamp(microsecondsSinceEpoch: micros).description.split(separator: " ").last.map(String.init) ?? "", at: index)
        case .decimal(let v): try v.bind(to: statement, at: index)
        case .interval(let months, let days, let micros):
            try statement.bind("\(months) months \(days) days \(micros) microseconds", at: index)
        }
    }
}
