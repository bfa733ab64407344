public import DuckPoolCore

/// The retry policies DuckPool uses by default. Value types; thread-safe.
extension RetryPolicy {
    /// The default for ``DuckPoolConfiguration/reopen``: 100 ms doubling to 10 s, each wait cut
    /// by up to half at random so that processes reopening one file do not retry in lockstep;
    /// never gives up.
    public static let reopenDefault = RetryPolicy(
        initialDelay: .milliseconds(100), maximumDelay: .seconds(10), jitter: .proportional(0.5)
    )

    /// The recommended policy for ``DuckPool/transaction(retry:timeout:deadline:file:line:_:)``:
    /// full jitter from 2 ms doubling to 200 ms, up to 200 attempts (no time budget: a slow or
    /// busy machine makes each attempt slower, not more likely to conflict, so a count keeps
    /// the outcome independent of speed), so that many tasks incrementing one hot row all
    /// commit. The waits add up to about 20 s at most; pass `deadline:` to bound the whole
    /// call in time. A transaction still conflicting after 200 attempts fails with
    /// ``DuckPoolError/Code/transactionConflict``.
    public static let transactionConflicts = RetryPolicy(
        initialDelay: .milliseconds(2), maximumDelay: .milliseconds(200), jitter: .full, maxAttempts: 200
    )

    /// How opening waits for a database file another process holds
    /// (``DuckPoolConfiguration/openTimeout``): 10 ms doubling to 500 ms, for `budget` in all;
    /// the last attempt is made when the budget ends.
    static func lockedFileWait(budget: Duration) -> RetryPolicy {
        RetryPolicy(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(500), budget: budget)
    }
}
