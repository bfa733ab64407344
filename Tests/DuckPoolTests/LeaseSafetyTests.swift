import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct LeaseSafetyTests {
    @Test func connectionUsedAfterItsLeaseIsATypedError() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        // Smuggling a connection out takes an explicit unsafe opt-out; it still cannot crash.
        nonisolated(unsafe) var escaped: Connection?
        try await pool.withConnection { connection in escaped = connection }
        let error = #expect(throws: DuckDBError.self) { try escaped?.query("SELECT 1") }
        #expect(error?.code == .accessRevoked)
        #expect(try await pool.query("SELECT 1 AS x").rows == [[.int(1)]])
        await pool.close()
    }

    @Test func nestedBlockingAcquireReusesTheHeldConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let sameConnection = try await onPlainThread {
            try pool.withConnection { outer in
                try pool.withConnection { inner in outer === inner }
            }
        }
        #expect(sameConnection)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func nestedAcquireFromAnAsyncLeaseReusesTheHeldConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        // Only one connection exists: a second lease would deadlock; detection hands back the first.
        let count = try await pool.withConnection { _ in
            try pool.query("SELECT count(*) FROM counters").rows
        }
        #expect(count == [[.int(1)]])
        await pool.close()
    }

    @Test func nestedAcquireFailsFastWhenConfigured() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.nestedAcquisition = .fail
        }
        let outcome = await onPlainThread {
            Result { try pool.withConnection { _ in try pool.withConnection { _ in 1 } } }
        }
        let error = #expect(throws: DuckPoolError.self) { try outcome.get() }
        #expect(error?.code == .nestedAcquisition)
        #expect(pool.status.inUse == 0)
        #expect(try await pool.query("SELECT 1 AS x").count == 1)
        await pool.close()
    }
}
