import DuckPoolSupport
@testable import DuckPool
import DuckPoolCore
import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

/// A database lifecycle whose reopen fails a given number of times, then succeeds.
private final class FailingLifecycle: DatabaseLifecycle {
    struct Record: Sendable {
        var drained: [Int] = []
        var reopenAttempts: [Int] = []
        var failuresLeft: Int
    }

    struct ReopenFailed: Error, Equatable {}

    let record: LockedValue<Record>

    init(failures: Int) {
        record = LockedValue(Record(failuresLeft: failures))
    }

    func drain(generation: Int) async {
        record.withLock { $0.drained.append(generation) }
    }

    func reopen(generation: Int) async throws {
        let fail = record.withLock { record -> Bool in
            record.reopenAttempts.append(generation)
            guard record.failuresLeft > 0 else { return false }
            record.failuresLeft -= 1
            return true
        }
        if fail { throw ReopenFailed() }
    }
}

/// Records the recovery's events in order.
private final class RecordingRecoveryObserver: DatabaseRecoveryObserver {
    let events = LockedValue<[String]>([])
    func databaseInvalidated(generation: Int) { events.withLock { $0.append("invalidated \(generation)") } }
    func reopenAttemptStarted(attempt: Int) { events.withLock { $0.append("attempt \(attempt)") } }
    func reopenAttemptFailed(attempt: Int, error: any Error, retryIn: Duration?) {
        events.withLock { $0.append("failed \(attempt), retry in \(retryIn.map { "\($0)" } ?? "never")") }
    }
    func databaseReopened(generation: Int, attempts: Int) { events.withLock { $0.append("reopened \(generation) after \(attempts)") } }
}

@Suite(.testThreads, .timeLimit(.minutes(1))) struct DatabaseRecoveryTests {
    private let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(300), jitter: .proportional(0.5))

    /// A reopen that fails three times: the waits are 100, 200 and 300 ms (capped) on the mock
    /// clock, with the jitter pinned at zero; a waiter gets generation 1 at the end.
    @Test func backoffScheduleOnTheMockClock() async throws {
        let clock = MockClock()
        let lifecycle = FailingLifecycle(failures: 3)
        let observer = RecordingRecoveryObserver()
        let recovery = DatabaseRecovery(policy: policy, lifecycle: lifecycle, clock: clock, observer: observer, random: { 0 })
        #expect(try await recovery.waitUntilUsable() == 0)

        recovery.reportInvalidation(generation: 0)
        recovery.reportInvalidation(generation: 0) // a second report changes nothing
        #expect(recovery.usableGeneration == nil)
        let waiter = Task { try await recovery.waitUntilUsable() }

        await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
        #expect(recovery.status.phase == .waitingToRetry(attempt: 2))
        clock.advance(by: .milliseconds(100))
        await clock.waitForSleeper(deadline: .init(.milliseconds(300)))
        clock.advance(by: .milliseconds(200))
        await clock.waitForSleeper(deadline: .init(.milliseconds(600)))
        #expect(recovery.status.reopenFailures == 3)
        clock.advance(by: .milliseconds(300))

        #expect(try await waiter.value == 1)
        let status = recovery.status
        #expect(status == DatabaseRecoveryStatus(phase: .healthy, generation: 1, invalidations: 1, reopens: 1, reopenFailures: 3))
        #expect(lifecycle.record.withLock { $0.drained } == [0])
        #expect(lifecycle.record.withLock { $0.reopenAttempts } == [1, 1, 1, 1])
        #expect(observer.events.withLock { $0 } == [
            "invalidated 0",
            "attempt 1", "failed 1, retry in 0.1 seconds",
            "attempt 2", "failed 2, retry in 0.2 seconds",
            "attempt 3", "failed 3, retry in 0.3 seconds",
            "attempt 4", "reopened 1 after 4",
        ])
        #expect(try await recovery.waitUntilUsable() == 1)
        await recovery.close()
    }

    @Test func givingUpFailsWaitersAndLaterCallsFast() async throws {
        let clock = MockClock()
        var limited = policy
        limited.maxAttempts = 2
        let recovery = DatabaseRecovery(policy: limited, lifecycle: FailingLifecycle(failures: 5), clock: clock, random: { 0 })
        recovery.reportInvalidation(generation: 0)
        let waiter = Task { try await recovery.waitUntilUsable() }
        await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
        clock.advance(by: .milliseconds(100))
        let error = await #expect(throws: DatabaseUnavailableError.self) { try await waiter.value }
        #expect(error?.reason == .gaveUp)
        #expect(error?.lastError is FailingLifecycle.ReopenFailed)
        #expect(recovery.status.phase == .failed)
        #expect(recovery.status.reopenFailures == 2)
        let later = await #expect(throws: DatabaseUnavailableError.self) { try await recovery.waitUntilUsable() }
        #expect(later?.reason == .gaveUp)
        await recovery.close()
    }

    @Test func closingDuringTheBackoffFailsWaitersAndStopsRetrying() async throws {
        let clock = MockClock()
        let lifecycle = FailingLifecycle(failures: 100)
        let recovery = DatabaseRecovery(policy: policy, lifecycle: lifecycle, clock: clock, random: { 0 })
        recovery.reportInvalidation(generation: 0)
        let waiter = Task { try await recovery.waitUntilUsable() }
        await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
        await recovery.close()
        let error = await #expect(throws: DatabaseUnavailableError.self) { try await waiter.value }
        #expect(error?.reason == .closed)
        #expect(recovery.status.phase == .closed)
        #expect(lifecycle.record.withLock { $0.reopenAttempts }.count == 1)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCancelledWaiterLeavesWithCancellationError() async throws {
        let clock = MockClock()
        let recovery = DatabaseRecovery(policy: policy, lifecycle: FailingLifecycle(failures: 1), clock: clock, random: { 0 })
        recovery.reportInvalidation(generation: 0)
        let waiter = Task { try await recovery.waitUntilUsable() }
        await clock.waitForSleeper(deadline: .init(.milliseconds(100)))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        clock.advance(by: .milliseconds(100))
        // The recovery itself goes on and succeeds.
        #expect(try await recovery.waitUntilUsable() == 1)
        await recovery.close()
    }
}
