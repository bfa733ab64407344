extension PoolConfiguration {
    /// How the pool retries failing connection attempts, and when it stops making callers wait.
    ///
    /// After the n-th consecutive failure the pool waits `initialDelay * 2^(n-1)` (never more
    /// than `maximumDelay`) before it tries again, with one attempt at a time. Attempts that were
    /// already running when a failure was counted do not add to the count when they fail too.
    /// After `circuitBreakerThreshold` consecutive failures the circuit breaker opens: waiting
    /// requests fail, and new requests that cannot be served by an idle connection fail at once
    /// with ``ConnectionPoolError/Code/connectionFactoryFailing``. After each backoff the pool
    /// makes one probe attempt (half-open); the first successful attempt closes the breaker.
    public struct ConnectBackoff: Sendable, Hashable {
        /// The wait after the first failure.
        ///
        /// Default: 100 milliseconds. Must be positive.
        public var initialDelay: Duration

        /// The longest wait between two attempts.
        ///
        /// Default: 10 seconds. Must be `>= initialDelay`.
        public var maximumDelay: Duration

        /// The number of consecutive failures that opens the circuit breaker.
        ///
        /// Default: `5`. Must be `>= 1`.
        public var circuitBreakerThreshold: Int

        /// Creates backoff settings; every argument defaults to the documented default.
        public init(
            initialDelay: Duration = .milliseconds(100),
            maximumDelay: Duration = .seconds(10),
            circuitBreakerThreshold: Int = 5
        ) {
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
            self.circuitBreakerThreshold = circuitBreakerThreshold
        }

        /// The wait before the next attempt after `consecutiveFailures` failures in a row
        /// (`initialDelay` doubled `consecutiveFailures - 1` times, capped at `maximumDelay`).
        /// Returns `.zero` when `consecutiveFailures < 1`.
        public func delay(afterConsecutiveFailures consecutiveFailures: Int) -> Duration {
            guard consecutiveFailures >= 1 else { return .zero }
            var delay = self.initialDelay
            var doublings = consecutiveFailures - 1
            while doublings > 0 {
                if delay >= self.maximumDelay { return self.maximumDelay }
                delay = delay * 2
                doublings -= 1
            }
            return min(delay, self.maximumDelay)
        }
    }
}
