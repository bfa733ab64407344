internal import CDuckDB

extension Appender {
    /// Appends the rows of `batch`, column by column: each column's array is copied into DuckDB
    /// data chunks (one `memcpy` per 2,048 values for fixed-width columns whose type matches),
    /// which go to the table with `duckdb_append_data_chunk`. The fastest way to load rows.
    ///
    /// Columns are matched to the table's by name (see ``setColumns(_:)``); the table's other
    /// columns get their DEFAULT. Before anything is appended, the batch is checked: every column
    /// the same length, no name twice, every array type fits its column (see ``ColumnValues``).
    ///
    /// - Parameters:
    ///   - flushEvery: Write the buffered rows into the table every this many rows (a multiple
    ///     of 2,048 is rounded to; nil leaves flushing to DuckDB and ``close()``). Default nil.
    ///   - onFlush: Called after each flush with the number of rows of `batch` appended so far;
    ///     for progress bars. Runs on this thread. Default: nothing.
    /// - Returns: The number of rows appended (`batch.rowCount`).
    /// - Throws: ``DuckDBError``: ``DuckDBError/Code/invalidInput`` for columns of different
    ///   lengths, a repeated name or an empty batch; ``DuckDBError/Code/binder`` for a column the
    ///   table lacks; ``DuckDBError/Code/conversion`` for an array type that does not fit its
    ///   column; nothing is appended in those cases. DuckDB's errors (a constraint violation)
    ///   may come after some chunks were appended: roll back the transaction around it.
    @discardableResult
    public func appendColumns(_ batch: ColumnBatch, flushEvery: Int? = nil, onFlush: (Int) -> Void = { _ in }) throws(DuckDBError) -> Int {
        try batch.validate()
        do {
            try setColumns(batch.names)
        } catch where error.code == .invalidInput {
            // DuckDB reports a column the table lacks as invalid input; it is a name that did not bind.
            throw DuckDBError(code: .binder, message: error.message, sql: error.sql, duckDBErrorType: error.duckDBErrorType)
        }
        let logicalTypes = try columnLogicalTypes()
        defer { for var type in logicalTypes where type != nil { duckdb_destroy_logical_type(&type) } }
        let sources = batch.columns.map(\.values.source)
        try Self.check(sources, names: batch.names, against: logicalTypes, table: table)
        let writer = try DataChunkWriter(logicalTypes: logicalTypes)
        let total = batch.rowCount
        let flushStep = flushEvery.map { max(writer.capacity, $0 / writer.capacity * writer.capacity) }
        var start = 0
        while start < total {
            let end = min(start + writer.capacity, total)
            let chunk = writer.fill(sources, rows: start..<end)
            try call { duckdb_append_data_chunk($0, chunk) }
            start = end
            if let flushStep, start % flushStep == 0 || start == total {
                try flush()
                onFlush(start)
            }
        }
        return total
    }

    /// The active columns' logical types (owned by the caller).
    private func columnLogicalTypes() throws(DuckDBError) -> [duckdb_logical_type?] {
        try withRawHandle { appender -> [duckdb_logical_type?] in
            (0..<duckdb_appender_column_count(appender)).map { duckdb_appender_column_type(appender, $0) }
        }
    }

    private static func check(_ sources: [any ColumnSource], names: [String], against types: [duckdb_logical_type?], table: String) throws(DuckDBError) {
        guard sources.count == types.count else {
            throw DuckDBError(code: .invalidInput, message: "the appender for \(table) has \(types.count) columns, the batch \(sources.count)")
        }
        for (index, source) in sources.enumerated() {
            let typeID = types[index].map(duckdb_get_type_id) ?? DUCKDB_TYPE_INVALID
            guard source.canWrite(to: typeID) else {
                let column = ResultColumn(name: names[index], logicalType: types[index])
                throw DuckDBError(
                    code: .conversion,
                    message: "column \"\(names[index])\" of \(table) has type \(column.type), which a \(source.swiftType) array cannot fill without conversion; nothing was appended"
                )
            }
        }
    }
}
