import DuckPool
import DuckPoolSupport
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// A deadline on the real clock fires from a Dispatch timer: it stops a statement even while
/// every thread of Swift's cooperative pool is blocked, which an application can do by mistake.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct DeadlineStarvationTests {
    @Test func aDeadlineStopsAStatementWhileTheCooperativePoolIsBlocked() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let blocking = LockedCounter(), release = BlockingWaiter<Bool>()
        let outcome: Result<Int, any Error> = await onPlainThread {
            Result {
                try pool.withConnection(timeout: .milliseconds(200)) { connection in
                    // Hold every cooperative thread: the lease's deadline timer cannot use one.
                    for _ in 0..<threads {
                        Task { blocking.add(1); _ = release.wait() }
                    }
                    while blocking.value < threads { sched_yield() }
                    defer { release.signal(true) } // whatever the outcome, let the pool go
                    // Seconds of scanning unless something interrupts it.
                    return try connection.query("SELECT count(*) FROM range(10000000000) a WHERE a.range = -1").countRows()
                }
            }
        }
        switch outcome {
        case .success(let rows):
            Issue.record("the scan ran to its end (\(rows) row): no deadline stopped it")
        case .failure(let error as DuckPoolError):
            #expect(error.code == .timedOut)
        case .failure(let error):
            #expect((error as? DuckDBError)?.code == .interrupted, "\(error)")
        }
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }
}
