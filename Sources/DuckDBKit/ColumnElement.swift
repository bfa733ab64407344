public import Foundation

/// A Swift type a ``ColumnarResult`` column can be read as: `Bool`, `Int64`, `UInt64`,
/// `Int128`, `UInt128`, `Double`, `String`, `Decimal`, ``DuckDBDate`` and ``DuckDBTimestamp``.
/// Which DuckDB types read as which is the table in ``ColumnarResult``'s documentation.
///
/// Use it through `result[column: "close", as: Double.self]` or the named readers
/// (`ColumnarResult.doubles(_:)` and friends). A type of your own can conform by
/// reading one of these and converting (``TypedColumn/map(_:)``).
public protocol ColumnElement: Sendable {
    /// Column `index` of `result` as a column of this type. `index` must be in
    /// `0..<result.columnCount` (precondition).
    /// - Throws: ``DuckDBError/Code/conversion`` when the column does not read as this type or
    ///   a checked conversion meets a value that does not fit.
    static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Self>
}

extension Bool: ColumnElement {
    /// BOOLEAN columns.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Bool> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .bool(let values): return stored.typed(values)
        default: throw stored.mismatch("Bool")
        }
    }
}

extension Int64: ColumnElement {
    /// Integer columns up to BIGINT as stored; UBIGINT, HUGEINT and UHUGEINT checked.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Int64> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .int64(let values): return stored.typed(values)
        case .uint64(let values): return try stored.narrowed(values, to: Int64.self)
        case .int128(let values): return try stored.narrowed(values, to: Int64.self)
        case .uint128(let values): return try stored.narrowed(values, to: Int64.self)
        default: throw stored.mismatch("Int64")
        }
    }
}

extension UInt64: ColumnElement {
    /// UBIGINT columns.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<UInt64> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .uint64(let values): return stored.typed(values)
        default: throw stored.mismatch("UInt64")
        }
    }
}

extension Int128: ColumnElement {
    /// HUGEINT columns as stored; the other integer columns widened; UHUGEINT checked.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Int128> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .int128(let values): return stored.typed(values)
        case .int64(let values): return try stored.narrowed(values, to: Int128.self)
        case .uint64(let values): return try stored.narrowed(values, to: Int128.self)
        case .uint128(let values): return try stored.narrowed(values, to: Int128.self)
        default: throw stored.mismatch("Int128")
        }
    }
}

extension UInt128: ColumnElement {
    /// UHUGEINT columns.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<UInt128> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .uint128(let values): return stored.typed(values)
        default: throw stored.mismatch("UInt128")
        }
    }
}

extension Double: ColumnElement {
    /// DOUBLE and FLOAT as stored; integers converted (rounded beyond 2^53); DECIMAL as
    /// unscaled / 10^scale (rounded). NULL rows hold `.nan`.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Double> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .double(let values): return stored.typed(values)
        case .int64(let values): return stored.converted(values, placeholder: .nan) { value, _ in Double(value) }
        case .uint64(let values): return stored.converted(values, placeholder: .nan) { value, _ in Double(value) }
        case .int128(let values): return stored.converted(values, placeholder: .nan) { value, _ in Double(value) }
        case .uint128(let values): return stored.converted(values, placeholder: .nan) { value, _ in Double(value) }
        case .decimal(let values, let scale):
            let divisor = Double(DecimalConversion.powerOfTen(scale))
            return stored.converted(values, placeholder: .nan) { value, _ in
                // Exact integers below 2^63 convert faster through Int64.
                if let small = Int64(exactly: value) { return Double(small) / divisor }
                return Double(value) / divisor
            }
        default: throw stored.mismatch("Double")
        }
    }
}

extension Decimal: ColumnElement {
    /// DECIMAL exactly; integer columns exactly (UHUGEINT excluded). NULL rows hold 0.
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<Decimal> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .decimal(let values, let scale):
            return stored.converted(values, placeholder: 0) { value, _ in ScaledDecimalColumn.decimal(value, scale: scale) }
        case .int64(let values): return stored.converted(values, placeholder: 0) { value, _ in Decimal(value) }
        case .uint64(let values): return stored.converted(values, placeholder: 0) { value, _ in Decimal(value) }
        case .int128(let values): return stored.converted(values, placeholder: 0) { value, _ in ScaledDecimalColumn.decimal(value, scale: 0) }
        default: throw stored.mismatch("Decimal")
        }
    }
}

extension String: ColumnElement {
    /// VARCHAR and ENUM columns. NULL rows hold "".
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<String> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .string(let values): return stored.typed(values)
        default: throw stored.mismatch("String")
        }
    }
}

extension DuckDBDate: ColumnElement {
    /// DATE columns. NULL rows hold day 0 (1970-01-01).
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<DuckDBDate> {
        let stored = result.storedColumn(at: index)
        switch stored.storage {
        case .date(let values): return stored.typed(values)
        default: throw stored.mismatch("DuckDBDate")
        }
    }
}

extension DuckDBTimestamp: ColumnElement {
    /// Every TIMESTAMP flavour and TIMESTAMPTZ as stored (UTC microseconds); DATE at midnight
    /// UTC. NULL rows hold microsecond 0 (1970-01-01 00:00:00 UTC).
    public static func column(at index: Int, of result: ColumnarResult) throws(DuckDBError) -> TypedColumn<DuckDBTimestamp> {
        let stored = result.storedColumn(at: index)
        let zero = DuckDBTimestamp(microsecondsSinceEpoch: 0)
        switch stored.storage {
        case .timestamp(let values): return stored.typed(values)
        case .date(let values):
            return stored.converted(values, placeholder: zero) { date, _ in
                DuckDBTimestamp(microsecondsSinceEpoch: Int64(date.daysSinceEpoch) * 86_400_000_000)
            }
        default: throw stored.mismatch("DuckDBTimestamp")
        }
    }
}

extension StoredColumn {
    /// `values` converted exactly to `T`; a value that does not fit throws `.conversion`.
    func narrowed<Source: BinaryInteger & CustomStringConvertible, T: FixedWidthInteger>(
        _ values: [Source], to type: T.Type
    ) throws(DuckDBError) -> TypedColumn<T> {
        try converted(values, placeholder: 0) { (value, row) throws(DuckDBError) -> T in
            guard let exact = T(exactly: value) else { throw overflow(value, row: row, "\(T.self)") }
            return exact
        }
    }
}
