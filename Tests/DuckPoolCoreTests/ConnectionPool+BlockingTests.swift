@testable import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ConnectionPoolBlockingTests {
    @Test func blockingLeaseFromAThreadTimesOutOnTheMockClock() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let held = try await pool.lease(file: "Async.swift", line: 3)

            let blocked = Task {
                await onThread { () -> Result<ConnectionID, ConnectionPoolError> in
                    do {
                        let connection = try pool.leaseBlocking(file: "Thread.swift", line: 9)
                        pool.release(connection)
                        return .success(connection.id)
                    } catch let error as ConnectionPoolError {
                        return .failure(error)
                    } catch {
                        return .failure(.poolClosed)
                    }
                }
            }
            await clock.waitForSleeper(deadline: .init(.seconds(30)))
            #expect(pool.statistics.waiters == 1)
            clock.advance(to: .init(.seconds(30)))

            switch await blocked.value {
            case .success(let id):
                Issue.record("the blocked thread got connection \(id)")
            case .failure(let error):
                #expect(error.code == .acquireTimeout)
                #expect(error.waited == .seconds(30))
                #expect(error.holders.map(\.file) == ["Async.swift"])
            }
            pool.release(held)
        }
    }

    @Test func blockedThreadIsServedByARelease() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        let clock = MockClock()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, clock: clock, observer: observer) { pool in
            let c0 = await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            let held = try await pool.lease()

            let blocked = Task {
                await onThread { () -> ConnectionID? in
                    guard let connection = try? pool.leaseBlocking() else { return nil }
                    pool.release(connection)
                    return connection.id
                }
            }
            await clock.waitForSleeper(deadline: .init(.seconds(30)))
            pool.release(held)
            #expect(await blocked.value == c0.id)
            #expect(pool.statistics.idle == 1)
        }
    }

    @Test func blockingLeaseValidatesOnAHelperTask() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 2, validateOnAcquire: true), factory: factory, observer: observer) { pool in
            await factory.succeedNextAttempt()
            await observer.waitFor(.created(0))
            factory.failValidation(of: 0)
            let blocked = Task {
                await onThread { () -> ConnectionID? in
                    guard let connection = try? pool.leaseBlocking() else { return nil }
                    pool.release(connection)
                    return connection.id
                }
            }
            await factory.succeedNextAttempt()
            #expect(await blocked.value == 1)
            #expect(factory.record.validated == [0, 1])
        }
    }

    @Test func manyThreadsLeaseAndReleaseConcurrently() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 2, maximum: 2), factory: factory, observer: observer) { pool in
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            let results = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        await onThread {
                            var served = 0
                            for _ in 0..<2_000 {
                                guard let connection = try? pool.leaseBlocking() else { continue }
                                served += 1
                                pool.release(connection)
                            }
                            return served
                        }
                    }
                }
                return await group.reduce(0, +)
            }
            #expect(results == 8_000)
            let stats = pool.statistics
            #expect(stats.inUse == 0)
            #expect(stats.idle == 2)
            #expect(stats.waiters == 0)
            #expect(stats.totalCreated == 2)
        }
    }
}
