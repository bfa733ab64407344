internal import CDuckDB
import Foundation

/// A result column's description, shared by reference so that copying a ``ColumnVector`` (once
/// per decoded value) costs no reference counting.
final class ColumnInfo {
    let column: ResultColumn
    init(_ column: ResultColumn) { self.column = column }
}

/// One column of one chunk: raw data and validity pointers plus the column's type, with the
/// per-value readers. Valid only while its ``DataChunk`` is alive (which keeps `info` alive).
struct ColumnVector {
    let data: UnsafeMutableRawPointer?
    let validity: UnsafeMutablePointer<UInt64>?
    let typeID: duckdb_type
    let physicalType: duckdb_type
    let decimalScale: UInt8
    unowned(unsafe) let info: ColumnInfo

    init(info: ColumnInfo, data: UnsafeMutableRawPointer?, validity: UnsafeMutablePointer<UInt64>?) {
        self.info = info
        self.data = data
        self.validity = validity
        self.typeID = info.column.typeID
        self.physicalType = info.column.physicalType
        self.decimalScale = info.column.decimalScale
    }

    var column: ResultColumn { info.column }

    @inline(__always) func isNull(_ row: Int) -> Bool {
        !cduckdb_row_is_valid(validity, UInt64(row))
    }

    @inline(__always) private func load<T>(_ row: Int, as type: T.Type) -> T {
        // DuckDB vectors are arrays of the physical type; `data` is non-nil for every non-NULL
        // vector type DuckDBKit reads.
        data.unsafelyUnwrapped.load(fromByteOffset: row &* MemoryLayout<T>.stride, as: T.self)
    }

    func mismatch(_ wanted: String, _ row: Int) -> DuckDBError {
        if isNull(row) {
            return DuckDBError(code: .conversion, message: "column \"\(column.name)\" is NULL at row \(row); read it as an Optional")
        }
        return DuckDBError(code: .conversion, message: "column \"\(column.name)\" of type \(column.type) cannot be read as \(wanted)")
    }

    func bool(_ row: Int) throws(DuckDBError) -> Bool {
        guard !isNull(row), typeID == DUCKDB_TYPE_BOOLEAN else { throw mismatch("Bool", row) }
        return load(row, as: Bool.self)
    }

    /// The integer value of an integer-like physical type, when the column is one.
    @inline(__always) private func integer(_ row: Int, physical: duckdb_type) -> Int128? {
        switch physical {
        case DUCKDB_TYPE_TINYINT: Int128(load(row, as: Int8.self))
        case DUCKDB_TYPE_SMALLINT: Int128(load(row, as: Int16.self))
        case DUCKDB_TYPE_INTEGER: Int128(load(row, as: Int32.self))
        case DUCKDB_TYPE_BIGINT: Int128(load(row, as: Int64.self))
        case DUCKDB_TYPE_UTINYINT: Int128(load(row, as: UInt8.self))
        case DUCKDB_TYPE_USMALLINT: Int128(load(row, as: UInt16.self))
        case DUCKDB_TYPE_UINTEGER: Int128(load(row, as: UInt32.self))
        case DUCKDB_TYPE_UBIGINT: Int128(load(row, as: UInt64.self))
        case DUCKDB_TYPE_HUGEINT: load(row, as: duckdb_hugeint.self).int128
        default: nil
        }
    }

    func int64(_ row: Int) throws(DuckDBError) -> Int64 {
        guard !isNull(row) else { throw mismatch("an integer", row) }
        if typeID == DUCKDB_TYPE_BIGINT { return load(row, as: Int64.self) }
        if typeID == DUCKDB_TYPE_INTEGER { return Int64(load(row, as: Int32.self)) }
        let physical = typeID == DUCKDB_TYPE_DECIMAL && decimalScale == 0 ? physicalType : typeID
        guard let value = integer(row, physical: physical) else { throw mismatch("an integer", row) }
        guard let exact = Int64(exactly: value) else {
            throw DuckDBError(code: .conversion, message: "value \(value) of column \"\(column.name)\" does not fit Int64")
        }
        return exact
    }

    func double(_ row: Int) throws(DuckDBError) -> Double {
        guard !isNull(row) else { throw mismatch("Double", row) }
        switch typeID {
        case DUCKDB_TYPE_DOUBLE: return load(row, as: Double.self)
        case DUCKDB_TYPE_FLOAT: return Double(load(row, as: Float.self))
        case DUCKDB_TYPE_DECIMAL:
            guard let unscaled = integer(row, physical: physicalType) else { throw mismatch("Double", row) }
            return Double(unscaled) / Double(DecimalConversion.powerOfTen(Int(decimalScale)))
        default:
            guard let value = integer(row, physical: typeID) else { throw mismatch("Double", row) }
            return Double(value)
        }
    }

    func decimal(_ row: Int) throws(DuckDBError) -> Decimal {
        guard !isNull(row) else { throw mismatch("Decimal", row) }
        switch typeID {
        case DUCKDB_TYPE_DECIMAL:
            guard let unscaled = integer(row, physical: physicalType) else { throw mismatch("Decimal", row) }
            return DecimalConversion.decimal(unscaled: unscaled, scale: decimalScale)
        case DUCKDB_TYPE_DOUBLE, DUCKDB_TYPE_FLOAT:
            return Decimal(try double(row))
        default:
            guard let value = integer(row, physical: typeID) else { throw mismatch("Decimal", row) }
            return DecimalConversion.decimal(unscaled: value, scale: 0)
        }
    }

    @inline(__always) private func withStringBytes<T>(_ row: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        var length: UInt32 = 0
        let strings = data.unsafelyUnwrapped.assumingMemoryBound(to: duckdb_string_t.self)
        let pointer = cduckdb_string_data(strings, UInt64(row), &length)
        return body(UnsafeRawBufferPointer(start: pointer, count: Int(length)))
    }

    func string(_ row: Int) throws(DuckDBError) -> String {
        guard !isNull(row) else { throw mismatch("String", row) }
        switch typeID {
        case DUCKDB_TYPE_VARCHAR:
            return withStringBytes(row) { String(decoding: $0, as: UTF8.self) }
        case DUCKDB_TYPE_ENUM:
            guard let index = integer(row, physical: physicalType), index >= 0, index < column.enumDictionary.count else {
                throw mismatch("String", row)
            }
            return column.enumDictionary[Int(index)]
        case DUCKDB_TYPE_UUID:
            return Self.uuidString(load(row, as: duckdb_hugeint.self))
        default:
            throw mismatch("String", row)
        }
    }

    func bytes(_ row: Int) throws(DuckDBError) -> [UInt8] {
        guard !isNull(row), typeID == DUCKDB_TYPE_BLOB || typeID == DUCKDB_TYPE_VARCHAR else {
            throw mismatch("bytes", row)
        }
        return withStringBytes(row) { Array($0) }
    }

    func date(_ row: Int) throws(DuckDBError) -> DuckDBDate {
        guard !isNull(row), typeID == DUCKDB_TYPE_DATE else { throw mismatch("DuckDBDate", row) }
        return DuckDBDate(daysSinceEpoch: load(row, as: Int32.self))
    }

    func timestamp(_ row: Int) throws(DuckDBError) -> DuckDBTimestamp {
        guard !isNull(row) else { throw mismatch("a timestamp", row) }
        switch typeID {
        case DUCKDB_TYPE_TIMESTAMP, DUCKDB_TYPE_TIMESTAMP_TZ:
            return DuckDBTimestamp(microsecondsSinceEpoch: load(row, as: Int64.self))
        case DUCKDB_TYPE_TIMESTAMP_S:
            return DuckDBTimestamp(microsecondsSinceEpoch: load(row, as: Int64.self) &* 1_000_000)
        case DUCKDB_TYPE_TIMESTAMP_MS:
            return DuckDBTimestamp(microsecondsSinceEpoch: load(row, as: Int64.self) &* 1_000)
        case DUCKDB_TYPE_TIMESTAMP_NS:
            return DuckDBTimestamp(microsecondsSinceEpoch: load(row, as: Int64.self) / 1_000)
        case DUCKDB_TYPE_DATE:
            return DuckDBTimestamp(microsecondsSinceEpoch: Int64(load(row, as: Int32.self)) * 86_400_000_000)
        default:
            throw mismatch("a timestamp", row)
        }
    }

    func value(_ row: Int) throws(DuckDBError) -> DuckDBValue {
        if isNull(row) { return .null }
        switch typeID {
        case DUCKDB_TYPE_BOOLEAN: return .bool(try bool(row))
        case DUCKDB_TYPE_TINYINT, DUCKDB_TYPE_SMALLINT, DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_BIGINT,
             DUCKDB_TYPE_UTINYINT, DUCKDB_TYPE_USMALLINT, DUCKDB_TYPE_UINTEGER:
            return .int(try int64(row))
        case DUCKDB_TYPE_UBIGINT: return .uint(load(row, as: UInt64.self))
        case DUCKDB_TYPE_HUGEINT: return .hugeInt(load(row, as: duckdb_hugeint.self).int128)
        case DUCKDB_TYPE_FLOAT, DUCKDB_TYPE_DOUBLE: return .double(try double(row))
        case DUCKDB_TYPE_DECIMAL: return .decimal(try decimal(row))
        case DUCKDB_TYPE_VARCHAR, DUCKDB_TYPE_ENUM: return .string(try string(row))
        case DUCKDB_TYPE_UUID: return .uuid(try string(row))
        case DUCKDB_TYPE_BLOB: return .blob(try bytes(row))
        case DUCKDB_TYPE_DATE: return .date(try date(row))
        case DUCKDB_TYPE_TIMESTAMP, DUCKDB_TYPE_TIMESTAMP_TZ, DUCKDB_TYPE_TIMESTAMP_S, DUCKDB_TYPE_TIMESTAMP_MS,
             DUCKDB_TYPE_TIMESTAMP_NS:
            return .timestamp(try timestamp(row))
        case DUCKDB_TYPE_TIME: return .time(microseconds: load(row, as: Int64.self))
        case DUCKDB_TYPE_INTERVAL:
            let interval = load(row, as: duckdb_interval.self)
            return .interval(months: interval.months, days: interval.days, microseconds: interval.micros)
        default:
            throw DuckDBError(code: .conversion, message: "column \"\(column.name)\" has type \(column.type), which DuckDBKit does not read; cast it in SQL")
        }
    }

    /// DuckDB stores a UUID as a hugeint with the top bit flipped, so that it sorts as text does.
    static func uuidString(_ value: duckdb_hugeint) -> String {
        let upper = UInt64(bitPattern: value.upper) ^ (1 << 63)
        let lower = value.lower
        let hex = { (v: UInt64, digits: Int) -> String in
            let text = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let high = hex(upper, 16), low = hex(lower, 16)
        let h = Array(high), l = Array(low)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(l[0..<4]) + "-" + String(l[4..<16])
    }
}
