/// What ``DatabaseRecovery`` needs from the layer that owns the database: closing every handle
/// on an invalidated instance, and opening a new one.
///
/// The recovery calls one method at a time, from its own task.
public protocol DatabaseLifecycle: Sendable {
    /// Ends every use of generation `generation`: interrupts what runs on it, waits until every
    /// handle on it is closed (idle connections at once, leased ones when their holders return
    /// them) and closes the database handle. Returns once the instance can be destroyed.
    func drain(generation: Int) async

    /// Opens the database anew as generation `generation` and proves that it works.
    ///
    /// - Throws: Any error; the recovery backs off and tries again (see ``ReopenPolicy``).
    func reopen(generation: Int) async throws
}

/// Receives the events of a ``DatabaseRecovery``, for logs and metrics. Every method has an
/// empty default. Called outside any lock, from the recovery's task or the reporting caller;
/// implementations must be thread-safe and fast.
public protocol DatabaseRecoveryObserver: Sendable {
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
    public func databaseInvalidated(generation: Int) {}
    /// Default: ignored.
    public func reopenAttemptFailed(attempt: Int, error: any Error, retryIn: Duration?) {}
    /// Default: ignored.
    public func reopenAttemptStarted(attempt: Int) {}
    /// Default: ignored.
    public func databaseReopened(generation: Int, attempts: Int) {}
}

/// An observer that ignores every event.
public struct NoOpDatabaseRecoveryObserver: DatabaseRecoveryObserver {
    /// Creates the observer.
    public init() {}
}

/// Why ``DatabaseRecovery/waitUntilUsable()`` could not return a usable generation.
public struct DatabaseUnavailableError: Error, CustomStringConvertible {
    /// Why the database is unavailable.
    public enum Reason: Sendable, Hashable {
        /// ``ReopenPolicy/maxAttempts`` reopen attempts failed in a row.
        case gaveUp
        /// The pool closed.
        case closed
    }

    /// Why the database is unavailable.
    public var reason: Reason
    /// The last reopen attempt's error, when there was one.
    public var lastError: (any Error)?

    public var description: String {
        switch self.reason {
        case .gaveUp:
            "the database was invalidated and every reopen attempt failed; last error: \(self.lastError.map { "\($0)" } ?? "none")"
        case .closed:
            "the pool closed while the database was being reopened"
        }
    }
}

/// A snapshot of a ``DatabaseRecovery``. Value type.
public struct DatabaseRecoveryStatus: Sendable, Hashable, CustomStringConvertible {
    /// Where the recovery stands.
    public var phase: DatabaseRecoveryMachine.Phase
    /// The newest database generation (0: the instance opened first).
    public var generation: Int
    /// Invalidations recognised since the pool opened.
    public var invalidations: Int
    /// Successful reopens.
    public var reopens: Int
    /// Failed reopen attempts.
    public var reopenFailures: Int

    /// Creates a snapshot.
    public init(phase: DatabaseRecoveryMachine.Phase, generation: Int, invalidations: Int, reopens: Int, reopenFailures: Int) {
        self.phase = phase
        self.generation = generation
        self.invalidations = invalidations
        self.reopens = reopens
        self.reopenFailures = reopenFailures
    }

    public var description: String {
        "database[\(self.phase), generation \(self.generation), invalidations \(self.invalidations), reopens \(self.reopens), reopen failures \(self.reopenFailures)]"
    }
}
