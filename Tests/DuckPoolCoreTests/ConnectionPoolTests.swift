@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ConnectionPoolTests {
    @Test func leaseAndReleaseReuseAnIdleConnection() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let c0 = try await withTestPool(testConfiguration(minimum: 1, maximum: 2), factory: factory, observer: observer) { pool in
            let c0 = await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            for _ in 0..<100 {
                let connection = try await pool.lease()
                #expect(connection === c0)
                pool.release(connection)
            }
            let stats = pool.statistics
            #expect(stats.size == 1)
            #expect(stats.idle == 1)
            #expect(stats.inUse == 0)
            #expect(stats.totalCreated == 1)
            #expect(factory.record.attempts == [0])
            return c0
        }
        #expect(c0.isClosed)
        #expect(factory.record.closed == [0])
    }

    @Test func observerSeesTheLifeOfALease() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let connection = try await pool.lease()
            clock.advance(by: .seconds(2))
            pool.release(connection)
            #expect(observer.recorded == [
                .utilization(inUse: 0, size: 1, maximum: 1),
                .created(0),
                .utilization(inUse: 1, size: 1, maximum: 1),
                .acquired(0, waited: .zero),
                .released(0, heldFor: .seconds(2)),
                .utilization(inUse: 0, size: 1, maximum: 1),
            ])
        }
        // The shutdown closes the connection and reports the emptied pool, in either order.
        await observer.waitFor(.utilization(inUse: 0, size: 0, maximum: 1))
        await observer.waitFor(.closed(0, .shutdown))
        let last = observer.recorded.suffix(2)
        #expect(last.contains(.closed(0, .shutdown)) && last.contains(.utilization(inUse: 0, size: 0, maximum: 1)), "\(last)")
    }

    @Test func aWaitingRequestIsServedWhenAConnectionOpens() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 0, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            let waiter = Task { try await pool.lease(file: "W.swift", line: 5) }
            let attempt = await factory.nextAttempt()
            #expect(attempt.id == 0)
            clock.advance(by: .seconds(3))
            let c0 = attempt.succeed()
            let leased = try await waiter.value
            #expect(leased === c0)
            await observer.waitFor(.acquired(0, waited: .seconds(3)))
            #expect(pool.statistics.holders.map(\.file) == ["W.swift"])
            pool.release(leased)
        }
    }

    @Test func acquireTimeoutErrorListsTheHoldersWithFileAndLine() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let held = try await pool.lease(file: "Holder.swift", line: 42)
            clock.advance(by: .seconds(5))

            let waiter = Task { try await pool.lease(file: "Waiter.swift", line: 7) }
            await clock.waitForSleeper(deadline: .init(.seconds(35)))
            clock.advance(to: .init(.seconds(35)))

            do {
                _ = try await waiter.value
                Issue.record("the waiter got a connection")
            } catch let error as ConnectionPoolError {
                #expect(error.code == .acquireTimeout)
                #expect(error.waited == .seconds(30))
                #expect(error.holders == [
                    LeaseHolder(connectionID: 0, requestID: 1, file: "Holder.swift", line: 42, leasedAt: .zero, heldFor: .seconds(35)),
                ])
                #expect(error.poolState?.inUse == 1)
                #expect(error.poolState?.waiters == 1)
                #expect(error.description.contains("connection 0 held for 35.000s by Holder.swift:42 (request 1)"))
            }
            await observer.waitFor(.timedOut(.acquireTimeout))
            #expect(pool.statistics.totalTimedOut == 1)
            #expect(pool.statistics.waiters == 0)
            pool.release(held)
        }
    }

    @Test func failedValidationClosesTheConnectionAndTheRequestGetsAReplacement() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 2, validateOnAcquire: true), factory: factory, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            factory.failValidation(of: 0)

            let waiter = Task { try await pool.lease() }
            let c1 = await factory.succeedNextAttempt()
            let leased = try await waiter.value
            #expect(leased === c1)

            await factory.waitForCloses(count: 1)
            #expect(factory.record.closed == [0])
            #expect(factory.record.validated == [0, 1])
            let stats = pool.statistics
            #expect(stats.totalFailedValidation == 1)
            #expect(stats.size == 1)
            await observer.waitFor(.closed(0, .validationFailed))
            pool.release(leased)
        }
    }

    @Test func circuitBreakerFailsFastUntilAProbeSucceeds() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        let backoff = TestBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), circuitBreakerThreshold: 2)
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1, backoff: backoff), factory: factory, clock: clock, observer: observer) { pool in
            #expect(await factory.failNextAttempt() == 0)
            await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
            #expect(factory.pendingAttemptCount == 0)  // no retry before the backoff ends
            clock.advance(to: .init(.milliseconds(100)))

            #expect(await factory.failNextAttempt() == 1)
            await observer.waitFor(.connectFailed(consecutive: 2, retryIn: .milliseconds(200), open: true))
            do {
                _ = try await pool.lease()
                Issue.record("lease succeeded with an open circuit breaker")
            } catch let error as ConnectionPoolError {
                #expect(error.code == .connectionFactoryFailing)
                #expect(error.consecutiveFailures == 2)
                #expect(error.underlying is MockConnectionError)
            }

            await clock.waitForSleeper(deadline: .init(.milliseconds(300)))
            clock.advance(to: .init(.milliseconds(300)))
            let c2 = await factory.succeedNextAttempt()
            await observer.waitFor(.created(2))
            #expect(!pool.statistics.isCircuitBreakerOpen)
            let leased = try await pool.lease()
            #expect(leased === c2)
            pool.release(leased)
        }
    }

    @Test func resizeAndRecreateChangeTheConnections() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 2), factory: factory, observer: observer) { pool in
            await factory.succeedNextAttempt()
            try pool.resize(minimum: 2, maximum: 3)
            #expect(await factory.nextAttempt().succeed().id == 1)
            await observer.waitFor(.created(1))
            #expect(pool.statistics.size == 2)
            #expect(pool.statistics.minimumConnections == 2)
            #expect(pool.statistics.maximumConnections == 3)

            #expect(throws: ConnectionPoolError.self) { try pool.resize(minimum: 1, maximum: 0) }
            #expect(pool.statistics.maximumConnections == 3)

            pool.recreate()
            await factory.waitForCloses(count: 2)
            #expect(Set(factory.record.closed) == [0, 1])
            let replacements: Set = [await factory.succeedNextAttempt().id, await factory.succeedNextAttempt().id]
            #expect(replacements == [2, 3])
            await observer.waitUntil { $0.contains(.created(2)) && $0.contains(.created(3)) }
            #expect(pool.statistics.idle == 2)
            #expect(observer.recorded.contains(.closed(0, .recreate)))
        }
    }

    @Test func statisticsListHoldersLongestFirst() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 2, maximum: 2), factory: factory, clock: clock, observer: observer) { pool in
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            let first = try await pool.lease(file: "First.swift", line: 1)
            clock.advance(by: .seconds(10))
            let second = try await pool.lease(file: "Second.swift", line: 2)
            clock.advance(by: .seconds(5))
            let holders = pool.statistics.holders
            #expect(holders.map(\.file) == ["First.swift", "Second.swift"])
            #expect(holders.map(\.heldFor) == [.seconds(15), .seconds(5)])
            #expect(holders.map(\.leasedAt) == [.zero, .seconds(10)])
            #expect(pool.statistics.holders(heldAtLeast: .seconds(10)).map(\.connectionID) == [first.id])
            pool.release(first)
            pool.release(second)
            #expect(pool.statistics.holders.isEmpty)
        }
    }

    @Test func poolIDsAreUnique() {
        let factory = MockConnectionFactory()
        let a = TestPool(configuration: testConfiguration(), factory: factory, clock: MockClock())
        let b = TestPool(configuration: testConfiguration(), factory: factory, clock: MockClock())
        #expect(a.id != b.id)
    }
}
