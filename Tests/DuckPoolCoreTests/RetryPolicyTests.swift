import DuckPoolCore
import DuckPoolSupport
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// When each attempt of a retry loop started, on the mock clock.
private final class AttemptLog: Sendable {
    private let log = LockedValue<[Duration]>([])
    func record(at instant: MockClock.Instant) { log.withLock { $0.append(instant.offset) } }
    var instants: [Duration] { log.withLock { $0 } }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct RetryPolicyTests {
    private let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), jitter: .proportional(0.5))

    @Test func ceilingsDoubleUpToTheMaximum() {
        let schedule = (1...6).map { policy.ceiling(afterFailures: $0) }
        #expect(schedule == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(policy.ceiling(afterFailures: 0) == .zero)
        #expect(policy.ceiling(afterFailures: 10_000) == .seconds(1))
    }

    @Test func jitterOnlyShortensTheWait() {
        for unit in stride(from: 0.0, to: 1.0, by: 0.125) {
            let proportional = policy.delay(afterFailures: 3, randomUnit: unit)
            #expect(proportional <= .milliseconds(400) && proportional >= .milliseconds(200))
            var full = policy
            full.jitter = .full
            #expect(full.delay(afterFailures: 3, randomUnit: unit) == Duration.milliseconds(400) * unit)
        }
        var none = policy
        none.jitter = .none
        #expect(none.delay(afterFailures: 3, randomUnit: 0.99) == .milliseconds(400))
    }

    @Test func attemptsAndBudgetEndTheRetries() {
        var limited = policy
        limited.jitter = .none
        limited.maxAttempts = 3
        #expect(limited.nextDelay(afterFailures: 2, elapsed: .zero, randomUnit: 0) == .milliseconds(200))
        #expect(limited.nextDelay(afterFailures: 3, elapsed: .zero, randomUnit: 0) == nil)
        var budgeted = policy
        budgeted.jitter = .none
        budgeted.budget = .milliseconds(700)
        #expect(budgeted.nextDelay(afterFailures: 3, elapsed: .milliseconds(100), randomUnit: 0) == .milliseconds(400))
        // The wait that would end past the budget ends at it: the last attempt is never early.
        #expect(budgeted.nextDelay(afterFailures: 4, elapsed: .milliseconds(500), randomUnit: 0) == .milliseconds(200))
        #expect(budgeted.nextDelay(afterFailures: 5, elapsed: .milliseconds(700), randomUnit: 0) == nil)
        #expect(RetryPolicy.none.nextDelay(afterFailures: 1, elapsed: .zero, randomUnit: 0) == nil)
    }

    @Test func invalidPoliciesNameTheField() {
        let cases: [(RetryPolicy, String)] = [
            (RetryPolicy(initialDelay: .zero), "reopen.initialDelay"),
            (RetryPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(1)), "reopen.maximumDelay"),
            (RetryPolicy(maxAttempts: 0), "reopen.maxAttempts"),
            (RetryPolicy(jitter: .proportional(1.5)), "reopen.jitter"),
            (RetryPolicy(budget: .seconds(-1)), "reopen.budget"),
        ]
        for (policy, field) in cases {
            let error = #expect(throws: ConnectionPoolError.self) { try policy.validate(as: "reopen") }
            #expect(error?.field == field)
        }
        #expect(throws: Never.self) { try RetryPolicy().validate(as: "reopen") }
    }

    /// The async loop sleeps on the injected clock between attempts and gives up with the
    /// attempt count once the budget is spent; the last attempt runs at the budget's end.
    @Test func theLoopSleepsOnTheClockAndReportsTheAttempts() async throws {
        let clock = MockClock()
        let budgeted = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(100), budget: .milliseconds(250))
        let attempts = AttemptLog()
        let loop = Task {
            try await budgeted.run(on: clock, shouldRetry: { $0 is MockConnectionError }) { _ in
                attempts.record(at: clock.now)
                throw MockConnectionError()
            }
        }
        await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
        clock.advance(to: .init(.milliseconds(100)))
        await clock.waitForSleeper(deadline: .init(.milliseconds(200)))
        clock.advance(to: .init(.milliseconds(200)))
        await clock.waitForSleeper(deadline: .init(.milliseconds(250)))
        clock.advance(to: .init(.milliseconds(250)))
        let error = await #expect(throws: RetriesExhausted.self) { try await loop.value }
        #expect(error?.attempts == 4)
        #expect(error?.lastError is MockConnectionError)
        #expect(attempts.instants == [.zero, .milliseconds(100), .milliseconds(200), .milliseconds(250)])
    }

    @Test func anErrorThatMayNotBeRetriedIsThrownAsItIs() async {
        let clock = MockClock()
        let error = await #expect(throws: MockConnectionError.self) {
            try await RetryPolicy().run(on: clock, shouldRetry: { _ in false }) { _ in throw MockConnectionError() }
        }
        #expect(error != nil)
    }
}
