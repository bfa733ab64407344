@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineReleaseTests {
    @Test func releaseAboveMinimumParksAndArmsTheIdleTimer() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 2, idleTimeout: .seconds(10)))
        _ = machine.start()
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(1)) == MachineAction(leases: [lease(c0, to: 1, waited: .seconds(1))]))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(2)) == MachineAction(
            scheduleTimer: .seconds(12),
            released: released(c0, heldFor: .seconds(1))
        ))
    }

    @Test func releaseAtMinimumArmsNoIdleTimer() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 2, idleTimeout: .seconds(10)))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(2)) == MachineAction(released: released(c0, heldFor: .seconds(2))))
    }

    @Test func releaseNotReusableClosesAndReplaces() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.leaseReleased(c0, reusable: false, now: .seconds(1)) == MachineAction(
            createConnections: [1],
            closeConnections: [close(c0, .notReusable)],
            released: released(c0, heldFor: .seconds(1))
        ))
        #expect(machine.statistics(now: .seconds(1)).closing == 1)
        #expect(machine.connectionClosed(0) == MachineAction())
        #expect(machine.statistics(now: .seconds(1)).closing == 0)
        #expect(machine.connectionClosed(0) == .none)
    }

    @Test func releasingTwiceOrAForeignConnectionDoesNothing() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        #expect(machine.leaseReleased(MockConnection(id: 0), reusable: true, now: .zero) == .none)
        #expect(machine.leaseReleased(MockConnection(id: 99), reusable: true, now: .zero) == .none)
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(1)) == MachineAction(released: released(c0, heldFor: .seconds(1))))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(2)) == .none)
        #expect(machine.statistics(now: .seconds(2)).idle == 1)
    }

    @Test func connectionPastItsLifetimeIsRecycledAtRelease() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1, maxLifetime: .seconds(60)))
        let c0 = connections[0]
        #expect(machine.timers == [.seconds(60)])
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .seconds(10)) == MachineAction(leases: [lease(c0, to: 1)]))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(61)) == MachineAction(
            createConnections: [1],
            closeConnections: [close(c0, .lifetime)],
            released: released(c0, heldFor: .seconds(51))
        ))
        let stats = machine.statistics(now: .seconds(61))
        #expect(stats.totalRecycled == 1)
        #expect(stats.totalClosed == 1)
        #expect(stats.size == 1)
    }

    @Test func connectionPastItsLifetimeIsRecycledAtLease() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1, maxLifetime: .seconds(60)))
        let c0 = connections[0]
        #expect(machine.leaseNow(1, at: .seconds(10)) === c0)
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(20)) == MachineAction(released: released(c0, heldFor: .seconds(10))))
        // The lifetime timer (60 s) has not fired yet when the next request arrives.
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(61)) == MachineAction(
            createConnections: [1],
            closeConnections: [close(c0, .lifetime)]
        ))
        #expect(machine.statistics(now: .seconds(61)).totalRecycled == 1)
        let c1 = MockConnection(id: 1)
        #expect(machine.connectionEstablished(c1, attempt: 1, now: .seconds(62)) == MachineAction(leases: [lease(c1, to: 2, waited: .seconds(1))]))
    }

    @Test func expiredIdleConnectionIsSkippedForAFreshOne() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 2, maximum: 2, maxLifetime: .seconds(60), reuseOrder: .fifo))
        let (c0, c1) = (connections[0], connections[1])
        // Renew c1 by recycling it so that it expires later than c0.
        #expect(machine.leaseNow(1, at: .seconds(10)) === c0)
        #expect(machine.leaseNow(2, at: .seconds(10)) === c1)
        _ = machine.leaseReleased(c1, reusable: false, now: .seconds(20))
        let c2 = MockConnection(id: 2)
        _ = machine.connectionEstablished(c2, attempt: 2, now: .seconds(20))
        _ = machine.leaseReleased(c0, reusable: true, now: .seconds(30))
        // Idle in FIFO order: c2 (parked at 20), c0 (parked at 30). c2 lives until 80, c0 until 60.
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .seconds(61)) == MachineAction(leases: [lease(c2, to: 3)]))
        #expect(machine.leaseRequested(4, file: "F", line: 4, now: .seconds(61)) == MachineAction(
            createConnections: [3],
            closeConnections: [close(c0, .lifetime)],
            scheduleTimer: nil
        ))
    }
}
