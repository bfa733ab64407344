/// Why the pool closed a connection; passed to ``PoolObserver/connectionClosed(id:reason:)``.
public enum ConnectionCloseReason: Sendable, Hashable, CustomStringConvertible {
    /// The connection reached ``PoolConfiguration/maxLifetime`` (counted in
    /// ``PoolStatistics/totalRecycled``).
    case lifetime
    /// The connection stayed idle for ``PoolConfiguration/idleTimeout`` while the pool held more
    /// than ``PoolConfiguration/minimumConnections``.
    case idle
    /// ``ConnectionFactory/validate(_:)`` returned `false` for it.
    case validationFailed
    /// Its holder released it with `reusable: false`.
    case notReusable
    /// The pool is shutting down.
    case shutdown
    /// ``ConnectionPool/recreate()`` replaced it.
    case recreate
    /// ``ConnectionPool/resize(minimum:maximum:)`` lowered the maximum below the pool's size.
    case poolShrunk
    /// The factory returned a connection whose id differs from the one it was asked for.
    case unexpectedConnection

    /// A short lowercase name, e.g. `"lifetime"` or `"validation failed"`.
    public var description: String {
        switch self {
        case .lifetime: "lifetime"
        case .idle: "idle"
        case .validationFailed: "validation failed"
        case .notReusable: "not reusable"
        case .shutdown: "shutdown"
        case .recreate: "recreate"
        case .poolShrunk: "pool shrunk"
        case .unexpectedConnection: "unexpected connection"
        }
    }
}
