internal import CDuckDB

/// The one error type thrown by DuckDBKit: DuckDB's failures, and misuse of the wrapper.
///
/// A `DuckDBError` carries a ``Code`` that callers switch on, DuckDB's own message, and, where
/// known, the SQL that failed. Bound parameter values are never stored, so errors are safe to log.
///
/// ```swift
/// do { try connection.execute("INSERT INTO stock_kline VALUES (...)") }
/// catch let error as DuckDBError where error.code == .constraint { ... }
/// ```
///
/// New codes can be added without breaking callers: ``Code`` is a struct with static members, so a
/// `switch` over it always has a `default:` branch.
public struct DuckDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Switch on it; compare with `==`.
    public let code: Code
    /// DuckDB's message (or DuckDBKit's, for misuse).
    public let message: String
    /// The SQL text that failed, when the failure belongs to a statement.
    public let sql: String?
    /// DuckDB's raw `duckdb_error_type` value, when DuckDB reported one.
    public let duckDBErrorType: Int?

    /// Creates an error. Library users rarely need this; it is public for test doubles.
    public init(code: Code, message: String, sql: String? = nil, duckDBErrorType: Int? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.duckDBErrorType = duckDBErrorType
    }

    /// For ``Code/fileLocked``: the process id that DuckDB names as the lock holder, if any.
    public var lockHolderPID: Int32? {
        guard code == .fileLocked else { return nil }
        return Self.parsePID(in: message)
    }

    public var description: String {
        var text = "DuckDBError.\(code): \(message)"
        if let sql { text += " [sql: \(sql.count > 200 ? String(sql.prefix(200)) + "…" : sql)]" }
        return text
    }

    private static func parsePID(in message: String) -> Int32? {
        // DuckDB 1.x: "... Conflicting lock is held in /usr/bin/python3 (PID 12345) by user ..."
        guard let range = message.range(of: "(PID ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return Int32(digits)
    }
}

extension DuckDBError {
    /// The kinds of failure. Compare with `==` or `switch`; more may be added in later versions.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case parser, binder, constraint, conversion, transactionConflict, transaction
            case interrupted, io, fileLocked, invalidated, outOfMemory, invalidInput
            case permission, notImplemented, configurationConflict, misuse, accessRevoked
            case concurrentUse, connectionFailed, extensionMissing, connectionRefused, authenticationFailed, remote, other
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// The SQL could not be parsed (DuckDB parser or syntax error).
        public static let parser = Code(.parser)
        /// A name did not resolve or a statement could not be bound: unknown table or column,
        /// wrong parameter count or type (DuckDB binder, catalog, planner and parameter errors).
        public static let binder = Code(.binder)
        /// A constraint was violated: primary key, unique, not null, check, foreign key.
        public static let constraint = Code(.constraint)
        /// A value could not be converted: bad cast, out of range, overflow, division by zero,
        /// or a column read as a Swift type it does not hold.
        public static let conversion = Code(.conversion)
        /// An optimistic-concurrency conflict between transactions ("Conflict on update"). Retry
        /// the whole transaction.
        public static let transactionConflict = Code(.transactionConflict)
        /// Any other transaction-state error, for example COMMIT with no transaction open.
        public static let transaction = Code(.transaction)
        /// The statement was interrupted (``InterruptHandle/interrupt()``): by its caller, a
        /// deadline, a cancellation, or a shutdown.
        public static let interrupted = Code(.interrupted)
        /// An I/O error: a missing directory, a corrupt or unreadable file, a full disk.
        public static let io = Code(.io)
        /// Another process holds the database file's lock. See ``DuckDBError/lockHolderPID``.
        public static let fileLocked = Code(.fileLocked)
        /// DuckDB hit a fatal or internal error and invalidated the database instance. The whole
        /// database must be closed and reopened.
        public static let invalidated = Code(.invalidated)
        /// DuckDB ran out of memory (see the `memory_limit` option).
        public static let outOfMemory = Code(.outOfMemory)
        /// DuckDB rejected an input value or option. DuckDB also reports a write on a read-only
        /// database this way ("Cannot execute statement of type INSERT ... in read-only mode").
        public static let invalidInput = Code(.invalidInput)
        /// DuckDB's configuration forbids the operation, for example reading a file after
        /// `SET enable_external_access = false`.
        public static let permission = Code(.permission)
        /// DuckDB does not implement the requested feature.
        public static let notImplemented = Code(.notImplemented)
        /// The file is already open in this process with a different configuration.
        public static let configurationConflict = Code(.configurationConflict)
        /// The API was misused: a closed database or connection, a finished statement.
        public static let misuse = Code(.misuse)
        /// The connection's owner revoked access to it: for example a pooled connection used after
        /// the closure that received it returned.
        public static let accessRevoked = Code(.accessRevoked)
        /// One connection was used from two threads at once. DuckDB connections are not
        /// thread-safe; DuckDBKit refuses the second caller instead of crashing.
        public static let concurrentUse = Code(.concurrentUse)
        /// DuckDB could not open a connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// A DuckDB extension that the statement needs (quack, ducklake, parquet, ...) is not
        /// installed in the configured extension directory, or could not be loaded from it. The
        /// message names the install command (``ExtensionDirectory/installCommand``).
        public static let extensionMissing = Code(.extensionMissing)
        /// A remote server an attached database needs (a Quack server, a DuckLake's PostgreSQL
        /// catalog) is down, refused the connection, or died mid-request.
        public static let connectionRefused = Code(.connectionRefused)
        /// A remote server refused the credentials (a Quack server and a wrong token).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A remote server answered with an error about the session itself (for example a Quack
        /// server that restarted and no longer knows the connection): reconnect.
        public static let remote = Code(.remote)
        /// Any other DuckDB error; see ``DuckDBError/duckDBErrorType``.
        public static let other = Code(.other)
    }
}

extension DuckDBError {
    static func misuse(_ message: String, sql: String? = nil) -> DuckDBError {
        DuckDBError(code: .misuse, message: message, sql: sql)
    }

    /// Maps DuckDB's error type and message onto a ``Code``.
    init(errorType: duckdb_error_type, message: String, sql: String?) {
        var code = Self.code(for: errorType, message: message)
        if code == .other {
            // Some paths report no (or a generic) type; DuckDB's message prefix still names it.
            code = Self.code(for: Self.errorType(fromMessage: message), message: message)
        }
        self.init(
            code: code,
            message: code == .extensionMissing ? message + ExtensionDirectory.installHint : message,
            sql: sql,
            duckDBErrorType: Int(errorType.rawValue)
        )
    }

    static func code(for errorType: duckdb_error_type, message: String) -> Code {
        // Invalidation is reported with several types; the message is the reliable sign.
        if message.contains("database has been invalidated") { return .invalidated }
        if let remote = remoteCode(for: message) { return remote }
        // Autoload off, or an extension DuckDB cannot autoload: a catalog error that names it.
        if message.contains("is not in the catalog, but it exists in the") { return .extensionMissing }
        switch errorType {
        case DUCKDB_ERROR_MISSING_EXTENSION, DUCKDB_ERROR_AUTOLOAD:
            return .extensionMissing
        case DUCKDB_ERROR_PARSER, DUCKDB_ERROR_SYNTAX:
            return .parser
        case DUCKDB_ERROR_BINDER, DUCKDB_ERROR_CATALOG, DUCKDB_ERROR_PLANNER, DUCKDB_ERROR_DEPENDENCY,
             DUCKDB_ERROR_PARAMETER_NOT_RESOLVED, DUCKDB_ERROR_PARAMETER_NOT_ALLOWED, DUCKDB_ERROR_EXPRESSION:
            return .binder
        case DUCKDB_ERROR_CONSTRAINT:
            return .constraint
        case DUCKDB_ERROR_CONVERSION, DUCKDB_ERROR_OUT_OF_RANGE, DUCKDB_ERROR_MISMATCH_TYPE,
             DUCKDB_ERROR_INVALID_TYPE, DUCKDB_ERROR_DECIMAL, DUCKDB_ERROR_DIVIDE_BY_ZERO:
            return .conversion
        case DUCKDB_ERROR_TRANSACTION:
            // Commit-time failures arrive as transaction errors; name their real cause.
            if message.contains("constraint violation") { return .constraint }
            // DuckLake: another process committed first (its snapshot ids collided, or it
            // changed what this transaction changed); the whole transaction may be retried.
            if message.contains("Failed to commit DuckLake transaction") { return .transactionConflict }
            return message.localizedCaseInsensitiveContainsConflict ? .transactionConflict : .transaction
        case DUCKDB_ERROR_INTERRUPT:
            return .interrupted
        case DUCKDB_ERROR_IO:
            if message.contains(".duckdb_extension\" not found") { return .extensionMissing }   // LOAD x
            return message.contains("Could not set lock on file") ? .fileLocked : .io
        case DUCKDB_ERROR_FATAL, DUCKDB_ERROR_INTERNAL:
            return .invalidated
        case DUCKDB_ERROR_OUT_OF_MEMORY:
            return .outOfMemory
        case DUCKDB_ERROR_INVALID_INPUT:
            if message.contains("different configuration") { return .configurationConflict }
            // The Appender reports failed casts as invalid input.
            if message.contains("can't be cast") || message.contains("Could not convert") { return .conversion }
            return .invalidInput
        case DUCKDB_ERROR_PERMISSION:
            return .permission
        case DUCKDB_ERROR_NOT_IMPLEMENTED:
            return .notImplemented
        case DUCKDB_ERROR_CONNECTION:
            return .connectionFailed
        default:
            return .other
        }
    }
}

extension String {
    fileprivate var localizedCaseInsensitiveContainsConflict: Bool {
        lowercased().contains("conflict")
    }
}

extension DuckDBError {
    /// DuckDB names the exception type at the start of its messages ("Binder Error: ...").
    /// Used where the C API reports a message without a type (prepare, pending, extract).
    static func errorType(fromMessage message: String) -> duckdb_error_type {
        guard let colon = message.range(of: " Error:") else { return DUCKDB_ERROR_INVALID }
        switch message[..<colon.lowerBound] {
        case "Parser": return DUCKDB_ERROR_PARSER
        case "Syntax": return DUCKDB_ERROR_SYNTAX
        case "Binder": return DUCKDB_ERROR_BINDER
        case "Catalog": return DUCKDB_ERROR_CATALOG
        case "Planner": return DUCKDB_ERROR_PLANNER
        case "Dependency": return DUCKDB_ERROR_DEPENDENCY
        case "Constraint": return DUCKDB_ERROR_CONSTRAINT
        case "Conversion": return DUCKDB_ERROR_CONVERSION
        case "Out of Range": return DUCKDB_ERROR_OUT_OF_RANGE
        case "Mismatch Type": return DUCKDB_ERROR_MISMATCH_TYPE
        case "Invalid Type": return DUCKDB_ERROR_INVALID_TYPE
        case "TransactionContext", "Transaction": return DUCKDB_ERROR_TRANSACTION
        case "Interrupt", "INTERRUPT": return DUCKDB_ERROR_INTERRUPT
        case "IO": return DUCKDB_ERROR_IO
        case "FATAL": return DUCKDB_ERROR_FATAL
        case "INTERNAL": return DUCKDB_ERROR_INTERNAL
        case "Out of Memory": return DUCKDB_ERROR_OUT_OF_MEMORY
        case "Invalid Input": return DUCKDB_ERROR_INVALID_INPUT
        case "Permission": return DUCKDB_ERROR_PERMISSION
        case "Not implemented": return DUCKDB_ERROR_NOT_IMPLEMENTED
        case "Missing Extension": return DUCKDB_ERROR_MISSING_EXTENSION
        case "Extension Autoloading": return DUCKDB_ERROR_AUTOLOAD
        case "Parameter Not Resolved": return DUCKDB_ERROR_PARAMETER_NOT_RESOLVED
        case "Parameter Not Allowed": return DUCKDB_ERROR_PARAMETER_NOT_ALLOWED
        default: return DUCKDB_ERROR_INVALID
        }
    }
}
