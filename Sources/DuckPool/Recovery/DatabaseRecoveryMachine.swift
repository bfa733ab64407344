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
struct DatabaseRecoveryMachine: Sendable, Equatable {
    /// What the shell must do after an event.
    enum Action: Sendable, Hashable {
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
    let policy: RetryPolicy
    /// The newest generation: the one in use when healthy, the one being replaced otherwise.
    private(set) var generation = 0
    /// Where the recovery stands.
    private(set) var phase: DatabaseRecoveryStatus.Phase = .healthy
    /// Invalidations recognised (one per generation).
    private(set) var invalidations = 0
    /// Successful reopens.
    private(set) var reopens = 0
    /// Failed reopen attempts.
    private(set) var reopenFailures = 0
    /// Failed attempts in the current recovery.
    private(set) var consecutiveFailures = 0

    /// Starts healthy at generation 0.
    init(policy: RetryPolicy) {
        self.policy = policy
    }

    /// Whether callers should wait for a reopen (true while draining, reopening or backing off).
    var isRecovering: Bool {
        switch self.phase {
        case .draining, .reopening, .waitingToRetry: true
        case .healthy, .failed, .closed: false
        }
    }

    /// Generation `generation` was found invalidated. Starts a recovery if it is the current
    /// generation and it was healthy; otherwise (an old generation, or already known) `.none`.
    mutating func invalidated(generation: Int) -> Action {
        guard self.phase == .healthy, generation == self.generation else { return .none }
        self.phase = .draining
        self.invalidations += 1
        self.consecutiveFailures = 0
        return .drain(generation: generation)
    }

    /// Every handle on the invalidated generation is closed: attempt 1 starts.
    mutating func drained() -> Action {
        guard self.phase == .draining else { return .none }
        self.phase = .reopening(attempt: 1)
        return .reopen(generation: self.generation + 1, attempt: 1)
    }

    /// The running attempt opened a working instance: it becomes the current generation.
    mutating func reopenSucceeded() -> Action {
        guard case .reopening = self.phase else { return .none }
        self.generation += 1
        self.reopens += 1
        self.consecutiveFailures = 0
        self.phase = .healthy
        return .resumeWaiters(generation: self.generation)
    }

    /// The running attempt failed, `elapsed` after this recovery's first attempt started. Backs
    /// off (jittered by `randomUnit`, in `0..<1`), or gives up when the policy has no attempt
    /// left (``RetryPolicy/nextDelay(afterFailures:elapsed:randomUnit:)`` is nil).
    mutating func reopenFailed(randomUnit: Double, elapsed: Duration) -> Action {
        guard case .reopening(let attempt) = self.phase else { return .none }
        self.reopenFailures += 1
        self.consecutiveFailures += 1
        guard let delay = self.policy.nextDelay(afterFailures: self.consecutiveFailures, elapsed: elapsed, randomUnit: randomUnit) else {
            self.phase = .failed
            return .failWaiters
        }
        self.phase = .waitingToRetry(attempt: attempt + 1)
        return .retry(after: delay, failures: self.consecutiveFailures)
    }

    /// The backoff passed: the next attempt starts.
    mutating func retryDue() -> Action {
        guard case .waitingToRetry(let attempt) = self.phase else { return .none }
        self.phase = .reopening(attempt: attempt)
        return .reopen(generation: self.generation + 1, attempt: attempt)
    }

    /// The pool closes: recovery stops; waiters fail unless the phase was healthy or already
    /// failed (then nobody waits).
    mutating func close() -> Action {
        let wasRecovering = self.isRecovering
        self.phase = .closed
        return wasRecovering ? .failWaiters : .none
    }
}
