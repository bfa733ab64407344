import DuckDBKit

/// The file formats COPY reads and writes.
public enum CopyFormat: String, Sendable, Hashable {
    case parquet, csv
}

/// Bulk loading: the Appender for rows in memory, COPY for files. Each call is one transaction:
/// on any error nothing of it is left in the table.
extension DuckPool {
    /// Appends `rows` to `table` through DuckDB's Appender, inside one transaction, flushing every
    /// `flushEvery` rows; returns the number of rows inserted. Property names match column names
    /// (`tradeDate` → `trade_date`); see ``Appender/appendRows(_:keyEncoding:)``.
    ///
    /// - Throws: ``DuckDBError`` (a constraint violation, a value that does not fit, an unknown
    ///   table); the whole batch is rolled back.
    @discardableResult
    public func bulkInsert<Row: Encodable & Sendable>(
        into table: String, rows: [Row], flushEvery: Int = 100_000,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try await transaction(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try Self.append(rows, into: table, flushEvery: flushEvery, on: connection)
        }
    }

    /// The blocking form of ``bulkInsert(into:rows:flushEvery:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async bulkInsert in async code")
    @discardableResult
    public func bulkInsert<Row: Encodable>(
        into table: String, rows: [Row], flushEvery: Int = 100_000,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try transaction(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try Self.append(rows, into: table, flushEvery: flushEvery, on: connection)
        }
    }

    /// Appends the rows of `columns` (one typed array per column, matched to `table`'s columns by
    /// name) to `table`, inside one transaction, flushing every `flushEvery` rows; returns the
    /// number of rows inserted. The fastest way to load rows: values are copied straight into
    /// DuckDB data chunks (see ``Appender/appendColumns(_:flushEvery:onFlush:)``).
    ///
    /// The batch is checked before anything is appended: columns of different lengths, a repeated
    /// name or an empty batch throw ``DuckDBError/Code/invalidInput``, an array type that does not
    /// fit its column ``DuckDBError/Code/conversion`` (see ``ColumnValues``), an unknown table or
    /// column ``DuckDBError/Code/binder``.
    ///
    /// - Parameters:
    ///   - flushEvery: Rows between flushes into the table. Default 122,880 (60 chunks).
    ///   - onFlush: Called after each flush with the rows appended so far, on the connection's
    ///     thread; for progress bars. Default none.
    ///   - timeout, deadline: As in ``withConnection(timeout:deadline:file:line:_:)``. Default none.
    /// - Throws: ``DuckDBError`` (also a constraint violation: ``DuckDBError/Code/constraint``);
    ///   on any error the whole batch is rolled back and the pool stays usable.
    @discardableResult
    public func bulkInsert(
        into table: String, columns: ColumnBatch, flushEvery: Int = 122_880,
        onFlush: (@Sendable (Int) -> Void)? = nil,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try columns.validate()
        return try await transaction(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try Self.append(columns, into: table, flushEvery: flushEvery, onFlush: onFlush, on: connection)
        }
    }

    /// The blocking form of ``bulkInsert(into:columns:flushEvery:onFlush:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async bulkInsert in async code")
    @discardableResult
    public func bulkInsert(
        into table: String, columns: ColumnBatch, flushEvery: Int = 122_880,
        onFlush: ((Int) -> Void)? = nil,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try columns.validate()
        return try transaction(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try Self.append(columns, into: table, flushEvery: flushEvery, onFlush: onFlush, on: connection)
        }
    }

    static func append(_ columns: ColumnBatch, into table: String, flushEvery: Int, onFlush: ((Int) -> Void)?, on connection: Connection) throws -> Int {
        precondition(flushEvery > 0, "flushEvery must be positive")
        let appender = try Appender(connection: connection, table: table)
        let appended = try appender.appendColumns(columns, flushEvery: flushEvery, onFlush: { onFlush?($0) })
        try appender.close()
        return appended
    }

    static func append<Row: Encodable>(_ rows: [Row], into table: String, flushEvery: Int, on connection: Connection) throws -> Int {
        precondition(flushEvery > 0, "flushEvery must be positive")
        let appender = try Appender(connection: connection, table: table)
        var appended = 0
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + flushEvery, rows.endIndex)
            appended += try appender.appendRows(rows[start..<end])
            try appender.flush()
            start = end
        }
        try appender.close()
        return appended
    }

    /// Loads a Parquet or CSV file into `table` (`COPY table FROM 'path'`), in one transaction;
    /// returns the rows loaded. CSV files are read with a header row.
    @discardableResult
    ///
    /// - Throws: ``DuckDBError``: DuckDB's (a missing file, a type mismatch), and
    ///   ``DuckDBError/Code/invalidInput`` for a path or table name containing a NUL byte.
    public func copy(
        from path: String, into table: String, format: CopyFormat,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try CStringArgument.check(path, role: "file path")
        try CStringArgument.check(table, role: "table name")
        let statement = "COPY \(Self.quoteIdentifier(table)) FROM \(Self.quoteLiteral(path)) (\(Self.options(format)))"
        return try await transaction(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try connection.execute(statement)
        }
    }

    /// Writes the result of `query` to a Parquet or CSV file (`COPY (query) TO 'path'`); returns
    /// the rows written. CSV files get a header row.
    @discardableResult
    ///
    /// - Throws: ``DuckDBError``: the query's, and ``DuckDBError/Code/invalidInput`` for a query
    ///   or path containing a NUL byte.
    public func export(
        _ query: String, to path: String, format: CopyFormat,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try CStringArgument.check(query, role: "SQL text", sql: query)
        try CStringArgument.check(path, role: "file path")
        let statement = "COPY (\(query)) TO \(Self.quoteLiteral(path)) (\(Self.options(format)))"
        return try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.execute(statement)
        }
    }

    private static func options(_ format: CopyFormat) -> String {
        format == .csv ? "FORMAT csv, HEADER true" : "FORMAT parquet"
    }

    static func quoteLiteral(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    static func quoteIdentifier(_ name: String) -> String {
        // Allow schema.table; quote each part.
        name.split(separator: ".", omittingEmptySubsequences: false)
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: ".")
    }
}
