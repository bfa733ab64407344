/// Receives the events of a ``ConnectionPool``, to turn them into logs and metrics.
///
/// Every method has an empty default implementation, so an observer implements only what it
/// needs. Methods are called synchronously, outside the pool's lock, from whichever task or
/// thread caused the event (leasing and releasing callers, or the pool's background tasks), often
/// concurrently: implementations must be thread-safe, fast and must not call back into the pool
/// in a way that blocks. Events of one connection can arrive out of order when they happen on
/// different threads at nearly the same time (for example `leaseReleased` of one holder and
/// `leaseAcquired` of the next).
public protocol PoolObserver: Sendable {
    /// A connection was opened successfully (reported after the pool took it over, so it may
    /// already be leased).
    func connectionCreated(id: ConnectionID)

    /// ``ConnectionFactory/close(_:)`` finished for a connection.
    func connectionClosed(id: ConnectionID, reason: ConnectionCloseReason)

    /// A connection attempt failed.
    ///
    /// - Parameters:
    ///   - error: What the factory threw.
    ///   - consecutiveFailures: The failures counted in a row so far (see
    ///     ``PoolConfiguration/connectRetry``).
    ///   - nextRetryIn: How long until the next attempt (`nil` while the pool is shutting down).
    ///   - circuitBreakerOpen: Whether the circuit breaker is open after this failure.
    func connectFailed(error: any Error, consecutiveFailures: Int, nextRetryIn: Duration?, circuitBreakerOpen: Bool)

    /// A request received a connection (after validation, when enabled).
    ///
    /// - Parameters:
    ///   - connectionID: The connection handed out.
    ///   - waited: How long the request waited (`.zero` when an idle connection was ready).
    func leaseAcquired(connectionID: ConnectionID, waited: Duration)

    /// A holder returned its connection.
    ///
    /// - Parameters:
    ///   - connectionID: The connection returned.
    ///   - heldFor: How long it was held.
    func leaseReleased(connectionID: ConnectionID, heldFor: Duration)

    /// A request failed because its acquire timeout passed. `error` carries the pool state and the
    /// holders (``ConnectionPoolError/poolState``, ``ConnectionPoolError/holders``).
    func requestTimedOut(error: ConnectionPoolError)

    /// The number of leased connections or the pool size changed.
    ///
    /// - Parameters:
    ///   - inUse: Leased connections.
    ///   - size: Open connections plus those being opened.
    ///   - minimum: The current ``PoolConfiguration/minimumConnections`` (the kept size).
    ///   - maximum: The current ``PoolConfiguration/maximumConnections``.
    func utilizationChanged(inUse: Int, size: Int, minimum: Int, maximum: Int)
}

extension PoolObserver {
    /// Default: ignored.
    public func connectionCreated(id: ConnectionID) {}
    /// Default: ignored.
    public func connectionClosed(id: ConnectionID, reason: ConnectionCloseReason) {}
    /// Default: ignored.
    public func connectFailed(error: any Error, consecutiveFailures: Int, nextRetryIn: Duration?, circuitBreakerOpen: Bool) {}
    /// Default: ignored.
    public func leaseAcquired(connectionID: ConnectionID, waited: Duration) {}
    /// Default: ignored.
    public func leaseReleased(connectionID: ConnectionID, heldFor: Duration) {}
    /// Default: ignored.
    public func requestTimedOut(error: ConnectionPoolError) {}
    /// Default: ignored.
    public func utilizationChanged(inUse: Int, size: Int, minimum: Int, maximum: Int) {}
}
