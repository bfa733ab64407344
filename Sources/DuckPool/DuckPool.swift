public import DuckDBKit
import DuckPoolCore
import DuckPoolSupport
public import CoreMetrics
public import Logging

/// A pool of DuckDB connections to one database: one DuckDB instance, many connections, which is
/// DuckDB's own concurrency model.
///
/// ```swift
/// let pool = try await DuckPool.open(path: "factorweave.duckdb")
/// let count = try await pool.withConnection { connection in
///     try connection.query("SELECT count(*) FROM stock_kline").scalar()
/// }
/// await pool.close()
/// ```
///
/// Every operation exists twice under one name: `async` for tasks, and blocking for plain
/// threads (marked `noasync`, so async code cannot call it by mistake). Both go through the same
/// lease: acquire, run, check in, release (`DuckPool+Lease.swift`).
///
/// **Thread-safety:** `Sendable`. Use it from any task or thread. The ``Connection`` a closure
/// receives belongs to that closure: it is not `Sendable`, so it cannot leave the closure or
/// cross threads, and a copy smuggled out fails with ``DuckDBError/Code/accessRevoked`` while
/// the connection is idle in the pool (see docs/pool.md, "Guarantees", for the limit of that
/// check).
///
/// **Threads:** the async API never runs DuckDB on Swift's cooperative thread pool; the closure
/// runs on the connection's own serial queue. The blocking API runs it on the calling thread.
///
/// **Failures:** DuckDB's are thrown as ``DuckDBError``; the pool's (no connection in time, a
/// deadline, a closed pool, a transaction that kept conflicting) as ``DuckPoolError``; a
/// cancelled task gets `CancellationError`. None of these leaves the pool unhealthy.
///
/// **Invalidation:** when DuckDB invalidates the database after a fatal error, the calls running
/// on it fail with ``DuckDBError/Code/invalidated``, and the pool closes every handle on the dead
/// instance and reopens the database with backoff (``DuckPoolConfiguration/reopen``); acquires
/// wait for the reopen within their acquire timeout.
public final class DuckPool: Sendable {
    /// What the pool connects to.
    public let target: DuckPoolTarget
    /// The database path (``DuckPoolTarget/description`` for remote targets): the pool's name in
    /// logs, metrics and the registry.
    public let path: String
    /// The configuration the pool was made with.
    public let configuration: DuckPoolConfiguration
    /// The database every pooled connection belongs to (for a Quack or DuckLake target, the
    /// pool's private in-memory instance). After an invalidation and reopen this is the new
    /// handle; the old one is closed.
    public var database: Database { generations.database }

    /// The readers (and, with ``WriteLane/shared``, the writers).
    let readers: ConnectionPool<DuckDBConnectionFactory, PoolClock>
    /// The writer lane: one connection (``WriteLane/dedicatedWriter``), or nil.
    let writer: ConnectionPool<DuckDBConnectionFactory, PoolClock>?
    let generations: DatabaseGenerations
    let recovery: PoolDatabaseRecovery?
    let factory: DuckDBConnectionFactory
    /// The pool's one source of time (a mock clock in tests).
    let clock: PoolClock
    let reporter: PoolEventReporter
    let writerReporter: PoolEventReporter?
    let logger: Logger
    let background: LockedValue<[Task<Void, Never>]>
    let housekeeping: Housekeeping

    /// Opens `path` (through the process-wide instance cache) and starts the pool, blocking the
    /// calling thread while it opens the file (and, with ``DuckPoolConfiguration/openTimeout``,
    /// while another process holds it). In async code use ``open(path:configuration:logger:metricsFactory:)``.
    ///
    /// - Parameters:
    ///   - logger: Where the pool logs. Default: a logger that discards everything, as a
    ///     library's should; pass yours to see the pool's debug and info records.
    ///   - metricsFactory: Where the pool's metrics go. Default: the bootstrapped
    ///     `MetricsSystem.factory`.
    /// - Throws: ``DuckPoolError/Code/invalidConfiguration`` for a bad configuration (also
    ///   ``WriteLane/dedicatedWriter`` on a read-only database), and the ``DuckDBError``s of
    ///   ``Database/init(path:configuration:)`` (file locked, I/O, conflict).
    @available(*, noasync, message: "opening blocks the calling thread; use DuckPool.open(path:...) in async code")
    public convenience init(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        try self.init(path: path, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: .continuous)
    }

    /// Opens the pool on `clock` (tests pass a mock clock to move time by hand), blocking.
    @available(*, noasync)
    package convenience init(
        path: String, configuration: DuckPoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, clock: PoolClock
    ) throws {
        try self.init(target: .file(path), configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: clock)
    }

    /// Opens `target` and starts a pool on it, blocking the calling thread while it opens (and,
    /// for a remote target, while the first connection attaches). In async code use
    /// ``open(target:configuration:logger:metricsFactory:)``.
    ///
    /// - Throws: what ``init(path:configuration:logger:metricsFactory:)`` throws;
    ///   ``DuckDBError/Code/extensionMissing`` when an extension the target needs is not
    ///   installed (the message names the install command).
    @available(*, noasync, message: "opening blocks the calling thread; use DuckPool.open(target:...) in async code")
    public convenience init(
        target: DuckPoolTarget,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        try self.init(target: target, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: .continuous)
    }

    /// Opens `target` on `clock`, blocking.
    @available(*, noasync)
    package convenience init(
        target: DuckPoolTarget, configuration: DuckPoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, clock: PoolClock
    ) throws {
        try configuration.validate()
        let session = TargetSession(target: target)
        let database = try DatabaseOpening.open(path: session.databasePath, configuration: configuration, clock: clock, logger: logger)
        self.init(target: session, database: database, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: clock)
    }

    /// Starts a pool on an open database. `configuration` must be valid.
    init(
        target session: TargetSession, database: Database, configuration: DuckPoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory, clock: PoolClock
    ) {
        self.target = session.target
        self.path = session.target.description
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "duckpool.database"] = "\(database.path)"
        self.logger = logger
        self.clock = clock
        let generations = DatabaseGenerations(database: database)
        self.generations = generations
        let metrics = PoolMetrics(poolLabel: path, factory: metricsFactory)
        self.reporter = PoolEventReporter(logger: logger, metrics: metrics, warnings: configuration.utilizationWarnings, clock: clock)
        let recovery = configuration.reopen.map { policy in
            PoolDatabaseRecovery(policy: policy, lifecycle: generations, clock: clock, observer: RecoveryEventReporter(logger: logger, metrics: metrics))
        }
        self.recovery = recovery
        let factory = DuckDBConnectionFactory(
            generations: generations, recovery: recovery, trustWindow: configuration.validationTrustInterval, clock: clock,
            target: session, extensions: Self.uniqued(configuration.extensions + session.extensions),
            databaseSetup: configuration.databaseSetup, connectionSetup: configuration.connectionSetup
        )
        self.factory = factory
        let readers = ConnectionPool(configuration: configuration.pool, factory: factory, clock: clock, observer: reporter)
        self.readers = readers
        var tasks = [Task.detached { await readers.run() }]
        if configuration.writeLane == .dedicatedWriter {
            var writerConfiguration = configuration.pool
            writerConfiguration.minimumConnections = 1
            writerConfiguration.maximumConnections = 1
            var writerLogger = logger
            writerLogger[metadataKey: "duckpool.lane"] = "writer"
            // One connection is always fully used while it writes: no utilization warnings.
            let writerReporter = PoolEventReporter(
                logger: writerLogger, metrics: PoolMetrics(poolLabel: path, lane: "writer", factory: metricsFactory),
                warnings: .off, clock: clock
            )
            let writer = ConnectionPool(configuration: writerConfiguration, factory: factory, clock: clock, observer: writerReporter)
            self.writerReporter = writerReporter
            self.writer = writer
            tasks.append(Task.detached { await writer.run() })
        } else {
            self.writerReporter = nil
            self.writer = nil
        }
        // Weak: the cores hold the factory, which holds `generations`; a strong capture here
        // would be a cycle that keeps every core alive after close().
        generations.onDrain { [weak readers, weak writer = self.writer] in
            readers?.recreate()
            writer?.recreate()
        }
        self.housekeeping = Housekeeping()
        self.background = LockedValue(tasks)
        startHousekeeping()
        logger.debug("duckpool opened", metadata: [
            "duckpool.minimum": "\(configuration.minimumConnections)",
            "duckpool.maximum": "\(configuration.maximumConnections)",
            "duckpool.write_lane": "\(configuration.writeLane)",
        ])
    }

    deinit {
        // A pool dropped without close(): cancelling run() shuts the cores down.
        background.withLock { tasks in for task in tasks { task.cancel() } }
    }

    /// `names` without repeats, first occurrence first.
    private static func uniqued(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The default logger: discards everything (swift-log's advice for libraries).
    public static let silentLogger = Logger(label: "duckpool", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The connection set a lane uses.
    func core(for lane: Lane) -> ConnectionPool<DuckDBConnectionFactory, PoolClock> {
        switch lane {
        case .read: readers
        case .write: writer ?? readers
        }
    }
}
