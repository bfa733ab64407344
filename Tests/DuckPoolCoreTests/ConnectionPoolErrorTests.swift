import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ConnectionPoolErrorTests {
    @Test func codesAreDistinctAndSwitchable() {
        let errors: [ConnectionPoolError] = [
            .acquireTimeout(waited: .seconds(1), state: PoolStatistics()),
            .poolExhausted(maxWaiters: 3),
            .poolClosed,
            .invalidConfiguration(field: "maxWaiters", reason: "must be >= 0"),
            .connectionFactoryFailing(underlying: MockConnectionError(), consecutiveFailures: 5),
            .connectionAttemptFailed(underlying: MockConnectionError()),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        #expect(Set(errors).count == errors.count)
        for error in errors {
            switch error.code {
            case .acquireTimeout: #expect(error.waited == .seconds(1))
            case .poolExhausted: #expect(error.maxWaiters == 3)
            case .poolClosed: #expect(error.underlying == nil)
            case .invalidConfiguration: #expect(error.field == "maxWaiters")
            case .connectionFactoryFailing: #expect(error.consecutiveFailures == 5)
            case .connectionAttemptFailed: #expect(error.underlying is MockConnectionError)
            default: Issue.record("unexpected code \(error.code)")
            }
        }
    }

    @Test func equalityComparesCodesAndConfigurationFields() {
        #expect(ConnectionPoolError.poolClosed == .poolClosed)
        #expect(ConnectionPoolError.poolClosed != .poolExhausted(maxWaiters: 1))
        #expect(ConnectionPoolError.poolExhausted(maxWaiters: 1) == .poolExhausted(maxWaiters: 2))
        #expect(ConnectionPoolError.invalidConfiguration(field: "a", reason: "r") != .invalidConfiguration(field: "b", reason: "r"))
    }

    @Test func acquireTimeoutDescribesStateAndHolders() {
        let state = PoolStatistics(
            size: 2, inUse: 2, idle: 0, connecting: 0, overflowInUse: 1, waiters: 4,
            minimumConnections: 1, maximumConnections: 2,
            holders: [
                LeaseHolder(connectionID: 0, requestID: 7, file: "App/Report.swift", line: 42, leasedAt: .seconds(1), heldFor: .milliseconds(31_250)),
                LeaseHolder(connectionID: 1, requestID: 9, file: "App/Export.swift", line: 7, leasedAt: .seconds(2), heldFor: .seconds(30)),
            ]
        )
        let error = ConnectionPoolError.acquireTimeout(waited: .seconds(30), state: state)
        #expect(error.holders.count == 2)
        #expect(error.poolState?.waiters == 4)
        let text = error.description
        #expect(text.contains("Timed out after 30.000s"))
        #expect(text.contains("2 in use"))
        #expect(text.contains("0 idle"))
        #expect(text.contains("4 waiting"))
        #expect(text.contains("connection 0 held for 31.250s by App/Report.swift:42 (request 7)"))
        #expect(text.contains("App/Export.swift:7"))
    }

    @Test func statisticsHelpers() {
        let state = PoolStatistics(
            inUse: 9, maximumConnections: 10,
            holders: [
                LeaseHolder(connectionID: 0, requestID: 1, file: "A", line: 1, leasedAt: .zero, heldFor: .seconds(90)),
                LeaseHolder(connectionID: 1, requestID: 2, file: "B", line: 2, leasedAt: .seconds(80), heldFor: .seconds(10)),
            ]
        )
        #expect(state.utilization == 0.9)
        #expect(state.holders(heldAtLeast: .seconds(60)).map(\.connectionID) == [0])
    }
}
