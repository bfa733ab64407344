public import DuckDBKit

/// One-statement calls: the results are typed, failures are thrown (never an empty result or
/// `false`), and parameters are bound, never interpolated.
///
/// Calls **with parameters** reuse the pooled connection's prepared statement for the same SQL
/// text (each connection keeps an LRU cache, see ``Connection/cachedStatement(_:)``), so a query
/// run again and again is parsed and planned once per connection, not once per call. Inside
/// ``withConnection(timeout:deadline:file:line:_:)`` use `connection.cachedStatement(sql)` for
/// the same with parameterless SQL.
///
/// `timeout:` and `deadline:` work as in ``withConnection(timeout:deadline:file:line:_:)``. Each
/// operation has an async form and a blocking form (for plain threads) under one name.
extension DuckPool {
    /// Runs a query and decodes every row into `T` (column names match property names;
    /// `trade_date` matches `tradeDate`).
    /// - Throws: ``DuckDBError`` (the query's), ``DuckPoolError`` or `CancellationError`.
    public func query<T: Decodable & Sendable>(
        _ type: T.Type, _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> [T] {
        try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.query(type, sql, parameters)
        }
    }

    /// Runs a query and returns all its rows.
    /// - Throws: ``DuckDBError`` (the query's), ``DuckPoolError`` or `CancellationError`.
    public func query(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> RowSet {
        try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try RowSet(connection.query(sql, parameters))
        }
    }

    /// Runs a query and returns its result as typed columns (one array and NULL bitmap per
    /// column), for factor code that works on whole columns; see ``ColumnarResult``.
    /// - Throws: ``DuckDBError`` (the query's), ``DuckPoolError`` or `CancellationError`.
    public func queryColumns(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> ColumnarResult {
        try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.queryColumns(sql, parameters)
        }
    }

    /// Runs a statement and returns the number of rows it changed.
    /// - Throws: ``DuckDBError`` (the statement's), ``DuckPoolError`` or `CancellationError`.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try await lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.execute(sql, parameters)
        }
    }

    /// The blocking form of ``query(_:_:_:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async query in async code")
    public func query<T: Decodable>(
        _ type: T.Type, _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> [T] {
        try lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.query(type, sql, parameters)
        }
    }

    /// The blocking form of ``query(_:_:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async query in async code")
    public func query(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> RowSet {
        try lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try RowSet(connection.query(sql, parameters))
        }
    }

    /// The blocking form of ``queryColumns(_:_:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async queryColumns in async code")
    public func queryColumns(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> ColumnarResult {
        try lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.queryColumns(sql, parameters)
        }
    }

    /// The blocking form of ``execute(_:_:timeout:deadline:file:line:)``.
    @available(*, noasync, message: "blocks the calling thread; use the async execute in async code")
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try lease(.read, LeaseOptions(timeout: timeout, deadline: deadline, file: file, line: line)) { connection in
            try connection.execute(sql, parameters)
        }
    }
}
