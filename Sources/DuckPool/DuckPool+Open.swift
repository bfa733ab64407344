public import CoreMetrics
public import Logging

/// Opening a pool from async code.
extension DuckPool {
    /// Opens `path` and starts a pool, without blocking a cooperative thread: the file is opened
    /// on a Dispatch queue, and with ``DuckPoolConfiguration/openTimeout`` the wait for another
    /// process's lock suspends the task. The async counterpart of
    /// ``init(path:configuration:logger:metricsFactory:)``.
    ///
    /// - Throws: what the initializer throws; `CancellationError` when the task is cancelled
    ///   while it waits for the lock.
    public static func open(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) async throws -> DuckPool {
        try await open(path: path, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: .continuous)
    }

    /// ``open(path:configuration:logger:metricsFactory:)`` on an injected clock.
    package static func open(
        path: String, configuration: DuckPoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, clock: PoolClock
    ) async throws -> DuckPool {
        try await open(target: .file(path), configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: clock)
    }

    /// Opens `target` and starts a pool on it without blocking a cooperative thread. The async
    /// counterpart of ``init(target:configuration:logger:metricsFactory:)``.
    ///
    /// ```swift
    /// let token = try String(contentsOfFile: "/etc/factorweave/quack.token", encoding: .utf8)
    /// let pool = try await DuckPool.open(target: .quack(QuackServer(host: "127.0.0.1", port: 9494, token: token)))
    /// ```
    ///
    /// - Throws: what the initializer throws; `CancellationError`.
    public static func open(
        target: DuckPoolTarget,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) async throws -> DuckPool {
        try await open(target: target, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: .continuous)
    }

    /// ``open(target:configuration:logger:metricsFactory:)`` on an injected clock.
    package static func open(
        target: DuckPoolTarget, configuration: DuckPoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, clock: PoolClock
    ) async throws -> DuckPool {
        try configuration.validate()
        let session = TargetSession(target: target)
        let database = try await DatabaseOpening.open(path: session.databasePath, configuration: configuration, clock: clock, logger: logger)
        return DuckPool(target: session, database: database, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: clock)
    }
}
