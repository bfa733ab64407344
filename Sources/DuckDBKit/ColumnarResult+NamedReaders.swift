public import Foundation

/// Named readers for the common column types: `result.doubles("close")` is
/// `result[column: "close", as: Double.self]`. Each reads by name (exact match, then
/// case-insensitive) or by index, and follows the table in ``ColumnarResult``'s documentation.
///
/// Every reader throws ``DuckDBError/Code/conversion`` when the column does not read as its
/// type, or (by name) when no column has the name. An index outside `0..<columnCount` is a
/// precondition failure. Reading a column as the type it stores shares its array (no copy);
/// a conversion (an INTEGER column as `Double`, say) builds a new array on every call.
extension ColumnarResult {
    /// BOOLEAN.
    public func bools(_ name: String) throws(DuckDBError) -> TypedColumn<Bool> { try self[column: name, as: Bool.self] }
    /// BOOLEAN.
    public func bools(_ index: Int) throws(DuckDBError) -> TypedColumn<Bool> { try self[column: index, as: Bool.self] }

    /// Integers up to BIGINT; UBIGINT, HUGEINT and UHUGEINT when every value fits.
    public func int64s(_ name: String) throws(DuckDBError) -> TypedColumn<Int64> { try self[column: name, as: Int64.self] }
    /// Integers up to BIGINT; UBIGINT, HUGEINT and UHUGEINT when every value fits.
    public func int64s(_ index: Int) throws(DuckDBError) -> TypedColumn<Int64> { try self[column: index, as: Int64.self] }

    /// DOUBLE, FLOAT, DECIMAL (rounded) and integers (converted). NULL rows hold `.nan`.
    public func doubles(_ name: String) throws(DuckDBError) -> TypedColumn<Double> { try self[column: name, as: Double.self] }
    /// DOUBLE, FLOAT, DECIMAL (rounded) and integers (converted). NULL rows hold `.nan`.
    public func doubles(_ index: Int) throws(DuckDBError) -> TypedColumn<Double> { try self[column: index, as: Double.self] }

    /// DECIMAL and integers (except UHUGEINT), exactly, as Foundation's `Decimal`.
    public func decimals(_ name: String) throws(DuckDBError) -> TypedColumn<Decimal> { try self[column: name, as: Decimal.self] }
    /// DECIMAL and integers (except UHUGEINT), exactly, as Foundation's `Decimal`.
    public func decimals(_ index: Int) throws(DuckDBError) -> TypedColumn<Decimal> { try self[column: index, as: Decimal.self] }

    /// VARCHAR and ENUM.
    public func strings(_ name: String) throws(DuckDBError) -> TypedColumn<String> { try self[column: name, as: String.self] }
    /// VARCHAR and ENUM.
    public func strings(_ index: Int) throws(DuckDBError) -> TypedColumn<String> { try self[column: index, as: String.self] }

    /// DATE.
    public func dates(_ name: String) throws(DuckDBError) -> TypedColumn<DuckDBDate> { try self[column: name, as: DuckDBDate.self] }
    /// DATE.
    public func dates(_ index: Int) throws(DuckDBError) -> TypedColumn<DuckDBDate> { try self[column: index, as: DuckDBDate.self] }

    /// Every TIMESTAMP flavour and TIMESTAMPTZ (UTC microseconds); DATE at midnight UTC.
    public func timestamps(_ name: String) throws(DuckDBError) -> TypedColumn<DuckDBTimestamp> {
        try self[column: name, as: DuckDBTimestamp.self]
    }
    /// Every TIMESTAMP flavour and TIMESTAMPTZ (UTC microseconds); DATE at midnight UTC.
    public func timestamps(_ index: Int) throws(DuckDBError) -> TypedColumn<DuckDBTimestamp> {
        try self[column: index, as: DuckDBTimestamp.self]
    }
}
