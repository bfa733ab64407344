/// The logic of reopening an invalidated database, as a value type: each `mutating` method takes
/// an event and returns what to do next. No I/O, no locks, no clock (see ``DatabaseRecovery``
/// for the shell that runs it).
///
/// Every database instance the pool opens is a *generation*, numbered from 0. The life of one
/// invalidation:
///
/// ```
/// healthy(g) ──invalidated(g)──▶ draining(g) ──drained──▶ reopening(attempt 1)
///     ▲                                                      │        │
///     └──────────────reopenSucceeded: healthy(g+1)───────────┘        │ reopenFailed
///                                  waitingToRetry(attempt n+1) ◀──────┘ (or failed after maxAttempts)
///                                         └──retryDue──▶ reopening(attempt n+1)
/// ```
///
/// Reports of an older generation, or repeated reports while recovering, change nothing.
/// ``close()`` ends every phase.
public struct DatabaseRecoveryMachine: Sendable, Equatable {
    /// Where the recovery stands.
    public enum Phase: Sendable, Hashable, CustomStringConvertible {
        /// The current generation is usable.
        case healthy
        /// The current generation was invalidated; its handles are being closed.
        case draining
        /// Reopen attempt number `attempt` is running.
        case reopening(attempt: Int)
        /// Attempt `attempt - 1` failed; attempt `attempt` starts after the backoff.
        case waitingToRetry(attempt: Int)
        /// ``ReopenPolicy/maxAttempts`` attempts failed in a row; the pool gave up.
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

    /// What the shell must do after an event.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Close every handle on generation `generation` (interrupt its queries first), then
        /// report ``drained()``.
        case drain(generation: Int)
        /// Open the database as generation `generation`, then report ``reopenSucceeded()`` or
        /// ``reopenFailed(randomUnit:)``.
        case reopen(generation: Int, attempt: Int)
        /// Wait `delay`, then report ``retryDue()``.
        case retry(after: Duration, failures: Int)
        /// Generation `generation` is usable: wake everyone who waits for it.
        case resumeWaiters(generation: Int)
        /// Recovery ended without a usable database (gave up, or closed): fail everyone who waits.
        case failWaiters
    }

    /// The reopen backoff.
    public let policy: ReopenPolicy
    /// The newest generation: the one in use when healthy, the one being replaced otherwise.
    public private(set) var generation = 0
    /// Where the recovery stands.
    public private(set) var phase = Phase.healthy
    /// Invalidations recognised (one per generation).
    public private(set) var invalidations = 0
    /// Successful reopens.
    public private(set) var reopens = 0
    /// Failed reopen attempts.
    public private(set) var reopenFailures = 0
    /// Failed attempts in the current recovery.
    public private(set) var consecutiveFailures = 0

    /// Starts healthy at generation 0.
    public init(policy: ReopenPolicy) {
        self.policy = policy
    }

    /// Whether callers should wait for a reopen (true while draining, reopening or backing off).
    public var isRecovering: Bool {
        switch self.phase {
        case .draining, .reopening, .waitingToRetry: true
        case .healthy, .failed, .closed: false
        }
    }

    /// Generation `generation` was found invalidated. Starts a recovery if it is the current
    /// generation and it was healthy; otherwise (an old generation, or already known) `.none`.
    public mutating func invalidated(generation: Int) -> Action {
        guard self.phase == .healthy, generation == self.generation else { return .none }
        self.phase = .draining
        self.invalidations += 1
        self.consecutiveFailures = 0
        return .drain(generation: generation)
    }

    /// Every handle on the invalidated generation is closed: attempt 1 starts.
    public mutating func drained() -> Action {
        guard self.phase == .draining else { return .none }
        self.phase = .reopening(attempt: 1)
        return .reopen(generation: self.generation + 1, attempt: 1)
    }

    /// The running attempt opened a working instance: it becomes the current generation.
    public mutating func reopenSucceeded() -> Action {
        guard case .reopening = self.phase else { return .none }
        self.generation += 1
        self.reopens += 1
        self.consecutiveFailures = 0
        self.phase = .healthy
        return .resumeWaiters(generation: self.generation)
    }

    /// The running attempt failed. Backs off (jittered by `randomUnit`, in `0..<1`), or gives up
    /// after ``ReopenPolicy/maxAttempts`` failures in a row.
    public mutating func reopenFailed(randomUnit: Double) -> Action {
        guard case .reopening(let attempt) = self.phase else { return .none }
        self.reopenFailures += 1
        self.consecutiveFailures += 1
        if let maxAttempts = self.policy.maxAttempts, attempt >= maxAttempts {
            self.phase = .failed
            return .failWaiters
        }
        self.phase = .waitingToRetry(attempt: attempt + 1)
        let delay = self.policy.delay(afterFailures: self.consecutiveFailures, randomUnit: randomUnit)
        return .retry(after: delay, failures: self.consecutiveFailures)
    }

    /// The backoff passed: the next attempt starts.
    public mutating func retryDue() -> Action {
        guard case .waitingToRetry(let attempt) = self.phase else { return .none }
        self.phase = .reopening(attempt: attempt)
        return .reopen(generation: self.generation + 1, attempt: attempt)
    }

    /// The pool closes: recovery stops; waiters fail unless the phase was healthy or already
    /// failed (then nobody waits).
    public mutating func close() -> Action {
        let wasRecovering = self.isRecovering
        self.phase = .closed
        return wasRecovering ? .failWaiters : .none
    }
}
