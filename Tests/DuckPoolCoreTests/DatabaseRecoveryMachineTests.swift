import DuckPoolCore
import Testing

@Suite struct DatabaseRecoveryMachineTests {
    private let policy = ReopenPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), maxAttempts: nil, jitter: 0.5)

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
        #expect(machine.reopenFailed(randomUnit: 0) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.phase == .waitingToRetry(attempt: 2))
        #expect(machine.retryDue() == .reopen(generation: 1, attempt: 2))
        // randomUnit 0.5 with jitter 0.5 cuts a quarter of the 200 ms ceiling.
        #expect(machine.reopenFailed(randomUnit: 0.5) == .retry(after: .milliseconds(150), failures: 2))
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
        #expect(machine.reopenFailed(randomUnit: 0) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.invalidations == 2)
    }

    @Test func eventsOutOfPhaseChangeNothing() {
        var machine = DatabaseRecoveryMachine(policy: policy)
        #expect(machine.drained() == .none)
        #expect(machine.reopenSucceeded() == .none)
        #expect(machine.reopenFailed(randomUnit: 0) == .none)
        #expect(machine.retryDue() == .none)
        #expect(machine == DatabaseRecoveryMachine(policy: policy))
    }

    @Test func givesUpAfterMaxAttempts() {
        var limited = policy
        limited.maxAttempts = 2
        var machine = DatabaseRecoveryMachine(policy: limited)
        _ = machine.invalidated(generation: 0)
        _ = machine.drained()
        #expect(machine.reopenFailed(randomUnit: 0) == .retry(after: .milliseconds(100), failures: 1))
        #expect(machine.retryDue() == .reopen(generation: 1, attempt: 2))
        #expect(machine.reopenFailed(randomUnit: 0) == .failWaiters)
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

    @Test func backoffDoublesUpToTheMaximumAndJitterOnlyShortensIt() {
        let schedule = (1...6).map { policy.ceiling(afterFailures: $0) }
        #expect(schedule == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(policy.ceiling(afterFailures: 0) == .zero)
        #expect(policy.ceiling(afterFailures: 10_000) == .seconds(1))
        for unit in stride(from: 0.0, to: 1.0, by: 0.125) {
            let delay = policy.delay(afterFailures: 3, randomUnit: unit)
            #expect(delay <= .milliseconds(400))
            #expect(delay >= .milliseconds(200))
        }
        var noJitter = policy
        noJitter.jitter = 0
        #expect(noJitter.delay(afterFailures: 3, randomUnit: 0.99) == .milliseconds(400))
    }

    @Test func invalidPoliciesNameTheField() {
        let cases: [(ReopenPolicy, String)] = [
            (ReopenPolicy(initialDelay: .zero), "reopen.initialDelay"),
            (ReopenPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(1)), "reopen.maximumDelay"),
            (ReopenPolicy(maxAttempts: 0), "reopen.maxAttempts"),
            (ReopenPolicy(jitter: 1.5), "reopen.jitter"),
        ]
        for (policy, field) in cases {
            let error = #expect(throws: ConnectionPoolError.self) { try policy.validate() }
            #expect(error?.field == field)
        }
        #expect(throws: Never.self) { try ReopenPolicy().validate() }
    }
}
