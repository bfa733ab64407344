/// A consistent snapshot of a pool's state and counters, taken under the pool's lock.
///
/// Returned by ``ConnectionPool/statistics`` and carried by
/// ``ConnectionPoolError/Code/acquireTimeout`` errors. A plain value: safe to keep and share.
public struct PoolStatistics: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the pool is in its life.
    public enum Lifecycle: String, Sendable, Hashable, Codable {
        /// Serving requests.
        case running
        /// ``ConnectionPool/shutdown(gracePeriod:)`` (or cancellation of ``ConnectionPool/run()``)
        /// started; waiting for leased connections to come back.
        case shuttingDown
        /// Every connection is closed; ``ConnectionPool/run()`` returns.
        case shutDown
    }

    /// Open connections plus connections being opened (idle + inUse + connecting).
    public var size: Int
    /// Connections currently leased.
    public var inUse: Int
    /// Open connections waiting to be leased.
    public var idle: Int
    /// Connection attempts in progress.
    public var connecting: Int
    /// Connections the pool decided to close whose ``ConnectionFactory/close(_:)`` has not
    /// finished yet (not part of ``size``).
    public var closing: Int
    /// Leased connections beyond ``minimumConnections``: `max(0, inUse - minimumConnections)`.
    public var overflowInUse: Int
    /// Requests waiting for a connection.
    public var waiters: Int
    /// The current ``PoolConfiguration/minimumConnections``.
    public var minimumConnections: Int
    /// The current ``PoolConfiguration/maximumConnections``.
    public var maximumConnections: Int
    /// Connections opened successfully since the pool was created.
    public var totalCreated: Int
    /// Connections the pool decided to close since it was created (whatever the reason).
    public var totalClosed: Int
    /// Connections closed because they reached ``PoolConfiguration/maxLifetime``.
    public var totalRecycled: Int
    /// Requests that failed because their acquire timeout passed.
    public var totalTimedOut: Int
    /// Connections closed because ``ConnectionFactory/validate(_:)`` returned `false`.
    public var totalFailedValidation: Int
    /// Failed connection attempts (every one, including those that did not count towards the
    /// circuit breaker).
    public var totalConnectFailures: Int
    /// Consecutive failed connection attempts counted for backoff and circuit breaker; `0` once an
    /// attempt succeeds.
    public var consecutiveConnectFailures: Int
    /// Whether the circuit breaker is open (requests that would have to wait fail fast).
    public var isCircuitBreakerOpen: Bool
    /// The pool's lifecycle state.
    public var lifecycle: Lifecycle
    /// Every current lease, longest-held first.
    public var holders: [LeaseHolder]
    /// When the snapshot was taken, as time since the pool was created (pool clock).
    public var capturedAt: Duration

    /// Creates a snapshot (the pool does this; public for tests and for facades that aggregate).
    public init(
        size: Int = 0,
        inUse: Int = 0,
        idle: Int = 0,
        connecting: Int = 0,
        closing: Int = 0,
        overflowInUse: Int = 0,
        waiters: Int = 0,
        minimumConnections: Int = 0,
        maximumConnections: Int = 0,
        totalCreated: Int = 0,
        totalClosed: Int = 0,
        totalRecycled: Int = 0,
        totalTimedOut: Int = 0,
        totalFailedValidation: Int = 0,
        totalConnectFailures: Int = 0,
        consecutiveConnectFailures: Int = 0,
        isCircuitBreakerOpen: Bool = false,
        lifecycle: Lifecycle = .running,
        holders: [LeaseHolder] = [],
        capturedAt: Duration = .zero
    ) {
        self.size = size
        self.inUse = inUse
        self.idle = idle
        self.connecting = connecting
        self.closing = closing
        self.overflowInUse = overflowInUse
        self.waiters = waiters
        self.minimumConnections = minimumConnections
        self.maximumConnections = maximumConnections
        self.totalCreated = totalCreated
        self.totalClosed = totalClosed
        self.totalRecycled = totalRecycled
        self.totalTimedOut = totalTimedOut
        self.totalFailedValidation = totalFailedValidation
        self.totalConnectFailures = totalConnectFailures
        self.consecutiveConnectFailures = consecutiveConnectFailures
        self.isCircuitBreakerOpen = isCircuitBreakerOpen
        self.lifecycle = lifecycle
        self.holders = holders
        self.capturedAt = capturedAt
    }

    /// `inUse / maximumConnections` (0 when the maximum is 0): 0.8 and 0.9 are the usual warning
    /// thresholds.
    public var utilization: Double {
        self.maximumConnections > 0 ? Double(self.inUse) / Double(self.maximumConnections) : 0
    }

    /// Holders that have held their connection for at least `threshold` (leak suspects),
    /// longest-held first.
    public func holders(heldAtLeast threshold: Duration) -> [LeaseHolder] {
        self.holders.filter { $0.heldFor >= threshold }
    }

    /// One line: `size 15/15, 15 in use (10 overflow), 0 idle, 0 connecting, 3 waiting`.
    public var summary: String {
        "size \(self.size)/\(self.maximumConnections), \(self.inUse) in use (\(self.overflowInUse) overflow), "
            + "\(self.idle) idle, \(self.connecting) connecting, \(self.waiters) waiting"
    }

    /// The ``summary`` followed by the holders, longest-held first (at most 20 listed).
    public var description: String {
        var text = self.summary
        guard !self.holders.isEmpty else { return text }
        text += "; holders (longest first): "
        text += self.holders.prefix(20).map(\.description).joined(separator: "; ")
        if self.holders.count > 20 {
            text += "; … and \(self.holders.count - 20) more"
        }
        return text
    }
}
