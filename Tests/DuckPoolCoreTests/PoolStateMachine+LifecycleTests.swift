@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineLifecycleTests {
    @Test func resizeUpOpensConnectionsToTheNewMinimum() throws {
        var (machine, _) = Machine.started(testConfiguration(minimum: 1, maximum: 2))
        #expect(try machine.resize(minimum: 3, maximum: 4, now: .seconds(1)) == MachineAction(createConnections: [1, 2]))
        let stats = machine.statistics(now: .seconds(1))
        #expect(stats.minimumConnections == 3)
        #expect(stats.maximumConnections == 4)
        #expect(stats.size == 3)
    }

    @Test func resizeUpServesWaiters() throws {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        #expect(machine.leaseNow(1) === connections[0])
        _ = machine.leaseRequested(2, file: "F", line: 2, now: .zero)
        _ = machine.leaseRequested(3, file: "F", line: 3, now: .zero)
        #expect(try machine.resize(minimum: 1, maximum: 5, now: .zero) == MachineAction(createConnections: [1, 2]))
    }

    @Test func resizeDownClosesIdleNowAndLeasedOnRelease() throws {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 3, maximum: 3))
        let (c0, c1, c2) = (connections[0], connections[1], connections[2])
        #expect(machine.leaseNow(1) === c2)
        #expect(machine.leaseNow(2) === c1)

        #expect(try machine.resize(minimum: 0, maximum: 1, now: .seconds(5)) == MachineAction(closeConnections: [close(c0, .poolShrunk)]))
        #expect(machine.leaseReleased(c1, reusable: true, now: .seconds(6)) == MachineAction(
            closeConnections: [close(c1, .poolShrunk)],
            released: released(c1, heldFor: .seconds(6))
        ))
        #expect(machine.leaseReleased(c2, reusable: true, now: .seconds(7)) == MachineAction(released: released(c2, heldFor: .seconds(7))))
        let stats = machine.statistics(now: .seconds(7))
        #expect(stats.size == 1)
        #expect(stats.idle == 1)
    }

    @Test func resizeDownMakesIdleConnectionsSubjectToTheIdleTimeout() throws {
        var (machine, _) = Machine.started(testConfiguration(minimum: 2, maximum: 2, idleTimeout: .seconds(10)))
        #expect(try machine.resize(minimum: 0, maximum: 2, now: .seconds(1)) == MachineAction(scheduleTimer: .seconds(10)))
    }

    @Test func invalidResizeThrowsAndChangesNothing() {
        var (machine, _) = Machine.started(testConfiguration(minimum: 1, maximum: 2))
        for (minimum, maximum, field) in [(-1, 2, "minimumConnections"), (0, 0, "maximumConnections"), (3, 2, "minimumConnections")] {
            do {
                _ = try machine.resize(minimum: minimum, maximum: maximum, now: .zero)
                Issue.record("resize(\(minimum), \(maximum)) did not throw")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.field == field)
            }
        }
        #expect(machine.configuration.minimumConnections == 1)
        #expect(machine.configuration.maximumConnections == 2)
    }

    @Test func recreateClosesIdleNowAndLeasedOnRelease() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 2, maximum: 3))
        let (c0, c1) = (connections[0], connections[1])
        #expect(machine.leaseNow(1) === c1)
        #expect(machine.recreate(now: .seconds(1)) == MachineAction(
            createConnections: [2],
            closeConnections: [close(c0, .recreate)]
        ))
        #expect(machine.leaseReleased(c1, reusable: true, now: .seconds(2)) == MachineAction(
            createConnections: [3],
            closeConnections: [close(c1, .recreate)],
            released: released(c1, heldFor: .seconds(2))
        ))
        let c2 = MockConnection(id: 2)
        #expect(machine.connectionEstablished(c2, attempt: 2, now: .seconds(3)) == MachineAction())
        #expect(machine.statistics(now: .seconds(3)).idle == 1)
    }

    @Test func recreateRetiresConnectionsBeingOpened() {
        var machine = Machine(configuration: testConfiguration(minimum: 1, maximum: 1))
        #expect(machine.start() == MachineAction(createConnections: [0]))
        #expect(machine.recreate(now: .zero) == MachineAction())
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(1)) == MachineAction(
            createConnections: [1],
            closeConnections: [close(c0, .recreate)]
        ))
    }

    @Test func shutdownWaitsForLeasedConnectionsAndInterruptsAfterTheGracePeriod() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 2, maximum: 2))
        let (c0, c1) = (connections[0], connections[1])
        #expect(machine.leaseNow(1) === c1)
        #expect(machine.leaseNow(2) === c0)
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .seconds(1)) == MachineAction(scheduleTimer: .seconds(31)))

        #expect(machine.shutdown(graceDeadline: .seconds(11), now: .seconds(1)) == MachineAction(
            failures: [failure(3, .poolClosed)],
            scheduleTimer: .seconds(11)
        ))
        #expect(machine.leaseRequested(4, file: "F", line: 4, now: .seconds(2)) == MachineAction(failures: [failure(4, .poolClosed)]))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(2)) == MachineAction(
            closeConnections: [close(c0, .shutdown)],
            released: released(c0, heldFor: .seconds(2))
        ))
        #expect(machine.timerFired(scheduledFor: .seconds(11), now: .seconds(11)) == MachineAction(interruptConnections: [c1]))
        #expect(machine.timerFired(scheduledFor: .seconds(31), now: .seconds(31)) == MachineAction())
        #expect(machine.statistics(now: .seconds(31)).lifecycle == .shuttingDown)

        #expect(machine.leaseReleased(c1, reusable: true, now: .seconds(40)) == MachineAction(
            closeConnections: [close(c1, .shutdown)],
            released: released(c1, heldFor: .seconds(40))
        ))
        #expect(machine.connectionClosed(0) == MachineAction())
        #expect(machine.connectionClosed(1) == MachineAction(shutdownFinished: true))
        #expect(machine.statistics(now: .seconds(40)).lifecycle == .shutDown)
        #expect(machine.shutdown(graceDeadline: .zero, now: .seconds(41)) == .none)
    }

    @Test func shutdownClosesIdleConnectionsAtOnce() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        #expect(machine.shutdown(graceDeadline: nil, now: .zero) == MachineAction(closeConnections: [close(connections[0], .shutdown)]))
        #expect(machine.connectionClosed(0) == MachineAction(shutdownFinished: true))
    }

    @Test func shutdownOfAnEmptyPoolFinishesAtOnce() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 1))
        #expect(machine.shutdown(graceDeadline: .seconds(5), now: .zero) == MachineAction(shutdownFinished: true))
    }

    @Test func shutdownClosesConnectionsThatOpenLater() {
        var machine = Machine(configuration: testConfiguration(minimum: 2, maximum: 2))
        #expect(machine.start() == MachineAction(createConnections: [0, 1]))
        #expect(machine.shutdown(graceDeadline: nil, now: .zero) == MachineAction())
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .zero) == MachineAction(closeConnections: [close(c0, .shutdown)]))
        #expect(machine.connectionAttemptFailed(1, error: MockConnectionError(), now: .zero) == MachineAction(
            connectFailure: .init(error: MockConnectionError(), consecutiveFailures: 0, nextRetryIn: nil, circuitBreakerOpen: false)
        ))
        #expect(machine.connectionClosed(0) == MachineAction(shutdownFinished: true))
    }

    @Test func aLaterShutdownCanOnlyShortenTheGracePeriod() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.shutdown(graceDeadline: .seconds(20), now: .zero) == MachineAction(scheduleTimer: .seconds(20)))
        #expect(machine.shutdown(graceDeadline: .seconds(30), now: .seconds(1)) == MachineAction())
        #expect(machine.shutdown(graceDeadline: .seconds(5), now: .seconds(1)) == MachineAction(scheduleTimer: .seconds(5)))
        #expect(machine.shutdown(graceDeadline: .seconds(2), now: .seconds(2)) == MachineAction(interruptConnections: [c0]))
        #expect(machine.timerFired(scheduledFor: .seconds(5), now: .seconds(5)) == MachineAction())
    }
}
