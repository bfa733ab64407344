internal import CDuckDB
public import Foundation

/// Loads rows into one table through DuckDB's Appender: the fast path for bulk inserts.
///
/// Values go in column order, row by row: append each value, then ``endRow()``. By default the
/// columns are the table's, in its order; ``setColumns(_:)`` picks a subset or another order
/// (the others get their DEFAULT). Rows are buffered and written on ``flush()``, ``close()``,
/// or when DuckDB's buffer fills; errors (a constraint violation, a value that does not fit)
/// may therefore surface at flush or close. After an error the appender is unusable; destroy
/// it and roll back the transaction around it.
///
/// **Thread-safety:** not `Sendable`; it runs on its ``Connection``'s thread, inside that
/// connection's one-thread-at-a-time rule.
public final class Appender {
    private var handle: duckdb_appender?
    private let connection: Connection
    /// The target table.
    public let table: String

    /// Creates an appender for `table` (in `schema`, default the search path's).
    /// - Throws: ``DuckDBError`` (``DuckDBError/Code/binder`` for an unknown table,
    ///   ``DuckDBError/Code/invalidInput`` for a name containing a NUL byte).
    public init(connection: Connection, table: String, schema: String? = nil) throws(DuckDBError) {
        self.connection = connection
        self.table = table
        try CStringArgument.check(table, role: "table name")
        if let schema { try CStringArgument.check(schema, role: "schema name") }
        var appender: duckdb_appender?
        let state = try connection.withExclusiveAccess { () throws(DuckDBError) -> duckdb_state in
            duckdb_appender_create_ext(connection.handle.raw, nil, schema, table, &appender)
        }
        guard state == DuckDBSuccess, appender != nil else {
            let error = appender.map { Self.error(of: $0, table: table) }
                ?? DuckDBError(code: .binder, message: "could not create an appender for \(table)")
            if appender != nil { duckdb_appender_destroy(&appender) }
            throw error
        }
        handle = appender
    }

    deinit {
        if handle != nil { duckdb_appender_destroy(&handle) }
    }

    /// Appends to these columns only, in this order. Call before the first row.
    /// - Throws: ``DuckDBError``; ``DuckDBError/Code/invalidInput`` for a name containing a NUL
    ///   byte, before any column is changed.
    public func setColumns(_ names: [String]) throws(DuckDBError) {
        for name in names { try CStringArgument.check(name, role: "column name") }
        try call { appender in
            var state = duckdb_appender_clear_columns(appender)
            for name in names where state == DuckDBSuccess { state = duckdb_appender_add_column(appender, name) }
            return state
        }
    }

    /// How many columns each row has.
    public var columnCount: Int { handle.map { Int(duckdb_appender_column_count($0)) } ?? 0 }

    public func append(_ value: Bool) throws(DuckDBError) { try call { duckdb_append_bool($0, value) } }
    public func append(_ value: Int64) throws(DuckDBError) { try call { duckdb_append_int64($0, value) } }
    public func append(_ value: Int32) throws(DuckDBError) { try call { duckdb_append_int32($0, value) } }
    public func append(_ value: Double) throws(DuckDBError) { try call { duckdb_append_double($0, value) } }
    public func append(_ value: String) throws(DuckDBError) {
        var copy = value
        try call { appender in
            copy.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { duckdb_append_varchar_length(appender, $0.baseAddress, idx_t($0.count)) }
            }
        }
    }
    public func append(bytes: some ContiguousBytes) throws(DuckDBError) {
        try call { appender in bytes.withUnsafeBytes { duckdb_append_blob(appender, $0.baseAddress, idx_t($0.count)) } }
    }
    public func append(_ value: DuckDBDate) throws(DuckDBError) {
        try call { duckdb_append_date($0, duckdb_date(days: value.daysSinceEpoch)) }
    }
    public func append(_ value: DuckDBTimestamp) throws(DuckDBError) {
        try call { duckdb_append_timestamp($0, duckdb_timestamp(micros: value.microsecondsSinceEpoch)) }
    }
    public func appendNull() throws(DuckDBError) { try call { duckdb_append_null($0) } }

    /// Appends any ``DuckDBValue`` (decimals and uncommon types go in as text and are cast).
    public func append(_ value: DuckDBValue) throws(DuckDBError) {
        switch value {
        case .null: try appendNull()
        case .bool(let v): try append(v)
        case .int(let v): try append(v)
        case .uint(let v): try call { duckdb_append_uint64($0, v) }
        case .hugeInt(let v): try call { duckdb_append_hugeint($0, duckdb_hugeint(v)) }
        case .double(let v): try append(v)
        case .string(let v), .uuid(let v): try append(v)
        case .blob(let v): try append(bytes: v)
        case .date(let v): try append(v)
        case .timestamp(let v): try append(v)
        case .decimal, .time, .interval: try append(value.description)
        }
    }

    /// Ends the current row. - Throws: ``DuckDBError`` when the row has too few values.
    public func endRow() throws(DuckDBError) { try call { duckdb_appender_end_row($0) } }

    /// Writes the buffered rows into the table (inside the connection's transaction).
    public func flush() throws(DuckDBError) { try call { duckdb_appender_flush($0) } }

    /// Flushes and closes; the appender cannot be used afterwards. Idempotent.
    public func close() throws(DuckDBError) {
        guard handle != nil else { return }
        try call { duckdb_appender_close($0) }
        duckdb_appender_destroy(&handle)
        handle = nil
    }

    /// Runs one appender call under the connection's exclusive access; a failed state throws the
    /// appender's error.
    func call(_ body: (duckdb_appender) -> duckdb_state) throws(DuckDBError) {
        let (state, appender) = try withRawHandle { appender in (body(appender), appender) }
        guard state == DuckDBSuccess else { throw Self.error(of: appender, table: table) }
    }

    /// Runs `body` with the native appender under the connection's exclusive access.
    func withRawHandle<T>(_ body: (duckdb_appender) -> T) throws(DuckDBError) -> T {
        guard let appender = handle else { throw DuckDBError.misuse("the appender for \(table) is closed") }
        return try connection.withExclusiveAccess { () throws(DuckDBError) -> T in body(appender) }
    }

    /// The appender's error, from `duckdb_appender_error_data` (type and message).
    private static func error(of appender: duckdb_appender, table: String) -> DuckDBError {
        var data: duckdb_error_data? = duckdb_appender_error_data(appender)
        defer { if data != nil { duckdb_destroy_error_data(&data) } }
        guard let data, duckdb_error_data_has_error(data) else {
            return DuckDBError(code: .other, message: "the appender for \(table) failed")
        }
        let message = duckdb_error_data_message(data).map { String(cString: $0) } ?? "appender error"
        return DuckDBError(errorType: duckdb_error_data_error_type(data), message: message, sql: "APPEND INTO \(table)")
    }
}
