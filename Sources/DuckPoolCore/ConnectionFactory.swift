/// Creates, checks, interrupts and closes the connections of a ``ConnectionPool``.
///
/// The pool calls these methods from its own background tasks (inside ``ConnectionPool/run()``)
/// and from the tasks or threads that lease connections, so a factory must be `Sendable` and
/// every method must be safe to call concurrently for *different* connections. The pool never
/// calls two of these methods for the *same* connection at once, except ``interrupt(_:)``, which
/// is called while the holder may be using the connection.
public protocol ConnectionFactory: Sendable {
    /// The kind of connection this factory makes.
    associatedtype Connection: PoolableConnection

    /// Opens a new connection.
    ///
    /// Called from a child task of ``ConnectionPool/run()``. The returned connection's
    /// ``PoolableConnection/id`` must equal `id`; a connection with another identifier is closed
    /// at once and never handed out.
    ///
    /// - Parameter id: The identifier the new connection must carry.
    /// - Throws: Any error; the pool counts it as a failed attempt, retries after an exponential
    ///   backoff and opens its circuit breaker after
    ///   ``PoolConfiguration/circuitBreakerThreshold`` consecutive failures.
    func makeConnection(id: ConnectionID) async throws -> Connection

    /// Checks that an idle connection still works before it is handed out.
    ///
    /// Called by the leasing task (for `lease`) or on a helper task while the leasing
    /// thread waits (for `leaseBlocking`), only when
    /// ``PoolConfiguration/validateOnAcquire`` is `true`. Returning `false` makes the pool close
    /// the connection, open a replacement and put the request back at the front of the queue.
    /// The default implementation returns `true`.
    func validate(_ connection: Connection) async -> Bool

    /// Says, without suspending or blocking, that `connection` is certainly valid, so that the
    /// pool can skip ``validate(_:)`` (for example: it was used successfully a moment ago).
    ///
    /// Called on the acquiring task or thread before every validation, so it must be cheap and
    /// thread-safe. Returning `false` only means "run ``validate(_:)``". The default returns
    /// `false`.
    func isKnownValid(_ connection: Connection) -> Bool

    /// Asks a leased connection to stop what it is doing (for example, to cancel a running
    /// query) so that its holder releases it sooner.
    ///
    /// Called once per still-leased connection when the grace period of
    /// ``ConnectionPool/shutdown(gracePeriod:)`` has passed, on a pool task, *while the holder may
    /// be using the connection*: implementations must be thread-safe and must not block. The
    /// pool keeps waiting for the holder to release the connection afterwards. The default
    /// implementation does nothing.
    func interrupt(_ connection: Connection)

    /// Closes a connection the pool no longer needs.
    ///
    /// Called from a child task of ``ConnectionPool/run()``; that task may already be cancelled
    /// (when `run()` itself was cancelled), so implementations must close even then. The
    /// connection is never used again after this call.
    func close(_ connection: Connection) async
}

extension ConnectionFactory {
    /// Default: every connection is considered valid.
    public func validate(_ connection: Connection) async -> Bool {
        true
    }

    /// Default: no fast path; ``validate(_:)`` always runs.
    public func isKnownValid(_ connection: Connection) -> Bool {
        false
    }

    /// Default: interrupting does nothing.
    public func interrupt(_ connection: Connection) {}
}
