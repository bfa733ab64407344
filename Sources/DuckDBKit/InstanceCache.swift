internal import CDuckDB
import Synchronization

/// The process-wide DuckDB instance cache (`duckdb_get_or_create_from_cache`).
///
/// One file path is one database instance per process: every ``Database`` opened on a path shares
/// it, so connections from different pools see each other's committed writes and the file is
/// locked once. The cache lives as long as the process; the instances inside it are released
/// when their last `duckdb_database` handle is closed.
///
/// While any handle (database or connection) on an instance is open, opening its path returns
/// that same instance, even when DuckDB has invalidated it after a fatal error; a new instance is
/// made only after the last handle is closed. Reopening an invalidated database therefore means
/// closing every handle on it first (DuckPool does; `InvalidationRecoveryTests` pins it).
enum InstanceCache {
    // The cache handle is created once and never destroyed; DuckDB's cache is internally
    // synchronized, so sharing the raw pointer across threads is safe.
    nonisolated(unsafe) private static let shared: duckdb_instance_cache? = duckdb_create_instance_cache()

    static func open(path: String, config: duckdb_config?) -> Result<duckdb_database, DuckDBError> {
        guard let cache = shared else {
            return .failure(.misuse("DuckDB could not create its instance cache"))
        }
        var database: duckdb_database?
        var errorMessage: UnsafeMutablePointer<CChar>?
        let state = duckdb_get_or_create_from_cache(cache, path, &database, config, &errorMessage)
        if state == DuckDBSuccess, let database {
            return .success(database)
        }
        let message = errorMessage.map { String(cString: $0) } ?? "could not open \(path)"
        if let errorMessage { duckdb_free(errorMessage) }
        if database != nil { duckdb_close(&database) }
        return .failure(DuckDBError(code: Self.code(forOpenError: message), message: message))
    }

    /// Open errors come back as text only; classify them by DuckDB's wording.
    static func code(forOpenError message: String) -> DuckDBError.Code {
        if message.contains("Could not set lock on file") { return .fileLocked }
        if message.contains("different configuration") { return .configurationConflict }
        if message.contains("Unrecognized configuration") || message.contains("Invalid Input") { return .invalidInput }
        if message.contains("database has been invalidated") { return .invalidated }
        if message.contains("IO Error") || message.contains("Cannot open") || message.contains("not a valid DuckDB database") {
            return .io
        }
        if message.contains("Serialization Error") || message.contains("Corrupt") { return .io }
        return .other
    }
}
