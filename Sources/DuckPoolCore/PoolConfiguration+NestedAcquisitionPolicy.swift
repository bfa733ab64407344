extension PoolConfiguration {
    /// What a scoped lease does when the same task (or thread) already holds a connection of the
    /// same pool in an enclosing `withLease`/`withLeaseBlocking` scope.
    ///
    /// Only the scoped APIs look at this; plain `lease()`/`leaseBlocking()` always ask for a new
    /// connection. Child tasks do not count as the same task: they lease their own connection.
    public enum NestedAcquisitionPolicy: Sendable, Hashable {
        /// The inner scope receives the connection the outer scope holds, and does not release it
        /// when it ends (the outer scope still owns it). Avoids the classic self-deadlock of a
        /// task that waits for a second connection while holding the last one.
        case reuseHeldConnection
        /// The inner scope throws ``ConnectionPoolError/Code/nestedAcquisition`` at once.
        case fail
    }
}
