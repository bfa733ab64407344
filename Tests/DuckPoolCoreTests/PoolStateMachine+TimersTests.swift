@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineTimersTests {
    @Test func acquireTimeoutFailsTheHeadAndDescribesTheHolders() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseRequested(1, file: "Holder.swift", line: 42, now: .zero) == MachineAction(leases: [lease(c0, to: 1)]))
        #expect(machine.leaseRequested(2, file: "W.swift", line: 2, now: .seconds(5)) == MachineAction(scheduleTimer: .seconds(35)))
        #expect(machine.leaseRequested(3, file: "W.swift", line: 3, now: .seconds(6)) == MachineAction())

        let action = machine.timerFired(scheduledFor: .seconds(35), now: .seconds(35))
        #expect(action == MachineAction(
            failures: [failure(2, .acquireTimeout(waited: .seconds(30), state: PoolStatistics()))],
            scheduleTimer: .seconds(36)
        ))
        let error = poolError(of: action.failures.first)
        #expect(error?.code == .acquireTimeout)
        #expect(error?.waited == .seconds(30))
        #expect(error?.holders == [
            LeaseHolder(connectionID: 0, requestID: 1, file: "Holder.swift", line: 42, leasedAt: .zero, heldFor: .seconds(35)),
        ])
        #expect(error?.poolState?.inUse == 1)
        #expect(error?.poolState?.idle == 0)
        #expect(error?.poolState?.waiters == 2)
        #expect(error?.description.contains("Holder.swift:42") == true)
        #expect(error?.description.contains("35.000s") == true)

        #expect(machine.timerFired(scheduledFor: .seconds(36), now: .seconds(36)) == MachineAction(
            failures: [failure(3, .acquireTimeout(waited: .seconds(30), state: PoolStatistics()))]
        ))
        #expect(machine.statistics(now: .seconds(36)).totalTimedOut == 2)
        #expect(machine.statistics(now: .seconds(36)).waiters == 0)
    }

    @Test func timerWithNothingDueDoesNothing() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(5)) == MachineAction(scheduleTimer: .seconds(35)))
        _ = machine.leaseReleased(c0, reusable: true, now: .seconds(6))
        #expect(machine.timerFired(scheduledFor: .seconds(35), now: .seconds(35)) == MachineAction())
        #expect(machine.timers.isEmpty)
        #expect(machine.statistics(now: .seconds(35)).totalTimedOut == 0)
    }

    @Test func onlyAnEarlierDeadlineRequestsANewTimer() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 1, idleTimeout: .seconds(10)))
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(1)) == MachineAction())
        let c0 = MockConnection(id: 0)
        _ = machine.connectionEstablished(c0, attempt: 0, now: .seconds(2))
        _ = machine.leaseReleased(c0, reusable: true, now: .seconds(3))
        // Released to request 2: nothing idle, no new timer.
        #expect(machine.timers == [.seconds(30)])
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(4)) == MachineAction(
            scheduleTimer: .seconds(14),
            released: released(c0, heldFor: .seconds(1))
        ))
        #expect(machine.timers == [.seconds(14), .seconds(30)])
    }

    @Test func idleTimeoutClosesOnlyConnectionsAboveTheMinimum() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 3, idleTimeout: .seconds(10)))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .zero) == MachineAction(createConnections: [1], scheduleTimer: .seconds(30)))
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .zero) == MachineAction(createConnections: [2]))
        let c1 = MockConnection(id: 1)
        let c2 = MockConnection(id: 2)
        _ = machine.connectionEstablished(c1, attempt: 1, now: .seconds(1))
        _ = machine.connectionEstablished(c2, attempt: 2, now: .seconds(1))

        #expect(machine.leaseReleased(c1, reusable: true, now: .seconds(5)) == MachineAction(
            scheduleTimer: .seconds(15), released: released(c1, heldFor: .seconds(4))
        ))
        _ = machine.leaseReleased(c2, reusable: true, now: .seconds(6))
        _ = machine.leaseReleased(c0, reusable: true, now: .seconds(7))

        #expect(machine.timerFired(scheduledFor: .seconds(15), now: .seconds(15)) == MachineAction(
            closeConnections: [close(c1, .idle)],
            scheduleTimer: .seconds(16)
        ))
        #expect(machine.timerFired(scheduledFor: .seconds(16), now: .seconds(16)) == MachineAction(
            closeConnections: [close(c2, .idle)]
        ))
        let stats = machine.statistics(now: .seconds(16))
        #expect(stats.size == 1)
        #expect(stats.idle == 1)
        #expect(machine.timers == [.seconds(30)])
        // At the minimum, the last idle connection stays however long it idles.
        #expect(machine.timerFired(scheduledFor: .seconds(30), now: .seconds(100)) == MachineAction())
        #expect(machine.statistics(now: .seconds(100)).size == 1)
    }

    @Test func lifetimeTimerRecyclesIdleConnectionsAndReplacesThem() {
        var machine = Machine(configuration: testConfiguration(minimum: 1, maximum: 1, maxLifetime: .seconds(60)))
        #expect(machine.start() == MachineAction(createConnections: [0]))
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .zero) == MachineAction(scheduleTimer: .seconds(60)))
        #expect(machine.timerFired(scheduledFor: .seconds(60), now: .seconds(60)) == MachineAction(
            createConnections: [1],
            closeConnections: [close(c0, .lifetime)]
        ))
        let c1 = MockConnection(id: 1)
        #expect(machine.connectionEstablished(c1, attempt: 1, now: .seconds(61)) == MachineAction(scheduleTimer: .seconds(121)))
        #expect(machine.statistics(now: .seconds(61)).totalRecycled == 1)
    }
}
