@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolStateMachineActionTests {
    @Test func actionsDifferingInAnyFieldAreNotEqual() {
        let c0 = MockConnection(id: 0)
        let other0 = MockConnection(id: 0)
        let variants: [MachineAction] = [
            MachineAction(),
            MachineAction(leases: [lease(c0, to: 1)]),
            MachineAction(leases: [lease(other0, to: 1)]),
            MachineAction(leases: [lease(c0, to: 2)]),
            MachineAction(leases: [lease(c0, to: 1, validate: true)]),
            MachineAction(leases: [lease(c0, to: 1, waited: .seconds(1))]),
            MachineAction(failures: [failure(1, .poolClosed)]),
            MachineAction(failures: [failure(1, .poolExhausted(maxWaiters: 1))]),
            MachineAction(failures: [PoolStateMachine.Failure(requestID: 1, reason: .cancelled)]),
            MachineAction(createConnections: [0]),
            MachineAction(createConnections: [0, 1]),
            MachineAction(closeConnections: [close(c0, .idle)]),
            MachineAction(closeConnections: [close(c0, .lifetime)]),
            MachineAction(interruptConnections: [c0]),
            MachineAction(scheduleTimer: .seconds(1)),
            MachineAction(released: released(c0, heldFor: .seconds(1))),
            MachineAction(connectFailure: .init(error: MockConnectionError(), consecutiveFailures: 1, nextRetryIn: nil, circuitBreakerOpen: false)),
            MachineAction(shutdownFinished: true),
        ]
        for (i, lhs) in variants.enumerated() {
            for (j, rhs) in variants.enumerated() {
                #expect((lhs == rhs) == (i == j), "\(lhs) vs \(rhs)")
            }
        }
        #expect(MachineAction.none == MachineAction())
    }
}
