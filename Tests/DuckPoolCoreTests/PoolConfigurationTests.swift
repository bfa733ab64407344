import DuckPoolCore
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct PoolConfigurationTests {
    @Test func defaultsMatchTheDocumentation() throws {
        let configuration = PoolConfiguration()
        #expect(configuration.minimumConnections == 5)
        #expect(configuration.maximumConnections == 15)
        #expect(configuration.acquireTimeout == .seconds(30))
        #expect(configuration.maxLifetime == .seconds(3600))
        #expect(configuration.idleTimeout == .seconds(600))
        #expect(configuration.validateOnAcquire)
        #expect(configuration.reuseOrder == .lifo)
        #expect(configuration.maxWaiters == nil)
        #expect(configuration.connectRetry == RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(10)))
        #expect(configuration.circuitBreakerThreshold == 5)
        try configuration.validate()
    }

    @Test func validateNamesTheOffendingField() {
        let cases: [(String, (inout PoolConfiguration) -> Void)] = [
            ("minimumConnections", { $0.minimumConnections = -1 }),
            ("maximumConnections", { $0.maximumConnections = 0 }),
            ("minimumConnections", { $0.minimumConnections = 16 }),
            ("acquireTimeout", { $0.acquireTimeout = .zero }),
            ("maxLifetime", { $0.maxLifetime = .seconds(-1) }),
            ("idleTimeout", { $0.idleTimeout = .zero }),
            ("maxWaiters", { $0.maxWaiters = -1 }),
            ("connectRetry.initialDelay", { $0.connectRetry.initialDelay = .zero }),
            ("connectRetry.maximumDelay", { $0.connectRetry.maximumDelay = .milliseconds(50) }),
            ("connectRetry.jitter", { $0.connectRetry.jitter = .proportional(2) }),
            ("connectRetry", { $0.connectRetry.maxAttempts = 3 }),
            ("connectRetry", { $0.connectRetry.budget = .seconds(1) }),
            ("circuitBreakerThreshold", { $0.circuitBreakerThreshold = 0 }),
        ]
        for (field, change) in cases {
            var configuration = PoolConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                Issue.record("\(field): no error")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.field == field)
                #expect(error.reason?.isEmpty == false)
                #expect(error.description.contains(field))
            }
        }
    }

    @Test func optionalLimitsMayBeNil() throws {
        var configuration = PoolConfiguration()
        configuration.maxLifetime = nil
        configuration.idleTimeout = nil
        configuration.maxWaiters = 0
        configuration.minimumConnections = 0
        configuration.maximumConnections = 1
        try configuration.validate()
    }
}
