import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestUtils
import Foundation
import Logging
import Testing

@Suite struct DeadlineTests {
    private let longQuery = "SELECT count(*) FROM range(100000000000) a WHERE a.range = -1" // minutes

    @Test func aDeadlineInterruptsAMinutesLongQuery() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = 1
        configuration.housekeepingInterval = .seconds(3_600)
        let pool = try DuckPool(path: fixture.path, configuration: configuration,
                                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, clock: clock)
        let started = LockedCounter()
        let call = Task {
            try await pool.withConnection(timeout: .seconds(2)) { connection in
                started.add(1)
                return try connection.query(longQuery).countRows()
            }
        }
        while started.value == 0 { await Task.yield() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(2)))
        clock.advance(by: .seconds(2))
        let error = await #expect(throws: DuckDBError.self) { try await call.value }
        #expect(error?.code == .timedOut)
        // The connection came back usable: same connection, next query fine.
        #expect(try await pool.query("SELECT 1").count == 1)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func aQueryWithinItsDeadlineIsUntouched() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        #expect(try await pool.query("SELECT count(*) AS n FROM stock_kline", timeout: .seconds(60)).rows == [[.int(1_000)]])
        await pool.close()
    }

    @Test func blockingCallsHonourDeadlinesToo() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        let query = longQuery
        let outcome = await onPlainThread { Result { try pool.queryBlocking(query, timeout: .milliseconds(50)) } }
        if case .failure(let error as DuckDBError) = outcome {
            #expect(error.code == .timedOut)
        } else {
            Issue.record("expected timedOut, got \(outcome)")
        }
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    /// A deadline that passes while a short statement is finishing (DuckDB completes it despite
    /// the interrupt) must still stop the lease's next statement, and a deadline timer that
    /// fires late must never interrupt the next lease of the same connection. Wherever each
    /// deadline lands, every call must end in `.timedOut`; a lost one returns a count after
    /// tens of seconds, a misdirected one shows as `.interrupted`.
    @Test func aDeadlineLandingDuringAShortStatementStopsTheNextOne() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.database.threads = 1 }
        var outcomes: [String] = []
        for _ in 0..<50 {
            do {
                let rows = try await pool.withConnection(timeout: .microseconds(300)) { connection -> Int in
                    for _ in 0..<20 { try connection.execute("UPDATE counters SET n = n WHERE id = 1") }
                    return try connection.query("SELECT count(*) FROM range(2000000000) t(i) WHERE t.i = -1").countRows()
                }
                outcomes.append("returned \(rows)")
            } catch let error as DuckDBError {
                outcomes.append("\(error.code)")
            }
        }
        #expect(outcomes.allSatisfy { $0 == "\(DuckDBError.Code.timedOut)" }, "\(outcomes)")
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }

    @Test func aTransactionPastItsDeadlineCommitsNothing() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        let query = longQuery
        let error = await #expect(throws: DuckDBError.self) {
            try await pool.transaction(timeout: .milliseconds(50)) { connection in
                try connection.execute("UPDATE counters SET n = 77 WHERE id = 1")
                _ = try connection.query(query).countRows()
            }
        }
        #expect(error?.code == .timedOut)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }
}

@Suite struct ReadOnlyPoolTests {
    @Test func readOnlyPoolsReadAndRefuseWrites() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.database.accessMode = .readOnly }
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        let error = await #expect(throws: DuckDBError.self) { try await pool.execute("UPDATE counters SET n = 1") }
        #expect(error?.code == .invalidInput || error?.code == .permission)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }
}
