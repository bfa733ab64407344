/// What one column of a ``ColumnarResult`` holds: DuckDB's type widened to one Swift array
/// type (the mapping is the table in ``ColumnarResult``'s documentation).
enum ColumnStorage: Sendable {
    case bool([Bool])
    /// TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, USMALLINT, UINTEGER.
    case int64([Int64])
    /// UBIGINT.
    case uint64([UInt64])
    /// HUGEINT.
    case int128([Int128])
    /// UHUGEINT.
    case uint128([UInt128])
    /// DOUBLE, FLOAT.
    case double([Double])
    /// DECIMAL(width, scale) of any width: the unscaled integers; value = unscaled / 10^scale.
    case decimal([Int128], scale: Int)
    /// VARCHAR, ENUM.
    case string([String])
    case date([DuckDBDate])
    /// Every TIMESTAMP flavour and TIMESTAMPTZ, in microseconds since the epoch (UTC).
    case timestamp([DuckDBTimestamp])
    /// A type columnar results do not read (LIST, STRUCT, BLOB, UUID, TIME, INTERVAL, ...);
    /// reading it throws.
    case unsupported
}

/// One filled column: its description, values and NULLs.
struct StoredColumn: Sendable {
    let column: ResultColumn
    let storage: ColumnStorage
    let validity: ColumnValidity

    var name: String { column.name }

    /// The Swift type a column of this storage reads as without conversion, for messages.
    var naturalType: String {
        switch storage {
        case .bool: "Bool"
        case .int64: "Int64"
        case .uint64: "UInt64"
        case .int128: "Int128"
        case .uint128: "UInt128"
        case .double: "Double"
        case .decimal: "Double, Decimal or ScaledDecimalColumn"
        case .string: "String"
        case .date: "DuckDBDate"
        case .timestamp: "DuckDBTimestamp"
        case .unsupported: "nothing (cast it in SQL, e.g. to VARCHAR)"
        }
    }

    /// The `.conversion` error for reading this column as `wanted`.
    func mismatch(_ wanted: String) -> DuckDBError {
        DuckDBError(
            code: .conversion,
            message: "column \"\(name)\" of type \(column.type) cannot be read as \(wanted); it reads as \(naturalType)"
        )
    }

    /// The `.conversion` error for a value that does not fit `wanted`.
    func overflow(_ value: some CustomStringConvertible, row: Int, _ wanted: String) -> DuckDBError {
        DuckDBError(
            code: .conversion,
            message: "value \(value) at row \(row) of column \"\(name)\" (\(column.type)) does not fit \(wanted); read it as \(naturalType) or Double"
        )
    }

    /// `values` as a column of `Element`, sharing the array.
    func typed<Element>(_ values: [Element]) -> TypedColumn<Element> {
        TypedColumn(name: name, values: values, validity: validity)
    }

    /// `values` converted one by one, keeping `placeholder` at NULL rows; `convert` is not
    /// called for NULL rows (their stored values are placeholders too).
    func converted<Source, Element, Failure: Error>(
        _ values: [Source], placeholder: Element, _ convert: (Source, Int) throws(Failure) -> Element
    ) throws(Failure) -> TypedColumn<Element> {
        var result: [Element] = []
        result.reserveCapacity(values.count)
        if validity.hasNulls {
            for row in values.indices {
                result.append(validity.isNull(row) ? placeholder : try convert(values[row], row))
            }
        } else {
            for row in values.indices { result.append(try convert(values[row], row)) }
        }
        return TypedColumn(name: name, values: result, validity: validity)
    }
}
