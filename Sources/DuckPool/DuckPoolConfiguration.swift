/// Everything a ``DuckPool`` can be configured with. Value type; thread-safe.
///
/// The pool's own knobs live in ``pool`` (a ``PoolConfiguration``) and read as if they were
/// properties of this type (`configuration.minimumConnections = 10`). The defaults: 5 kept
/// connections plus 10 overflow, a 30 s acquire timeout, a 3,600 s lifetime, validation
/// (pre-ping) on acquire and LIFO reuse.
///
/// ```swift
/// var configuration = DuckPoolConfiguration.readHeavy
/// configuration.acquireTimeout = .seconds(5)
/// configuration.database.threads = 4
/// let pool = try DuckPool(path: "factorweave.duckdb", configuration: configuration)
/// ```
@dynamicMemberLookup
public struct DuckPoolConfiguration: Sendable, Equatable {
    /// What a thread that already holds a connection of the pool gets when it asks the pool for
    /// another (a blocking call inside a `withConnection` body).
    public enum NestedAcquisition: Sendable, Hashable {
        /// The connection it holds, for the inner call; the inner call does not release it. The
        /// default.
        case reuseHeldConnection
        /// ``DuckPoolError/Code/nestedAcquisition``.
        case fail
    }

    /// What to do with a connection when its lease ends.
    public enum ResetOnReturn: Sendable, Hashable {
        /// Roll back only when a transaction is open; discard the connection when its
        /// transaction state is unknown. Never logs an error on check-in. The default.
        case rollbackOpenTransaction
        /// Never roll back: a connection returned with an open transaction is discarded.
        case discardOpenTransaction
    }

    /// The pool's knobs: sizes, timeouts, lifetime, validation, reuse order, waiters, nesting.
    /// Defaults: see ``PoolConfiguration``.
    public var pool = PoolConfiguration()
    /// DuckDB options (threads, memory_limit, access mode, ...). Default: DuckDB's defaults.
    public var database = DatabaseConfiguration()
    /// Check-in behaviour. Default ``ResetOnReturn/rollbackOpenTransaction``.
    public var resetOnReturn: ResetOnReturn = .rollbackOpenTransaction
    /// A lease held longer than this is logged (at warning, once per lease) with the file and
    /// line that acquired it. Default 60 s; nil disables leak detection.
    public var leakDetectionThreshold: Duration? = .seconds(60)
    /// When the pool logs that it is busy. Default: at 80% and 90% of the kept connections, at
    /// most once a minute per threshold; see ``UtilizationWarnings``.
    public var utilizationWarnings = UtilizationWarnings()
    /// What a nested acquisition on the same thread gets. Default
    /// ``NestedAcquisition/reuseHeldConnection``.
    public var nestedAcquisition: NestedAcquisition = .reuseHeldConnection
    /// How long an async call whose deadline passed, or whose task was cancelled, waits for its
    /// interrupted statement to stop before it returns anyway (DuckDB cannot interrupt parsing
    /// and planning). The statement then finishes in the background; none after it runs, and its
    /// connection returns to the pool when it ends. Default 50 ms.
    public var interruptGracePeriod: Duration = .milliseconds(50)
    /// How long opening waits for a database file that another process holds (DuckDB allows one
    /// writing process per file), retrying with backoff; then it throws
    /// ``DuckDBError/Code/fileLocked`` naming the holder's PID. The waits run on the pool's clock,
    /// 10 ms doubling to 500 ms, and the last attempt is made when the timeout ends. Default nil:
    /// fail at once.
    public var openTimeout: Duration?
    /// With ``PoolConfiguration/validateOnAcquire``: a connection that finished a lease this
    /// recently is trusted without a ping; an older one runs `SELECT 1` before it is handed out.
    /// Default 1 s; `.zero` pings on every acquire (what SQLAlchemy's `pool_pre_ping` does).
    public var validationTrustInterval: Duration = .seconds(1)
    /// How often the background task checks leases for leaks and samples gauges. Default 1 s.
    public var housekeepingInterval: Duration = .seconds(1)
    /// How long ``DuckPool/close(gracePeriod:)`` waits for leases before interrupting them when
    /// the pool runs as a `Service` and shuts down gracefully. Default 10 s.
    public var shutdownGracePeriod: Duration = .seconds(10)

    /// How an invalidated database is reopened (DuckDB invalidates an instance after a fatal
    /// error, and only closing every handle on it and opening it again recovers): the backoff
    /// between reopen attempts, and when to give up. Default: 100 ms doubling to 10 s, each wait
    /// cut by up to half at random (so that several processes do not retry in lockstep), never
    /// giving up. nil: never reopen; acquires then fail fast with
    /// ``DuckDBError/Code/invalidated`` until the pool is closed and made anew.
    public var reopen: RetryPolicy? = .reopenDefault
    /// Whether write transactions share the pool's connections or go through one dedicated
    /// writer connection. Default ``WriteLane/shared``.
    public var writeLane: WriteLane = .shared

    /// DuckDB extensions to `LOAD` once per database instance the pool opens (and again after
    /// every reopen), before ``databaseSetup``, from the database's extension directory
    /// (``DatabaseConfiguration/extensionDirectory``; never from the network). A Quack or
    /// DuckLake target adds the ones it needs. A missing extension fails the connection attempt
    /// with ``DuckDBError/Code/extensionMissing``, naming the install command. Default: none.
    public var extensions: [String] = []

    /// Runs once per database instance the pool opens, again after every reopen, on the first
    /// connection made for it: what every connection must see (`LOAD`, `SET GLOBAL`,
    /// `CREATE SECRET`, `ATTACH`). A failure fails that connection attempt, which the pool
    /// retries and reports like any failed connect (``PoolConfiguration/connectRetry``, the
    /// circuit breaker, `duckpool_connect_failures_total`). Default nil.
    public var databaseSetup: SetupScript?

    /// Runs on every new connection before its first lease: what one session must see (`USE`,
    /// `SET` without `GLOBAL`, a time zone), like SQLAlchemy's `connect` event or HikariCP's
    /// `connectionInitSql`. Failures are retried and reported like a failed connect. Default nil.
    public var connectionSetup: SetupScript?

    /// The defaults documented on each property.
    public init() {}

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PoolConfiguration, Value>) -> Value {
        get { pool[keyPath: keyPath] }
        set { pool[keyPath: keyPath] = newValue }
    }

    /// Checks every value.
    /// - Throws: ``DuckPoolError/Code/invalidConfiguration`` naming the field.
    public func validate() throws(DuckPoolError) {
        do {
            try pool.validate()
            try reopen?.validate(as: "reopen")
        } catch {
            throw DuckPoolError(error)
        }
        if let threshold = leakDetectionThreshold, threshold <= .zero {
            throw .invalidConfiguration(field: "leakDetectionThreshold", "must be positive, got \(threshold)")
        }
        for threshold in utilizationWarnings.thresholds where !(threshold > 0 && threshold <= 3) {
            throw .invalidConfiguration(field: "utilizationWarnings.thresholds", "must lie in (0, 3], got \(threshold)")
        }
        let positive: [(String, Duration)] = [
            ("housekeepingInterval", housekeepingInterval), ("utilizationWarnings.interval", utilizationWarnings.interval),
        ]
        for (field, value) in positive where value <= .zero {
            throw .invalidConfiguration(field: field, "must be positive, got \(value)")
        }
        let notNegative: [(String, Duration?)] = [
            ("shutdownGracePeriod", shutdownGracePeriod), ("validationTrustInterval", validationTrustInterval),
            ("openTimeout", openTimeout), ("interruptGracePeriod", interruptGracePeriod),
        ]
        for case let (field, value?) in notNegative where value < .zero {
            throw .invalidConfiguration(field: field, "must not be negative, got \(value)")
        }
        if writeLane == .dedicatedWriter, database.accessMode == .readOnly {
            throw .invalidConfiguration(field: "writeLane", ".dedicatedWriter needs a writable database, but database.accessMode is .readOnly")
        }
        for name in extensions where name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw .invalidConfiguration(field: "extensions", "\"\(name)\" is not an extension name (letters, digits and _)")
        }
        if let threads = database.threads, threads < 1 {
            throw .invalidConfiguration(field: "database.threads", "must be at least 1, got \(threads)")
        }
    }
}

extension DuckPoolConfiguration {
    /// Many threads reading at once (FactorWeave's "high-concurrency queries" scenario):
    /// 10 kept, 30 at most, 30 s acquire timeout, 1,800 s lifetime.
    public static var readHeavy: DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 10
        configuration.maximumConnections = 30
        configuration.acquireTimeout = .seconds(30)
        configuration.maxLifetime = .seconds(1_800)
        return configuration
    }

    /// Infrequent scheduled jobs ("low-frequency operations"):
    /// 2 kept, 5 at most, 10 s acquire timeout, 600 s lifetime.
    public static var scheduledJobs: DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 5
        configuration.acquireTimeout = .seconds(10)
        configuration.maxLifetime = .seconds(600)
        return configuration
    }

    /// Write-heavy data import ("data import"): 3 kept, 8 at most, 60 s
    /// acquire timeout, 3,600 s lifetime.
    public static var bulkImport: DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 3
        configuration.maximumConnections = 8
        configuration.acquireTimeout = .seconds(60)
        configuration.maxLifetime = .seconds(3_600)
        return configuration
    }
}
