import DuckDBKit
import Logging

/// One log line per Quack client connect, failed authentication and disconnect, taken from
/// DuckDB's own log: Quack records every message it handles when logging of type `Quack` is on.
///
/// ``start(on:using:logger:)`` registers a log storage on the served instance
/// (``Database/registerLogStorage(named:_:)``) and points Quack's log at it, so each entry
/// becomes a line (see ``QuackConnectionEvent``) on the DuckDB thread that writes it. Nothing is
/// kept in memory, though Quack logs every request with its SQL text, and no entry can be lost
/// between reads.
///
/// Lines: `quack client connected` (info), `quack authentication failed` (warning),
/// `quack connection refused` (warning, with `duckpool.quack.error`), and
/// `quack client disconnected` (info, with `duckpool.quack.session`). Quack's log names no
/// client address, so neither do the lines.
enum QuackConnectionLog {
    /// The name of the log storage on the served instance.
    static let storageName = "duckpool_quack_connections"

    /// Registers the storage on `database` and runs `CALL enable_logging('Quack', ...)` on
    /// `connection`, which needs the quack extension loaded.
    ///
    /// Thread-safety: call once per instance, on the connection's thread; lines are logged from
    /// DuckDB's threads through `logger` (swift-log handlers are thread-safe).
    ///
    /// - Throws: ``DuckDBError`` when the storage is registered already or DuckDB does not know
    ///   the log type (quack not loaded).
    static func start(on database: Database, using connection: Connection, logger: Logger) throws(DuckDBError) {
        try database.registerLogStorage(named: storageName) { entry in
            guard entry.type == "Quack", let event = QuackConnectionEvent(logMessage: entry.message) else { return }
            report(event, to: logger)
        }
        try connection.execute("CALL enable_logging('Quack', storage => '\(storageName)')")
    }

    static func report(_ event: QuackConnectionEvent, to logger: Logger) {
        switch event {
        case .connected:
            logger.info("quack client connected")
        case .authenticationFailed:
            logger.warning("quack authentication failed")
        case .refused(let error):
            logger.warning("quack connection refused", metadata: ["duckpool.quack.error": "\(error)"])
        case .disconnected(let session):
            logger.info("quack client disconnected", metadata: ["duckpool.quack.session": "\(session)"])
        }
    }
}
