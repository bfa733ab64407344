import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import MetricsTestKit
import Testing

/// `timeout:` bounds the work once a call holds its connection; `deadline:` bounds the whole
/// call, the wait included. Both run on the pool's clock: here a mock clock moved by hand, except
/// in the one end-to-end test on the wall clock.
@Suite(.testThreads, .timeLimit(.minutes(4))) struct DeadlineTests {
    private static let longQuery = "SELECT count(*) FROM range(100000000000) a WHERE a.range = -1" // minutes

    /// A DELETE that DuckDB spends seconds planning (an 8,000-term OR chain; 15,000 terms took
    /// minutes beside the rest of the suite) and that would delete the one row of `counters` if
    /// it ever ran.
    private static let planningHeavyDelete = "DELETE FROM counters WHERE id = 1 AND ("
        + (2...8_000).map { "id = -\($0)" }.joined(separator: " OR ") + " OR id = 1)"

    private func singleConnectionPool(_ fixture: PoolFixture, clock: MockClock) async throws -> DuckPool {
        try await fixture.makePool(clock: clock) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.housekeepingInterval = .seconds(3_600)
        }
    }

    @Test func aTimeoutInterruptsAMinutesLongQuery() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let started = BlockingWaiter<Bool>()
        let call = Task {
            try await pool.withConnection(timeout: .seconds(2)) { connection in
                started.signal(true)
                return try connection.query(Self.longQuery).countRows()
            }
        }
        _ = await onPlainThread { started.wait() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(2)))
        clock.advance(by: .seconds(2))
        let error = await #expect(throws: DuckPoolError.self) { try await call.value }
        #expect(error?.code == .timedOut)
        #expect(error?.phase == .working)
        #expect((error?.underlying as? DuckDBError)?.code == .interrupted)
        // The connection came back usable: same connection, next query fine.
        #expect(try await pool.query("SELECT 1").count == 1)
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func aBlockingCallHonoursItsTimeoutOnThePoolClock() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let started = BlockingWaiter<Bool>()
        let outcome = Task {
            await onPlainThread {
                Result { try pool.withConnection(timeout: .seconds(5)) { connection in
                    started.signal(true)
                    return try connection.query(Self.longQuery).countRows()
                } }
            }
        }
        _ = await onPlainThread { started.wait() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(5)))
        clock.advance(by: .seconds(5))
        let result = await outcome.value
        let error = #expect(throws: DuckPoolError.self) { try result.get() }
        #expect(error?.code == .timedOut)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test func aQueryWithinItsTimeoutIsUntouched() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        #expect(try await pool.query("SELECT count(*) AS n FROM stock_kline", timeout: .seconds(60)).rows == [[.int(1_000)]])
        #expect(try await pool.query("SELECT 1", deadline: .at(.now + .seconds(60))).rows == [[.int(1)]])
        await pool.close()
    }

    /// Holds the pool's one connection on its queue until `release` is signalled.
    private func holdTheConnection(_ pool: DuckPool) async -> (held: Task<Void, any Error>, release: BlockingWaiter<Bool>) {
        let holding = BlockingWaiter<Bool>(), release = BlockingWaiter<Bool>()
        let held = Task { try await pool.withConnection { _ in holding.signal(true); _ = release.wait() } }
        _ = await onPlainThread { holding.wait() }
        return (held, release)
    }

    @Test func aDeadlineCoversTheWaitForAConnectionAndNamesTheHolder() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let (held, release) = await holdTheConnection(pool)
        let waiting = Task { try await pool.query("SELECT 1", deadline: .after(.seconds(1))) }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(1)))
        clock.advance(by: .seconds(1))
        let error = await #expect(throws: DuckPoolError.self) { try await waiting.value }
        #expect(error?.code == .timedOut)
        #expect(error?.phase == .waiting)
        #expect(error?.holders.count == 1)
        #expect(error?.holders.first?.file.hasSuffix("DeadlineTests.swift") == true)
        release.signal(true)
        try await held.value
        await pool.close()
    }

    @Test func aTimeoutDoesNotCoverTheWait() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let (held, release) = await holdTheConnection(pool)
        let waiting = Task { try await pool.query("SELECT 1", timeout: .seconds(1)) }
        await eventually { pool.status.waiters == 1 }
        clock.advance(by: .seconds(5))
        release.signal(true)
        try await held.value
        #expect(try await waiting.value.rows == [[.int(1)]])
        await pool.close()
    }

    @Test func aDeadlineAlreadyPastFailsBeforeWaiting() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let (held, release) = await holdTheConnection(pool)
        let error = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1", deadline: .after(.zero)) }
        #expect(error?.code == .timedOut)
        #expect(error?.phase == .waiting)
        release.signal(true)
        try await held.value
        await pool.close()
    }

    @Test func aTransactionPastItsTimeoutCommitsNothing() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let started = BlockingWaiter<Bool>()
        let call = Task {
            try await pool.transaction(timeout: .seconds(1)) { connection in
                try connection.execute("UPDATE counters SET n = 77 WHERE id = 1")
                started.signal(true)
                _ = try connection.query(Self.longQuery).countRows()
            }
        }
        _ = await onPlainThread { started.wait() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(1)))
        clock.advance(by: .seconds(1))
        let error = await #expect(throws: DuckPoolError.self) { try await call.value }
        #expect(error?.code == .timedOut)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }

    /// DuckDB cannot interrupt planning. An async call whose deadline passes, or whose task is
    /// cancelled, while DuckDB plans still returns (here at once: no grace period) while the
    /// statement is being planned; the statement never runs, and the connection comes back only
    /// when DuckDB is done. A stop can also land before planning starts (then the call simply
    /// ends), so each test tries until it sees the case it is about.
    private func abandonsWhilePlanning(_ stop: Stop) async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let metrics = TestMetrics()
        let pool = try await fixture.makePool(clock: clock, metrics: metrics) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.housekeepingInterval = .seconds(3_600)
            $0.interruptGracePeriod = .zero
        }
        var abandonedWhilePlanning = false
        for attempt in 1...5 where !abandonedWhilePlanning {
            let abandonedBefore = pool.status.abandonedCalls
            let started = BlockingWaiter<Bool>()
            let call = Task {
                try await pool.withConnection(timeout: stop == .deadline ? .seconds(1) : nil) { connection in
                    started.signal(true)
                    try connection.execute(Self.planningHeavyDelete)
                }
            }
            _ = await onPlainThread { started.wait() }
            switch stop {
            case .deadline:
                await clock.waitForSleeper(deadline: MockClock.Instant(clock.now.offset + .seconds(1)))
                clock.advance(by: .seconds(1))
                let error = await #expect(throws: DuckPoolError.self) { try await call.value }
                #expect(error?.code == .timedOut, "attempt \(attempt)")
            case .cancellation:
                call.cancel()
                await #expect(throws: CancellationError.self) { try await call.value }
            }
            // Abandoned: the call returned while its statement still ran (the connection stays
            // out of use until DuckDB is done, which may be any moment now).
            abandonedWhilePlanning = pool.status.abandonedCalls == abandonedBefore + 1
            // Waiting for the one connection: it comes back when DuckDB has finished planning.
            #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        }
        #expect(abandonedWhilePlanning)
        #expect(try metrics.expectCounter("duckpool_abandoned_calls_total", [("pool", fixture.path)]).totalValue == Int64(pool.status.abandonedCalls))
        #expect(pool.status.inUse == 0)
        await pool.close()
    }

    private enum Stop { case deadline, cancellation }

    @Test func anAsyncCallReturnsAtItsDeadlineWhileDuckDBStillPlans() async throws {
        try await abandonsWhilePlanning(.deadline)
    }

    @Test func aCancelledCallReturnsWhileDuckDBStillPlans() async throws {
        try await abandonsWhilePlanning(.cancellation)
    }

    @Test func aBlockingCallPastItsDeadlineDuringPlanningNeverRunsTheStatement() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await singleConnectionPool(fixture, clock: clock)
        let started = BlockingWaiter<Bool>()
        let outcome = Task {
            await onPlainThread {
                Result { try pool.withConnection(timeout: .seconds(1)) { connection in
                    started.signal(true)
                    try connection.execute(Self.planningHeavyDelete)
                } }
            }
        }
        _ = await onPlainThread { started.wait() }
        await clock.waitForSleeper(deadline: MockClock.Instant(.seconds(1)))
        clock.advance(by: .seconds(1))
        let result = await outcome.value
        #expect(throws: DuckPoolError.self) { try result.get() }
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await pool.close()
    }

    /// End to end on the wall clock: a deadline that passes while a short statement is finishing
    /// (DuckDB completes it despite the interrupt) must still stop the lease's next statement, and
    /// a deadline timer that fires late must never interrupt the next lease of the same
    /// connection. Wherever each deadline lands, every call must end in `.timedOut`; a lost one
    /// returns a count after tens of seconds, a misdirected one shows as `.interrupted`.
    @Test func aDeadlineLandingDuringAShortStatementStopsTheNextOne() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.database.threads = 1 }
        var outcomes: [String] = []
        for _ in 0..<50 {
            do {
                let rows = try await pool.withConnection(timeout: .microseconds(300)) { connection -> Int in
                    for _ in 0..<20 { try connection.execute("UPDATE counters SET n = n WHERE id = 1") }
                    return try connection.query("SELECT count(*) FROM range(2000000000) t(i) WHERE t.i = -1").countRows()
                }
                outcomes.append("returned \(rows)")
            } catch let error as DuckPoolError {
                outcomes.append("\(error.code)")
            } catch {
                outcomes.append("\(error)")
            }
        }
        #expect(outcomes.allSatisfy { $0 == "\(DuckPoolError.Code.timedOut)" }, "\(outcomes)")
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct ReadOnlyPoolTests {
    @Test func readOnlyPoolsReadAndRefuseWrites() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.database.accessMode = .readOnly }
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        let error = await #expect(throws: DuckDBError.self) { try await pool.execute("UPDATE counters SET n = 1") }
        #expect(error?.code == .invalidInput)
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        await pool.close()
    }
}
