/// How a pool reopens a database instance that DuckDB invalidated after a fatal error.
///
/// After the n-th failed reopen attempt the pool waits `initialDelay * 2^(n-1)` (never more than
/// `maximumDelay`), shortened by a random fraction of up to `jitter` of it, before it tries
/// again. With `maxAttempts` set, it gives up after that many failed attempts in a row; callers
/// then fail fast until the pool is closed and made anew.
///
/// Value type; thread-safe.
public struct ReopenPolicy: Sendable, Hashable {
    /// The wait after the first failed attempt. Default 100 ms. Must be positive.
    public var initialDelay: Duration
    /// The longest wait between two attempts. Default 10 s. Must be `>= initialDelay`.
    public var maximumDelay: Duration
    /// Failed attempts in a row after which the pool gives up. Default nil: it never gives up.
    /// Must be `>= 1` when set.
    public var maxAttempts: Int?
    /// The largest fraction of a wait that is randomly cut off, in `0...1`, so that several
    /// processes reopening one file do not retry in lockstep. Default 0.5; 0 disables jitter.
    public var jitter: Double

    /// Creates a policy; every argument defaults to the documented default.
    public init(
        initialDelay: Duration = .milliseconds(100),
        maximumDelay: Duration = .seconds(10),
        maxAttempts: Int? = nil,
        jitter: Double = 0.5
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maxAttempts = maxAttempts
        self.jitter = jitter
    }

    /// The wait after `failures` failed attempts in a row, before jitter: `initialDelay` doubled
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

    /// The jittered wait after `failures` failed attempts: the ceiling, shortened by
    /// `jitter * randomUnit` of it. `randomUnit` must lie in `0..<1` (tests pass a fixed one).
    public func delay(afterFailures failures: Int, randomUnit: Double) -> Duration {
        let ceiling = self.ceiling(afterFailures: failures)
        let unit = min(max(randomUnit, 0), 1)
        return ceiling * (1 - self.jitter * unit)
    }

    /// Checks the values.
    ///
    /// - Throws: ``ConnectionPoolError/Code/invalidConfiguration`` naming the field
    ///   (`reopen.initialDelay`, `reopen.maximumDelay`, `reopen.maxAttempts`, `reopen.jitter`).
    public func validate() throws(ConnectionPoolError) {
        guard self.initialDelay > .zero else {
            throw .invalidConfiguration(field: "reopen.initialDelay", reason: "must be positive, got \(self.initialDelay)")
        }
        guard self.maximumDelay >= self.initialDelay else {
            throw .invalidConfiguration(
                field: "reopen.maximumDelay",
                reason: "must be >= reopen.initialDelay (\(self.initialDelay)), got \(self.maximumDelay)"
            )
        }
        if let maxAttempts = self.maxAttempts, maxAttempts < 1 {
            throw .invalidConfiguration(field: "reopen.maxAttempts", reason: "must be >= 1 or nil, got \(maxAttempts)")
        }
        guard self.jitter >= 0, self.jitter <= 1 else {
            throw .invalidConfiguration(field: "reopen.jitter", reason: "must lie in 0...1, got \(self.jitter)")
        }
    }
}
