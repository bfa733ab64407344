import DuckPoolSupport
@testable import DuckPoolCore
import DuckPoolTestUtils
import Foundation
import Testing

typealias Machine = PoolStateMachine
typealias MachineAction = PoolStateMachine.Action

/// A configuration for state-machine tests: no lifetime, no idle timeout, no validation unless
/// asked for, 30 s acquire timeout.
func testConfiguration(
    minimum: Int = 0,
    maximum: Int = 2,
    acquireTimeout: Duration = .seconds(30),
    maxLifetime: Duration? = nil,
    idleTimeout: Duration? = nil,
    validateOnAcquire: Bool = false,
    reuseOrder: PoolConfiguration.ReuseOrder = .lifo,
    maxWaiters: Int? = nil,
    backoff: TestBackoff = TestBackoff()
) -> PoolConfiguration {
    var configuration = PoolConfiguration()
    configuration.minimumConnections = minimum
    configuration.maximumConnections = maximum
    configuration.acquireTimeout = acquireTimeout
    configuration.maxLifetime = maxLifetime
    configuration.lifetimeJitter = 0
    configuration.idleTimeout = idleTimeout
    configuration.validateOnAcquire = validateOnAcquire
    configuration.reuseOrder = reuseOrder
    configuration.maxWaiters = maxWaiters
    configuration.connectRetry = RetryPolicy(initialDelay: backoff.initialDelay, maximumDelay: backoff.maximumDelay)
    configuration.circuitBreakerThreshold = backoff.circuitBreakerThreshold
    return configuration
}

/// The connect backoff of a test configuration: ``PoolConfiguration/connectRetry`` without
/// jitter, and the circuit breaker's threshold.
struct TestBackoff {
    var initialDelay: Duration = .milliseconds(100)
    var maximumDelay: Duration = .seconds(10)
    var circuitBreakerThreshold = 5
}

/// Expected lease action.
func lease(
    _ connection: MockConnection,
    to requestID: RequestID,
    validate: Bool = false,
    waited: Duration = .zero
) -> PoolStateMachine.Lease {
    PoolStateMachine.Lease(connection: connection, requestID: requestID, validate: validate, waited: waited)
}

/// Expected close action.
func close(_ connection: MockConnection, _ reason: ConnectionCloseReason) -> PoolStateMachine.Close {
    PoolStateMachine.Close(connection: connection, reason: reason)
}

/// Expected failure action.
func failure(_ requestID: RequestID, _ error: ConnectionPoolError) -> PoolStateMachine.Failure {
    PoolStateMachine.Failure(requestID: requestID, reason: .error(error))
}

/// Expected release report.
func released(_ connection: MockConnection, heldFor: Duration) -> PoolStateMachine.Release {
    PoolStateMachine.Release(connectionID: connection.id, heldFor: heldFor)
}

extension PoolStateMachine {
    /// Starts a machine and opens its minimum connections at time zero; returns them.
    static func started(_ configuration: PoolConfiguration) -> (Machine, [MockConnection]) {
        var machine = Machine(configuration: configuration)
        let start = machine.start()
        var connections: [MockConnection] = []
        for id in start.createConnections {
            let connection = MockConnection(id: id)
            _ = machine.connectionEstablished(connection, attempt: id, now: .zero)
            connections.append(connection)
        }
        return (machine, connections)
    }

    /// Leases through the machine and returns the connection it handed out at once (or nil).
    mutating func leaseNow(_ requestID: RequestID, at now: PoolTime = .zero) -> MockConnection? {
        let action = self.leaseRequested(requestID, file: "Test.swift", line: requestID, now: now)
        return action.leases.first { $0.requestID == requestID }?.connection as? MockConnection
    }
}

/// The error inside a failure action, if any.
func poolError(of failure: PoolStateMachine.Failure?) -> ConnectionPoolError? {
    guard case .error(let error)? = failure?.reason else { return nil }
    return error
}

/// Everything a ``RecordingObserver`` saw.
enum ObservedEvent: Sendable, Equatable {
    case created(ConnectionID)
    case closed(ConnectionID, ConnectionCloseReason)
    case connectFailed(consecutive: Int, retryIn: Duration?, open: Bool)
    case acquired(ConnectionID, waited: Duration)
    case released(ConnectionID, heldFor: Duration)
    case timedOut(ConnectionPoolError.Code)
    case utilization(inUse: Int, size: Int, maximum: Int)
}

/// An observer that records every event and lets tests wait for events (thread-safe).
final class RecordingObserver: PoolObserver {
    private struct State {
        var events: [ObservedEvent] = []
        var watchers: [(predicate: @Sendable ([ObservedEvent]) -> Bool, continuation: UnsafeContinuation<Void, Never>)] = []
    }

    private let state = LockedValue(State())

    var recorded: [ObservedEvent] {
        self.state.withLock { $0.events }
    }

    /// Returns once `predicate` holds for the recorded events.
    func waitUntil(_ predicate: @escaping @Sendable ([ObservedEvent]) -> Bool) async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let satisfied = self.state.withLock { state -> Bool in
                if predicate(state.events) { return true }
                state.watchers.append((predicate, continuation))
                return false
            }
            if satisfied { continuation.resume() }
        }
    }

    /// Returns once `event` was recorded.
    func waitFor(_ event: ObservedEvent) async {
        await self.waitUntil { $0.contains(event) }
    }

    private func add(_ event: ObservedEvent) {
        let satisfied = self.state.withLock { state in
            state.events.append(event)
            let events = state.events
            var satisfied: [UnsafeContinuation<Void, Never>] = []
            state.watchers.removeAll { watcher in
                guard watcher.predicate(events) else { return false }
                satisfied.append(watcher.continuation)
                return true
            }
            return satisfied
        }
        for continuation in satisfied {
            continuation.resume()
        }
    }

    func connectionCreated(id: ConnectionID) { self.add(.created(id)) }
    func connectionClosed(id: ConnectionID, reason: ConnectionCloseReason) { self.add(.closed(id, reason)) }
    func connectFailed(error: any Error, consecutiveFailures: Int, nextRetryIn: Duration?, circuitBreakerOpen: Bool) {
        self.add(.connectFailed(consecutive: consecutiveFailures, retryIn: nextRetryIn, open: circuitBreakerOpen))
    }
    func leaseAcquired(connectionID: ConnectionID, waited: Duration) { self.add(.acquired(connectionID, waited: waited)) }
    func leaseReleased(connectionID: ConnectionID, heldFor: Duration) { self.add(.released(connectionID, heldFor: heldFor)) }
    func requestTimedOut(error: ConnectionPoolError) { self.add(.timedOut(error.code)) }
    func utilizationChanged(inUse: Int, size: Int, minimum: Int, maximum: Int) {
        self.add(.utilization(inUse: inUse, size: size, maximum: maximum))
    }
}

typealias TestPool = ConnectionPool<MockConnectionFactory, MockClock>

/// Runs a pool (with a mock clock and factory) while `body` runs, then shuts it down with no
/// grace period and waits for `run()` to return. `body` must release what it leased.
func withTestPool<T: Sendable>(
    _ configuration: PoolConfiguration,
    factory: MockConnectionFactory = MockConnectionFactory(),
    clock: MockClock = MockClock(),
    observer: RecordingObserver = RecordingObserver(),
    _ body: @Sendable (TestPool) async throws -> T
) async throws -> T {
    let pool = TestPool(configuration: configuration, factory: factory, clock: clock, observer: observer)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await pool.run() }
        do {
            let result = try await body(pool)
            await pool.shutdown(gracePeriod: .zero)
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs `body` on a new plain thread (not a task) and returns its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread {
            continuation.resume(returning: body())
        }
        thread.start()
    }
}

/// A deterministic random number generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Thread {
    /// Runs `body` on a new thread and blocks the calling (plain) thread until it returns.
    static func detachedResult<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ThreadResultBox<T>()
        let thread = Thread {
            box.set(body())
        }
        thread.start()
        return box.wait()
    }
}

/// Hands a value from one thread to another that blocks for it.
final class ThreadResultBox<T: Sendable>: Sendable {
    private let waiter = BlockingWaiter<T>()

    func set(_ value: T) {
        self.waiter.signal(value)
    }

    func wait() -> T {
        self.waiter.wait()
    }
}
