/// A per-connection cache of prepared statements, so that SQL run again and again on a
/// long-lived (pooled) connection is parsed, bound and planned once.
///
/// - ``Connection/execute(_:_:)`` and ``Connection/query(_:_:)`` use it for every call **with
///   parameters**: such SQL is almost always a fixed text run many times.
/// - ``Connection/cachedStatement(_:)`` uses it for any SQL, with or without parameters; use it
///   for fixed parameterless queries you run often.
///
/// Entries are keyed by the exact SQL text and evicted least recently used first (default 64
/// per connection, see ``Connection/statementCacheCapacity``). Bindings are cleared before every
/// run. A cached statement that fails with a parser or binder error (its table was dropped or
/// altered, say) is dropped from the cache, so the next call prepares the SQL afresh. Closing
/// the connection closes every cached statement.
extension Connection {
    /// The prepared statement for `sql` from this connection's cache, prepared and cached on
    /// the first call.
    ///
    /// The statement belongs to the connection: run it now, do not keep it. It does not keep
    /// the connection alive, and it is closed when the connection closes (running it then
    /// throws ``DuckDBError/Code/misuse``). Statements that must outlive the cache, or that run
    /// once, come from ``prepare(_:)``.
    ///
    /// **Thread-safety:** like every call on a ``Connection``: one thread at a time.
    /// - Throws: ``DuckDBError``: what ``prepare(_:)`` throws (parser, binder, ...), and
    ///   misuse, accessRevoked or concurrentUse from the connection's usage guard.
    public func cachedStatement(_ sql: String) throws(DuckDBError) -> PreparedStatement {
        if let statement = try withExclusiveAccess({ () throws(DuckDBError) -> PreparedStatement? in statementCache.lookup(sql) }) {
            return statement
        }
        let statement = try prepare(sql, ownedByConnection: true)
        try withExclusiveAccess { () throws(DuckDBError) in statementCache.insert(statement, for: sql) }
        return statement
    }

    /// The most prepared statements this connection keeps. Default 64; 0 disables caching (and
    /// empties the cache). Lowering it evicts the least recently used statements.
    public var statementCacheCapacity: Int {
        get { statementCache.capacity }
        set { statementCache.capacity = max(0, newValue) }
    }

    /// How many prepared statements are cached right now.
    public var cachedStatementCount: Int { statementCache.count }

    /// Hits, misses, evictions and invalidations of this connection's statement cache.
    public var statementCacheStatistics: StatementCacheStatistics { statementCache.statistics }

    /// Runs `body` with the statement for `sql`: the cached one when `cached` is true (and the
    /// cache is enabled), a fresh one otherwise. A cached statement whose run fails with a
    /// parser or binder error is dropped from the cache before the error is rethrown.
    func withStatement<T>(
        _ sql: String, cached: Bool,
        _ body: (PreparedStatement) throws(DuckDBError) -> T
    ) throws(DuckDBError) -> T {
        guard cached, statementCache.capacity > 0 else {
            return try body(prepare(sql))
        }
        let statement = try cachedStatement(sql)
        do {
            return try body(statement)
        } catch {
            if Self.mayMeanStale(error) {
                try? withExclusiveAccess { () throws(DuckDBError) in statementCache.remove(sql) }
            }
            throw error
        }
    }

    /// Errors after which a cached plan may no longer fit the catalog.
    private static func mayMeanStale(_ error: DuckDBError) -> Bool {
        error.code == .binder || error.code == .parser || error.code == .invalidInput
    }
}
