import DuckPoolSupport
import Foundation
import Logging

/// The life of one `duckpool serve` process, run on one thread from start to stop:
///
/// 1. catch SIGTERM and SIGINT; read the token file; take the port's lock file (``PortLock``);
/// 2. open the database and load httpfs and quack (``QuackServerProcess``); send Quack's log to
///    ``QuackConnectionLog``, which logs connects and disconnects as they happen; keep clients
///    away from this machine's files and lock DuckDB's configuration; `quack_serve`;
/// 3. print `token TOKEN` (with `--insecure`) and `ready quack:HOST:PORT` on standard output;
/// 4. wait for a signal;
/// 5. `quack_stop`, `CHECKPOINT`, close; return (the process exits 0).
///
/// Log lines go to standard error through swift-log's `StreamLogHandler`, at info level.
///
/// Thread-safety: `Sendable` settings only; ``run()`` blocks its thread for the process's life.
struct ServeSession: Sendable {
    /// What the command line decided. Value type.
    struct Settings: Sendable {
        var databasePath: String
        var address: ListenAddress
        /// nil: `--insecure`, Quack generates the token.
        var tokenFile: String?
        var readOnly: Bool
        /// Whether clients may reach this machine's files through SQL. Default (from the
        /// command) false.
        var allowFileAccess: Bool
        var extensionDirectory: String
    }

    let settings: Settings
    private let logger: Logger = {
        var logger = Logger(label: "duckpool.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        return logger
    }()

    init(settings: Settings) { self.settings = settings }

    /// Serves until SIGTERM or SIGINT, then stops cleanly.
    ///
    /// - Throws: ``ServeFailure`` when the server cannot start (its message says why), or when
    ///   stopping fails (after every stop step has been tried).
    func run() throws {
        let started = ContinuousClock.now
        let signals = ShutdownSignal()
        defer { signals.restoreDefaults() }
        let token = try settings.tokenFile.map { (path) throws(ServeFailure) in try ServeToken.read(fromFile: path) }
        if let warning = token?.warning { logger.warning("\(warning)") }
        let portLock = try PortLock.acquire(port: settings.address.port)
        defer { portLock.release() }

        let server = try QuackServerProcess(path: settings.databasePath, readOnly: settings.readOnly, extensionDirectory: settings.extensionDirectory)
        try server.reportConnections(to: logger)
        try server.restrictClients(allowFileAccess: settings.allowFileAccess)
        let listening = try server.serve(on: settings.address, token: token?.value)
        if !settings.address.isLoopback {
            logger.warning("Quack speaks plain HTTP: the token and every result cross the network unencrypted; TLS needs a reverse proxy in front of \(listening.url)")
        }
        logger.info(
            "serving \(settings.databasePath)\(settings.readOnly ? " read-only" : "") on \(listening.uri) (\(listening.url))",
            metadata: ["duckpool.serve.startup": "\((ContinuousClock.now - started).formattedSeconds)"]
        )
        if token == nil { Self.printLine("token \(listening.token)") }
        Self.printLine("ready \(listening.uri)")

        let signal = signals.wait()
        signals.restoreDefaults()
        logger.info("received \(ChildExit.name(ofSignal: signal)); stopping")
        try stop(server, listening: listening)
    }

    /// `quack_stop`, `CHECKPOINT`, close. Every step runs even when an earlier one failed; the
    /// first failure is thrown.
    private func stop(_ server: QuackServerProcess, listening: QuackServerProcess.Listening) throws(ServeFailure) {
        let started = ContinuousClock.now
        let sessions = server.activeSessions(listening.uri)
        var failure: ServeFailure?
        do { try server.stopListening(listening.uri) } catch { failure = error }
        do { try server.checkpointAndClose() } catch { failure = failure ?? error }
        if let failure {
            logger.error("stopping failed", metadata: ["duckpool.error": "\(failure)"])
            throw failure
        }
        logger.info(
            "stopped serving \(settings.databasePath): listener closed\(settings.readOnly ? "" : ", checkpointed") and closed",
            metadata: [
                "duckpool.serve.stop": "\((ContinuousClock.now - started).formattedSeconds)",
                "duckpool.quack.sessions_open": "\(sessions.map(String.init) ?? "unknown")",
            ]
        )
    }

    /// One line on standard output, written at once (a pipe would otherwise buffer it).
    private static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
