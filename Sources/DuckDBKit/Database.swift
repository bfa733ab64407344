internal import CDuckDB
import DuckPoolSupport

/// An open DuckDB database: a file, or an in-memory database.
///
/// **Thread-safety:** `Database` is `Sendable`. ``connect()`` may be called from any thread at
/// once; each ``Connection`` it returns belongs to one thread at a time.
///
/// Databases open through the process-wide instance cache, so opening one path twice in one
/// process yields the same DuckDB instance (and the second open must use an equal
/// ``DatabaseConfiguration``). Connections keep the instance alive: ``close()`` releases this
/// handle, and DuckDB shuts the instance down (and unlocks the file) once the last connection
/// on it is closed too.
///
/// After ``DuckDBError/Code/invalidated``, the instance is dead: close every connection and every
/// `Database` on the path, then open it again; an open made while any handle remains returns
/// the dead instance.
public final class Database: Sendable {
    /// The path as given, or `":memory:"`.
    public let path: String
    /// The configuration it was opened with.
    public let configuration: DatabaseConfiguration

    let handle: LockedValue<DatabasePointer>

    /// Opens (or creates) the database file at `path`. Pass `":memory:"` for an in-memory database
    /// that is private to this `Database` (in-memory databases are never shared through the cache).
    ///
    /// - Throws: ``DuckDBError`` with ``DuckDBError/Code/fileLocked`` when another process holds
    ///   the file (``DuckDBError/lockHolderPID`` names it), ``DuckDBError/Code/io`` for a missing
    ///   directory or a corrupt file, ``DuckDBError/Code/configurationConflict`` when the path is
    ///   already open in this process with other options, ``DuckDBError/Code/invalidInput`` for
    ///   a bad option, or for a path, option name or option value containing a NUL byte (checked
    ///   before anything is opened).
    public init(path: String, configuration: DatabaseConfiguration = DatabaseConfiguration()) throws(DuckDBError) {
        self.path = path
        self.configuration = configuration
        try CStringArgument.check(path, role: "database path")
        for option in configuration.options {
            try CStringArgument.check(option.name, role: "configuration option name")
            try CStringArgument.check(option.value, role: "value of configuration option \(CStringArgument.printable(option.name))")
        }
        var config: duckdb_config?
        guard duckdb_create_config(&config) == DuckDBSuccess, config != nil else {
            throw DuckDBError(code: .outOfMemory, message: "could not allocate a DuckDB configuration")
        }
        defer { duckdb_destroy_config(&config) }
        for option in configuration.options where duckdb_set_config(config, option.name, option.value) != DuckDBSuccess {
            throw DuckDBError(code: .invalidInput, message: "DuckDB rejected option \(option.name)=\(option.value)")
        }
        let opened: duckdb_database
        if path == ":memory:" || path.isEmpty {
            var database: duckdb_database?
            var errorMessage: UnsafeMutablePointer<CChar>?
            if duckdb_open_ext(nil, &database, config, &errorMessage) != DuckDBSuccess || database == nil {
                let message = errorMessage.map { String(cString: $0) } ?? "could not open an in-memory database"
                if let errorMessage { duckdb_free(errorMessage) }
                throw DuckDBError(code: InstanceCache.code(forOpenError: message), message: message)
            }
            opened = database.unsafelyUnwrapped
        } else {
            opened = try InstanceCache.open(path: path, config: config).get()
        }
        self.handle = LockedValue(DatabasePointer(raw: opened))
    }

    /// Opens a private in-memory database.
    public static func inMemory(configuration: DatabaseConfiguration = DatabaseConfiguration()) throws(DuckDBError) -> Database {
        try Database(path: ":memory:", configuration: configuration)
    }

    /// Opens a new connection.
    ///
    /// Thread-safe. Throws ``DuckDBError/Code/misuse`` after ``close()``, or DuckDB's error.
    public func connect() throws(DuckDBError) -> Connection {
        let result: Result<duckdb_connection, DuckDBError> = handle.withLock { pointer in
            guard let database = pointer.raw else { return .failure(.misuse("the database \(path) is closed")) }
            var connection: duckdb_connection?
            guard duckdb_connect(database, &connection) == DuckDBSuccess, let connection else {
                return .failure(DuckDBError(code: .connectionFailed, message: "DuckDB could not open a connection to \(path)"))
            }
            return .success(connection)
        }
        return Connection(handle: try result.get(), databasePath: path)
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle.withLock { $0.raw == nil } }

    /// Releases this handle on the database. Idempotent and thread-safe. Open connections stay
    /// usable until they are closed; DuckDB shuts the instance down after the last one.
    public func close() {
        handle.withLock { pointer in
            if pointer.raw != nil { duckdb_close(&pointer.raw) }
            pointer.raw = nil
        }
    }

    deinit { close() }

    /// The DuckDB library version, for example `v1.5.5`.
    public static var libraryVersion: String { String(cString: duckdb_library_version()) }
}

// A `duckdb_database` may be used from any thread (DuckDB synchronizes connect and close
// internally); DuckDBKit only touches it under Database's lock, so moving the pointer into the
// lock is safe.
struct DatabasePointer: @unchecked Sendable {
    var raw: duckdb_database?
}
