import Foundation

import DuckDBKit
import DuckPoolCore

/// How a pool reaches its ``DuckPoolTarget``: which database it opens locally, what it runs
/// once per opened instance, and what each connection attaches and detaches. Value type.
///
/// - `.file`, `.inMemory`: the database itself; nothing to attach.
/// - `.quack`: a private in-memory instance with httpfs and quack loaded (the server needs both
///   too) and the token in an instance-wide secret, never in an ATTACH option (DuckDB shows
///   ATTACH options in `duckdb_databases()`). Each connection attaches the server under its own
///   name, because one Quack ATTACH is one server session shared by every connection that uses
///   it, and a server transaction must belong to one connection; it then `USE`s it and routes
///   its statements to that session (``StatementRouting/quackServer``). Closing a connection
///   detaches its session.
/// - `.duckLake`: a private in-memory instance with ducklake and postgres loaded and the lake
///   attached once (DuckLake keeps one transaction per DuckDB connection); each connection
///   `USE`s it.
struct TargetSession: Sendable {
    let target: DuckPoolTarget

    /// What to open with DuckDBKit.
    var databasePath: String {
        switch target {
        case .file(let path): path
        case .inMemory, .quack, .duckLake: ":memory:"
        }
    }

    /// The extensions the target needs, loaded once per instance.
    var extensions: [String] {
        switch target {
        case .file, .inMemory: []
        case .quack: ["httpfs", "quack"]
        case .duckLake: ["ducklake", "postgres"]
        }
    }

    /// Statements for each new instance, after the extensions load.
    var instanceStatements: [String] {
        switch target {
        case .file, .inMemory:
            []
        case .quack(let server):
            ["CREATE OR REPLACE SECRET duckpool_quack (TYPE quack, TOKEN \(Self.literal(server.token)))"]
        case .duckLake(let lake):
            ["ATTACH \(Self.literal("ducklake:postgres:" + lake.postgres)) AS \(Self.identifier(lake.name)) (DATA_PATH \(Self.literal(lake.dataPath)))"]
        }
    }

    /// Prepares a new connection: attaches and selects what it works on.
    /// - Throws: DuckDB's error: for Quack ``DuckDBError/Code/connectionRefused`` (nothing
    ///   listens), ``DuckDBError/Code/authenticationFailed`` (wrong token).
    func open(_ connection: Connection, id: ConnectionID) throws(DuckDBError) {
        switch target {
        case .file, .inMemory:
            return
        case .quack(let server):
            let catalog = Self.quackCatalog(id)
            try connection.execute("ATTACH \(Self.literal(server.uri)) AS \(catalog) (DISABLE_SSL \(server.tls ? "false" : "true"))")
            try connection.execute("USE \(catalog)")
            connection.statementRouting = .quackServer
        case .duckLake(let lake):
            try connection.execute("USE \(Self.identifier(lake.name))")
        }
    }

    /// Undoes ``open(_:id:)`` and closes the connection. A Quack session ends with it (the
    /// server rolls back a transaction left open there). Never throws: a dead server cannot stop
    /// the local clean-up. Call it on the connection's thread, with no lease on it.
    func disconnect(_ connection: Connection, id: ConnectionID) {
        defer { connection.close() }
        guard case .quack = target else { return }
        // Between leases a pooled connection refuses calls; this clean-up is the pool's own.
        connection.restoreAccess()
        connection.statementRouting = .local
        _ = try? connection.execute("USE memory")
        _ = try? connection.execute("DETACH DATABASE IF EXISTS \(Self.quackCatalog(id))")
    }

    /// The catalog name connection `id` attaches a Quack server as.
    static func quackCatalog(_ id: ConnectionID) -> String { "duckpool_remote_\(id)" }

    /// `text` as a SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// `name` as a quoted SQL identifier.
    static func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
