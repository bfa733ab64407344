extension PoolConfiguration {
    /// The order in which idle connections are reused.
    public enum ReuseOrder: Sendable, Hashable {
        /// Last in, first out: the most recently returned connection is handed out next. Keeps a
        /// small set of connections busy (warm caches) and lets the others reach the idle timeout.
        case lifo
        /// First in, first out: the connection that has been idle longest is handed out next.
        /// Spreads the work evenly over all connections.
        case fifo
    }
}
