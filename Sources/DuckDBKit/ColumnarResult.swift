/// A whole query result held column by column: one contiguous Swift array and one NULL bitmap
/// per column, for code that works on columns (factors, statistics, charts).
///
/// Made by ``Connection/queryColumns(_:_:)`` or ``QueryResult/columnar()``, which copy DuckDB's
/// vectors chunk by chunk in bulk (see ``TypedColumn`` for the layout and NULL placeholders).
/// Read a column by name or index, as the type it holds or one it converts to exactly:
///
/// ```swift
/// let result = try connection.queryColumns("SELECT trade_date, close FROM stock_kline WHERE symbol = ?", ["000001"])
/// let close = try result.doubles("close")                          // TypedColumn<Double>
/// let days = try result[column: "trade_date", as: DuckDBDate.self] // the generic form
/// let first = try result.strings(0)                                 // by index
/// ```
///
/// Each column stores its DuckDB type widened to one Swift type; it reads as that type with no
/// copy (the array is shared), and as the others in the last column with one conversion pass:
///
/// | DuckDB type | stored as | also reads as (converted on each read) |
/// | --- | --- | --- |
/// | BOOLEAN | `Bool` | — |
/// | TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, USMALLINT, UINTEGER | `Int64` | `Int128`, `Double`, `Decimal`, ``ScaledDecimalColumn`` |
/// | UBIGINT | `UInt64` | `Int64`*, `Int128`, `Double`, `Decimal`, ``ScaledDecimalColumn`` |
/// | HUGEINT | `Int128` | `Int64`*, `Double`, `Decimal`, ``ScaledDecimalColumn`` |
/// | UHUGEINT | `UInt128` | `Int64`*, `Int128`*, `Double` |
/// | FLOAT, DOUBLE | `Double` | — |
/// | DECIMAL(w, s), any width | unscaled `Int128` and scale s | `Double` (rounded), `Decimal` (exact), ``ScaledDecimalColumn`` (exact, no copy) |
/// | VARCHAR, ENUM | `String` | — |
/// | DATE | ``DuckDBDate`` | ``DuckDBTimestamp`` (midnight UTC) |
/// | TIMESTAMP, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ | ``DuckDBTimestamp`` (microseconds since the epoch, UTC; nanoseconds truncated) | — |
/// | BLOB, UUID, TIME, INTERVAL, LIST, STRUCT, MAP, ... | not read | nothing: cast in SQL (`x::VARCHAR`) |
///
/// \* checked: a value that does not fit throws ``DuckDBError/Code/conversion`` naming the row.
/// `Float` is widened to `Double` exactly. A TIMESTAMPTZ is the instant in UTC, whatever the
/// session's `TimeZone` setting.
///
/// **Failures:** reading a column as a type not in its row, or a name no column has, throws
/// ``DuckDBError/Code/conversion`` naming the column, its DuckDB type and what it reads as. An
/// index outside `0..<columnCount` is a programmer error (precondition), as with arrays.
///
/// **Thread-safety:** a `Sendable` value type. It owns no DuckDB handle: it can leave the
/// connection's thread, be kept, and be read from any number of threads at once.
public struct ColumnarResult: Sendable {
    /// The columns' names and DuckDB types, in order.
    public let columns: [ResultColumn]
    /// The number of rows (every column has this many values).
    public let rowCount: Int
    let stored: [StoredColumn]

    init(stored: [StoredColumn], rowCount: Int) {
        self.stored = stored
        self.columns = stored.map(\.column)
        self.rowCount = rowCount
    }

    /// The number of columns.
    public var columnCount: Int { stored.count }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// True when there are no rows (the columns and their types are still known).
    public var isEmpty: Bool { rowCount == 0 }

    /// The index of the column named `name`: an exact match first, then a case-insensitive one
    /// (the same rule as ``QueryResult/columnIndex(named:)``); nil when none matches.
    public func columnIndex(named name: String) -> Int? {
        if let exact = columns.firstIndex(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lowered }
    }

    /// The NULLs of column `index`, whatever its type. `index` must be in `0..<columnCount`.
    public func validity(_ index: Int) -> ColumnValidity { storedColumn(at: index).validity }

    /// The NULLs of the column named `name`, whatever its type.
    /// - Throws: ``DuckDBError/Code/conversion`` when no column has that name.
    public func validity(_ name: String) throws(DuckDBError) -> ColumnValidity {
        try validity(index(of: name))
    }

    /// Column `index` as `Element`; see the table in the type's documentation. `index` must be
    /// in `0..<columnCount` (precondition).
    /// - Throws: ``DuckDBError/Code/conversion`` when the column does not read as `Element`, or a
    ///   checked conversion meets a value that does not fit.
    public subscript<Element: ColumnElement>(column index: Int, as type: Element.Type) -> TypedColumn<Element> {
        get throws(DuckDBError) { try Element.column(at: index, of: self) }
    }

    /// The column named `name` (exact match, then case-insensitive) as `Element`.
    /// - Throws: ``DuckDBError/Code/conversion`` when no column has that name, when the column
    ///   does not read as `Element`, or when a checked conversion meets a value that does not fit.
    public subscript<Element: ColumnElement>(column name: String, as type: Element.Type) -> TypedColumn<Element> {
        get throws(DuckDBError) { try Element.column(at: index(of: name), of: self) }
    }

    /// The stored column at `index`, for ``ColumnElement`` conformances in this module.
    func storedColumn(at index: Int) -> StoredColumn {
        precondition(index >= 0 && index < stored.count, "column \(index) out of range 0..<\(stored.count)")
        return stored[index]
    }

    /// The index of the column named `name`, or a `.conversion` error listing the columns.
    func index(of name: String) throws(DuckDBError) -> Int {
        guard let index = columnIndex(named: name) else {
            throw DuckDBError(code: .conversion, message: "no column named \"\(name)\" (columns: \(columnNames.joined(separator: ", ")))")
        }
        return index
    }
}
