/// A fully read, `Sendable` query result: column names and rows of ``DuckDBValue``.
///
/// What ``DuckPool/query(_:_:file:line:)`` returns; the seed's `execute_query` returned a
/// DataFrame, and failures were an empty frame. Here failures throw, and an empty `RowSet`
/// really means no rows.
public struct RowSet: Sendable, Hashable {
    public var columnNames: [String]
    public var rows: [[DuckDBValue]]

    public init(columnNames: [String], rows: [[DuckDBValue]]) {
        self.columnNames = columnNames
        self.rows = rows
    }

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }

    /// The value of column `name` in row `row`, or nil when there is no such column.
    public func value(_ name: String, row: Int) -> DuckDBValue? {
        guard let column = columnNames.firstIndex(of: name) else { return nil }
        return rows[row][column]
    }
}

extension QueryResult {
    func readAll() throws(DuckDBError) -> RowSet {
        RowSet(columnNames: columnNames, rows: try rows())
    }
}
