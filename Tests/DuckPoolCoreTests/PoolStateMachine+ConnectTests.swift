@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineConnectTests {
    private let backoff = TestBackoff(
        initialDelay: .milliseconds(100),
        maximumDelay: .seconds(1),
        circuitBreakerThreshold: 3
    )

    private func connectFailure(_ count: Int, retryIn: Duration?, open: Bool) -> PoolStateMachine.ConnectFailure {
        PoolStateMachine.ConnectFailure(error: MockConnectionError(), consecutiveFailures: count, nextRetryIn: retryIn, circuitBreakerOpen: open)
    }

    @Test func failuresBackOffOpenTheBreakerAndASuccessfulProbeClosesIt() {
        var machine = Machine(configuration: testConfiguration(minimum: 1, maximum: 2, backoff: self.backoff))
        let error = MockConnectionError()
        #expect(machine.start() == MachineAction(createConnections: [0]))
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(scheduleTimer: .seconds(30)))

        // Failure 1: back off 100 ms; nothing is retried before.
        #expect(machine.connectionAttemptFailed(0, error: error, now: .zero) == MachineAction(
            scheduleTimer: .milliseconds(100),
            connectFailure: self.connectFailure(1, retryIn: .milliseconds(100), open: false)
        ))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .milliseconds(50)) == MachineAction())

        // One attempt after the backoff; failure 2: 200 ms.
        #expect(machine.timerFired(scheduledFor: .milliseconds(100), now: .milliseconds(100)) == MachineAction(createConnections: [1]))
        #expect(machine.connectionAttemptFailed(1, error: error, now: .milliseconds(100)) == MachineAction(
            scheduleTimer: .milliseconds(300),
            connectFailure: self.connectFailure(2, retryIn: .milliseconds(200), open: false)
        ))

        // Failure 3 reaches the threshold: the breaker opens and waiters fail.
        #expect(machine.timerFired(scheduledFor: .milliseconds(300), now: .milliseconds(300)) == MachineAction(createConnections: [2]))
        let tripped = machine.connectionAttemptFailed(2, error: error, now: .milliseconds(300))
        let factoryFailing = ConnectionPoolError.connectionFactoryFailing(underlying: error, consecutiveFailures: 3)
        #expect(tripped == MachineAction(
            failures: [failure(1, factoryFailing), failure(2, factoryFailing)],
            scheduleTimer: .milliseconds(700),
            connectFailure: self.connectFailure(3, retryIn: .milliseconds(400), open: true)
        ))
        #expect(poolError(of: tripped.failures.first)?.consecutiveFailures == 3)
        #expect(poolError(of: tripped.failures.first)?.underlying as? MockConnectionError == error)
        #expect(machine.statistics(now: .milliseconds(300)).isCircuitBreakerOpen)

        // While open, requests fail fast.
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .milliseconds(400)) == MachineAction(failures: [failure(3, factoryFailing)]))

        // Half-open: one probe after the backoff; it fails, the backoff grows (capped at 1 s).
        #expect(machine.timerFired(scheduledFor: .milliseconds(700), now: .milliseconds(700)) == MachineAction(createConnections: [3]))
        #expect(machine.connectionAttemptFailed(3, error: error, now: .milliseconds(700)) == MachineAction(
            scheduleTimer: .milliseconds(1500),
            connectFailure: self.connectFailure(4, retryIn: .milliseconds(800), open: true)
        ))
        #expect(machine.timerFired(scheduledFor: .milliseconds(1500), now: .milliseconds(1500)) == MachineAction(createConnections: [4]))

        // The probe succeeds: the breaker closes and requests are served again.
        let c4 = MockConnection(id: 4)
        #expect(machine.connectionEstablished(c4, attempt: 4, now: .milliseconds(1600)) == MachineAction())
        let stats = machine.statistics(now: .milliseconds(1600))
        #expect(!stats.isCircuitBreakerOpen)
        #expect(stats.consecutiveConnectFailures == 0)
        #expect(stats.totalConnectFailures == 4)
        #expect(machine.leaseRequested(5, file: "F", line: 5, now: .milliseconds(1700)) == MachineAction(leases: [lease(c4, to: 5)]))
    }

    @Test func overlappingFailuresCountOnce() {
        var machine = Machine(configuration: testConfiguration(minimum: 3, maximum: 3, backoff: self.backoff))
        let error = MockConnectionError()
        #expect(machine.start() == MachineAction(createConnections: [0, 1, 2]))
        #expect(machine.connectionAttemptFailed(0, error: error, now: .zero) == MachineAction(
            scheduleTimer: .milliseconds(100),
            connectFailure: self.connectFailure(1, retryIn: .milliseconds(100), open: false)
        ))
        #expect(machine.connectionAttemptFailed(1, error: error, now: .milliseconds(10)) == MachineAction(
            connectFailure: self.connectFailure(1, retryIn: .milliseconds(90), open: false)
        ))
        #expect(machine.connectionAttemptFailed(2, error: error, now: .milliseconds(20)) == MachineAction(
            connectFailure: self.connectFailure(1, retryIn: .milliseconds(80), open: false)
        ))
        let stats = machine.statistics(now: .milliseconds(20))
        #expect(stats.consecutiveConnectFailures == 1)
        #expect(stats.totalConnectFailures == 3)
        #expect(stats.size == 0)
        // One attempt at a time while failing.
        #expect(machine.timerFired(scheduledFor: .milliseconds(100), now: .milliseconds(100)) == MachineAction(createConnections: [3]))
    }

    @Test func aSuccessResetsTheFailureCountAndRefills() {
        var machine = Machine(configuration: testConfiguration(minimum: 2, maximum: 2, backoff: self.backoff))
        #expect(machine.start() == MachineAction(createConnections: [0, 1]))
        _ = machine.connectionAttemptFailed(0, error: MockConnectionError(), now: .zero)
        let c1 = MockConnection(id: 1)
        #expect(machine.connectionEstablished(c1, attempt: 1, now: .milliseconds(10)) == MachineAction(createConnections: [2]))
        #expect(machine.statistics(now: .milliseconds(10)).consecutiveConnectFailures == 0)
    }

    @Test func aConnectionWithTheWrongIDIsClosedAndCountsAsFailure() {
        var machine = Machine(configuration: testConfiguration(minimum: 1, maximum: 1, backoff: self.backoff))
        #expect(machine.start() == MachineAction(createConnections: [0]))
        let stranger = MockConnection(id: 7)
        #expect(machine.connectionEstablished(stranger, attempt: 0, now: .zero) == MachineAction(
            closeConnections: [close(stranger, .unexpectedConnection)],
            scheduleTimer: .milliseconds(100),
            connectFailure: self.connectFailure(1, retryIn: .milliseconds(100), open: false)
        ))
        #expect(machine.statistics(now: .zero).size == 0)
    }

    @Test func timeoutWhileNoConnectionCanBeOpenedReportsTheFactoryError() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 1, backoff: TestBackoff(circuitBreakerThreshold: 100)))
        let error = MockConnectionError("database file is locked")
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        _ = machine.connectionAttemptFailed(0, error: error, now: .seconds(1))
        let action = machine.timerFired(scheduledFor: .seconds(30), now: .seconds(30))
        #expect(action.failures.count == 1)
        let poolError = poolError(of: action.failures.first)
        #expect(poolError?.code == .connectionAttemptFailed)
        #expect(poolError?.underlying as? MockConnectionError == error)
        #expect(poolError?.waited == .seconds(30))
        #expect(machine.statistics(now: .seconds(30)).totalTimedOut == 1)
    }

    /// Connections opened together get different lifetimes, each cut by at most the jitter share.
    @Test func lifetimesAreJitteredWithinTheConfiguredShare() {
        var configuration = testConfiguration(minimum: 4, maximum: 4, maxLifetime: .seconds(100))
        configuration.lifetimeJitter = 0.5
        var machine = Machine(configuration: configuration, jitterSeed: 7)
        _ = machine.start()
        for id in 0..<4 { _ = machine.connectionEstablished(MockConnection(id: id), attempt: id, now: .zero) }
        let lifetimes = (0..<4).compactMap { machine.connections[$0]?.expiresAt }
        #expect(lifetimes.count == 4)
        #expect(Set(lifetimes).count == 4)
        #expect(lifetimes.allSatisfy { $0 > .seconds(50) && $0 <= .seconds(100) })
        configuration.lifetimeJitter = 0
        var exact = Machine(configuration: configuration, jitterSeed: 7)
        _ = exact.start()
        _ = exact.connectionEstablished(MockConnection(id: 0), attempt: 0, now: .zero)
        #expect(exact.connections[0]?.expiresAt == .seconds(100))
    }
}
