import DuckDBKit

/// Why `duckpool serve` could not start or stop cleanly, in words a user can act on.
///
/// Value type; thread-safe. The command prints ``description`` after `Error:` and exits 1.
struct ServeFailure: Error, Equatable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }

    /// The database file does not exist; serve never creates one.
    static func missingDatabase(_ path: String) -> ServeFailure {
        ServeFailure("no database at \(path): serve opens an existing DuckDB file and never creates one")
    }

    /// Another process holds DuckDB's lock on the file.
    static func databaseLocked(_ path: String, pid: Int32?, message: String) -> ServeFailure {
        let holder = pid.map { "another process (PID \($0))" } ?? "another process"
        return ServeFailure("\(path) is locked by \(holder); stop it or serve a copy (DuckDB: \(message))")
    }

    /// An official extension is not in the extension directory.
    static func extensionMissing(_ name: String, directory: String, message: String) -> ServeFailure {
        ServeFailure(
            "the DuckDB extension '\(name)' is not installed in \(directory); install the official extensions with "
                + "`\(ExtensionDirectory.installCommand)` (\(ExtensionDirectory.environmentVariable) names another directory). DuckDB: \(message)"
        )
    }

    /// Another `duckpool serve` holds the port's lock file.
    static func portLocked(_ port: Int, holder: Int32?, lockFile: String) -> ServeFailure {
        let who = holder.map { "duckpool serve PID \($0)" } ?? "another duckpool serve (its PID is not written yet)"
        return ServeFailure("port \(port) is already served by \(who) (lock file \(lockFile)); stop it or pick another --listen port")
    }

    /// Quack could not bind: the port is taken by another program, or the host is not this machine's.
    static func bindFailed(_ address: ListenAddress, message: String) -> ServeFailure {
        ServeFailure("cannot listen on \(address): the port is in use by another program, needs privileges, or the host is not an address of this machine (DuckDB: \(message))")
    }

    /// Any other DuckDB failure, with what serve was doing.
    static func duckDB(_ step: String, _ error: DuckDBError) -> ServeFailure {
        ServeFailure("\(step) failed: \(error.message)")
    }
}
