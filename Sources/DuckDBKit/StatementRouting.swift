/// Where a ``Connection`` runs the SQL given to ``Connection/execute(_:_:)``,
/// ``Connection/query(_:_:)``, ``Connection/executeScript(_:)`` and everything built on them
/// (`queryColumns`, `Decodable` queries).
///
/// ```swift
/// try connection.execute("ATTACH 'quack:127.0.0.1:9494' AS remote")
/// try connection.execute("USE remote")
/// connection.statementRouting = .quackServer
/// try connection.execute("UPDATE stock_kline SET volume = volume + ? WHERE symbol = ?", [100, "000001"])
/// ```
///
/// Value type.
public enum StatementRouting: Sendable, Hashable {
    /// In this DuckDB instance, which may read and write attached databases. The default.
    case local

    /// Verbatim, in the server session of the Quack catalog the connection currently uses
    /// (`USE remote`): every statement becomes `FROM quack_query_by_name(current_database(), ?)`.
    ///
    /// DuckDB 1.5.5's Quack client runs only SELECT and INSERT through an attached catalog, and a
    /// local `BEGIN` does not cover them; in the server's session every statement works
    /// (UPDATE, DELETE, MERGE, RETURNING, ALTER, CHECKPOINT), `BEGIN`/`COMMIT`/`ROLLBACK` are
    /// the server's, and filters run next to the data (an attached scan streams every row of the
    /// referenced columns to the client first). The connection's ``Connection/transactionState``
    /// then tracks the server's transaction.
    ///
    /// The statement crosses as text, so its parameters are inlined as typed literals
    /// (`CAST('…' AS TYPE)`, each value cast to text by DuckDB itself) in place of their `?` or
    /// `$n` placeholders; named (`$name`) placeholders are refused. A statement whose text or
    /// string parameters contain a NUL byte is refused before it is sent. ``Connection/prepare(_:)``,
    /// ``Connection/cachedStatement(_:)`` and appenders stay local (through the attached catalog).
    case quackServer
}
