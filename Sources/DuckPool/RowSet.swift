public import DuckDBKit

/// A fully read, `Sendable` query result: column names and rows of ``DuckDBValue``.
///
/// What ``DuckPool/query(_:_:timeout:deadline:file:line:)`` returns. Failures throw, so an empty
/// `RowSet` really means no rows. For large results prefer typed reads (`Decodable` rows).
/// Value type; thread-safe.
public struct RowSet: Sendable, Hashable {
    /// The column names, in order.
    public var columnNames: [String]
    /// The rows, each with one value per column.
    public var rows: [[DuckDBValue]]

    /// Creates a row set.
    public init(columnNames: [String], rows: [[DuckDBValue]]) {
        self.columnNames = columnNames
        self.rows = rows
    }

    /// Reads every remaining row of `result`.
    /// - Throws: ``DuckDBError`` when a value cannot be read.
    public init(_ result: QueryResult) throws(DuckDBError) {
        self.init(columnNames: result.columnNames, rows: try result.rows())
    }

    /// The number of rows.
    public var count: Int { rows.count }
    /// True when there is no row.
    public var isEmpty: Bool { rows.isEmpty }

    /// The value of column `name` in row `row`, or nil when there is no such column.
    public func value(_ name: String, row: Int) -> DuckDBValue? {
        guard let column = columnNames.firstIndex(of: name) else { return nil }
        return rows[row][column]
    }
}
