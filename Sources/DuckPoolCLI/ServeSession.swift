import DuckPoolSupport
import Foundation
import Logging

/// The life of one `duckpool serve` process, run on one thread from start to stop:
///
/// 1. catch SIGTERM and SIGINT; read the token file; take the port's lock file (``PortLock``);
/// 2. open the database and load httpfs and quack (``QuackServerProcess``); turn on Quack's log
///    (``QuackConnectionLog``) on a second connection; keep clients away from this machine's
///    files and lock DuckDB's configuration; `quack_serve`;
/// 3. print `token TOKEN` (with `--insecure`) and `ready quack:HOST:PORT` on standard output;
/// 4. poll Quack's log every `logPollInterval` until a signal comes;
/// 5. `quack_stop`, a last poll, `CHECKPOINT`, close; return (the process exits 0).
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
        /// How often Quack's log is read. Default (from the command) 200 ms.
        var logPollInterval: Duration
        /// Rows of Quack's log read before it is emptied. Default (from the command) 10,000.
        var logRetainRows: Int
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
        let logConnection = try server.connect()
        let connectionLog: QuackConnectionLog
        do {
            connectionLog = try QuackConnectionLog(connection: logConnection, logger: logger, retainRows: settings.logRetainRows)
        } catch {
            throw ServeFailure.duckDB("enable_logging('Quack')", error)
        }
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

        let signal = watch(connectionLog, until: signals)
        signals.restoreDefaults()
        logger.info("received \(ChildExit.name(ofSignal: signal)); stopping")
        try stop(server, connectionLog, listening: listening)
    }

    /// Polls the log until a signal comes; returns the signal's number.
    private func watch(_ connectionLog: QuackConnectionLog, until signals: ShutdownSignal) -> Int32 {
        var failing = false
        while true {
            if let signal = signals.wait(timeout: settings.logPollInterval) { return signal }
            failing = poll(connectionLog, failing: failing)
        }
    }

    /// One poll; a failure is logged once per run of failures. Returns whether this poll failed.
    private func poll(_ connectionLog: QuackConnectionLog, failing: Bool) -> Bool {
        do {
            try connectionLog.poll()
            return false
        } catch {
            if !failing { logger.warning("cannot read Quack's log; connect and authentication lines are missing until it works again", metadata: ["duckpool.error": "\(error.message)"]) }
            return true
        }
    }

    /// `quack_stop`, a last poll (which reports the sessions the stop ended), `CHECKPOINT`,
    /// close. Every step runs even when an earlier one failed; the first failure is thrown.
    private func stop(_ server: QuackServerProcess, _ connectionLog: QuackConnectionLog, listening: QuackServerProcess.Listening) throws(ServeFailure) {
        let started = ContinuousClock.now
        let sessions = server.activeSessions(listening.uri)
        var failure: ServeFailure?
        do { try server.stopListening(listening.uri) } catch { failure = error }
        _ = poll(connectionLog, failing: false)
        connectionLog.close()
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
