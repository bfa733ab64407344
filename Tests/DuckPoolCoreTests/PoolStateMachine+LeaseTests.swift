@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineLeaseTests {
    @Test func startOpensMinimumConnectionsAndParksThem() {
        var machine = Machine(configuration: testConfiguration(minimum: 2, maximum: 4))
        #expect(machine.start() == MachineAction(createConnections: [0, 1]))
        #expect(machine.statistics(now: .zero).size == 2)
        #expect(machine.statistics(now: .zero).connecting == 2)

        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(1)) == MachineAction())
        let stats = machine.statistics(now: .seconds(1))
        #expect(stats.idle == 1)
        #expect(stats.connecting == 1)
        #expect(stats.totalCreated == 1)
    }

    @Test(arguments: [false, true])
    func leaseWithIdleConnectionIsServedAtOnce(validate: Bool) {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 2, validateOnAcquire: validate))
        let c0 = connections[0]

        let action = machine.leaseRequested(1, file: "A.swift", line: 10, now: .seconds(5))
        #expect(action == MachineAction(leases: [lease(c0, to: 1, validate: validate)]))

        let stats = machine.statistics(now: .seconds(7))
        #expect(stats.inUse == 1)
        #expect(stats.idle == 0)
        #expect(stats.overflowInUse == 0)
        #expect(stats.holders == [
            LeaseHolder(connectionID: 0, requestID: 1, file: "A.swift", line: 10, leasedAt: .seconds(5), heldFor: .seconds(2)),
        ])
    }

    @Test func leaseWithoutIdleConnectionQueuesAndOpensConnectionsUpToMaximum() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 2))
        #expect(machine.start() == MachineAction())

        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero)
            == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(1))
            == MachineAction(createConnections: [1]))
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .seconds(2)) == MachineAction())

        let c0 = MockConnection(id: 0)
        let c1 = MockConnection(id: 1)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(3))
            == MachineAction(leases: [lease(c0, to: 1, waited: .seconds(3))]))
        #expect(machine.connectionEstablished(c1, attempt: 1, now: .seconds(4))
            == MachineAction(leases: [lease(c1, to: 2, waited: .seconds(3))]))

        let stats = machine.statistics(now: .seconds(4))
        #expect(stats.waiters == 1)
        #expect(stats.inUse == 2)
        #expect(stats.size == 2)
        #expect(stats.overflowInUse == 2)
    }

    @Test func waitersAreServedInFIFOOrder() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)

        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(1)) == MachineAction(scheduleTimer: .seconds(31)))
        #expect(machine.leaseRequested(3, file: "F", line: 3, now: .seconds(2)) == MachineAction())
        #expect(machine.leaseRequested(4, file: "F", line: 4, now: .seconds(3)) == MachineAction())
        #expect(machine.queue.requestIDs == [2, 3, 4])

        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(4)) == MachineAction(
            leases: [lease(c0, to: 2, waited: .seconds(3))],
            released: released(c0, heldFor: .seconds(4))
        ))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(6)) == MachineAction(
            leases: [lease(c0, to: 3, waited: .seconds(4))],
            released: released(c0, heldFor: .seconds(2))
        ))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(7)) == MachineAction(
            leases: [lease(c0, to: 4, waited: .seconds(4))],
            released: released(c0, heldFor: .seconds(1))
        ))
        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(8)) == MachineAction(
            released: released(c0, heldFor: .seconds(1))
        ))
        #expect(machine.statistics(now: .seconds(8)).idle == 1)
    }

    @Test func newRequestQueuesBehindWaitersEvenIfAConnectionWasJustOpened() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 1))
        _ = machine.start()
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .zero) == MachineAction())
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(1)) == MachineAction(leases: [lease(c0, to: 1, waited: .seconds(1))]))
        #expect(machine.queue.requestIDs == [2])
    }

    @Test func maxWaitersRejectsWithPoolExhausted() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1, maxWaiters: 1))
        #expect(machine.leaseNow(1) === connections[0])
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .zero) == MachineAction(scheduleTimer: .seconds(30)))

        let rejected = machine.leaseRequested(3, file: "F", line: 3, now: .zero)
        #expect(rejected == MachineAction(failures: [failure(3, .poolExhausted(maxWaiters: 1))]))
        #expect(poolError(of: rejected.failures.first)?.maxWaiters == 1)
        #expect(machine.statistics(now: .zero).waiters == 1)
    }

    @Test func zeroMaxWaitersNeverQueues() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 2, maxWaiters: 0))
        #expect(machine.leaseNow(1) === connections[0])
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .zero)
            == MachineAction(failures: [failure(2, .poolExhausted(maxWaiters: 0))]))
    }

    @Test(arguments: [PoolConfiguration.ReuseOrder.lifo, .fifo])
    func reuseOrderPicksTheIdleConnection(order: PoolConfiguration.ReuseOrder) {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 2, maximum: 2, reuseOrder: order))
        let (c0, c1) = (connections[0], connections[1])
        let first = machine.leaseNow(1)
        let second = machine.leaseNow(2)
        #expect(first === (order == .lifo ? c1 : c0))
        #expect(second === (order == .lifo ? c0 : c1))

        // Return c0 first, then c1: c0 has been idle longest, c1 was returned last.
        _ = machine.leaseReleased(c0, reusable: true, now: .seconds(1))
        _ = machine.leaseReleased(c1, reusable: true, now: .seconds(2))
        let action = machine.leaseRequested(3, file: "F", line: 3, now: .seconds(3))
        #expect(action == MachineAction(leases: [lease(order == .lifo ? c1 : c0, to: 3)]))
    }

    @Test func cancellingAWaitingRequestRemovesIt() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        let c0 = connections[0]
        #expect(machine.leaseNow(1) === c0)
        _ = machine.leaseRequested(2, file: "F", line: 2, now: .seconds(1))
        _ = machine.leaseRequested(3, file: "F", line: 3, now: .seconds(2))

        #expect(machine.cancelRequest(2) == MachineAction(failures: [PoolStateMachine.Failure(requestID: 2, reason: .cancelled)]))
        #expect(machine.cancelRequest(2) == .none)
        #expect(machine.statistics(now: .seconds(2)).waiters == 1)

        #expect(machine.leaseReleased(c0, reusable: true, now: .seconds(3)) == MachineAction(
            leases: [lease(c0, to: 3, waited: .seconds(1))],
            released: released(c0, heldFor: .seconds(3))
        ))
    }

    @Test func cancellingAServedRequestDoesNothing() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1))
        #expect(machine.leaseNow(1) === connections[0])
        #expect(machine.cancelRequest(1) == .none)
        #expect(machine.statistics(now: .zero).inUse == 1)
    }

    @Test func failedValidationClosesReplacesAndKeepsPlaceInQueue() {
        var machine = Machine(configuration: testConfiguration(minimum: 0, maximum: 2, validateOnAcquire: true))
        _ = machine.start()
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(createConnections: [0], scheduleTimer: .seconds(30)))
        let c0 = MockConnection(id: 0)
        #expect(machine.connectionEstablished(c0, attempt: 0, now: .seconds(1))
            == MachineAction(leases: [lease(c0, to: 1, validate: true, waited: .seconds(1))]))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(2)) == MachineAction(createConnections: [1]))

        #expect(machine.validationFailed(c0, requestID: 1, now: .seconds(3)) == MachineAction(
            createConnections: [2],
            closeConnections: [close(c0, .validationFailed)]
        ))
        #expect(machine.queue.requestIDs == [1, 2])

        let c1 = MockConnection(id: 1)
        let c2 = MockConnection(id: 2)
        #expect(machine.connectionEstablished(c1, attempt: 1, now: .seconds(4))
            == MachineAction(leases: [lease(c1, to: 1, validate: true, waited: .seconds(4))]))
        #expect(machine.connectionEstablished(c2, attempt: 2, now: .seconds(5))
            == MachineAction(leases: [lease(c2, to: 2, validate: true, waited: .seconds(3))]))

        let stats = machine.statistics(now: .seconds(5))
        #expect(stats.totalFailedValidation == 1)
        #expect(stats.totalClosed == 1)
        #expect(stats.closing == 1)
    }

    @Test func failedValidationKeepsTheOriginalDeadline() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 2, validateOnAcquire: true))
        let c0 = connections[0]
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(leases: [lease(c0, to: 1, validate: true)]))
        #expect(machine.leaseRequested(2, file: "F", line: 2, now: .seconds(2))
            == MachineAction(createConnections: [1], scheduleTimer: .seconds(32)))

        // Request 1 goes back in front of request 2 with its deadline of 0 + 30 s.
        #expect(machine.validationFailed(c0, requestID: 1, now: .seconds(3)) == MachineAction(
            createConnections: [2],
            closeConnections: [close(c0, .validationFailed)],
            scheduleTimer: .seconds(30)
        ))
        let timedOut = machine.timerFired(scheduledFor: .seconds(30), now: .seconds(30))
        #expect(timedOut == MachineAction(failures: [failure(1, .acquireTimeout(waited: .seconds(30), state: PoolStatistics()))]))
        #expect(poolError(of: timedOut.failures.first)?.waited == .seconds(30))
        #expect(machine.queue.requestIDs == [2])
    }

    @Test func failedValidationIsServedByAnotherIdleConnection() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 2, maximum: 2, validateOnAcquire: true))
        let (c0, c1) = (connections[0], connections[1])
        #expect(machine.leaseNow(1) === c1)
        #expect(machine.validationFailed(c1, requestID: 1, now: .seconds(1)) == MachineAction(
            leases: [lease(c0, to: 1, validate: true, waited: .seconds(1))],
            createConnections: [2],
            closeConnections: [close(c1, .validationFailed)]
        ))
    }

    @Test func validationFailureForAnotherRequestIsIgnored() {
        var (machine, connections) = Machine.started(testConfiguration(minimum: 1, maximum: 1, validateOnAcquire: true))
        #expect(machine.leaseNow(1) === connections[0])
        #expect(machine.validationFailed(connections[0], requestID: 99, now: .zero) == .none)
        #expect(machine.statistics(now: .zero).inUse == 1)
    }

    @Test func leaseAfterShutdownFailsWithPoolClosed() {
        var (machine, _) = Machine.started(testConfiguration(minimum: 0, maximum: 1))
        #expect(machine.shutdown(graceDeadline: nil, now: .zero) == MachineAction(shutdownFinished: true))
        #expect(machine.leaseRequested(1, file: "F", line: 1, now: .zero) == MachineAction(failures: [failure(1, .poolClosed)]))
    }
}
