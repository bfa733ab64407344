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
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try await transaction(timeout: timeout, file: file, line: line) { connection in
            try Self.append(rows, into: table, flushEvery: flushEvery, on: connection)
        }
    }

    /// ``bulkInsert(into:rows:flushEvery:timeout:file:line:)`` for plain threads.
    @discardableResult
    public func bulkInsertBlocking<Row: Encodable>(
        into table: String, rows: [Row], flushEvery: Int = 100_000,
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try transactionBlocking(timeout: timeout, file: file, line: line) { connection in
            try Self.append(rows, into: table, flushEvery: flushEvery, on: connection)
        }
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
    public func copy(from path: String, into table: String, format: CopyFormat, timeout: Duration? = nil) async throws -> Int {
        let statement = "COPY \(Self.quoteIdentifier(table)) FROM \(Self.quoteLiteral(path)) (\(Self.options(format)))"
        return try await transaction(timeout: timeout) { connection in try connection.execute(statement) }
    }

    /// Writes the result of `query` to a Parquet or CSV file (`COPY (query) TO 'path'`); returns
    /// the rows written. CSV files get a header row.
    @discardableResult
    public func export(_ query: String, to path: String, format: CopyFormat, timeout: Duration? = nil) async throws -> Int {
        let statement = "COPY (\(query)) TO \(Self.quoteLiteral(path)) (\(Self.options(format)))"
        return try await withConnection(timeout: timeout) { connection in try connection.execute(statement) }
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
