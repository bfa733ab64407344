import DuckPoolSupport
import Foundation
public import Logging
import DuckPoolCore

/// One pool per database path per process: the seed's "singleton per database path".
///
/// ``pool(path:configuration:logger:)`` hands back the open pool for a path, or opens one.
/// Asking for a path that is open with a different configuration is refused, so two parts of
/// a program cannot silently disagree about pool sizes or DuckDB options. A pool leaves the
/// registry when it is closed.
///
/// **Thread-safety:** all methods are thread-safe.
public enum DuckPoolRegistry {
    private static let pools = LockedValue<[String: WeakPool]>([:])

    private struct WeakPool {
        weak var pool: DuckPool?
    }

    /// The open pool for `path`, or a new one.
    /// - Throws: ``DuckDBError/Code/configurationConflict`` when the path's pool was opened with
    ///   another configuration; the errors of ``DuckPool/init(path:configuration:logger:)``.
    public static func pool(
        path: String,
        configuration: DuckPoolConfiguration = DuckPoolConfiguration(),
        logger: Logger = Logger(label: "duckpool")
    ) throws(DuckDBError) -> DuckPool {
        let key = canonical(path)
        let result: Result<DuckPool, DuckDBError> = pools.withLock { pools in
            if let existing = pools[key]?.pool, !existing.isClosing {
                guard existing.configuration == configuration else {
                    return .failure(DuckDBError(
                        code: .configurationConflict,
                        message: "a pool for \(key) is already open with a different configuration"
                    ))
                }
                return .success(existing)
            }
            do throws(DuckDBError) {
                let pool = try DuckPool(path: path, configuration: configuration, logger: logger)
                pools[key] = WeakPool(pool: pool)
                return .success(pool)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func forget(_ pool: DuckPool) {
        let key = canonical(pool.path)
        pools.withLock { pools in
            if pools[key]?.pool === pool || pools[key]?.pool == nil { pools[key] = nil }
        }
    }

    private static func canonical(_ path: String) -> String {
        path == ":memory:" ? path : URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

extension DuckPool {
    var isClosing: Bool { core.statistics.lifecycle != .running }
}
