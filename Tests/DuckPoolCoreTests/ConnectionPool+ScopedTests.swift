@testable import DuckPoolCore
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct ConnectionPoolScopedTests {
    private struct BodyError: Error {}

    @Test func nestedWithLeaseReusesTheHeldConnection() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 2, maximum: 2), factory: factory, observer: observer) { pool in
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            try await pool.withLease { outer in
                try await pool.withLease { inner in
                    #expect(inner === outer)
                    #expect(pool.statistics.inUse == 1)
                }
                #expect(pool.statistics.inUse == 1)  // the inner scope did not release it

                // Other tasks (which inherit task-locals) lease their own connection.
                let unstructured = try await Task { try await pool.withLease { $0.id } }.value
                #expect(unstructured != outer.id)
                async let child = pool.withLease { $0.id }
                #expect(try await child != outer.id)
            }
            #expect(pool.statistics.inUse == 0)
        }
    }

    @Test func nestedWithLeaseFailsWithTheFailPolicy() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 2, nestedAcquisition: .fail), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))
            try await pool.withLease { _ in
                await #expect(throws: ConnectionPoolError.nestedAcquisition) {
                    try await pool.withLease { _ in }
                }
                #expect(pool.statistics.inUse == 1)
            }
            #expect(pool.statistics.inUse == 0)
        }
    }

    @Test func withLeaseReleasesWhenTheBodyThrows() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 1), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))
            await #expect(throws: BodyError.self) {
                try await pool.withLease { _ in throw BodyError() }
            }
            #expect(pool.statistics.inUse == 0)
            #expect(pool.statistics.idle == 1)
            // The scope ended: a new withLease leases again instead of reusing.
            let id = try await pool.withLease { connection in
                #expect(pool.statistics.inUse == 1)
                return connection.id
            }
            #expect(id == 0)
        }
    }

    @Test func nestedWithLeaseBlockingReusesTheHeldConnectionOnTheSameThread() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 2, maximum: 2), factory: factory, observer: observer) { pool in
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            let outcome = await onThread { () -> (same: Bool, inUseInside: Int, inUseAfterInner: Int)? in
                try? pool.withLeaseBlocking { outer in
                    let (same, inUse) = try pool.withLeaseBlocking { inner in
                        (inner === outer, pool.statistics.inUse)
                    }
                    return (same, inUse, pool.statistics.inUse)
                }
            }
            #expect(outcome?.same == true)
            #expect(outcome?.inUseInside == 1)
            #expect(outcome?.inUseAfterInner == 1)
            #expect(pool.statistics.inUse == 0)
        }
    }

    @Test func nestedWithLeaseBlockingFailsWithTheFailPolicy() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 1, maximum: 2, nestedAcquisition: .fail), factory: factory, observer: observer) { pool in
            await observer.waitFor(.created(0))
            let innerError = await onThread { () -> ConnectionPoolError? in
                var caught: ConnectionPoolError?
                try? pool.withLeaseBlocking { _ in
                    do {
                        try pool.withLeaseBlocking { _ in }
                    } catch let error as ConnectionPoolError {
                        caught = error
                    } catch {}
                }
                return caught
            }
            #expect(innerError == .nestedAcquisition)
            #expect(pool.statistics.inUse == 0)
        }
    }

    @Test func blockingScopesOnDifferentThreadsDoNotShareConnections() async throws {
        let factory = MockConnectionFactory(autoConnect: true)
        let observer = RecordingObserver()
        try await withTestPool(testConfiguration(minimum: 2, maximum: 2), factory: factory, observer: observer) { pool in
            await observer.waitUntil { $0.contains(.created(0)) && $0.contains(.created(1)) }
            let ids = await onThread { () -> [ConnectionID] in
                (try? pool.withLeaseBlocking { outer -> [ConnectionID] in
                    // The async scope context does not leak into blocking scopes of another thread.
                    let other = Thread.detachedResult { try? pool.withLeaseBlocking { $0.id } }
                    return [outer.id, other ?? -1]
                }) ?? []
            }
            #expect(ids.count == 2)
            #expect(Set(ids).count == 2)
            #expect(!ids.contains(-1))
        }
    }
}
