/// The knobs of a ``ConnectionPool``.
///
/// A plain value: build it, adjust it, call ``validate()`` and pass it to
/// ``ConnectionPool/init(configuration:factory:clock:observer:)``. Only the connection counts
/// can change later, through ``ConnectionPool/resize(minimum:maximum:)``.
public struct PoolConfiguration: Sendable, Equatable {
    /// The number of connections the pool opens at start and keeps open, even when idle.
    ///
    /// Default: `5`. Must be `>= 0` and `<= maximumConnections`.
    public var minimumConnections: Int

    /// The largest number of connections the pool holds at once (open or being opened),
    /// including the overflow connections above ``minimumConnections``.
    ///
    /// Default: `15` (5 kept plus 10 overflow). Must be `>= 1`.
    public var maximumConnections: Int

    /// How long a lease request may wait in total, from the moment it is made, before it fails
    /// with ``ConnectionPoolError/Code/acquireTimeout``. A request that goes back to the queue
    /// after a failed validation keeps its original deadline.
    ///
    /// Default: 30 seconds. Must be positive.
    public var acquireTimeout: Duration

    /// The age after which a connection is closed instead of being reused (checked when it is
    /// released, when it is about to be leased, and by a timer while idle); it is replaced when
    /// the pool falls below ``minimumConnections``. `nil` keeps connections forever.
    ///
    /// Default: 3600 seconds (one hour). Must be positive when set.
    public var maxLifetime: Duration?

    /// The largest share of ``maxLifetime`` cut from each connection's lifetime at random, so that
    /// connections opened together (at start, after a burst) are not all recycled at once.
    ///
    /// Default: `0.1` (a connection lives between 90% and 100% of `maxLifetime`). Must lie in
    /// `0...1`; `0` gives every connection exactly `maxLifetime`.
    public var lifetimeJitter: Double

    /// How long a connection above ``minimumConnections`` may stay idle before it is closed.
    /// `nil` keeps idle connections forever.
    ///
    /// Default: 600 seconds (ten minutes). Must be positive when set.
    public var idleTimeout: Duration?

    /// Whether a connection is checked with ``ConnectionFactory/validate(_:)`` before it is handed
    /// out. A connection that fails the check is closed and replaced, and the request keeps its
    /// place at the front of the queue.
    ///
    /// Default: `true`.
    public var validateOnAcquire: Bool

    /// Which idle connection is handed out next.
    ///
    /// Default: ``ReuseOrder/lifo`` (the most recently returned one).
    public var reuseOrder: ReuseOrder

    /// The largest number of requests allowed to wait. A request that arrives when this many are
    /// already waiting fails at once with ``ConnectionPoolError/Code/poolExhausted``. `0` means
    /// no request ever waits. `nil` means no limit.
    ///
    /// Default: `nil`. Must be `>= 0` when set.
    public var maxWaiters: Int?

    /// How the pool spaces out attempts to open a connection after attempts failed: after the
    /// n-th failure in a row it waits ``RetryPolicy/delay(afterFailures:randomUnit:)`` before the
    /// next attempt, with one attempt at a time. Attempts that were already running when a
    /// failure was counted do not add to the count when they fail too. The pool never stops
    /// retrying (``RetryPolicy/maxAttempts`` and ``RetryPolicy/budget`` must be nil); see
    /// ``circuitBreakerThreshold`` for when callers stop waiting.
    ///
    /// Default: 100 ms doubling up to 10 s, no jitter.
    public var connectRetry: RetryPolicy

    /// The number of consecutive failed connection attempts that opens the circuit breaker:
    /// waiting requests fail, and new requests that cannot be served by an idle connection fail
    /// at once with ``ConnectionPoolError/Code/connectionFactoryFailing``. After each backoff the
    /// pool makes one probe attempt (half-open); the first successful attempt closes the breaker.
    ///
    /// Default: `5`. Must be `>= 1`.
    public var circuitBreakerThreshold: Int

    /// Creates a configuration with every default documented on the properties.
    public init() {
        self.minimumConnections = 5
        self.maximumConnections = 15
        self.acquireTimeout = .seconds(30)
        self.maxLifetime = .seconds(3600)
        self.lifetimeJitter = 0.1
        self.idleTimeout = .seconds(600)
        self.validateOnAcquire = true
        self.reuseOrder = .lifo
        self.maxWaiters = nil
        self.connectRetry = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(10))
        self.circuitBreakerThreshold = 5
    }
}
