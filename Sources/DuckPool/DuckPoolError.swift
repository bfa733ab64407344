public import DuckPoolCore
import DuckPoolSupport

/// The pool's own failures: a call that got no connection in time, ran past its deadline, kept
/// conflicting, or hit a closed or misconfigured pool.
///
/// DuckDB's failures stay ``DuckDBKit/DuckDBError``s; a cancelled task gets `CancellationError`.
/// Switch on ``code`` (compare with `==`; more codes may come, so keep a `default:`), and read
/// the structured fields for details: who held the connections when an acquire timed out
/// (``holders``), how many attempts a transaction made (``attempts``), the DuckDB error behind a
/// failure (``underlying``).
///
/// ```swift
/// do {
///     try await pool.execute("UPDATE stock_kline SET close = close * 1.1", deadline: .after(.seconds(2)))
/// } catch let error as DuckPoolError where error.code == .timedOut {
///     // answer 503; error.phase says whether it was still waiting for a connection
/// }
/// ```
///
/// A plain value: safe to share and log (bound parameters never appear in it).
public struct DuckPoolError: Error, Sendable, CustomStringConvertible {
    /// The kinds of pool failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case acquireTimeout, poolExhausted, poolClosed, nestedAcquisition, invalidConfiguration
            case configurationConflict, connectionFailed, timedOut, transactionConflict, databaseUnavailable
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// No connection became free within ``PoolConfiguration/acquireTimeout``. ``holders``
        /// names who held them.
        public static let acquireTimeout = Code(.acquireTimeout)
        /// ``PoolConfiguration/maxWaiters`` requests were already waiting.
        public static let poolExhausted = Code(.poolExhausted)
        /// The pool is closed or closing.
        public static let poolClosed = Code(.poolClosed)
        /// A thread that already holds a connection of the pool asked it for another, with
        /// ``DuckPoolConfiguration/nestedAcquisition`` set to fail.
        public static let nestedAcquisition = Code(.nestedAcquisition)
        /// A configuration value is invalid (``field`` names it).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A pool for the same database is already open with another configuration.
        public static let configurationConflict = Code(.configurationConflict)
        /// New connections cannot be made: DuckDB's error is ``underlying``.
        public static let connectionFailed = Code(.connectionFailed)
        /// The call's `timeout:` or `deadline:` passed (``phase`` says while waiting or while
        /// working); a running query was interrupted.
        public static let timedOut = Code(.timedOut)
        /// A transaction kept conflicting until its ``RetryPolicy`` had no attempt left
        /// (``attempts`` says how many it made).
        public static let transactionConflict = Code(.transactionConflict)
        /// The database was invalidated by a fatal DuckDB error and is being reopened, or could
        /// not be reopened (``DuckPoolStatus/database`` tells which).
        public static let databaseUnavailable = Code(.databaseUnavailable)
    }

    /// Where a call was when its deadline passed.
    public enum Phase: Sendable, Hashable {
        /// Waiting for a connection.
        case waiting
        /// Running on its connection.
        case working
    }

    /// The kind of failure.
    public let code: Code
    /// A sentence for people and logs.
    public let message: String
    /// Who held the connections when an acquire or a deadline ran out while waiting, longest-held
    /// first, with the file and line that acquired each; empty otherwise.
    public let holders: [LeaseHolder]
    /// The pool's state at that moment, for acquire timeouts.
    public let poolState: PoolStatistics?
    /// How long the call waited for a connection, for acquire timeouts.
    public let waited: Duration?
    /// For ``Code/timedOut``: whether the call was waiting or working.
    public let phase: Phase?
    /// For ``Code/transactionConflict``: attempts made, the first included.
    public let attempts: Int?
    /// For ``Code/invalidConfiguration``: the offending property, e.g. `"maximumConnections"`.
    public let field: String?
    /// The error behind this one: DuckDB's conflict, the connection factory's failure.
    public let underlying: (any Error)?
    /// The SQL that was interrupted or conflicted, when known.
    public let sql: String?

    init(
        code: Code, message: String, holders: [LeaseHolder] = [], poolState: PoolStatistics? = nil,
        waited: Duration? = nil, phase: Phase? = nil, attempts: Int? = nil, field: String? = nil,
        underlying: (any Error)? = nil, sql: String? = nil
    ) {
        self.code = code
        self.message = message
        self.holders = holders
        self.poolState = poolState
        self.waited = waited
        self.phase = phase
        self.attempts = attempts
        self.field = field
        self.underlying = underlying
        self.sql = sql
    }

    public var description: String {
        var text = "DuckPoolError.\(code): \(message)"
        if let sql { text += " [sql: \(sql.count > 200 ? String(sql.prefix(200)) + "…" : sql)]" }
        return text
    }
}

extension DuckPoolError {
    /// The facade's view of the core's errors; structured fields carry over.
    init(_ error: ConnectionPoolError) {
        switch error.code {
        case .acquireTimeout:
            self.init(code: .acquireTimeout, message: error.description, holders: error.holders, poolState: error.poolState, waited: error.waited)
        case .poolExhausted:
            self.init(code: .poolExhausted, message: error.description)
        case .poolClosed:
            self.init(code: .poolClosed, message: error.description)
        case .invalidConfiguration:
            self.init(code: .invalidConfiguration, message: error.description, field: error.field)
        default: // connectionFactoryFailing, connectionAttemptFailed
            if let poolError = error.underlying as? DuckPoolError {
                self = poolError // the factory's own failure (a database that cannot be reopened)
                return
            }
            self.init(code: .connectionFailed, message: error.description, poolState: error.poolState, waited: error.waited, underlying: error.underlying)
        }
    }

    static func invalidConfiguration(field: String, _ reason: String) -> DuckPoolError {
        DuckPoolError(code: .invalidConfiguration, message: "Invalid pool configuration: \(field) \(reason)", field: field)
    }

    static func closed(_ what: String) -> DuckPoolError {
        DuckPoolError(code: .poolClosed, message: "the \(what) is closed")
    }
}
