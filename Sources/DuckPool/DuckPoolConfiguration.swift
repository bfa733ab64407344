/// Everything a ``DuckPool`` can be configured with. Value type; thread-safe.
///
/// The pool's own knobs live in ``pool`` (a ``PoolConfiguration``) and read as if they were
/// properties of this type (`configuration.minimumConnections = 10`). The defaults are the
/// seed's: 5 kept connections plus 10 overflow, a 30 s acquire timeout, a 3,600 s lifetime,
/// validation (pre-ping) on acquire and LIFO reuse.
///
/// ```swift
/// var configuration = DuckPoolConfiguration.readHeavy
/// configuration.acquireTimeout = .seconds(5)
/// configuration.database.threads = 4
/// let pool = try DuckPool(path: "factorweave.duckdb", configuration: configuration)
/// ```
@dynamicMemberLookup
public struct DuckPoolConfiguration: Sendable, Equatable {
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
    /// Utilization (in use / maximum) at which a warning is logged; rate-limited by
    /// ``utilizationWarningInterval``. Default [0.8, 0.9], as in the seed.
    public var utilizationWarningThresholds: [Double] = [0.8, 0.9]
    /// At most one utilization warning per threshold per interval. Default 60 s.
    public var utilizationWarningInterval: Duration = .seconds(60)
    /// How long opening waits for a database file that another process holds (DuckDB allows one
    /// writing process per file), retrying with backoff; then it throws
    /// ``DuckDBError/Code/fileLocked`` naming the holder's PID. Default nil: fail at once.
    public var openTimeout: Duration?
    /// With ``PoolConfiguration/validateOnAcquire``: a connection that finished a lease this
    /// recently is trusted without a ping; an older one runs `SELECT 1` before it is handed out.
    /// Default 1 s; `.zero` pings on every acquire (what the seed's `pool_pre_ping` does).
    public var validationTrustInterval: Duration = .seconds(1)
    /// How often the background task checks leases for leaks and samples gauges. Default 1 s.
    public var housekeepingInterval: Duration = .seconds(1)
    /// How long ``DuckPool/close(gracePeriod:)`` waits for leases before interrupting them when
    /// the pool runs as a `Service` and shuts down gracefully. Default 10 s.
    public var shutdownGracePeriod: Duration = .seconds(10)

    /// How an invalidated database is reopened (DuckDB invalidates an instance after a fatal
    /// error, and only closing every handle on it and opening it again recovers): initial delay,
    /// maximum delay, attempts, jitter. Default ``ReopenPolicy/init(initialDelay:maximumDelay:maxAttempts:jitter:)``:
    /// 100 ms doubling to 10 s, never giving up. nil: never reopen; acquires then fail fast with
    /// ``DuckDBError/Code/invalidated`` until the pool is closed and made anew.
    public var reopen: ReopenPolicy? = ReopenPolicy()
    /// Whether write transactions share the pool's connections or go through one dedicated
    /// writer connection. Default ``WriteLane/shared``.
    public var writeLane: WriteLane = .shared

    /// The seed's defaults.
    public init() {}

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PoolConfiguration, Value>) -> Value {
        get { pool[keyPath: keyPath] }
        set { pool[keyPath: keyPath] = newValue }
    }

    /// Checks every value. - Throws: ``DuckDBError/Code/invalidConfiguration`` naming the field.
    public func validate() throws(DuckDBError) {
        do {
            try pool.validate()
        } catch {
            throw DuckDBError(code: .invalidConfiguration, message: String(describing: error))
        }
        if let threshold = leakDetectionThreshold, threshold <= .zero {
            throw DuckDBError(code: .invalidConfiguration, message: "leakDetectionThreshold must be positive, got \(threshold)")
        }
        for threshold in utilizationWarningThresholds where !(threshold > 0 && threshold <= 1) {
            throw DuckDBError(code: .invalidConfiguration, message: "utilizationWarningThresholds must lie in (0, 1], got \(threshold)")
        }
        if housekeepingInterval <= .zero || utilizationWarningInterval <= .zero || shutdownGracePeriod < .zero
            || validationTrustInterval < .zero || (openTimeout.map { $0 < .zero } ?? false) {
            throw DuckDBError(code: .invalidConfiguration, message: "housekeepingInterval and utilizationWarningInterval must be positive, shutdownGracePeriod not negative")
        }
        if let reopen {
            do {
                try reopen.validate()
            } catch {
                throw DuckDBError(code: .invalidConfiguration, message: String(describing: error))
            }
        }
        if writeLane == .dedicatedWriter, database.accessMode == .readOnly {
            throw DuckDBError(
                code: .invalidConfiguration,
                message: "writeLane .dedicatedWriter needs a writable database, but database.accessMode is .readOnly"
            )
        }
        if let threads = database.threads, threads < 1 {
            throw DuckDBError(code: .invalidConfiguration, message: "database.threads must be at least 1, got \(threads)")
        }
    }
}

extension DuckPoolConfiguration {
    /// Many threads reading at once (the seed's "high-concurrency queries" scenario):
    /// 10 kept, 30 at most, 30 s acquire timeout, 1,800 s lifetime.
    public static var readHeavy: DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 10
        configuration.maximumConnections = 30
        configuration.acquireTimeout = .seconds(30)
        configuration.maxLifetime = .seconds(1_800)
        return configuration
    }

    /// Infrequent scheduled jobs (the seed's "low-frequency operations" scenario):
    /// 2 kept, 5 at most, 10 s acquire timeout, 600 s lifetime.
    public static var scheduledJobs: DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 2
        configuration.maximumConnections = 5
        configuration.acquireTimeout = .seconds(10)
        configuration.maxLifetime = .seconds(600)
        return configuration
    }

    /// Write-heavy data import (the seed's "data import" scenario): 3 kept, 8 at most, 60 s
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
