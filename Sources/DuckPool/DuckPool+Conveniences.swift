public import DuckDBKit

/// The seed's `execute_query` and `execute_command`, done right: results are typed, failures
/// are thrown (never an empty result or `false`), parameters are bound, not interpolated.
///
/// Calls **with parameters** reuse the pooled connection's prepared statement for the same SQL
/// text (each connection keeps an LRU cache, see ``Connection/cachedStatement(_:)``), so a query
/// run again and again is parsed and planned once per connection, not once per call. Inside
/// ``withConnection(timeout:file:line:_:)`` use `connection.cachedStatement(sql)` to get the
/// same for parameterless SQL.
extension DuckPool {
    /// Runs a query and decodes every row into `T` (column names match property names;
    /// `trade_date` matches `tradeDate`).
    /// - Throws: ``DuckDBError`` (the query's, the pool's) or `CancellationError`.
    public func query<T: Decodable & Sendable>(
        _ type: T.Type, _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> [T] {
        try await withConnection(timeout: timeout, file: file, line: line) { connection in
            try connection.query(type, sql, parameters)
        }
    }

    /// Runs a query and returns all its rows.
    public func query(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> RowSet {
        try await withConnection(timeout: timeout, file: file, line: line) { connection in
            try connection.query(sql, parameters).readAll()
        }
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try await withConnection(timeout: timeout, file: file, line: line) { connection in
            try connection.execute(sql, parameters)
        }
    }

    /// ``query(_:_:_:timeout:file:line:)`` for plain threads (blocks the caller).
    public func queryBlocking<T: Decodable>(
        _ type: T.Type, _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) throws -> [T] {
        try withConnectionBlocking(timeout: timeout, file: file, line: line) { connection in
            try connection.query(type, sql, parameters)
        }
    }

    /// ``query(_:_:timeout:file:line:)`` for plain threads (blocks the caller).
    public func queryBlocking(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) throws -> RowSet {
        try withConnectionBlocking(timeout: timeout, file: file, line: line) { connection in
            try connection.query(sql, parameters).readAll()
        }
    }

    /// ``execute(_:_:timeout:file:line:)`` for plain threads (blocks the caller).
    @discardableResult
    public func executeBlocking(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try withConnectionBlocking(timeout: timeout, file: file, line: line) { connection in
            try connection.execute(sql, parameters)
        }
    }
}
