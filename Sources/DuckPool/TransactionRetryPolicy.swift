import DuckPoolSupport

/// How ``DuckPool/transaction(retry:timeout:file:line:_:)`` retries DuckDB's optimistic
/// concurrency conflicts ("Conflict on update"): the whole closure runs again in a new
/// transaction, after a jittered exponential backoff. Other errors are never retried.
///
/// Value type; thread-safe.
public struct TransactionRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 means no retry. Default 10.
    public var maxAttempts: Int
    /// The backoff ceiling after the first conflict; it doubles per attempt. Default 1 ms.
    public var initialBackoff: Duration
    /// The largest backoff ceiling. Default 100 ms.
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 10, initialBackoff: Duration = .milliseconds(1), maxBackoff: Duration = .milliseconds(100)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// No retry: a conflict is thrown at once.
    public static let none = TransactionRetryPolicy(maxAttempts: 1)

    /// "Full jitter": a uniformly random wait between zero and the attempt's ceiling, so that
    /// the transactions that collided do not collide again in lockstep.
    func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(initialBackoff * (1 << exponent), maxBackoff)
        let nanoseconds = max(0, ceiling.nanoseconds)
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
