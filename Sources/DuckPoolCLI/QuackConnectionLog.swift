import DuckDBKit
import Logging

/// One log line per Quack client connect, failed authentication and disconnect, read from
/// DuckDB's own log: Quack records every message it handles when logging of type `Quack` is on,
/// and ``poll()`` reads the rows added since the last poll (see ``QuackConnectionEvent``).
///
/// Lines: `quack client connected` (info), `quack authentication failed` (warning),
/// `quack connection refused` (warning, with `duckpool.quack.error`), and
/// `quack client disconnected` (info, with `duckpool.quack.session`). Quack's log names no
/// client address, so neither do the lines.
///
/// Memory: DuckDB keeps the log in memory and Quack logs every request, SQL text included. Once
/// ``retainRows`` rows have been read, ``poll()`` empties the log (`truncate_duckdb_logs()`). A
/// row that DuckDB adds between that poll's read and the truncation, a window of one statement,
/// is lost without a line.
///
/// Thread-safety: not `Sendable`; it owns its `Connection` and is used on one thread.
final class QuackConnectionLog {
    /// Rows read before the log is emptied. Default 10,000.
    let retainRows: Int

    private let connection: Connection
    private let logger: Logger
    private var rowsRead = 0

    private static let countRows = "SELECT count(*) FROM duckdb_logs() WHERE type = 'Quack'"
    // The raw log table, scanned in the order rows were added; the denormalized `duckdb_logs`
    // view joins and sorts, which this does not need.
    private static let readRows = """
        SELECT m.message_type, m.quack_connection_id, m.response_type, m.error
        FROM (SELECT parse_duckdb_log_message('Quack', message) AS m FROM duckdb_logs() WHERE type = 'Quack' LIMIT ? OFFSET ?)
        """

    /// Turns on DuckDB's logging of type `Quack` for the whole database instance (`CALL
    /// enable_logging('Quack')`), which needs the quack extension loaded, and takes `connection`
    /// for its polls.
    ///
    /// - Throws: ``DuckDBError`` when DuckDB does not know the log type (quack not loaded).
    init(connection: Connection, logger: Logger, retainRows: Int = 10_000) throws(DuckDBError) {
        precondition(retainRows > 0, "retainRows must be positive")
        self.connection = connection
        self.logger = logger
        self.retainRows = retainRows
        try connection.execute("CALL enable_logging('Quack')")
    }

    /// Logs a line for every event recorded since the last poll and returns the events.
    ///
    /// - Throws: ``DuckDBError`` when DuckDB fails to read or truncate its log; the rows not
    ///   reported are reported by the next successful poll.
    @discardableResult
    func poll() throws(DuckDBError) -> [QuackConnectionEvent] {
        guard case .int(let total)? = try connection.query(Self.countRows).scalar() else { return [] }
        if total < rowsRead { rowsRead = 0 } // emptied by someone else
        guard total > rowsRead else { return [] }
        let rows = try connection.query(Self.readRows, [Int(total) - rowsRead, rowsRead]).rows()
        rowsRead += rows.count
        let events = rows.compactMap { row in
            QuackConnectionEvent(messageType: Self.text(row[0]), session: Self.text(row[1]), responseType: Self.text(row[2]), error: Self.text(row[3]))
        }
        for event in events { report(event) }
        if rowsRead >= retainRows {
            try connection.execute("CALL truncate_duckdb_logs()")
            logger.debug("emptied DuckDB's Quack log", metadata: ["duckpool.quack.rows": "\(rowsRead)"])
            rowsRead = 0
        }
        return events
    }

    /// Closes the log's connection. Idempotent.
    func close() { connection.close() }

    private func report(_ event: QuackConnectionEvent) {
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

    private static func text(_ value: DuckDBValue) -> String? {
        if case .string(let text) = value { text } else { nil }
    }
}
