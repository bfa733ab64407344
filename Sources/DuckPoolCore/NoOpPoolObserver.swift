/// A ``PoolObserver`` that ignores every event; the default observer of a ``ConnectionPool``.
public struct NoOpPoolObserver: PoolObserver {
    /// Creates the no-op observer.
    public init() {}
}
