internal import CDuckDB

/// The materialised result of one statement, read chunk by chunk (`duckdb_fetch_chunk`).
///
/// **Thread-safety:** not `Sendable`; read it on the thread that ran the query. It does not
/// need the connection any more, so the connection may run other statements meanwhile. Chunks
/// are consumed as they are read: ``nextChunk()`` never returns a chunk twice.
///
/// ```swift
/// let bars = try connection.query(StockBar.self, "SELECT * FROM stock_kline WHERE symbol = ?", ["000001"])
/// ```
public final class QueryResult {
    private let result: UnsafeMutablePointer<duckdb_result>
    /// The columns, in order.
    public let columns: [ResultColumn]
    /// Rows changed by an INSERT, UPDATE or DELETE; 0 otherwise.
    public let rowsChanged: Int
    /// The kind of statement that produced this result.
    public let statementKind: StatementKind
    private let infos: [ColumnInfo]

    init(taking result: UnsafeMutablePointer<duckdb_result>) {
        self.result = result
        let count = Int(duckdb_column_count(result))
        var columns: [ResultColumn] = []
        columns.reserveCapacity(count)
        for index in 0..<count {
            let name = duckdb_column_name(result, idx_t(index)).map { String(cString: $0) } ?? "column\(index)"
            var logical: duckdb_logical_type? = duckdb_column_logical_type(result, idx_t(index))
            columns.append(ResultColumn(name: name, logicalType: logical))
            if logical != nil { duckdb_destroy_logical_type(&logical) }
        }
        self.columns = columns
        self.infos = columns.map(ColumnInfo.init)
        self.rowsChanged = Int(duckdb_rows_changed(result))
        self.statementKind = StatementKind(duckdb_result_statement_type(result.pointee))
    }

    deinit { Self.free(result) }

    static func free(_ result: UnsafeMutablePointer<duckdb_result>) {
        duckdb_destroy_result(result)
        result.deinitialize(count: 1)
        result.deallocate()
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The index of the column named `name` (exact match first, then case-insensitive).
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// The next chunk of up to 2,048 rows, or nil when every row has been read.
    public func nextChunk() -> DataChunk? {
        guard let chunk = duckdb_fetch_chunk(result.pointee) else { return nil }
        return DataChunk(taking: chunk, infos: infos)
    }

    /// Calls `body` with every remaining chunk.
    public func forEachChunk(_ body: (DataChunk) throws(DuckDBError) -> Void) throws(DuckDBError) {
        while let chunk = nextChunk() { try body(chunk) }
    }

    /// Every remaining row as generic values. For large results prefer typed reads.
    public func rows() throws(DuckDBError) -> [[DuckDBValue]] {
        var rows: [[DuckDBValue]] = []
        try forEachChunk { (chunk) throws(DuckDBError) in
            for row in 0..<chunk.count {
                var values: [DuckDBValue] = []
                values.reserveCapacity(columns.count)
                for column in 0..<columns.count { values.append(try chunk.value(column: column, row: row)) }
                rows.append(values)
            }
        }
        return rows
    }

    /// The number of remaining rows, counted by reading them.
    public func countRows() -> Int {
        var total = 0
        while let chunk = nextChunk() { total += chunk.count }
        return total
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    public func scalar() throws(DuckDBError) -> DuckDBValue? {
        guard !columns.isEmpty, let chunk = nextChunk(), chunk.count > 0 else { return nil }
        let value = try chunk.value(column: 0, row: 0)
        return value.isNull ? nil : value
    }
}
