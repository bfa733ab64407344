@testable import DuckPool
import DuckPoolCore
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct DatabaseRecoveryMachineTests {
    private let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), jitter: .proportional(0.5))

    @Test func aRecoveryRunsDrainReopenBackoffReopen() {
        var machine = DatabaseRecoveryMachine(policy: policy)
        #expect(machine.phase == .healthy)
        #expect(machine.invalidated(generation: 0) == .drain(generation: 0))
        #expect(machine.phase == .draining)
        #expect(machine.isRecovering)
        // Every other connection that sees the same invalidation changes nothing.
        #expect(machine.invalidated(generation: 0) == .none)
        #expect(machine.invalidations == 1)

        #expect(machine.drained() == .reopen(generation: 1, attempt: 1))
        #expect(machine.phase == .reopening(attempt: 1))
        // randomUnit 0: no jitter cut; 100 ms after the first failure.
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .zero) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.phase == .waitingToRetry(attempt: 2))
        #expect(machine.retryDue() == .reopen(generation: 1, attempt: 2))
        // randomUnit 0.5 with jitter 0.5 cuts a quarter of the 200 ms ceiling.
        #expect(machine.reopenFailed(randomUnit: 0.5, elapsed: .zero) == .retry(after: .milliseconds(150), failures: 2))
        #expect(machine.retryDue() == .reopen(generation: 1, attempt: 3))
        #expect(machine.reopenSucceeded() == .resumeWaiters(generation: 1))
        #expect(machine.phase == .healthy)
        #expect(machine.generation == 1)
        #expect(machine.reopens == 1)
        #expect(machine.reopenFailures == 2)
        #expect(machine.consecutiveFailures == 0)

        // A late report about the dead generation is ignored; the new one can fail again.
        #expect(machine.invalidated(generation: 0) == .none)
        #expect(machine.invalidated(generation: 1) == .drain(generation: 1))
        #expect(machine.drained() == .reopen(generation: 2, attempt: 1))
        // The backoff starts over for a new recovery.
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .zero) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.invalidations == 2)
    }

    @Test func eventsOutOfPhaseChangeNothing() {
        var machine = DatabaseRecoveryMachine(policy: policy)
        #expect(machine.drained() == .none)
        #expect(machine.reopenSucceeded() == .none)
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .zero) == .none)
        #expect(machine.retryDue() == .none)
        #expect(machine == DatabaseRecoveryMachine(policy: policy))
    }

    @Test func givesUpAfterMaxAttempts() {
        var limited = policy
        limited.maxAttempts = 2
        var machine = DatabaseRecoveryMachine(policy: limited)
        _ = machine.invalidated(generation: 0)
        _ = machine.drained()
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .zero) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.retryDue() == .reopen(generation: 1, attempt: 2))
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .zero) == .failWaiters)
        #expect(machine.phase == .failed)
        #expect(!machine.isRecovering)
        #expect(machine.retryDue() == .none)
        // Failed is final until the pool closes; a new report starts nothing.
        #expect(machine.invalidated(generation: 0) == .none)
        #expect(machine.close() == .none)
        #expect(machine.phase == .closed)
    }

    @Test func closingWhileRecoveringFailsTheWaiters() {
        var machine = DatabaseRecoveryMachine(policy: policy)
        _ = machine.invalidated(generation: 0)
        #expect(machine.close() == .failWaiters)
        #expect(machine.drained() == .none)
        #expect(machine.invalidated(generation: 0) == .none)

        var healthy = DatabaseRecoveryMachine(policy: policy)
        #expect(healthy.close() == .none)
    }

    @Test func aBudgetGivesUpWhenItIsSpentAndShortensTheLastWait() {
        var budgeted = policy
        budgeted.budget = .milliseconds(250)
        var machine = DatabaseRecoveryMachine(policy: budgeted)
        _ = machine.invalidated(generation: 0)
        _ = machine.drained()
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .milliseconds(10)) == .retry(after: .milliseconds(100), failures: 1))
        _ = machine.retryDue()
        // 200 ms would end past the budget: the last attempt starts exactly at its end.
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .milliseconds(120)) == .retry(after: .milliseconds(130), failures: 2))
        _ = machine.retryDue()
        #expect(machine.reopenFailed(randomUnit: 0, elapsed: .milliseconds(250)) == .failWaiters)
        #expect(machine.phase == .failed)
    }
}
