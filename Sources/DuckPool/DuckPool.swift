import DuckPoolSupport
public import DuckDBKit
import DuckPoolCore
public import CoreMetrics
public import Logging
import Dispatch
import Foundation
import Synchronization

/// A pool of DuckDB connections to one database: one DuckDB instance, many connections, which is
/// DuckDB's own concurrency model.
///
/// ```swift
/// let pool = try DuckPool(path: "factorweave.duckdb")
/// let bars = try await pool.query(StockBar.self, "SELECT * FROM stock_kline WHERE symbol = ?", ["000001"])
/// let count = try await pool.withConnection { connection in
///     try connection.query("SELECT count(*) FROM stock_kline").scalar()
/// }
/// await pool.close()
/// ```
///
/// **Thread-safety:** `Sendable`. Use it from any task or thread. The ``Connection`` a closure
/// receives belongs to that closure: it is not `Sendable`, so it cannot leave the closure or
/// cross threads, and a copy smuggled out fails with ``DuckDBError/Code/leaseExpired`` while
/// the connection is idle in the pool (see docs/pool.md, "Guarantees", for the limit of that check).
///
/// **Threads:** the async API never runs DuckDB on Swift's cooperative thread pool; the closure
/// runs on the connection's own serial queue. The `Blocking` API runs it on the calling thread:
/// call it from plain threads, never from async code.
///
/// **Failures** are thrown as ``DuckDBError``: DuckDB's errors as DuckDB reported them, and the
/// pool's own as ``DuckDBError/Code/poolTimeout`` (the message names every holder with the file
/// and line that acquired it), ``DuckDBError/Code/poolExhausted``,
/// ``DuckDBError/Code/poolClosed`` and ``DuckDBError/Code/nestedAcquisition``. A cancelled
/// task gets `CancellationError`. None of these leaves the pool unhealthy.
///
/// **Invalidation:** when DuckDB invalidates the database after a fatal error, the calls running
/// on it fail with ``DuckDBError/Code/invalidated``, and the pool closes every handle on the dead
/// instance and reopens the database with backoff (``DuckPoolConfiguration/reopen``); acquires
/// wait for the reopen within their acquire timeout.
public final class DuckPool: Sendable {
    /// The database path.
    public let path: String
    /// The configuration the pool was made with.
    public let configuration: DuckPoolConfiguration
    /// The database every pooled connection belongs to. After an invalidation and reopen this
    /// is the new handle; the old one is closed.
    public var database: Database { generations.database }
    /// The readers (and, with ``WriteLane/shared``, the writers).
    let core: ConnectionPool<DuckDBConnectionFactory, PoolClock>
    /// The writer lane: one connection (``WriteLane/dedicatedWriter``), or nil.
    let writerCore: ConnectionPool<DuckDBConnectionFactory, PoolClock>?
    let writerReporter: PoolEventReporter?
    let generations: DatabaseGenerations
    let recovery: PoolDatabaseRecovery?
    let factory: DuckDBConnectionFactory
    /// The pool's clock (injected in tests); deadlines and housekeeping run on it.
    let clock: PoolClock
    let reporter: PoolEventReporter
    let logger: Logger
    private let background: LockedValue<[Task<Void, Never>]>
    private let reportedLeaks = LockedValue<Set<RequestID>>([])
    private let reportedWriterLeaks = LockedValue<Set<RequestID>>([])

    /// Opens `path` (through the process-wide instance cache) and starts the pool.
    ///
    /// - Parameters:
    ///   - logger: Where the pool logs. It is quiet at the default `.info` level except for
    ///     utilization and leak warnings. Default: `Logger(label: "duckpool")`.
    ///   - metricsFactory: Where the pool's metrics go. Default: the bootstrapped
    ///     `MetricsSystem.factory`.
    /// - Throws: ``DuckDBError/Code/invalidConfiguration`` for a bad configuration (also
    ///   ``WriteLane/dedicatedWriter`` on a read-only database), and the
    ///   errors of ``Database/init(path:configuration:)`` (file locked, I/O, conflict).
    public convenience init(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = Logger(label: "duckpool"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(DuckDBError) {
        try self.init(path: path, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: ContinuousClock())
    }

    /// Opens the pool with an injected clock (tests use a mock clock to move time by hand).
    package init<PoolClockBase: Clock>(
        path: String,
        configuration: DuckPoolConfiguration,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: PoolClockBase
    ) throws(DuckDBError) where PoolClockBase.Duration == Duration {
        try configuration.validate()
        self.path = path
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "duckpool.database"] = "\(path)"
        self.logger = logger
        let generations = DatabaseGenerations(database: try Self.openDatabase(path: path, configuration: configuration, logger: logger))
        self.generations = generations
        let metrics = PoolMetrics(poolLabel: path, factory: metricsFactory)
        self.reporter = PoolEventReporter(
            logger: logger,
            metrics: metrics,
            thresholds: configuration.utilizationWarningThresholds,
            warningInterval: configuration.utilizationWarningInterval
        )
        let poolClock = PoolClock(clock)
        self.clock = poolClock
        let recovery = configuration.reopen.map { policy in
            PoolDatabaseRecovery(
                policy: policy, lifecycle: generations, clock: poolClock,
                observer: RecoveryEventReporter(logger: logger, metrics: metrics)
            )
        }
        self.recovery = recovery
        let factory = DuckDBConnectionFactory(
            generations: generations,
            recovery: recovery,
            trustWindowNanoseconds: configuration.validationTrustInterval.microseconds * 1_000
        )
        self.factory = factory
        let core = ConnectionPool(configuration: configuration.pool, factory: factory, clock: poolClock, observer: reporter)
        self.core = core
        var tasks = [Task.detached { await core.run() }]
        if configuration.writeLane == .dedicatedWriter {
            var writerConfiguration = configuration.pool
            writerConfiguration.minimumConnections = 1
            writerConfiguration.maximumConnections = 1
            var writerLogger = logger
            writerLogger[metadataKey: "duckpool.lane"] = "writer"
            // One connection is always 100% utilized while it writes: no utilization warnings.
            let writerReporter = PoolEventReporter(
                logger: writerLogger,
                metrics: PoolMetrics(poolLabel: path, lane: "writer", factory: metricsFactory),
                thresholds: [],
                warningInterval: configuration.utilizationWarningInterval
            )
            let writerCore = ConnectionPool(configuration: writerConfiguration, factory: factory, clock: poolClock, observer: writerReporter)
            self.writerReporter = writerReporter
            self.writerCore = writerCore
            tasks.append(Task.detached { await writerCore.run() })
        } else {
            self.writerReporter = nil
            self.writerCore = nil
        }
        let writerCore = self.writerCore
        generations.onDrain {
            core.recreate()
            writerCore?.recreate()
        }
        self.background = LockedValue(tasks)
        startHousekeeping(clock: clock)
        logger.debug("duckpool opened", metadata: [
            "duckpool.minimum": "\(configuration.minimumConnections)",
            "duckpool.maximum": "\(configuration.maximumConnections)",
            "duckpool.write_lane": "\(configuration.writeLane)",
        ])
    }

    /// Opens the database, waiting up to ``DuckPoolConfiguration/openTimeout`` (wall clock) while
    /// another process holds the file.
    private static func openDatabase(path: String, configuration: DuckPoolConfiguration, logger: Logger) throws(DuckDBError) -> Database {
        let clock = ContinuousClock()
        let deadline = configuration.openTimeout.map { clock.now.advanced(by: $0) }
        var wait = Duration.milliseconds(10)
        while true {
            do {
                return try Database(path: path, configuration: configuration.database)
            } catch where error.code == .fileLocked {
                guard let deadline, clock.now.advanced(by: wait) < deadline else { throw error }
                logger.info("duckpool database file is locked by another process; retrying", metadata: [
                    "duckpool.lock_holder_pid": "\(error.lockHolderPID.map(String.init) ?? "unknown")",
                    "duckpool.retry_in_ms": "\(wait.microseconds / 1_000)",
                ])
                Thread.sleep(forTimeInterval: wait.secondsDouble)
                wait = min(wait * 2, .milliseconds(500))
            }
        }
    }

    deinit {
        // A pool dropped without close(): cancelling run() shuts the core down.
        background.withLock { tasks in for task in tasks { task.cancel() } }
    }

    // MARK: - Scoped access

    /// Runs `body` with a pooled connection, on that connection's serial queue, and returns the
    /// connection to the pool on every path (return, throw, cancellation).
    ///
    /// Waits FIFO for a free connection, at most ``PoolConfiguration/acquireTimeout`` in all.
    /// Cancelling the task removes it from the queue, or interrupts its running query.
    ///
    /// On return an open transaction is rolled back (see
    /// ``DuckPoolConfiguration/resetOnReturn``); a connection whose state is unknown or that
    /// hit a fatal error is discarded and replaced.
    ///
    /// `timeout` bounds how long `body` may run once it has its connection: when it passes, the
    /// running query is interrupted (DuckDB stops within milliseconds) and the call throws
    /// ``DuckDBError/Code/timedOut``; the connection goes back to the pool usable. Default: none.
    ///
    /// - Throws: `CancellationError`, the pool's ``DuckDBError``s, or what `body` throws.
    public func withConnection<T: Sendable>(
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        try await withLease(on: core, timeout: timeout, file: file, line: line, body)
    }

    /// ``withConnection(timeout:file:line:_:)`` on the given lane's pool.
    func withLease<T: Sendable>(
        on core: ConnectionPool<DuckDBConnectionFactory, PoolClock>,
        timeout: Duration?,
        file: String, line: Int,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        let recoveryBefore = try recoveryStatusFailingFastIfUnrecoverable()
        let pooled: PooledConnection
        do {
            pooled = try await DuckDBError.translatingPoolErrors { try await core.lease(file: file, line: line) }
        } catch let error as DuckDBError {
            throw explainedDuringRecovery(error, statusBefore: recoveryBefore)
        }
        let interrupter = LeaseInterrupter(pooled.interruptHandle)
        let deadlineTimer = timeout.map { timeout in
            Task { [clock] in
                do { try await clock.sleep(for: timeout) } catch { return } // cancelled: finished in time
                interrupter.interrupt(because: .deadline)
            }
        }
        let outcome = await withTaskCancellationHandler {
            do {
                return try await pooled.queue.run { [self] in perform(pooled, interrupter: interrupter, body) }
            } catch {
                return LeaseOutcome<T>(result: .failure(error), reusable: false)
            }
        } onCancel: {
            interrupter.interrupt(because: .cancellation)
        }
        interrupter.end() // a timer or cancellation firing from now on must not touch the next holder
        deadlineTimer?.cancel()
        core.release(pooled, reusable: outcome.reusable)
        return try outcome.value(cancelled: interrupter.cancelled, timedOutAfter: interrupter.deadlinePassed ? timeout : nil)
    }

    /// Runs `body` with a pooled connection on the calling thread, blocking it while it waits.
    ///
    /// For plain threads (the seed's thread-pool workers); never call it from async code. A
    /// nested call on a thread that already holds a connection of this pool gets that same
    /// connection, or fails with ``DuckDBError/Code/nestedAcquisition``, per
    /// ``PoolConfiguration/nestedAcquisition``; it never deadlocks.
    ///
    /// `timeout` works as in ``withConnection(timeout:file:line:_:)``, measured on the wall clock.
    ///
    /// - Throws: the pool's ``DuckDBError``s, or what `body` throws.
    public func withConnectionBlocking<T>(
        timeout: Duration? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: (Connection) throws -> T
    ) throws -> T {
        try withLeaseBlocking(on: core, timeout: timeout, file: file, line: line, body)
    }

    /// ``withConnectionBlocking(timeout:file:line:_:)`` on the given lane's pool.
    func withLeaseBlocking<T>(
        on core: ConnectionPool<DuckDBConnectionFactory, PoolClock>,
        timeout: Duration?,
        file: String, line: Int,
        _ body: (Connection) throws -> T
    ) throws -> T {
        if let held = HeldLeases.connection(of: ObjectIdentifier(self)) {
            guard configuration.nestedAcquisition == .reuseHeldConnection else {
                throw DuckDBError(
                    code: .nestedAcquisition,
                    message: "this thread already holds a connection of the pool for \(path) (\(file):\(line) asked for another); nesting is configured to fail"
                )
            }
            return try body(held.connection)
        }
        let recoveryBefore = try recoveryStatusFailingFastIfUnrecoverable()
        let pooled: PooledConnection
        do {
            pooled = try DuckDBError.translatingPoolErrors { try core.leaseBlocking(file: file, line: line) }
        } catch let error as DuckDBError {
            throw explainedDuringRecovery(error, statusBefore: recoveryBefore)
        }
        let interrupter = LeaseInterrupter(pooled.interruptHandle)
        let deadlineTimer = timeout.map { timeout in
            let timer = DispatchWorkItem { interrupter.interrupt(because: .deadline) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.secondsDouble, execute: timer)
            return timer
        }
        let outcome = perform(pooled, interrupter: interrupter, body)
        interrupter.end() // a timer firing from now on must not touch the next holder
        deadlineTimer?.cancel()
        core.release(pooled, reusable: outcome.reusable)
        return try outcome.value(cancelled: false, timedOutAfter: interrupter.deadlinePassed ? timeout : nil)
    }

    /// Runs the lease on the thread that owns it: opens the connection to the holder, runs
    /// `body`, resets the connection and decides whether it may be reused.
    private func perform<T>(_ pooled: PooledConnection, interrupter: LeaseInterrupter, _ body: (Connection) throws -> T) -> LeaseOutcome<T> {
        let connection = pooled.connection
        connection.restoreAccess() // also forgets interrupts meant for earlier holders
        defer {
            connection.revokeAccess()
            pooled.markUsed()
        }
        var result: Result<T, any Error>
        if interrupter.cancelled {
            result = .failure(CancellationError())
        } else if interrupter.deadlinePassed {
            // The deadline passed before the body started (restoreAccess forgot its interrupt).
            result = .failure(DuckDBError(code: .interrupted, message: "the deadline passed before the call started"))
        } else {
            result = HeldLeases.holding(pooled, of: ObjectIdentifier(self)) { Result { try body(connection) } }
        }
        if case .failure(let error as DuckDBError) = result, error.code == .interrupted, !generations.isCurrent(pooled.generation) {
            // Interrupted because another connection found the instance invalidated.
            result = .failure(DuckDBError(
                code: .invalidated,
                message: "the database was invalidated by a fatal error on another connection; this call was interrupted and the database is being reopened",
                sql: error.sql
            ))
        }
        return LeaseOutcome(result: result, reusable: resetForReuse(pooled, after: result))
    }

    /// The recovery's status before an acquire (nil without recovery). After the recovery gave
    /// up, acquires fail at once instead of waiting.
    private func recoveryStatusFailingFastIfUnrecoverable() throws(DuckDBError) -> DatabaseRecoveryStatus? {
        guard let status = recovery?.status else { return nil }
        guard status.phase == .failed else { return status }
        throw DuckDBError(
            code: .invalidated,
            message: "the database \(path) was invalidated and could not be reopened; close the pool and make a new one"
        )
    }

    /// An acquire that timed out while the database was being reopened says so, as
    /// ``DuckDBError/Code/invalidated``: when a recovery is under way now, or ran (or started
    /// again) while the acquire waited.
    private func explainedDuringRecovery(_ error: DuckDBError, statusBefore: DatabaseRecoveryStatus?) -> DuckDBError {
        guard error.code == .poolTimeout, let recovery, let statusBefore else { return error }
        let status = recovery.status
        let recovering: Bool
        switch status.phase {
        case .draining, .reopening, .waitingToRetry, .failed: recovering = true
        case .healthy: recovering = status != statusBefore || statusBefore.phase != .healthy
        case .closed: recovering = false
        }
        guard recovering else { return error }
        return DuckDBError(
            code: .invalidated,
            message: "the database \(path) was invalidated and is being reopened (\(status.phase)); no connection became free within the acquire timeout. \(error.message)"
        )
    }

    /// Makes the connection ready for the next holder, or says it must be discarded.
    private func resetForReuse<T>(_ pooled: PooledConnection, after result: Result<T, any Error>) -> Bool {
        let connection = pooled.connection
        if case .failure(let error as DuckDBError) = result, error.code == .invalidated {
            pooled.isPoisoned.store(true, ordering: .relaxed)
            logger.warning("duckpool connection hit a fatal DuckDB error; discarding it", metadata: [
                "duckpool.connection.id": "\(pooled.id)", "duckpool.error": "\(error)",
            ])
            factory.reportInvalidation(of: pooled.generation)
            return false
        }
        if connection.isClosed || !generations.isCurrent(pooled.generation) { return false }
        switch connection.transactionState {
        case .idle:
            return true
        case .active where configuration.resetOnReturn == .rollbackOpenTransaction:
            do {
                connection.discardPendingInterrupt() // a deadline must not stop the cleanup
                try connection.execute("ROLLBACK")
                logger.debug("duckpool rolled back a transaction left open", metadata: ["duckpool.connection.id": "\(pooled.id)"])
                return true
            } catch {
                logger.debug("duckpool could not roll back on check-in; discarding the connection", metadata: [
                    "duckpool.connection.id": "\(pooled.id)", "duckpool.error": "\(error)",
                ])
                return false
            }
        case .active, .unknown:
            logger.debug("duckpool discarding a connection with an open or unknown transaction", metadata: [
                "duckpool.connection.id": "\(pooled.id)",
            ])
            return false
        }
    }

    // MARK: - Lifecycle

    /// The pool's current state: sizes, totals, holders and the acquire-wait histogram; the
    /// writer lane's; the database's recovery phase and invalidation/reopen counts.
    public var status: DuckPoolStatus {
        DuckPoolStatus(
            statistics: core.statistics,
            acquireWaits: reporter.waitHistogram.snapshot,
            writer: writerCore?.statistics,
            database: recovery?.status ?? DatabaseRecoveryStatus(phase: .healthy, generation: 0, invalidations: 0, reopens: 0, reopenFailures: 0)
        )
    }

    /// Stops new acquires, waits up to `gracePeriod` for leases to end, then interrupts the
    /// queries still running and waits for them to be returned; closes every connection and the
    /// database. Idempotent; concurrent callers all wait for the end.
    public func close(gracePeriod: Duration = .seconds(10)) async {
        // Connection attempts waiting for a reopen fail now, so that the shutdown can finish.
        recovery?.beginClose()
        async let readersClosed: Void = core.shutdown(gracePeriod: gracePeriod)
        await writerCore?.shutdown(gracePeriod: gracePeriod)
        await readersClosed
        let tasks = background.withLock { tasks in
            let current = tasks
            for task in current { task.cancel() }
            return current
        }
        for task in tasks { await task.value }
        await recovery?.close()
        database.close()
        DuckPoolRegistry.forget(self)
        logger.debug("duckpool closed")
    }

    /// Replaces every connection: idle ones now, leased ones when they are returned. Use it
    /// after changing something every connection must see anew (the seed's `recreate`).
    /// Includes the writer lane's connection.
    public func recreate() {
        core.recreate()
        writerCore?.recreate()
    }

    /// Changes the pool's limits at run time (the readers' with a writer lane; the writer stays
    /// one connection). - Throws: ``DuckDBError/Code/invalidConfiguration``.
    public func resize(minimum: Int, maximum: Int) throws(DuckDBError) {
        do {
            try core.resize(minimum: minimum, maximum: maximum)
        } catch {
            throw DuckDBError(error)
        }
    }

    // MARK: - Housekeeping

    private func startHousekeeping<C: Clock>(clock: C) where C.Duration == Duration {
        let interval = configuration.housekeepingInterval
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                guard let self else { return }
                self.housekeep()
            }
        }
        background.withLock { $0.append(task) }
    }

    /// Samples gauges and reports leases held past the leak threshold, once each.
    func housekeep() {
        housekeep(statistics: core.statistics, reporter: reporter, reportedLeaks: reportedLeaks)
        if let writerCore, let writerReporter {
            housekeep(statistics: writerCore.statistics, reporter: writerReporter, reportedLeaks: reportedWriterLeaks)
        }
    }

    private func housekeep(statistics: PoolStatistics, reporter: PoolEventReporter, reportedLeaks: LockedValue<Set<RequestID>>) {
        reporter.metrics.waiters.record(statistics.waiters)
        reporter.metrics.inUse.record(statistics.inUse)
        reporter.metrics.idle.record(statistics.idle)
        guard let threshold = configuration.leakDetectionThreshold else { return }
        let suspects = statistics.holders(heldAtLeast: threshold)
        let fresh = reportedLeaks.withLock { reported -> [LeaseHolder] in
            let current = Set(statistics.holders.map(\.requestID))
            reported.formIntersection(current)
            let new = suspects.filter { !reported.contains($0.requestID) }
            reported.formUnion(new.map(\.requestID))
            return new
        }
        for holder in fresh {
            reporter.metrics.leaks.increment()
            reporter.logger.warning("duckpool connection held longer than the leak threshold", metadata: [
                "duckpool.connection.id": "\(holder.connectionID)",
                "duckpool.acquired_at": "\(holder.file):\(holder.line)",
                "duckpool.held_for": "\(holder.heldFor)",
            ])
        }
    }
}

/// What a lease produced, and whether its connection may be reused.
struct LeaseOutcome<T> {
    var result: Result<T, any Error>
    var reusable: Bool

    /// The result. An interruption caused by the caller's cancellation becomes
    /// `CancellationError`; one caused by the deadline becomes ``DuckDBError/Code/timedOut``.
    func value(cancelled: Bool, timedOutAfter timeout: Duration?) throws -> T {
        switch result {
        case .success(let value):
            return value
        case .failure(let error as DuckDBError) where cancelled && error.code == .interrupted:
            throw CancellationError()
        case .failure(let error as DuckDBError) where timeout != nil && error.code == .interrupted:
            throw DuckDBError(
                code: .timedOut,
                message: "the call ran past its \(timeout.map { "\($0)" } ?? "") deadline and its query was interrupted",
                sql: error.sql
            )
        case .failure(let error):
            throw error
        }
    }
}

extension LeaseOutcome: Sendable where T: Sendable {}
