import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// What happens to a connection when its lease ends (the seed rolled back unconditionally, which
/// DuckDB rejects without an open transaction, so it reconnected for every query).
@Suite(.testThreads, .timeLimit(.minutes(2))) struct CheckInTests {
    @Test func cleanConnectionIsReusedWithoutRollback() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let log = try QueryLogRecorder(path: fixture.path)
        defer { log.close() }
        for _ in 0..<50 { _ = try await pool.query("SELECT count(*) FROM stock_kline") }
        try await onPlainThread { for _ in 0..<50 { _ = try pool.query("SELECT count(*) FROM stock_kline") } }
        let statistics = pool.status.statistics
        #expect(statistics.totalCreated == 1)
        #expect(statistics.totalClosed == 0)
        #expect(log.count(of: "SELECT count(*) FROM stock_kline") == 100)
        // No check-in sent a ROLLBACK (the seed's did, DuckDB refused it, and it reconnected).
        #expect(log.count(of: "ROLLBACK") == 0)
        // The same log sees the check-in's ROLLBACK when there is a transaction to end.
        try await pool.withConnection { connection in try connection.execute("BEGIN") }
        #expect(log.count(of: "ROLLBACK") == 1)
        await pool.close()
    }

    @Test func openTransactionIsRolledBackAndConnectionKept() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("UPDATE counters SET n = 99 WHERE id = 1")
            #expect(connection.transactionState == .active)
        }
        // Uncommitted work is gone, and the same connection serves the next lease.
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        try await pool.withConnection { connection in #expect(connection.transactionState == .idle) }
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func abortedTransactionIsRolledBack() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("BEGIN")
                try connection.execute("INSERT INTO counters VALUES (1, 5)") // duplicate key: aborts the transaction
            }
        }
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        #expect(pool.status.statistics.totalCreated == 1)
        await pool.close()
    }

    @Test func committedWorkSurvivesCheckIn() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("UPDATE counters SET n = 7 WHERE id = 1")
            try connection.execute("COMMIT")
        }
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(7)]])
        await pool.close()
    }

    @Test func unknownTransactionStateDiscardsTheConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let firstID = pool.status.statistics.totalCreated
        try await pool.withConnection { connection in
            // A script whose statements DuckDBKit's splitter cannot match to DuckDB's (DuckDB
            // nests block comments, the splitter does not), so it cannot tell what the
            // transaction statement in it did.
            try connection.executeScript("SELECT 1 /* a /* b */ ; c */; BEGIN TRANSACTION")
            #expect(connection.transactionState == .unknown)
        }
        _ = try await pool.query("SELECT 1")
        let statistics = pool.status.statistics
        #expect(statistics.totalClosed >= 1)
        #expect(statistics.totalCreated > firstID)
        await pool.close()
    }

    @Test func discardPolicyNeverRollsBack() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.resetOnReturn = .discardOpenTransaction
        }
        try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("UPDATE counters SET n = 3 WHERE id = 1")
        }
        #expect(try await pool.query("SELECT n FROM counters").rows == [[.int(0)]])
        #expect(pool.status.statistics.totalClosed == 1)
        await pool.close()
    }
}

@Suite(.testThreads, .timeLimit(.minutes(2))) struct ValidationTests {
    @Test func pingingOnEveryAcquireKeepsHealthyConnections() async throws {
        let fixture = try PoolFixture()
        // Time stands still on the mock clock: every connection is as fresh as when it was used.
        let pinging = try await fixture.makePool(clock: MockClock()) {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.validationTrustInterval = .zero // ping every time, as the seed's pre_ping
        }
        await eventually { pinging.status.idle == 1 } // its connect check ("SELECT 1") is done
        let log = try QueryLogRecorder(path: fixture.path)
        defer { log.close() }
        for _ in 0..<20 { _ = try await pinging.query("SELECT 2") }
        try await onPlainThread { for _ in 0..<20 { _ = try pinging.query("SELECT 2") } }
        #expect(log.count(of: "SELECT 2") == 40)
        #expect(log.count(of: "SELECT 1") == 40) // the ping, once per acquire
        let statistics = pinging.status.statistics
        #expect(statistics.totalFailedValidation == 0)
        #expect(statistics.totalCreated == 1)
        await pinging.close()

        // Within the trust interval (1 s by default) no acquire pings.
        let trusting = try await fixture.makePool(clock: MockClock()) { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        await eventually { trusting.status.idle == 1 }
        let pingsBefore = log.count(of: "SELECT 1") // its connect check included
        for _ in 0..<20 { _ = try await trusting.query("SELECT 2") }
        #expect(log.count(of: "SELECT 1") == pingsBefore)
        await trusting.close()
    }

    @Test func pingDetectsAnInvalidatedDatabase() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool {
            $0.minimumConnections = 2
            $0.maximumConnections = 2
            $0.validationTrustInterval = .zero
            $0.connectRetry = RetryPolicy(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
            $0.circuitBreakerThreshold = 1
            $0.reopen = nil // pins the behaviour without reopening (InvalidationRecoveryTests covers the reopen)
        }
        // Both connections open first, so that one is idle to be pinged after the invalidation
        // (on a busy machine the second may not have opened yet).
        await eventually { pool.status.idle == 2 }
        // Invalidate the instance for real (DuckDB's checkpoint-abort hook raises a fatal error).
        let fatal = await #expect(throws: DuckDBError.self) {
            try await pool.withConnection { connection in
                try connection.execute("INSERT INTO counters VALUES (2, 0)")
                try connection.execute("SET debug_checkpoint_abort = 'before_header'")
                try connection.execute("CHECKPOINT")
            }
        }
        #expect(fatal?.code == .invalidated)
        // The next acquire pings, sees the invalidation and discards the connection; replacements
        // fail the same way, so the acquire fails fast with DuckDB's error, not a timeout.
        let next = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(next?.code == .connectionFailed)
        #expect((next?.underlying as? DuckDBError)?.code == .invalidated)
        let statistics = pool.status.statistics
        #expect(statistics.totalFailedValidation >= 1)
        #expect(statistics.totalConnectFailures >= 1)
        await pool.close()
    }
}
