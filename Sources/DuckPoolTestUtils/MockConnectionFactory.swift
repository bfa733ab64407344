import DuckPoolSupport
public import DuckPoolCore

/// A ``ConnectionFactory`` whose connection attempts a test completes by hand.
///
/// Each `makeConnection(id:)` call waits until the test takes it with ``nextAttempt()`` (or
/// ``succeedNextAttempt()``/``failNextAttempt(with:)``) and succeeds or fails it; with
/// `autoConnect` on, attempts succeed at once. Closes, validations and interrupts are recorded,
/// and validation can be made to fail. Tests wait for recorded events with the `waitFor...`
/// methods instead of sleeping. Thread-safe.
public final class MockConnectionFactory: ConnectionFactory {
    /// The connections this factory makes.
    public typealias Connection = MockConnection

    private struct Watcher {
        var predicate: @Sendable (Record) -> Bool
        var continuation: UnsafeContinuation<Void, Never>
    }

    private struct State {
        var record = Record()
        var pending: [Attempt] = []
        var attemptWaiters: [UnsafeContinuation<Attempt, Never>] = []
        var watchers: [Watcher] = []
        var autoConnect: Bool
        var vouchesForConnections = false
        var invalidIDs: Set<ConnectionID> = []
        var failingValidations = 0
        /// Non-nil while validations are paused: the validations waiting for the test.
        var pausedValidations: [UnsafeContinuation<Void, Never>]?

        mutating func satisfiedWatchers() -> [UnsafeContinuation<Void, Never>] {
            let record = self.record
            var satisfied: [UnsafeContinuation<Void, Never>] = []
            self.watchers.removeAll { watcher in
                guard watcher.predicate(record) else { return false }
                satisfied.append(watcher.continuation)
                return true
            }
            return satisfied
        }
    }

    private let state: LockedValue<State>

    /// Creates a factory.
    ///
    /// - Parameter autoConnect: `true` makes every attempt succeed at once. Default: `false`.
    public init(autoConnect: Bool = false) {
        self.state = LockedValue(State(autoConnect: autoConnect))
    }

    /// Whether ``isKnownValid(_:)`` vouches for every connection, so that the pool skips
    /// ``validate(_:)``. Default: `false`.
    public var vouchesForConnections: Bool {
        get { self.state.withLock { $0.vouchesForConnections } }
        set { self.state.withLock { $0.vouchesForConnections = newValue } }
    }

    /// Whether new attempts succeed at once.
    public var autoConnect: Bool {
        get { self.state.withLock { $0.autoConnect } }
        set { self.state.withLock { $0.autoConnect = newValue } }
    }

    // MARK: ConnectionFactory

    /// Records the attempt and waits for the test's verdict (or succeeds at once with
    /// `autoConnect`).
    public func makeConnection(id: ConnectionID) async throws -> MockConnection {
        if self.update({ $0.record.attempts.append(id) }) {
            let connection = MockConnection(id: id)
            self.record { $0.created.append(connection) }
            return connection
        }
        let connection = try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<MockConnection, any Error>) in
            let attempt = Attempt(id: id, continuation: continuation, factory: self)
            let waiter = self.state.withLock { state -> UnsafeContinuation<Attempt, Never>? in
                if state.attemptWaiters.isEmpty {
                    state.pending.append(attempt)
                    return nil
                }
                return state.attemptWaiters.removeFirst()
            }
            waiter?.resume(returning: attempt)
        }
        // Orders this task after Attempt.succeed(), which records the connection under the same
        // lock before resuming: ThreadSanitizer does not see a continuation resumed before its
        // task suspended (scripts/tsan.supp).
        self.state.withLock { _ in }
        return connection
    }

    /// The fast path: `true` when ``vouchesForConnections`` is set.
    public func isKnownValid(_ connection: MockConnection) -> Bool {
        self.state.withLock { $0.vouchesForConnections }
    }

    /// Records the validation; returns `false` for connections marked with
    /// ``failValidation(of:)`` and for the next ``failNextValidations(_:)`` validations. While
    /// validations are paused (``pauseValidations()``), it is recorded at once but answers only
    /// after ``resumeValidations()``.
    public func validate(_ connection: MockConnection) async -> Bool {
        connection.markValidated()
        var valid = true
        var paused = false
        self.update { state in
            state.record.validated.append(connection.id)
            if state.invalidIDs.contains(connection.id) {
                valid = false
            } else if state.failingValidations > 0 {
                state.failingValidations -= 1
                valid = false
            }
            paused = state.pausedValidations != nil
        }
        if paused {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let stillPaused = self.state.withLock { state -> Bool in
                    guard state.pausedValidations != nil else { return false }
                    state.pausedValidations?.append(continuation)
                    return true
                }
                if !stillPaused {
                    continuation.resume()
                }
            }
        }
        return valid
    }

    /// Makes validations wait (after being recorded) until ``resumeValidations()``.
    public func pauseValidations() {
        self.state.withLock { state in
            if state.pausedValidations == nil {
                state.pausedValidations = []
            }
        }
    }

    /// Lets paused validations answer, and new ones answer at once.
    public func resumeValidations() {
        let waiting = self.state.withLock { state in
            let waiting = state.pausedValidations ?? []
            state.pausedValidations = nil
            return waiting
        }
        for continuation in waiting {
            continuation.resume()
        }
    }

    /// Records the interrupt.
    public func interrupt(_ connection: MockConnection) {
        connection.markInterrupted()
        self.record { $0.interrupted.append(connection.id) }
    }

    /// Marks the connection closed and records it.
    public func close(_ connection: MockConnection) async {
        connection.markClosed()
        self.record { $0.closed.append(connection.id) }
    }

    // MARK: Driving attempts

    /// Waits for the next pending connection attempt (oldest first) and hands it to the test.
    public func nextAttempt() async -> Attempt {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Attempt, Never>) in
            let attempt = self.state.withLock { state -> Attempt? in
                if state.pending.isEmpty {
                    state.attemptWaiters.append(continuation)
                    return nil
                }
                return state.pending.removeFirst()
            }
            if let attempt {
                continuation.resume(returning: attempt)
            }
        }
    }

    /// Waits for the next attempt and lets it succeed.
    @discardableResult
    public func succeedNextAttempt() async -> MockConnection {
        await self.nextAttempt().succeed()
    }

    /// Waits for the next attempt and lets it fail; returns its id.
    @discardableResult
    public func failNextAttempt(with error: any Error = MockConnectionError()) async -> ConnectionID {
        let attempt = await self.nextAttempt()
        attempt.fail(with: error)
        return attempt.id
    }

    /// Attempts that wait for a verdict.
    public var pendingAttemptCount: Int {
        self.state.withLock { $0.pending.count }
    }

    // MARK: Validation control

    /// Makes every validation of connection `id` fail.
    public func failValidation(of id: ConnectionID) {
        self.state.withLock { _ = $0.invalidIDs.insert(id) }
    }

    /// Makes the next `count` validations fail (of any connection).
    public func failNextValidations(_ count: Int) {
        self.state.withLock { $0.failingValidations += count }
    }

    // MARK: Observing

    /// Everything recorded so far.
    public var record: Record {
        self.state.withLock { $0.record }
    }

    /// Returns once `predicate` holds for the record.
    public func waitUntil(_ predicate: @escaping @Sendable (Record) -> Bool) async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let satisfied = self.state.withLock { state -> Bool in
                if predicate(state.record) {
                    return true
                }
                state.watchers.append(Watcher(predicate: predicate, continuation: continuation))
                return false
            }
            if satisfied {
                continuation.resume()
            }
        }
    }

    /// Returns once at least `count` connections were closed.
    public func waitForCloses(count: Int) async {
        await self.waitUntil { $0.closed.count >= count }
    }

    /// Returns once at least `count` interrupts were recorded.
    public func waitForInterrupts(count: Int) async {
        await self.waitUntil { $0.interrupted.count >= count }
    }

    /// Returns once at least `count` validations were recorded.
    public func waitForValidations(count: Int) async {
        await self.waitUntil { $0.validated.count >= count }
    }

    /// Returns once at least `count` attempts were started.
    public func waitForAttempts(count: Int) async {
        await self.waitUntil { $0.attempts.count >= count }
    }

    /// Changes the state under the lock and wakes satisfied watchers; returns `autoConnect`.
    @discardableResult
    private func update(_ change: (inout State) -> Void) -> Bool {
        let (autoConnect, watchers) = self.state.withLock { state in
            change(&state)
            return (state.autoConnect, state.satisfiedWatchers())
        }
        for watcher in watchers {
            watcher.resume()
        }
        return autoConnect
    }

    func record(_ change: (inout Record) -> Void) {
        self.update { change(&$0.record) }
    }
}
