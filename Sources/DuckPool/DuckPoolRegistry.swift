import Foundation
public import Logging
import DuckPoolCore
import DuckPoolSupport

/// One pool per database path per process.
///
/// ``pool(path:configuration:logger:)`` hands back the open pool for a path, or opens one, and
/// keeps it until it is closed or ``remove(path:)`` takes it out: a caller may ask for the pool
/// every time it needs it, without keeping it. Asking for a path that is open with a different
/// configuration is refused, so two parts of a program cannot silently disagree about pool sizes
/// or DuckDB options.
///
/// ```swift
/// let pool = try await DuckPoolRegistry.pool(path: "factorweave.duckdb")
/// ```
///
/// **Thread-safety:** all methods are thread-safe.
public enum DuckPoolRegistry {
    private static let pools = LockedValue<[String: DuckPool]>([:])

    /// The open pool for `path`, or a new one; blocks while it opens. In async code use the
    /// async overload.
    /// - Throws: ``DuckPoolError/Code/configurationConflict`` when the path's pool was opened
    ///   with another configuration; the errors of ``DuckPool/init(path:configuration:logger:metricsFactory:)``.
    @available(*, noasync, message: "opening blocks the calling thread; use the async pool(path:...) in async code")
    public static func pool(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger
    ) throws -> DuckPool {
        if let existing = try registered(path, configuration) { return existing }
        return try register(DuckPool(path: path, configuration: configuration, logger: logger), configuration)
    }

    /// The open pool for `path`, or a new one, opened without blocking a cooperative thread.
    /// - Throws: as the blocking overload, and `CancellationError`.
    public static func pool(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = DuckPool.silentLogger
    ) async throws -> DuckPool {
        if let existing = try registered(path, configuration) { return existing }
        let opened = try await DuckPool.open(path: path, configuration: configuration, logger: logger)
        do {
            return try register(opened, configuration)
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Takes the pool for `path` out of the registry and returns it, without closing it. The
    /// next ``pool(path:configuration:logger:)`` opens a new one.
    @discardableResult
    public static func remove(path: String) -> DuckPool? {
        pools.withLock { $0.removeValue(forKey: canonical(path)) }
    }

    /// Forgets a pool that closed.
    static func forget(_ pool: DuckPool) {
        let key = canonical(pool.path)
        pools.withLock { pools in
            if pools[key] === pool { pools[key] = nil }
        }
    }

    /// The registered, running pool for `path`; nil when there is none.
    private static func registered(_ path: String, _ configuration: DuckPoolConfiguration) throws(DuckPoolError) -> DuckPool? {
        let key = canonical(path)
        let existing = pools.withLock { pools -> DuckPool? in
            guard let pool = pools[key], !pool.isClosing else { return nil }
            return pool
        }
        guard let existing else { return nil }
        guard existing.configuration == configuration else { throw conflict(key) }
        return existing
    }

    /// Registers `opened`, or returns the pool another caller registered first (`opened` is then
    /// not needed: the caller drops it, which shuts it down).
    private static func register(_ opened: DuckPool, _ configuration: DuckPoolConfiguration) throws(DuckPoolError) -> DuckPool {
        let key = canonical(opened.path)
        let winner = pools.withLock { pools -> DuckPool in
            if let pool = pools[key], !pool.isClosing { return pool }
            pools[key] = opened
            return opened
        }
        guard winner === opened || winner.configuration == configuration else { throw conflict(key) }
        return winner
    }

    private static func conflict(_ key: String) -> DuckPoolError {
        DuckPoolError(code: .configurationConflict, message: "a pool for \(key) is already open with a different configuration")
    }

    private static func canonical(_ path: String) -> String {
        path == ":memory:" ? path : URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
