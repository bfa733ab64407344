internal import CDuckDB

/// A statement prepared once and run many times with different parameters.
///
/// **Thread-safety:** not `Sendable`, like the ``Connection`` it belongs to; it runs through
/// that connection and obeys the same one-thread-at-a-time rule. It keeps the connection object
/// alive (except statements from ``Connection/cachedStatement(_:)``, which the connection owns).
/// After ``close()`` every call throws ``DuckDBError/Code/misuse``.
public final class PreparedStatement {
    private var handle: duckdb_prepared_statement?
    /// The connection, held strongly by statements handed to callers.
    private let retainedConnection: Connection?
    /// The connection, held weakly by statements in the connection's own cache (a strong
    /// reference would be a cycle: connection → cache → statement → connection).
    private weak var cachingConnection: Connection?
    /// The statement's SQL text.
    public let sql: String
    /// The statement's kind (SELECT, INSERT, a transaction statement, ...).
    public let kind: StatementKind
    /// How many parameters it takes.
    public let parameterCount: Int

    init(handle: duckdb_prepared_statement, connection: Connection, sql: String, ownedByConnection: Bool = false) {
        self.handle = handle
        self.retainedConnection = ownedByConnection ? nil : connection
        self.cachingConnection = ownedByConnection ? connection : nil
        self.sql = sql
        self.kind = StatementKind(duckdb_prepared_statement_type(handle))
        self.parameterCount = Int(duckdb_nparams(handle))
    }

    /// Binds `parameters` and runs the statement; returns the number of rows changed.
    /// - Throws: ``DuckDBError/Code/binder`` for a wrong parameter count or type, and the
    ///   errors of ``Connection/execute(_:_:)``.
    @discardableResult
    public func execute(_ parameters: [any DuckDBBindable] = []) throws(DuckDBError) -> Int {
        let result = try run(parameters)
        defer { QueryResult.free(result) }
        return Int(duckdb_rows_changed(result))
    }

    /// Binds `parameters`, runs the statement and returns its result.
    public func query(_ parameters: [any DuckDBBindable] = []) throws(DuckDBError) -> QueryResult {
        QueryResult(taking: try run(parameters))
    }

    /// Runs the statement on behalf of another: its outcome is recorded in the connection's
    /// transaction tracking as a statement of `kind` with text `sql` (nil: not recorded), and its
    /// errors name `sql`. For statements that carry or serve another (forwarding).
    func query(_ parameters: [any DuckDBBindable], recordingAs kind: StatementKind?, sql: String) throws(DuckDBError) -> QueryResult {
        QueryResult(taking: try run(parameters, recording: kind.map { .as($0, sql) } ?? .none, reportedSQL: sql))
    }

    /// What a run records in the connection's transaction tracking.
    enum Recording {
        /// This statement's kind and text.
        case own
        /// Another statement's: the one this statement carries.
        case `as`(StatementKind, String)
        /// Nothing: a statement run for the wrapper's own purposes.
        case none
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// Frees the statement. Idempotent.
    public func close() {
        if handle != nil { duckdb_destroy_prepare(&handle) }
        handle = nil
    }

    deinit { close() }

    /// Binds and runs the statement. On success the caller owns the returned result and frees
    /// it with `QueryResult.free` (or hands it to a `QueryResult`).
    ///
    /// `recording` is the kind and text recorded in the connection's transaction tracking (the
    /// statement's own by default, nil for none); `reportedSQL` is the text errors carry.
    private func run(
        _ parameters: [any DuckDBBindable], recording: Recording = .own, reportedSQL: String? = nil
    ) throws(DuckDBError) -> UnsafeMutablePointer<duckdb_result> {
        let recording: (kind: StatementKind, sql: String)? = switch recording {
        case .own: (kind, sql)
        case .as(let kind, let sql): (kind, sql)
        case .none: nil
        }
        let sql = reportedSQL ?? self.sql
        guard let handle, let connection = retainedConnection ?? cachingConnection else {
            throw DuckDBError.misuse("the prepared statement is closed", sql: sql)
        }
        guard parameters.count == parameterCount else {
            throw DuckDBError(
                code: .binder,
                message: "the statement takes \(parameterCount) parameter\(parameterCount == 1 ? "" : "s"), got \(parameters.count)",
                sql: sql
            )
        }
        return try connection.withExclusiveAccess { () throws(DuckDBError) -> UnsafeMutablePointer<duckdb_result> in
            if parameterCount > 0 {
                duckdb_clear_bindings(handle)
                let binder = StatementBinder(handle: handle, sql: sql)
                for (offset, parameter) in parameters.enumerated() {
                    try parameter.bind(to: binder, at: offset + 1)
                }
            }
            let result = UnsafeMutablePointer<duckdb_result>.allocate(capacity: 1)
            result.initialize(to: duckdb_result())
            let state: duckdb_state
            do throws(DuckDBError) {
                state = try execute(handle, on: connection, into: result, recording: recording, reportedSQL: sql)
            } catch {
                QueryResult.free(result) // the statement never started: nothing was written to it
                throw error
            }
            guard state == DuckDBSuccess else {
                let message = duckdb_result_error(result).map { String(cString: $0) } ?? "query failed"
                let errorType = duckdb_result_error_type(result)
                QueryResult.free(result)
                if let recording { connection.recordStatement(kind: recording.kind, sql: recording.sql, succeeded: false) }
                throw DuckDBError(errorType: errorType, message: message, sql: sql)
            }
            if let recording { connection.recordStatement(kind: recording.kind, sql: recording.sql, succeeded: true) }
            return result
        }
    }

    /// Starts the statement as a pending query (DuckDB clears its interrupt flag here), honours
    /// an interrupt requested before that point, then runs it to completion. An interrupt that
    /// arrives while it runs stops it through `duckdb_interrupt`.
    private func execute(
        _ handle: duckdb_prepared_statement, on connection: Connection, into result: UnsafeMutablePointer<duckdb_result>,
        recording: (kind: StatementKind, sql: String)?, reportedSQL sql: String
    ) throws(DuckDBError) -> duckdb_state {
        var pending: duckdb_pending_result?
        defer { if pending != nil { duckdb_destroy_pending(&pending) } }
        let startState = connection.handle.startQuery { duckdb_pending_prepared(handle, &pending) }
        guard startState == DuckDBSuccess, let started = pending else {
            let message = pending.flatMap { duckdb_pending_error($0) }.map { String(cString: $0) } ?? "could not start the statement"
            if let recording { connection.recordStatement(kind: recording.kind, sql: recording.sql, succeeded: false) }
            throw DuckDBError(errorType: DuckDBError.errorType(fromMessage: message), message: message, sql: sql)
        }
        let state = duckdb_execute_pending(started, result)
        // A request is consumed only by a statement it actually stopped. One that landed while a
        // short statement was finishing is still pending, so it stops the next statement: a
        // deadline that passes between two statements of one lease must not be lost.
        if state != DuckDBSuccess, duckdb_result_error_type(result) == DUCKDB_ERROR_INTERRUPT {
            connection.handle.consumeInterruptRequest()
        }
        return state
    }

    static func errorType(of statement: duckdb_prepared_statement?) -> duckdb_error_type {
        guard let statement, let message = duckdb_prepare_error(statement) else { return DUCKDB_ERROR_INVALID }
        return DuckDBError.errorType(fromMessage: String(cString: message))
    }
}
