internal import CDuckDB
import Synchronization

/// One DuckDB connection: runs statements and holds transaction state.
///
/// **Thread-safety:** a `Connection` is deliberately *not* `Sendable`: the compiler refuses to
/// hand it to another thread or task, because DuckDB connections crash when two threads use
/// one at once. Use one connection per thread, or a pool. Where code escapes the compiler's
/// check (`nonisolated(unsafe)`, `@unchecked Sendable` boxes), a second thread that calls into a
/// busy connection gets ``DuckDBError/Code/concurrentUse`` instead of a crash.
///
/// To stop a running query from elsewhere, take an ``interruptHandle`` first; it is `Sendable`.
///
/// Closing: ``close()``, or drop the last reference. Statements and results made from the
/// connection stay readable after it closes; running new statements throws
/// ``DuckDBError/Code/misuse``.
public final class Connection {
    let handle: ConnectionHandle
    /// The path of the database this connection belongs to.
    public let databasePath: String
    /// What the connection knows about its transaction; see ``TransactionState``.
    public private(set) var transactionState: TransactionState = .idle
    /// True when a statement failed inside the open transaction. DuckDB then rolls the
    /// transaction back at COMMIT *and reports the COMMIT as successful*, so code that commits
    /// must check this first (``DuckPool``'s `transaction` does).
    public private(set) var isTransactionAborted = false
    /// Where ``execute(_:_:)``, ``query(_:_:)`` and ``executeScript(_:)`` run: here
    /// (``StatementRouting/local``, the default) or in the server session of the Quack catalog
    /// the connection uses. Set it only between transactions.
    public var statementRouting: StatementRouting = .local

    /// 0 = free, 1 = running a call, 2 = access revoked by the owner, 3 = closed.
    private let usage = Atomic<UInt8>(0)
    private static let free: UInt8 = 0, busy: UInt8 = 1, revoked: UInt8 = 2, closed: UInt8 = 3
    /// Prepared statements kept by SQL text; see `Connection+StatementCache.swift`.
    let statementCache = StatementCache()

    init(handle raw: duckdb_connection, databasePath: String) {
        self.handle = ConnectionHandle(raw: raw)
        self.databasePath = databasePath
    }

    /// A `Sendable` handle that interrupts or watches this connection's queries from any thread.
    public var interruptHandle: InterruptHandle { InterruptHandle(handle: handle) }

    /// Runs `sql` (one statement, with `?`/`$n` parameters) and returns the number of rows it
    /// changed (0 for statements that change none). With parameters, the prepared statement is
    /// kept in the connection's statement cache and reused (see ``cachedStatement(_:)``).
    ///
    /// - Throws: ``DuckDBError``: parser, binder, constraint, conversion, transaction conflict,
    ///   interrupted, I/O, invalidated, misuse (closed connection, expired lease), concurrentUse;
    ///   invalidInput, before anything runs, when `sql` contains a NUL byte (C would cut it there).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any DuckDBBindable] = []) throws(DuckDBError) -> Int {
        if statementRouting == .quackServer { return try forwardedExecute(sql, parameters) }
        return try withStatement(sql, cached: !parameters.isEmpty) { (statement) throws(DuckDBError) in try statement.execute(parameters) }
    }

    /// Runs `sql` (one statement, with parameters) and returns its materialised result, read
    /// chunk by chunk. With parameters, the prepared statement is cached as in
    /// ``execute(_:_:)``. Same errors as ``execute(_:_:)``.
    public func query(_ sql: String, _ parameters: [any DuckDBBindable] = []) throws(DuckDBError) -> QueryResult {
        if statementRouting == .quackServer { return try forwardedQuery(sql, parameters) }
        return try withStatement(sql, cached: !parameters.isEmpty) { (statement) throws(DuckDBError) in try statement.query(parameters) }
    }

    /// Runs `sql` and decodes every row into `T` (see ``QueryResult/decode(_:keyDecoding:)``).
    public func query<T: Decodable>(
        _ type: T.Type, _ sql: String, _ parameters: [any DuckDBBindable] = [],
        keyDecoding: KeyDecodingStrategy = .convertFromSnakeCase
    ) throws(DuckDBError) -> [T] {
        try query(sql, parameters).decode(type, keyDecoding: keyDecoding)
    }

    /// Prepares one statement for repeated execution.
    /// - Throws: ``DuckDBError`` (parser, binder, ...) when DuckDB cannot prepare it; preparing
    ///   several statements at once is a parser error: use ``executeScript(_:)`` for scripts;
    ///   ``DuckDBError/Code/invalidInput`` when `sql` contains a NUL byte.
    public func prepare(_ sql: String) throws(DuckDBError) -> PreparedStatement {
        try prepare(sql, ownedByConnection: false)
    }

    /// Prepares `sql`; a statement owned by the connection (its cache) holds it weakly.
    func prepare(_ sql: String, ownedByConnection: Bool) throws(DuckDBError) -> PreparedStatement {
        try CStringArgument.check(sql, role: "SQL text", sql: sql)
        return try withExclusiveAccess { () throws(DuckDBError) -> PreparedStatement in
            var statement: duckdb_prepared_statement?
            let state = duckdb_prepare(handle.raw, sql, &statement)
            guard state == DuckDBSuccess, let statement else {
                let message = statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "could not prepare statement"
                let errorType = PreparedStatement.errorType(of: statement)
                if statement != nil { duckdb_destroy_prepare(&statement) }
                let error = DuckDBError(errorType: errorType, message: message, sql: sql)
                // An interrupt that stopped the prepare was honoured; do not apply it again.
                if error.code == .interrupted { handle.consumeInterruptRequest() }
                throw error
            }
            return PreparedStatement(handle: statement, connection: self, sql: sql, ownedByConnection: ownedByConnection)
        }
    }

    /// Runs a script of one or more `;`-separated statements, without parameters, one after the
    /// other, and returns the total number of rows changed. Transaction state is tracked per
    /// statement. Stops at the first failing statement and throws its error; the statements
    /// before it have run. A script containing a NUL byte is refused with
    /// ``DuckDBError/Code/invalidInput`` before any statement runs.
    @discardableResult
    public func executeScript(_ sql: String) throws(DuckDBError) -> Int {
        if statementRouting == .quackServer { return try forwardedScript(sql) }
        try CStringArgument.check(sql, role: "SQL script", sql: sql)
        var statements = try extractStatements(sql)
        defer { duckdb_destroy_extracted(&statements.handle) }
        // The texts tell BEGIN from COMMIT; if the split disagrees with DuckDB's count, transaction
        // statements are recorded as unknown rather than guessed.
        let texts = ScriptSplitter.statements(in: sql)
        let textsMatch = texts.count == statements.count
        var changed = 0
        for index in 0..<statements.count {
            let text = textsMatch ? String(texts[index]) : "/* statement \(index + 1) of a script */"
            var prepared: duckdb_prepared_statement?
            let state = try withExclusiveAccess { () throws(DuckDBError) -> duckdb_state in
                duckdb_prepare_extracted_statement(handle.raw, statements.handle, idx_t(index), &prepared)
            }
            guard state == DuckDBSuccess, let prepared else {
                let message = prepared.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "could not prepare statement \(index + 1)"
                let errorType = PreparedStatement.errorType(of: prepared)
                if prepared != nil { duckdb_destroy_prepare(&prepared) }
                throw DuckDBError(errorType: errorType, message: message, sql: textsMatch ? text : sql)
            }
            let statement = PreparedStatement(handle: prepared, connection: self, sql: text)
            changed += try statement.execute([])
        }
        return changed
    }

    private struct ExtractedStatements { var handle: duckdb_extracted_statements?; var count: Int }

    private func extractStatements(_ sql: String) throws(DuckDBError) -> ExtractedStatements {
        try withExclusiveAccess { () throws(DuckDBError) -> ExtractedStatements in
            var extracted: duckdb_extracted_statements?
            let count = Int(duckdb_extract_statements(handle.raw, sql, &extracted))
            if count == 0 {
                let message = extracted.flatMap { duckdb_extract_statements_error($0) }.map { String(cString: $0) } ?? "no statement in script"
                let code: DuckDBError.Code = sql.allSatisfy({ $0.isWhitespace || $0 == ";" }) ? .misuse : .parser
                duckdb_destroy_extracted(&extracted)
                throw DuckDBError(code: code, message: message, sql: sql)
            }
            return ExtractedStatements(handle: extracted, count: count)
        }
    }

    /// The running query's progress; see ``InterruptHandle/progress()``.
    public func progress() -> QueryProgress? { handle.progress() }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { usage.load(ordering: .acquiring) == Self.closed || handle.isClosed }

    /// Disconnects. Idempotent. A rolled-back open transaction is DuckDB's behaviour on
    /// disconnect: uncommitted work is discarded, committed work is durable.
    public func close() {
        usage.store(Self.closed, ordering: .releasing)
        statementCache.removeAll()
        handle.disconnect()
    }

    deinit { handle.disconnect() }

    // MARK: - Exclusive access

    /// Runs `body` while this connection is marked busy. A concurrent caller (only possible by
    /// escaping Swift's Sendable checking) gets ``DuckDBError/Code/concurrentUse``.
    ///
    /// After ``InterruptHandle/interruptUntilCleared()`` every call fails with
    /// ``DuckDBError/Code/interrupted`` here, before it reaches DuckDB.
    func withExclusiveAccess<T>(_ body: () throws(DuckDBError) -> T) throws(DuckDBError) -> T {
        let (exchanged, observed) = usage.compareExchange(expected: Self.free, desired: Self.busy, ordering: .acquiring)
        guard exchanged else { throw usageError(observed) }
        defer { usage.store(Self.free, ordering: .releasing) }
        if handle.isInterruptingUntilCleared {
            throw DuckDBError(code: .interrupted, message: "the connection's owner stopped every statement on it (a deadline or a cancellation); nothing was run")
        }
        return try body()
    }

    private func usageError(_ observed: UInt8) -> DuckDBError {
        switch observed {
        case Self.busy:
            DuckDBError(code: .concurrentUse, message: "this connection is already running a statement on another thread; DuckDB connections must not be shared between threads")
        case Self.revoked:
            DuckDBError(code: .accessRevoked, message: "this connection's owner revoked access to it (a pooled connection used after its lease ended); use it only inside the closure that received it")
        default:
            .misuse("the connection to \(databasePath) is closed")
        }
    }

    func recordStatement(kind: StatementKind, sql: String, succeeded: Bool) {
        if !succeeded, transactionState == .active, kind != .transaction { isTransactionAborted = true }
        let before = transactionState
        transactionState = TransactionState.after(before, kind: kind, sql: Substring(sql), succeeded: succeeded)
        if kind == .transaction, transactionState != before || succeeded { isTransactionAborted = false }
    }

    // MARK: - Interrupts and access control for the connection's owner

    /// Forgets every interrupt request, including one made with
    /// ``InterruptHandle/interruptUntilCleared()``, so that later calls run again (for example a
    /// cleanup `ROLLBACK` after a deadline stopped the work). Thread-safe.
    public func clearInterrupts() {
        handle.clearInterrupts()
    }

    /// Refuses every further call with ``DuckDBError/Code/accessRevoked`` until
    /// ``restoreAccess()``: for an owner that lends the connection out (a pool ends a lease with
    /// it). A call running at that moment finishes; the revocation then does nothing.
    package func revokeAccess() {
        _ = usage.compareExchange(expected: Self.free, desired: Self.revoked, ordering: .acquiringAndReleasing)
    }

    /// Lets calls through again and forgets every interrupt meant for an earlier borrower.
    package func restoreAccess() {
        handle.clearInterrupts()
        _ = usage.compareExchange(expected: Self.revoked, desired: Self.free, ordering: .acquiringAndReleasing)
    }

    /// Closes the connection from a thread that does not own it, but only when no call is
    /// running on it. Returns false (and does nothing) while a call runs; interrupt it first.
    /// Thread-safe.
    package func closeIfIdle() -> Bool {
        var (exchanged, observed) = usage.compareExchange(expected: Self.free, desired: Self.closed, ordering: .acquiringAndReleasing)
        if !exchanged, observed == Self.revoked {
            (exchanged, observed) = usage.compareExchange(expected: Self.revoked, desired: Self.closed, ordering: .acquiringAndReleasing)
        }
        guard exchanged || observed == Self.closed else { return false }
        handle.disconnect()
        return true
    }
}

/// A `Connection` must never cross threads by accident; this makes any attempt a compile error.
@available(*, unavailable, message: "DuckDB connections must not be shared between threads; use a pool or one connection per thread")
extension Connection: Sendable {}
