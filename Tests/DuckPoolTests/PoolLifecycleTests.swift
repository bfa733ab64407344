import DuckPool
import DuckPoolTestUtils
import Foundation
import ServiceLifecycle
import Testing
import Logging

@Suite struct PoolLifecycleTests {
    @Test func closedPoolRefusesWithATypedError() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        await pool.close()
        let asyncError = await #expect(throws: DuckDBError.self) { try await pool.query("SELECT 1") }
        #expect(asyncError?.code == .poolClosed)
        let blocking = await onPlainThread { Result { try pool.queryBlocking("SELECT 1") } }
        if case .failure(let error as DuckDBError) = blocking { #expect(error.code == .poolClosed) } else { Issue.record("expected poolClosed, got \(blocking)") }
        await pool.close() // idempotent
        // Committed data is intact for the next opener.
        let reopened = try fixture.makePool()
        #expect(try await reopened.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await reopened.close()
    }

    @Test func closeInterruptsLeasesAfterTheGracePeriod() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let started = LockedCounter()
        let longQuery = Task {
            try await pool.withConnection { connection in
                started.add(1)
                return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
            }
        }
        while started.value == 0 { await Task.yield() }
        await pool.close(gracePeriod: .zero)
        let error = await #expect(throws: DuckDBError.self) { try await longQuery.value }
        #expect(error?.code == .interrupted)
        #expect(pool.status.statistics.lifecycle == .shutDown)
    }

    @Test func recreateReplacesEveryConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.minimumConnections = 2; $0.maximumConnections = 2 }
        _ = try await pool.query("SELECT 1")
        let before = pool.status.statistics.totalCreated
        pool.recreate()
        _ = try await pool.query("SELECT 1")
        let after = pool.status.statistics
        #expect(after.totalClosed >= 2 || after.totalCreated > before)
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await pool.close()
    }

    @Test func resizeChangesTheLimits() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 2 }
        try pool.resize(minimum: 2, maximum: 6)
        #expect(pool.status.statistics.maximumConnections == 6)
        #expect(pool.status.statistics.minimumConnections == 2)
        let error = #expect(throws: DuckDBError.self) { try pool.resize(minimum: 5, maximum: 3) }
        #expect(error?.code == .invalidConfiguration)
        #expect(pool.status.statistics.maximumConnections == 6)
        await pool.close()
    }

    @Test func invalidConfigurationIsATypedError() throws {
        let fixture = try PoolFixture()
        let error = #expect(throws: DuckDBError.self) {
            try fixture.makePool { $0.minimumConnections = 10; $0.maximumConnections = 2 }
        }
        #expect(error?.code == .invalidConfiguration)
        let thresholdError = #expect(throws: DuckDBError.self) {
            try fixture.makePool { $0.utilizationWarningThresholds = [1.5] }
        }
        #expect(thresholdError?.code == .invalidConfiguration)
    }

    @Test func presetsCarryTheSeedsValues() {
        let readHeavy = DuckPoolConfiguration.readHeavy
        #expect(readHeavy.minimumConnections == 10 && readHeavy.maximumConnections == 30)
        #expect(readHeavy.acquireTimeout == .seconds(30) && readHeavy.maxLifetime == .seconds(1_800))
        let jobs = DuckPoolConfiguration.scheduledJobs
        #expect(jobs.minimumConnections == 2 && jobs.maximumConnections == 5)
        #expect(jobs.acquireTimeout == .seconds(10) && jobs.maxLifetime == .seconds(600))
        let bulk = DuckPoolConfiguration.bulkImport
        #expect(bulk.minimumConnections == 3 && bulk.maximumConnections == 8 && bulk.acquireTimeout == .seconds(60))
        let defaults = DuckPoolConfiguration()
        #expect(defaults.minimumConnections == 5 && defaults.maximumConnections == 15)
        #expect(defaults.acquireTimeout == .seconds(30) && defaults.maxLifetime == .seconds(3_600))
        #expect(defaults.validateOnAcquire && defaults.reuseOrder == .lifo)
    }

    @Test func lockedFileIsATypedErrorNamingTheHolder() throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let error = #expect(throws: DuckDBError.self) { try fixture.makePool() }
        #expect(error?.code == .fileLocked)
        #expect(error?.lockHolderPID == holder.pid)
        holder.release()
    }

    @Test func corruptFileIsATypedError() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("corrupt.duckdb")
        try Data(repeating: 0x42, count: 32 * 1024).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DuckDBError.self) { try DuckPool(path: path) }
        #expect(error?.code == .io)
    }

    @Test func registryHandsBackOnePoolPerPath() async throws {
        let fixture = try PoolFixture()
        let first = try DuckPoolRegistry.pool(path: fixture.path)
        let second = try DuckPoolRegistry.pool(path: fixture.directory.url.appendingPathComponent("./pool.duckdb").path)
        #expect(first === second)
        var other = DuckPoolConfiguration()
        other.minimumConnections = 1
        other.maximumConnections = 3
        let error = #expect(throws: DuckDBError.self) { try DuckPoolRegistry.pool(path: fixture.path, configuration: other) }
        #expect(error?.code == .configurationConflict)
        await first.close()
        let third = try DuckPoolRegistry.pool(path: fixture.path, configuration: other)
        #expect(third !== first)
        await third.close()
    }

    @Test func runsAsAServiceAndClosesOnGracefulShutdown() async throws {
        let fixture = try PoolFixture()
        let pool = try fixture.makePool()
        let group = ServiceGroup(services: [pool], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await pool.query("SELECT 1").count == 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(pool.status.statistics.lifecycle == .shutDown)
    }
}

@Suite struct LockedFileWaitTests {
    @Test func openingWaitsForAnotherProcessToLetGo() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let (logger, store) = CapturingLogHandler.logger()
        var configuration = DuckPoolConfiguration()
        configuration.openTimeout = .seconds(60)
        let path = fixture.path
        let waiting = configuration
        let opening = Task {
            try await onPlainThread { try DuckPool(path: path, configuration: waiting, logger: logger) }
        }
        // Let go only once the pool has seen the lock and is retrying.
        while !store.entries.contains(where: { $0.message.contains("locked by another process") }) { await Task.yield() }
        let retry = store.entries.first { $0.message.contains("locked by another process") }
        #expect(retry?.metadata["duckpool.lock_holder_pid"] == "\(holder.pid)")
        holder.release()
        let pool = try await opening.value
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await pool.close()
    }

    @Test func openingGivesUpAtItsDeadlineWithTheHoldersPID() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        var configuration = DuckPoolConfiguration()
        configuration.openTimeout = .milliseconds(100)
        let path = fixture.path
        let impatient = configuration
        let outcome = await onPlainThread { Result { try DuckPool(path: path, configuration: impatient) } }
        holder.release()
        guard case .failure(let error as DuckDBError) = outcome else {
            Issue.record("expected fileLocked, got \(outcome)")
            return
        }
        #expect(error.code == .fileLocked)
        #expect(error.lockHolderPID == holder.pid)
    }
}
