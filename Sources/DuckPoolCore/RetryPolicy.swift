import DuckPoolSupport

/// When, and how often, a failed operation is tried again: exponential backoff with jitter and a
/// cap, bounded by a number of attempts and by a time budget. The package's one retry type: the
/// pool's connection attempts, the reopening of an invalidated database, transaction-conflict
/// retries and the wait for a locked database file all use it.
///
/// After the n-th failure in a row the wait's *ceiling* is `initialDelay * 2^(n-1)`, capped at
/// `maximumDelay`; ``jitter`` then picks the actual wait below the ceiling, so that callers that
/// failed together do not retry in lockstep. No new attempt starts once ``maxAttempts`` attempts
/// ran, or once ``budget`` has passed since the first attempt started; a wait that would end
/// after the budget is shortened so that the last attempt starts exactly when the budget ends,
/// never earlier.
///
/// ```swift
/// // Try for up to 5 s, waiting 10 ms, 20 ms, 40 ms, ... 500 ms between attempts.
/// let policy = RetryPolicy(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(500), budget: .seconds(5))
/// ```
///
/// Value type; thread-safe.
public struct RetryPolicy: Sendable, Hashable {
    /// How the actual wait is chosen below the ceiling.
    public enum Jitter: Sendable, Hashable {
        /// Always the ceiling.
        case none
        /// Uniformly random between zero and the ceiling ("full jitter"): the best spread for
        /// many callers contending for one resource.
        case full
        /// The ceiling shortened by a random fraction of it of at most `fraction` (in `0...1`).
        case proportional(Double)
    }

    /// The wait ceiling after the first failure. Must be positive.
    public var initialDelay: Duration
    /// The largest wait ceiling. Must be `>= initialDelay`.
    public var maximumDelay: Duration
    /// How the wait is picked below the ceiling. Default ``Jitter/none``.
    public var jitter: Jitter
    /// Attempts in all, the first included; `1` means no retry. `nil`: no limit. Default `nil`.
    /// Must be `>= 1` when set.
    public var maxAttempts: Int?
    /// How long after the first attempt started the last attempt may start. `nil`: no limit.
    /// Default `nil`. Must not be negative when set.
    public var budget: Duration?

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - initialDelay: The first wait's ceiling. Default 100 ms.
    ///   - maximumDelay: The cap on the ceiling. Default 10 s.
    ///   - jitter: Default ``Jitter/none``.
    ///   - maxAttempts: Default `nil` (no limit).
    ///   - budget: Default `nil` (no limit).
    public init(
        initialDelay: Duration = .milliseconds(100),
        maximumDelay: Duration = .seconds(10),
        jitter: Jitter = .none,
        maxAttempts: Int? = nil,
        budget: Duration? = nil
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.jitter = jitter
        self.maxAttempts = maxAttempts
        self.budget = budget
    }

    /// One attempt, no retry.
    public static let none = RetryPolicy(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1), maxAttempts: 1)

    /// The wait ceiling after `failures` failures in a row: `initialDelay` doubled
    /// `failures - 1` times, capped at `maximumDelay`; `.zero` when `failures < 1`.
    public func ceiling(afterFailures failures: Int) -> Duration {
        guard failures >= 1 else { return .zero }
        var delay = self.initialDelay
        for _ in 1..<failures {
            if delay >= self.maximumDelay { break }
            delay = delay * 2
        }
        return min(delay, self.maximumDelay)
    }

    /// The wait after `failures` failures in a row, with jitter drawn from `randomUnit` (a
    /// uniform number in `0..<1`; tests pass a fixed one). Ignores the limits: see
    /// ``nextDelay(afterFailures:elapsed:randomUnit:)``.
    public func delay(afterFailures failures: Int, randomUnit: Double) -> Duration {
        let ceiling = self.ceiling(afterFailures: failures)
        let unit = min(max(randomUnit, 0), 1)
        switch self.jitter {
        case .none: return ceiling
        case .full: return ceiling.scaled(by: unit)
        case .proportional(let fraction): return ceiling.scaled(by: 1 - fraction * unit)
        }
    }

    /// The wait before the next attempt, after `failures` failures in a row and `elapsed` since
    /// the first attempt started; `nil` when no attempt is left. A wait that would end after
    /// the ``budget`` ends exactly at it.
    public func nextDelay(afterFailures failures: Int, elapsed: Duration, randomUnit: Double) -> Duration? {
        if let maxAttempts = self.maxAttempts, failures >= maxAttempts { return nil }
        let delay = self.delay(afterFailures: failures, randomUnit: randomUnit)
        guard let budget = self.budget else { return delay }
        let remaining = budget - elapsed
        guard remaining > .zero else { return nil }
        return min(delay, remaining)
    }

    /// Checks the values.
    ///
    /// - Parameter field: The configuration property that holds this policy, for the error
    ///   (for example `"reopen"`).
    /// - Throws: ``ConnectionPoolError/Code/invalidConfiguration`` naming the offending field
    ///   (`"\(field).initialDelay"`, ...).
    public func validate(as field: String) throws(ConnectionPoolError) {
        guard self.initialDelay > .zero else {
            throw .invalidConfiguration(field: "\(field).initialDelay", reason: "must be positive, got \(self.initialDelay)")
        }
        guard self.maximumDelay >= self.initialDelay else {
            throw .invalidConfiguration(
                field: "\(field).maximumDelay",
                reason: "must be >= \(field).initialDelay (\(self.initialDelay)), got \(self.maximumDelay)"
            )
        }
        if case .proportional(let fraction) = self.jitter, !(0...1).contains(fraction) {
            throw .invalidConfiguration(field: "\(field).jitter", reason: "must lie in 0...1, got \(fraction)")
        }
        if let maxAttempts = self.maxAttempts, maxAttempts < 1 {
            throw .invalidConfiguration(field: "\(field).maxAttempts", reason: "must be >= 1 or nil, got \(maxAttempts)")
        }
        if let budget = self.budget, budget < .zero {
            throw .invalidConfiguration(field: "\(field).budget", reason: "must not be negative, got \(budget)")
        }
    }
}
