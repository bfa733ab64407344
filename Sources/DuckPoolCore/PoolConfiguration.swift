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

    /// What ``ConnectionPool/withLease(file:line:isolation:_:)`` and
    /// ``ConnectionPool/withLeaseBlocking(file:line:_:)`` do when the same task or thread already
    /// holds a connection of the same pool inside an enclosing scope.
    ///
    /// Default: ``NestedAcquisitionPolicy/reuseHeldConnection``.
    public var nestedAcquisition: NestedAcquisitionPolicy

    /// Backoff and circuit-breaker settings for failing connection attempts.
    ///
    /// Default: ``ConnectBackoff/init()`` (100 ms doubling up to 10 s, breaker after 5
    /// consecutive failures).
    public var connectBackoff: ConnectBackoff

    /// Creates a configuration with every default documented on the properties.
    public init() {
        self.minimumConnections = 5
        self.maximumConnections = 15
        self.acquireTimeout = .seconds(30)
        self.maxLifetime = .seconds(3600)
        self.idleTimeout = .seconds(600)
        self.validateOnAcquire = true
        self.reuseOrder = .lifo
        self.maxWaiters = nil
        self.nestedAcquisition = .reuseHeldConnection
        self.connectBackoff = ConnectBackoff()
    }
}
