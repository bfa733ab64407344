@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ConnectionPoolLifecycleTests {
    @Test func shutdownWithAGracePeriodInterruptsHeldConnections() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        let pool = TestPool(configuration: testConfiguration(minimum: 2, maximum: 2), factory: factory, clock: clock, observer: observer)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            // The two attempts run concurrently: which one is pending first is not fixed.
            let first = await factory.succeedNextAttempt()
            let second = await factory.succeedNextAttempt()
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            guard let held = try? await pool.lease() else {
                Issue.record("lease failed")
                return
            }
            let idle = held === first ? second : first

            let shutdown = Task { await pool.shutdown(gracePeriod: .seconds(5)) }
            await clock.waitForSleeper(deadline: .init(.seconds(5)))
            await factory.waitForCloses(count: 1)
            #expect(idle.isClosed)         // idle: closed at once
            #expect(!held.isClosed)        // leased: waits for its holder
            #expect(factory.record.interrupted.isEmpty)
            #expect(pool.statistics.lifecycle == .shuttingDown)
            await #expect(throws: ConnectionPoolError.poolClosed) { try await pool.lease() }

            clock.advance(to: .init(.seconds(5)))
            await factory.waitForInterrupts(count: 1)
            #expect(factory.record.interrupted == [held.id])
            #expect(held.interruptCount == 1)

            pool.release(held)
            await shutdown.value
            await group.waitForAll()
            #expect(held.isClosed)
            #expect(pool.statistics.lifecycle == .shutDown)
            #expect(observer.recorded.contains(.closed(held.id, .shutdown)))
        }
        // Idempotent: returns at once after the pool has shut down.
        await pool.shutdown(gracePeriod: .zero)
        #expect(throws: ConnectionPoolError.poolClosed) { try pool.leaseBlocking() }
    }

    @Test func cancellingRunShutsThePoolDown() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        let pool = TestPool(configuration: testConfiguration(minimum: 2, maximum: 2), factory: factory, clock: MockClock(), observer: observer)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            guard let held = try? await pool.lease() else {
                Issue.record("lease failed")
                return
            }

            group.cancelAll()
            // No grace period: the holder is interrupted at once, the idle connection closed.
            await factory.waitForInterrupts(count: 1)
            await factory.waitForCloses(count: 1)
            #expect(factory.record.interrupted == [held.id])
            #expect(pool.statistics.lifecycle == .shuttingDown)
            await #expect(throws: ConnectionPoolError.poolClosed) { try await pool.lease() }

            pool.release(held)
            await group.waitForAll()   // run() returns once everything is closed
        }
        #expect(pool.statistics.lifecycle == .shutDown)
        #expect(factory.record.created.allSatisfy { $0.isClosed })
        #expect(factory.record.closed.count == 2)
    }

    @Test func aSecondRunReturnsImmediately() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))   // the first run() is working
            await pool.run()                       // returns at once
            let connection = try await pool.lease()
            pool.release(connection)
            #expect(factory.record.attempts == [0])
        }
    }

    @Test func shutdownFailsWaitingRequests() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        let pool = TestPool(configuration: testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            guard let held = try? await pool.lease() else {
                Issue.record("lease failed")
                return
            }
            let waiter = Task { try await pool.lease() }
            await clock.waitForSleeper(deadline: .init(.seconds(30)))
            let shutdown = Task { await pool.shutdown(gracePeriod: .seconds(60)) }
            await #expect(throws: ConnectionPoolError.poolClosed) { try await waiter.value }
            pool.release(held)
            await shutdown.value
            await group.waitForAll()
        }
        #expect(factory.record.interrupted.isEmpty)
        #expect(factory.record.closed == [0])
    }
}
