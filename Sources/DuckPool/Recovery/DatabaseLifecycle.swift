/// What ``DatabaseRecovery`` needs from the layer that owns the database: closing every handle
/// on an invalidated instance, and opening a new one.
///
/// The recovery calls one method at a time, from its own task.
protocol DatabaseLifecycle: Sendable {
    /// Ends every use of generation `generation`: interrupts what runs on it, waits until every
    /// handle on it is closed (idle connections at once, leased ones when their holders return
    /// them) and closes the database handle. Returns once the instance can be destroyed.
    func drain(generation: Int) async

    /// Opens the database anew as generation `generation` and proves that it works.
    ///
    /// - Throws: Any error; the recovery backs off and tries again (see ``DuckPoolConfiguration/reopen``).
    func reopen(generation: Int) async throws
}

/// Receives the events of a ``DatabaseRecovery``, for logs and metrics. Every method has an
/// empty default. Called outside any lock, from the recovery's task or the reporting caller;
/// implementations must be thread-safe and fast.
protocol DatabaseRecoveryObserver: Sendable {
    /// Generation `generation` was invalidated; a recovery starts.
    func databaseInvalidated(generation: Int)
    /// Reopen attempt `attempt` failed with `error`; the next one starts after `retryIn`, or
    /// never (`nil`: the recovery gave up).
    func reopenAttemptFailed(attempt: Int, error: any Error, retryIn: Duration?)
    /// Reopen attempt `attempt` started.
    func reopenAttemptStarted(attempt: Int)
    /// Generation `generation` is open and usable, after `attempts` attempts.
    func databaseReopened(generation: Int, attempts: Int)
}

extension DatabaseRecoveryObserver {
    /// Default: ignored.
    func databaseInvalidated(generation: Int) {}
    /// Default: ignored.
    func reopenAttemptFailed(attempt: Int, error: any Error, retryIn: Duration?) {}
    /// Default: ignored.
    func reopenAttemptStarted(attempt: Int) {}
    /// Default: ignored.
    func databaseReopened(generation: Int, attempts: Int) {}
}

/// An observer that ignores every event.
struct NoOpDatabaseRecoveryObserver: DatabaseRecoveryObserver {
    /// Creates the observer.
    init() {}
}

/// Why ``DatabaseRecovery/waitUntilUsable()`` could not return a usable generation.
struct DatabaseUnavailableError: Error, CustomStringConvertible {
    /// Why the database is unavailable.
    enum Reason: Sendable, Hashable {
        /// The reopen policy had no attempt left (``DuckPoolConfiguration/reopen``).
        case gaveUp
        /// The pool closed.
        case closed
    }

    /// Why the database is unavailable.
    var reason: Reason
    /// The last reopen attempt's error, when there was one.
    var lastError: (any Error)?

    var description: String {
        switch self.reason {
        case .gaveUp:
            "the database was invalidated and every reopen attempt failed; last error: \(self.lastError.map { "\($0)" } ?? "none")"
        case .closed:
            "the pool closed while the database was being reopened"
        }
    }
}
