import DuckDBKit
import Foundation
import Logging

/// One DuckDB database file served over Quack from this process: open it, load httpfs and
/// quack, `quack_serve`, and later stop in the order that leaves the file clean.
///
/// Measured with DuckDB 1.5.5 (quack c154811): `quack_serve` returns as soon as its listener is
/// bound and serves from background threads, so the process must stay alive; `quack_stop`
/// closes the listener synchronously and frees the port. A close without `quack_stop` and
/// `CHECKPOINT`, with a client attached, left the WAL beside the file; stopping the listener
/// first also means no client writes after the checkpoint. Without httpfs loaded on the server
/// (and with extension autoloading off), clients get HTTP 500.
///
/// Thread-safety: not `Sendable`; create, use and stop it on one thread.
final class QuackServerProcess {
    /// What `quack_serve` reported.
    struct Listening: Equatable {
        /// `quack:HOST:PORT`.
        var uri: String
        /// `http://HOST:PORT`: Quack speaks plain HTTP.
        var url: String
        /// The token clients must present; Quack's own random one when none was given.
        var token: String
    }

    let path: String
    let readOnly: Bool
    private let database: Database
    private let connection: Connection

    /// Opens the existing file at `path` (read-only with `readOnly`) with `extension_directory`
    /// set to `extensionDirectory` and extension autoinstall off, and loads httpfs and quack.
    ///
    /// - Throws: ``ServeFailure`` when the file does not exist, is locked by another process
    ///   (naming its PID), cannot be opened, or an extension is missing (naming the script that
    ///   installs them).
    init(path: String, readOnly: Bool, extensionDirectory: String) throws(ServeFailure) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingDatabase(path) }
        var configuration = DatabaseConfiguration()
        configuration.accessMode = readOnly ? .readOnly : .readWrite
        configuration.extensionDirectory = extensionDirectory
        configuration.autoInstallKnownExtensions = false
        do {
            database = try Database(path: path, configuration: configuration)
            connection = try database.connect()
        } catch let error where error.code == .fileLocked {
            throw .databaseLocked(path, pid: error.lockHolderPID, message: error.message)
        } catch {
            throw .duckDB("opening \(path)", error)
        }
        self.path = path
        self.readOnly = readOnly
        for name in ["httpfs", "quack"] {
            do {
                try connection.execute("LOAD \(name)")
            } catch {
                close()
                if error.code == .extensionMissing { throw .extensionMissing(name, directory: extensionDirectory, message: error.message) }
                throw .duckDB("LOAD \(name)", error)
            }
        }
    }

    /// Turns on Quack's log for the served instance, each event reported to `logger` as DuckDB
    /// writes it (``QuackConnectionLog``).
    func reportConnections(to logger: Logger) throws(ServeFailure) {
        do { try QuackConnectionLog.start(on: database, using: connection, logger: logger) } catch { throw .duckDB("enable_logging('Quack')", error) }
    }

    /// Keeps clients to the database. Unless `allowFileAccess`, turns DuckDB's
    /// `enable_external_access` off, so that no statement reaches this machine's files
    /// (`read_text`, `COPY ... TO`, `ATTACH`, `LOAD`); then sets `lock_configuration`, so that no
    /// client can change a setting back. Measured with DuckDB 1.5.5: both may be set before
    /// `quack_serve`, and Quack's reads, writes, `quack_stop` and `CHECKPOINT` still work.
    /// Call after Quack's log is on, before ``serve(on:token:)``.
    ///
    /// Once file access is off, `LOAD` is refused ("Loading external extensions is disabled
    /// through configuration"), and autoloading reads the same files, so parquet, json and icu
    /// (which a lean libduckdb leaves to the extension directory) are loaded first where they
    /// can be; one that cannot be fails later, in the query that needs it.
    ///
    /// - Throws: ``ServeFailure`` when DuckDB refuses a setting.
    func restrictClients(allowFileAccess: Bool) throws(ServeFailure) {
        if !allowFileAccess {
            for name in ["parquet", "json", "icu"] { _ = try? connection.execute("LOAD \(name)") }
        }
        var settings = ["SET lock_configuration = true"]
        if !allowFileAccess { settings.insert("SET enable_external_access = false", at: 0) }
        for setting in settings {
            do { try connection.execute(setting) } catch { throw .duckDB(setting, error) }
        }
    }

    /// Starts Quack's listener on `address` and returns at once (the listener runs on Quack's
    /// threads). With a `token`, clients must present it; with nil, Quack generates a random
    /// one and reports it. A host Quack does not accept by default gets
    /// `allow_other_hostname => true`.
    ///
    /// - Throws: ``ServeFailure/bindFailed(_:message:)`` when the port is taken by a socket
    ///   without `SO_REUSEPORT`, needs privileges or the host is not this machine's; another
    ///   ``ServeFailure`` for anything else Quack refuses.
    func serve(on address: ListenAddress, token: String?) throws(ServeFailure) -> Listening {
        let allowOther = !address.quackAcceptsWithoutOverride
        let rows: [[DuckDBValue]]
        do {
            rows = if let token {
                try connection.query("FROM quack_serve(?, token => ?, allow_other_hostname => ?)", [address.quackURI, token, allowOther]).rows()
            } else {
                try connection.query("FROM quack_serve(?, allow_other_hostname => ?)", [address.quackURI, allowOther]).rows()
            }
        } catch {
            if error.message.contains("Failed to bind") { throw .bindFailed(address, message: error.message) }
            throw .duckDB("quack_serve on \(address.quackURI)", error)
        }
        guard let row = rows.first, row.count >= 3,
              case .string(let uri) = row[0], case .string(let url) = row[1], case .string(let served) = row[2]
        else { throw ServeFailure("quack_serve on \(address.quackURI) returned no listener") }
        return Listening(uri: uri, url: url, token: served)
    }

    /// The number of sessions open on the listener at `uri` (`quack_server_list()`), or nil.
    func activeSessions(_ uri: String) -> Int? {
        guard let rows = try? connection.query("SELECT active_connections::BIGINT FROM quack_server_list() WHERE listen_uri = ?", [uri]).rows(),
              case .int(let count)? = rows.first?.first
        else { return nil }
        return Int(count)
    }

    /// `quack_stop`: closes the listener at `uri` and frees its port before it returns.
    ///
    /// - Throws: ``ServeFailure`` when DuckDB reports an error.
    func stopListening(_ uri: String) throws(ServeFailure) {
        do { _ = try connection.query("FROM quack_stop(?)", [uri]).rows() } catch { throw .duckDB("quack_stop", error) }
    }

    /// Writes the WAL into the file (`CHECKPOINT`, skipped when read-only), then closes the
    /// connection and the database, which shuts DuckDB's instance down and unlocks the file
    /// once every other connection (the log's) is closed too. Call after ``stopListening(_:)``.
    ///
    /// - Throws: ``ServeFailure`` when the checkpoint fails; the database is closed anyway.
    func checkpointAndClose() throws(ServeFailure) {
        defer { close() }
        guard !readOnly else { return }
        do { try connection.execute("CHECKPOINT") } catch { throw .duckDB("CHECKPOINT", error) }
    }

    private func close() {
        connection.close()
        database.close()
    }
}
