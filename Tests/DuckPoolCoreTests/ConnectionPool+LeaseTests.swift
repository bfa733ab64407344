@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Synchronization
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ConnectionPoolLeaseTests {
    @Test func cancellingAWaiterThrowsCancellationErrorAndRemovesIt() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let held = try await pool.lease()

            let waiter = Task { try await pool.lease() }
            await clock.waitForSleeper(deadline: .init(.seconds(30)))
            #expect(pool.statistics.waiters == 1)
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiters == 0)

            pool.release(held)
            #expect(pool.statistics.idle == 1)
        }
    }

    @Test func anAlreadyCancelledTaskDoesNotLease() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await pool.lease()
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(pool.statistics.inUse == 0)
        }
    }

    @Test func aConnectionHandedToARequestCancelledAtTheSameTimeGoesBack() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1, validateOnAcquire: true), factory: factory, clock: clock, observer: observer) { pool in
            let c0 = await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let held = try await pool.lease()
            factory.pauseValidations()

            let waiter = Task { try await pool.lease() }
            await clock.waitForSleeper(deadline: .init(.seconds(30)))
            pool.release(held)                           // hands c0 to the waiter...
            await factory.waitForValidations(count: 2)   // ...which is validating it
            waiter.cancel()                              // when its task is cancelled
            factory.resumeValidations()

            await #expect(throws: CancellationError.self) { try await waiter.value }
            let stats = pool.statistics
            #expect(stats.inUse == 0)
            #expect(stats.idle == 1)
            #expect(stats.holders.isEmpty)
            let again = try await pool.lease()
            #expect(again === c0)
            pool.release(again)
        }
    }

    @Test func tenThousandRandomlyCancelledAcquiresLeaveEveryConnectionIdle() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        let configuration = testConfiguration(minimum: 2, maximum: 4, acquireTimeout: .seconds(3600), validateOnAcquire: true)
        let counts = OutcomeCounts()

        try await withTestPool(configuration, factory: factory, observer: observer) { pool in
            var random = SeededGenerator(seed: 0x00D0_C0DE)
            let total = 10_000
            let batchSize = 250
            for _ in 0..<(total / batchSize) {
                if Bool.random(using: &random) {
                    factory.failNextValidations(1)
                }
                var tasks: [Task<Void, Never>] = []
                for _ in 0..<batchSize {
                    let holdYields = Int.random(in: 0...3, using: &random)
                    tasks.append(Task {
                        do {
                            let connection = try await pool.lease()
                            for _ in 0..<holdYields { await Task.yield() }
                            pool.release(connection)
                            counts.served.add(1, ordering: .relaxed)
                        } catch is CancellationError {
                            counts.cancelled.add(1, ordering: .relaxed)
                        } catch {
                            counts.other.add(1, ordering: .relaxed)
                        }
                    })
                }
                for task in tasks where Bool.random(using: &random) {
                    for _ in 0..<Int.random(in: 0...2, using: &random) { await Task.yield() }
                    task.cancel()
                }
                for task in tasks {
                    await task.value
                }
            }

            let served = counts.served.load(ordering: .relaxed)
            let cancelled = counts.cancelled.load(ordering: .relaxed)
            let other = counts.other.load(ordering: .relaxed)
            #expect(served + cancelled == total)
            #expect(other == 0)
            #expect(served > 0)
            #expect(cancelled > 0)

            let stats = pool.statistics
            #expect(stats.inUse == 0)
            #expect(stats.waiters == 0)
            #expect(stats.holders.isEmpty)
            #expect(stats.idle + stats.connecting == stats.size)
            #expect(stats.size <= 4)
            #expect(stats.totalCreated - stats.totalClosed == stats.idle)
            #expect(stats.totalClosed == stats.totalFailedValidation)
        }

        let record = factory.record
        #expect(record.created.count == record.closed.count)
        #expect(record.created.allSatisfy { $0.isClosed })
        #expect(record.interrupted.isEmpty)
    }
}

/// Outcome counters shared by the stress test's tasks.
private final class OutcomeCounts: Sendable {
    let served = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
    let other = Atomic<Int>(0)
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ConnectionPoolValidationFastPathTests {
    @Test func aConnectionTheFactoryVouchesForIsNotValidatedAgain() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1, validateOnAcquire: true), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))
            pool.release(try await pool.lease())
            #expect(factory.record.validated.count == 1) // no fast path yet: validated

            factory.vouchesForConnections = true
            pool.release(try await pool.lease())
            let blocking = await onThread { Result { try pool.leaseBlocking() } }
            pool.release(try blocking.get())
            #expect(factory.record.validated.count == 1) // fast path: skipped, async and blocking
        }
    }
}
