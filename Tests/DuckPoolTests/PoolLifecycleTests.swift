import DuckPoolSupport
@testable import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct PoolLifecycleTests {
    @Test func closedPoolRefusesWithATypedError() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        await pool.close()
        let asyncError = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(asyncError?.code == .poolClosed)
        let blocking = await onPlainThread { Result { try pool.query("SELECT 1") } }
        #expect((blocking.failure as? DuckPoolError)?.code == .poolClosed)
        await pool.close() // idempotent
        // Committed data is intact for the next opener.
        let reopened = try await fixture.makePool()
        #expect(try await reopened.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await reopened.close()
    }

    @Test func aBlockingCloseWorksFromAPlainThread() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        _ = try await pool.query("SELECT 1")
        await onPlainThread { pool.close() }
        #expect(pool.status.statistics.lifecycle == .shutDown)
        #expect(pool.database.isClosed)
    }

    @Test func closeInterruptsLeasesAfterTheGracePeriod() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 1 }
        let started = BlockingWaiter<Bool>()
        let longQuery = Task {
            try await pool.withConnection { connection in
                started.signal(true)
                return try connection.query("SELECT count(*) FROM range(100000000000) a WHERE a.range = -1").countRows()
            }
        }
        _ = await onPlainThread { started.wait() }
        await pool.close(gracePeriod: .zero)
        let error = await #expect(throws: DuckDBError.self) { try await longQuery.value }
        #expect(error?.code == .interrupted)
        #expect(pool.status.statistics.lifecycle == .shutDown)
    }

    /// Draining stops lending at once but interrupts nobody: a holder finishes its work (here: it
    /// keeps going long after any grace period would have ended on the mock clock), then the
    /// pool closes.
    @Test func aDrainingCloseLetsHoldersFinish() async throws {
        let fixture = try PoolFixture()
        let clock = MockClock()
        let pool = try await fixture.makePool(clock: clock) { $0.minimumConnections = 2; $0.maximumConnections = 2 }
        let holding = BlockingWaiter<Bool>(), finish = BlockingWaiter<Bool>()
        let holder = Task {
            try await pool.withConnection { connection in
                holding.signal(true)
                _ = finish.wait()
                return try connection.query("SELECT count(*) FROM counters").scalar()
            }
        }
        _ = await onPlainThread { holding.wait() }
        let closing = Task { await pool.close(drain: true) }
        await eventually { pool.status.statistics.lifecycle == .shuttingDown }
        await eventually { pool.status.idle == 0 } // the idle connection closed at once
        let refused = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(refused?.code == .poolClosed)
        clock.advance(by: .seconds(3_600))
        finish.signal(true)
        #expect(try await holder.value == .int(1)) // not interrupted
        await closing.value
        #expect(pool.status.statistics.lifecycle == .shutDown)
    }

    /// The connections of the pool, held at once so that each is a different one.
    private static func connectionIdentities(_ pool: DuckPool, count: Int) async throws -> Set<ObjectIdentifier> {
        let held = LockedValue<Set<ObjectIdentifier>>([]), release = BlockingWaiter<Bool>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        try await pool.withConnection { connection in
                            held.withLock { _ = $0.insert(ObjectIdentifier(connection)) }
                            if held.withLock({ $0.count }) == count { release.signal(true) }
                            _ = release.wait()
                        }
                    } catch {
                        release.signal(false) // a caller that got no connection lets the holders go
                        throw error
                    }
                }
            }
            try await group.waitForAll()
        }
        return held.withLock { $0 }
    }

    @Test func recreateReplacesEveryConnection() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 2; $0.maximumConnections = 2 }
        let before = try await Self.connectionIdentities(pool, count: 2)
        pool.recreate()
        let after = try await Self.connectionIdentities(pool, count: 2)
        #expect(before.count == 2 && after.count == 2)
        #expect(before.isDisjoint(with: after))
        #expect(pool.status.statistics.totalClosed >= 2)
        await pool.close()
    }

    @Test func resizeLetsMoreCallersInAndShrinksTheIdleSet() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool { $0.minimumConnections = 1; $0.maximumConnections = 2; $0.acquireTimeout = .seconds(60) }
        try pool.resize(minimum: 1, maximum: 4)
        // Four holders at once: only possible with the new maximum (under the old one, two time
        // out and the expectation records their acquireTimeout).
        #expect(try await Self.connectionIdentities(pool, count: 4).count == 4)
        #expect(pool.status.size == 4)
        try pool.resize(minimum: 1, maximum: 1)
        await eventually { pool.status.size == 1 }
        let error = #expect(throws: DuckPoolError.self) { try pool.resize(minimum: 5, maximum: 3) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.field == "minimumConnections")
        #expect(pool.status.statistics.maximumConnections == 1)
        await pool.close()
    }

    @Test func invalidConfigurationIsATypedErrorNamingTheField() async throws {
        let fixture = try PoolFixture()
        let cases: [(String, (inout DuckPoolConfiguration) -> Void)] = [
            ("minimumConnections", { $0.minimumConnections = 10; $0.maximumConnections = 2 }),
            ("utilizationWarnings.thresholds", { $0.utilizationWarnings.thresholds = [4] }),
            ("interruptGracePeriod", { $0.interruptGracePeriod = .seconds(-1) }),
            ("reopen.initialDelay", { $0.reopen = RetryPolicy(initialDelay: .zero) }),
            ("writeLane", { $0.writeLane = .dedicatedWriter; $0.database.accessMode = .readOnly }),
        ]
        for (field, configure) in cases {
            let error = await #expect(throws: DuckPoolError.self) { try await fixture.makePool(configure) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.field == field)
        }
    }

    @Test func presetsCarryTheirDocumentedValues() {
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

    @Test func lockedFileIsATypedErrorNamingTheHolder() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let error = await #expect(throws: DuckDBError.self) { try await fixture.makePool() }
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

    @Test func runsAsAServiceAndClosesOnGracefulShutdown() async throws {
        let fixture = try PoolFixture()
        let pool = try await fixture.makePool()
        let group = ServiceGroup(services: [pool], logger: DuckPool.silentLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await pool.query("SELECT 1").count == 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(pool.status.statistics.lifecycle == .shutDown)
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct RegistryTests {
    @Test func oneRunningPoolPerPathKeptUntilClosed() async throws {
        let fixture = try PoolFixture()
        // Not kept by the caller: the registry keeps it, so the next call gets the same pool
        // (its wait histogram already counts the first call's acquire).
        _ = try await DuckPoolRegistry.pool(path: fixture.path).query("SELECT 1")
        let again = try await DuckPoolRegistry.pool(path: fixture.directory.url.appendingPathComponent("./pool.duckdb").path)
        #expect(again.status.acquireWaits.map(\.count).reduce(0, +) == 1)
        var other = DuckPoolConfiguration()
        other.minimumConnections = 1
        other.maximumConnections = 3
        let error = await #expect(throws: DuckPoolError.self) { try await DuckPoolRegistry.pool(path: fixture.path, configuration: other) }
        #expect(error?.code == .configurationConflict)
        await again.close()
        let third = try await DuckPoolRegistry.pool(path: fixture.path, configuration: other)
        #expect(third !== again)
        #expect(DuckPoolRegistry.remove(path: fixture.path) === third)
        let (path, configuration) = (fixture.path, other)
        let blocking = try await onPlainThread { try DuckPoolRegistry.pool(path: path, configuration: configuration) }
        #expect(blocking !== third)
        await third.close()
        await blocking.close()
    }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct LockedFileWaitTests {
    /// The retry log of a locked-file wait: (attempt, retry in ms) pairs.
    private static func retries(_ store: CapturingLogHandler.Store) -> [String] {
        store.entries.filter { $0.message.contains("locked by another process") }
            .map { "\($0.metadata["duckpool.attempt"] ?? "?")@\($0.metadata["duckpool.retry_in_ms"] ?? "?")" }
    }

    @Test func openingWaitsOnThePoolClockForAnotherProcessToLetGo() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let clock = MockClock()
        let (logger, store) = CapturingLogHandler.logger()
        let opening = Task { try await fixture.makePool(clock: clock, logger: logger) { $0.openTimeout = .seconds(60) } }
        await clock.waitForSleeper(deadline: MockClock.Instant(.milliseconds(10)))
        let retry = store.entries.first { $0.message.contains("locked by another process") }
        #expect(retry?.level == .debug)
        #expect(retry?.metadata["duckpool.lock_holder_pid"] == "\(holder.pid)")
        holder.release()
        clock.advance(by: .milliseconds(10))
        let pool = try await opening.value
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await pool.close()
    }

    /// A 700 ms open timeout: waits of 10, 20, 40, 80, 160 and 320 ms, then the last one cut to
    /// end exactly at 700 ms, where the last attempt runs; then `fileLocked` naming the holder.
    @Test func openingMakesItsLastAttemptAtTheDeadlineThenNamesTheHolder() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let clock = MockClock()
        let (logger, store) = CapturingLogHandler.logger()
        let opening = Task { try await fixture.makePool(clock: clock, logger: logger) { $0.openTimeout = .milliseconds(700) } }
        for deadline in [10, 30, 70, 150, 310, 630, 700] {
            await clock.waitForSleeper(deadline: MockClock.Instant(.milliseconds(deadline)))
            clock.advance(to: MockClock.Instant(.milliseconds(deadline)))
        }
        let error = await #expect(throws: DuckDBError.self) { try await opening.value }
        #expect(error?.code == .fileLocked)
        #expect(error?.lockHolderPID == holder.pid)
        #expect(Self.retries(store) == ["1@10", "2@20", "3@40", "4@80", "5@160", "6@320", "7@70"])
        let gaveUp = store.entries.first { $0.message.contains("gave up") }
        #expect(gaveUp?.level == .info)
        #expect(gaveUp?.metadata["duckpool.attempts"] == "8")
        holder.release()
    }

    @Test func aBlockingOpenWaitsOnThePoolClockToo() async throws {
        let fixture = try PoolFixture()
        let holder = try LockHolder(path: fixture.path)
        let clock = MockClock()
        var configuration = DuckPoolConfiguration()
        configuration.openTimeout = .seconds(60)
        let waiting = configuration, path = fixture.path
        let opening = Task {
            try await onPlainThread {
                try DuckPool(path: path, configuration: waiting, logger: DuckPool.silentLogger, clock: PoolClock(clock))
            }
        }
        await clock.waitForSleeper(deadline: MockClock.Instant(.milliseconds(10)))
        holder.release()
        clock.advance(by: .milliseconds(10))
        let pool = try await opening.value
        #expect(try await pool.query("SELECT count(*) FROM counters").rows == [[.int(1)]])
        await pool.close()
    }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
