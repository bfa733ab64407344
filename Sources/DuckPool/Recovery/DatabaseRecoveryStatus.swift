/// Where the pool's database stands after DuckDB invalidations: part of ``DuckPoolStatus``.
/// Value type.
public struct DatabaseRecoveryStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where a recovery stands.
    public enum Phase: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The current generation is usable.
        case healthy
        /// The current generation was invalidated; its handles are being closed.
        case draining
        /// Reopen attempt number `attempt` is running.
        case reopening(attempt: Int)
        /// Attempt `attempt - 1` failed; attempt `attempt` starts after the backoff.
        case waitingToRetry(attempt: Int)
        /// The reopen policy had no attempt left; the pool gave up.
        case failed
        /// The pool closed.
        case closed

        public var description: String {
            switch self {
            case .healthy: "healthy"
            case .draining: "draining"
            case .reopening(let attempt): "reopening (attempt \(attempt))"
            case .waitingToRetry(let attempt): "waiting to retry (attempt \(attempt))"
            case .failed: "failed"
            case .closed: "closed"
            }
        }
    }


    /// Where the recovery stands.
    public var phase: Phase
    /// The newest database generation (0: the instance opened first).
    public var generation: Int
    /// Invalidations recognised since the pool opened.
    public var invalidations: Int
    /// Successful reopens.
    public var reopens: Int
    /// Failed reopen attempts.
    public var reopenFailures: Int

    /// Creates a snapshot.
    public init(phase: Phase, generation: Int, invalidations: Int, reopens: Int, reopenFailures: Int) {
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
