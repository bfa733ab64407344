import DuckPoolSupport

/// The last failure of a retry loop whose policy had no attempt left: what
/// ``RetryPolicy/run(on:random:shouldRetry:onRetry:_:)`` throws then.
public struct RetriesExhausted: Error, Sendable, CustomStringConvertible {
    /// Attempts made, the first included.
    public var attempts: Int
    /// Time from the first attempt's start to the last failure, on the loop's clock.
    public var elapsed: Duration
    /// The last attempt's error.
    public var lastError: any Error

    public var description: String {
        "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s") over \(elapsed.formattedSeconds): \(lastError)"
    }
}

/// One failed attempt that will be retried, as ``RetryPolicy/run(on:random:shouldRetry:onRetry:_:)``
/// reports it (for logs).
public struct RetryAttemptFailure: Sendable {
    /// The attempt that failed (1 for the first).
    public var attempt: Int
    /// Its error.
    public var error: any Error
    /// The wait before the next attempt.
    public var delay: Duration
}

extension RetryPolicy {
    /// Runs `operation` until it succeeds, throws an error `shouldRetry` refuses, or the policy
    /// has no attempt left; sleeps on `clock` between attempts.
    ///
    /// - Parameters:
    ///   - clock: The clock the waits and the budget are measured on (the pool's clock).
    ///   - random: A uniform number in `0..<1` for the jitter. Default `Double.random(in:)`.
    ///   - shouldRetry: Whether an attempt's error may be retried.
    ///   - onRetry: Called before each wait, on the calling task. Default: nothing.
    ///   - operation: One attempt; receives its number (1 for the first).
    /// - Throws: a refused error as it was thrown; ``RetriesExhausted`` around the last retryable
    ///   error once no attempt is left; `CancellationError` when the task is cancelled during a
    ///   wait.
    public func run<C: Clock, T>(
        on clock: C,
        random: () -> Double = { Double.random(in: 0..<1) },
        shouldRetry: (any Error) -> Bool,
        onRetry: (RetryAttemptFailure) -> Void = { _ in },
        _ operation: (_ attempt: Int) async throws -> T
    ) async throws -> T where C.Duration == Duration {
        let start = clock.now
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch where shouldRetry(error) {
                let elapsed = start.duration(to: clock.now)
                guard let delay = nextDelay(afterFailures: attempt, elapsed: elapsed, randomUnit: random()) else {
                    throw RetriesExhausted(attempts: attempt, elapsed: elapsed, lastError: error)
                }
                onRetry(RetryAttemptFailure(attempt: attempt, error: error, delay: delay))
                try await clock.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// ``run(on:random:shouldRetry:onRetry:_:)`` for plain threads: the waits block the calling
    /// thread (they still run on `clock`). Never call it from async code.
    ///
    /// - Throws: a refused error as it was thrown, or ``RetriesExhausted``.
    @available(*, noasync, message: "blocks the calling thread; use the async run(on:...) in async code")
    public func runBlocking<C: Clock, T>(
        on clock: C,
        random: () -> Double = { Double.random(in: 0..<1) },
        shouldRetry: (any Error) -> Bool,
        onRetry: (RetryAttemptFailure) -> Void = { _ in },
        _ operation: (_ attempt: Int) throws -> T
    ) throws -> T where C.Duration == Duration {
        let start = clock.now
        var attempt = 1
        while true {
            do {
                return try operation(attempt)
            } catch where shouldRetry(error) {
                let elapsed = start.duration(to: clock.now)
                guard let delay = nextDelay(afterFailures: attempt, elapsed: elapsed, randomUnit: random()) else {
                    throw RetriesExhausted(attempts: attempt, elapsed: elapsed, lastError: error)
                }
                onRetry(RetryAttemptFailure(attempt: attempt, error: error, delay: delay))
                clock.sleepBlocking(for: delay)
                attempt += 1
            }
        }
    }
}

extension Clock where Duration == Swift.Duration {
    /// Blocks the calling thread until `duration` has passed on this clock (a mock clock in
    /// tests moves it by hand). For plain threads only: it parks the thread.
    @available(*, noasync, message: "blocks the calling thread; use sleep(for:) in async code")
    package func sleepBlocking(for duration: Duration) {
        let waiter = BlockingWaiter<Bool>()
        Task.detached { [self] in
            let slept = (try? await self.sleep(for: duration)) != nil
            waiter.signal(slept)
        }
        _ = waiter.wait()
    }
}
