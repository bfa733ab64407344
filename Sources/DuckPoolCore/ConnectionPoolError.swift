import DuckPoolSupport

/// The errors a ``ConnectionPool`` throws.
///
/// Switch on ``code`` to tell them apart; read the structured fields (``poolState``,
/// ``holders``, ``waited``, ``underlying``, ``field``, ``reason``, ...) for details. Two errors
/// are equal when their codes are equal and, for ``Code/invalidConfiguration``, their
/// ``field`` and ``reason`` are equal too; snapshots, durations and underlying errors are not
/// compared. A plain value: safe to share.
public struct ConnectionPoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of a ``ConnectionPoolError``, for `switch` and `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: Sendable, Hashable {
            case acquireTimeout
            case poolExhausted
            case poolClosed
            case invalidConfiguration
            case connectionFactoryFailing
            case connectionAttemptFailed
        }

        fileprivate let base: Base

        /// A request waited ``PoolConfiguration/acquireTimeout`` without getting a connection.
        public static let acquireTimeout = Code(base: .acquireTimeout)
        /// ``PoolConfiguration/maxWaiters`` requests were already waiting.
        public static let poolExhausted = Code(base: .poolExhausted)
        /// The pool is shutting down or shut down.
        public static let poolClosed = Code(base: .poolClosed)
        /// A configuration value makes no sense (see ``ConnectionPoolError/field``).
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The circuit breaker is open: the factory failed
        /// ``PoolConfiguration/circuitBreakerThreshold`` times in a row.
        public static let connectionFactoryFailing = Code(base: .connectionFactoryFailing)
        /// A request's acquire timeout passed while connection attempts were failing and the pool
        /// had no open connection at all (the cause is the factory, not the holders).
        public static let connectionAttemptFailed = Code(base: .connectionAttemptFailed)

        /// The name of the code, e.g. `"acquireTimeout"`.
        public var description: String {
            switch self.base {
            case .acquireTimeout: "acquireTimeout"
            case .poolExhausted: "poolExhausted"
            case .poolClosed: "poolClosed"
            case .invalidConfiguration: "invalidConfiguration"
            case .connectionFactoryFailing: "connectionFactoryFailing"
            case .connectionAttemptFailed: "connectionAttemptFailed"
            }
        }
    }

    // `indirect`: the payloads (a whole `PoolStatistics` for timeouts) live in a box, so the error
    // is one pointer wide and the actions and effects that carry it stay small and cheap to move.
    private indirect enum Base: Sendable {
        case acquireTimeout(waited: Duration, state: PoolStatistics)
        case poolExhausted(maxWaiters: Int)
        case poolClosed
        case invalidConfiguration(field: String, reason: String)
        case connectionFactoryFailing(underlying: any Error, consecutiveFailures: Int)
        case connectionAttemptFailed(underlying: any Error, waited: Duration?, state: PoolStatistics?)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    // MARK: Making errors

    /// A request waited `waited` without getting a connection; `state` is the pool at that moment
    /// (who holds the connections, and since when).
    public static func acquireTimeout(waited: Duration, state: PoolStatistics) -> Self {
        Self(.acquireTimeout(waited: waited, state: state))
    }

    /// `maxWaiters` requests were already waiting.
    public static func poolExhausted(maxWaiters: Int) -> Self {
        Self(.poolExhausted(maxWaiters: maxWaiters))
    }

    /// The pool is shutting down or shut down.
    public static var poolClosed: Self { Self(.poolClosed) }

    /// The configuration property `field` is wrong because of `reason`.
    public static func invalidConfiguration(field: String, reason: String) -> Self {
        Self(.invalidConfiguration(field: field, reason: reason))
    }

    /// The circuit breaker is open after `consecutiveFailures` failed attempts, the last of which
    /// threw `underlying`.
    public static func connectionFactoryFailing(underlying: any Error, consecutiveFailures: Int) -> Self {
        Self(.connectionFactoryFailing(underlying: underlying, consecutiveFailures: consecutiveFailures))
    }

    /// Connection attempts failed (the last with `underlying`) and a request gave up after
    /// `waited`; `state` is the pool at that moment.
    public static func connectionAttemptFailed(
        underlying: any Error,
        waited: Duration? = nil,
        state: PoolStatistics? = nil
    ) -> Self {
        Self(.connectionAttemptFailed(underlying: underlying, waited: waited, state: state))
    }

    // MARK: Reading errors

    /// The kind of error.
    public var code: Code {
        switch self.base {
        case .acquireTimeout: .acquireTimeout
        case .poolExhausted: .poolExhausted
        case .poolClosed: .poolClosed
        case .invalidConfiguration: .invalidConfiguration
        case .connectionFactoryFailing: .connectionFactoryFailing
        case .connectionAttemptFailed: .connectionAttemptFailed
        }
    }

    /// The pool's state when a request timed out (``Code/acquireTimeout`` and, when known,
    /// ``Code/connectionAttemptFailed``); `nil` otherwise.
    public var poolState: PoolStatistics? {
        switch self.base {
        case .acquireTimeout(_, let state): state
        case .connectionAttemptFailed(_, _, let state): state
        default: nil
        }
    }

    /// Who held the connections when a request timed out, longest-held first; empty for other
    /// codes.
    public var holders: [LeaseHolder] {
        self.poolState?.holders ?? []
    }

    /// How long the failed request waited (timeouts only).
    public var waited: Duration? {
        switch self.base {
        case .acquireTimeout(let waited, _): waited
        case .connectionAttemptFailed(_, let waited, _): waited
        default: nil
        }
    }

    /// The factory's error (``Code/connectionFactoryFailing`` and ``Code/connectionAttemptFailed``).
    public var underlying: (any Error)? {
        switch self.base {
        case .connectionFactoryFailing(let underlying, _): underlying
        case .connectionAttemptFailed(let underlying, _, _): underlying
        default: nil
        }
    }

    /// The number of consecutive failed connection attempts (``Code/connectionFactoryFailing``).
    public var consecutiveFailures: Int? {
        if case .connectionFactoryFailing(_, let count) = self.base { return count }
        return nil
    }

    /// The configured limit of waiting requests (``Code/poolExhausted``).
    public var maxWaiters: Int? {
        if case .poolExhausted(let maxWaiters) = self.base { return maxWaiters }
        return nil
    }

    /// The offending configuration property, e.g. `"maximumConnections"`
    /// (``Code/invalidConfiguration``).
    public var field: String? {
        if case .invalidConfiguration(let field, _) = self.base { return field }
        return nil
    }

    /// What is wrong with ``field`` (``Code/invalidConfiguration``).
    public var reason: String? {
        if case .invalidConfiguration(_, let reason) = self.base { return reason }
        return nil
    }

    /// A sentence for logs; for timeouts it lists the pool state and the holders with their
    /// source location and how long they have held their connection.
    public var description: String {
        switch self.base {
        case .acquireTimeout(let waited, let state):
            return "Timed out after \(waited.formattedSeconds) waiting for a connection: \(state)"
        case .poolExhausted(let maxWaiters):
            return "Pool exhausted: \(maxWaiters) requests are already waiting (maxWaiters)"
        case .poolClosed:
            return "The pool is shut down or shutting down"
        case .invalidConfiguration(let field, let reason):
            return "Invalid pool configuration: \(field) \(reason)"
        case .connectionFactoryFailing(let underlying, let count):
            return "The connection factory is failing (\(count) consecutive failures, circuit breaker open): \(underlying)"
        case .connectionAttemptFailed(let underlying, let waited, let state):
            var text = "Connection attempts failed"
            if let waited { text += " while the request waited \(waited.formattedSeconds)" }
            text += ": \(underlying)"
            if let state { text += " (\(state.summary))" }
            return text
        }
    }

    /// Equal codes (and, for invalid configurations, equal field and reason).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.field == rhs.field && lhs.reason == rhs.reason
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.field)
        hasher.combine(self.reason)
    }
}
