import DuckPoolSupport

/// Reopens an invalidated database: the thin, thread-safe shell around
/// ``DatabaseRecoveryMachine``.
///
/// ``reportInvalidation(generation:)`` starts a recovery task (once per generation, however
/// many connections report it) that drains the old generation through the ``DatabaseLifecycle``,
/// then calls ``DatabaseLifecycle/reopen(generation:)`` until it succeeds, sleeping on the
/// injected clock between attempts (so tests move the backoff by hand), or until
/// the policy has no attempt left. Callers that need a usable database call
/// ``waitUntilUsable()``.
///
/// **Thread-safety:** every method may be called from any thread or task at once.
final class DatabaseRecovery<Lifecycle: DatabaseLifecycle, Clock: _Concurrency.Clock>: Sendable
where Clock.Duration == Swift.Duration {
    private struct State: Sendable {
        var machine: DatabaseRecoveryMachine
        var waiters: [Int: UnsafeContinuation<Int, any Error>] = [:]
        var cancelledWaiters: Set<Int> = []
        var nextWaiterID = 0
        var lastError: (any Error)?
        var task: Task<Void, Never>?
    }

    private let state: LockedValue<State>
    private let lifecycle: Lifecycle
    private let clock: Clock
    private let observer: any DatabaseRecoveryObserver
    private let random: @Sendable () -> Double

    /// Creates the recovery for a database that is open and usable (generation 0).
    ///
    /// - Parameters:
    ///   - policy: The reopen backoff; valid (``RetryPolicy/validate(as:)``).
    ///   - lifecycle: Drains and reopens the database.
    ///   - clock: The clock the backoff sleeps on (`ContinuousClock()` in production).
    ///   - observer: Receives events for logs and metrics. Default: none.
    ///   - random: A uniform random number in `0..<1` for the jitter. Default: `Double.random`.
    init(
        policy: RetryPolicy,
        lifecycle: Lifecycle,
        clock: Clock,
        observer: any DatabaseRecoveryObserver = NoOpDatabaseRecoveryObserver(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.state = LockedValue(State(machine: DatabaseRecoveryMachine(policy: policy)))
        self.lifecycle = lifecycle
        self.clock = clock
        self.observer = observer
        self.random = random
    }

    /// A snapshot of the phase and the totals.
    var status: DatabaseRecoveryStatus {
        self.state.withLock { state in
            let machine = state.machine
            return DatabaseRecoveryStatus(
                phase: machine.phase,
                generation: machine.generation,
                invalidations: machine.invalidations,
                reopens: machine.reopens,
                reopenFailures: machine.reopenFailures
            )
        }
    }

    /// The current generation when it is usable; `nil` while recovering, after giving up and
    /// after closing. Never waits.
    var usableGeneration: Int? {
        self.state.withLock { $0.machine.phase == .healthy ? $0.machine.generation : nil }
    }

    /// Reports that generation `generation` is invalidated. Starts a recovery if that is the
    /// current, healthy generation; any other report is ignored. Never waits.
    func reportInvalidation(generation: Int) {
        self.state.withLock { state in
            guard case .drain(let generation) = state.machine.invalidated(generation: generation) else { return }
            // The task reports the invalidation itself, so that observers see it before the
            // recovery's first attempt.
            state.task = Task {
                self.observer.databaseInvalidated(generation: generation)
                await self.recover(from: generation)
            }
        }
    }

    /// Returns the usable generation, waiting while a recovery runs.
    ///
    /// - Throws: ``DatabaseUnavailableError`` once the recovery gave up or the pool closed;
    ///   `CancellationError` when the calling task is cancelled while it waits.
    func waitUntilUsable() async throws -> Int {
        let fast = self.state.withLock { state -> Result<Int, any Error>? in
            self.immediateOutcome(state)
        }
        if let fast { return try fast.get() }

        let id = self.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Int, any Error>) in
                let outcome = self.state.withLock { state -> Result<Int, any Error>? in
                    if state.cancelledWaiters.remove(id) != nil { return .failure(CancellationError()) }
                    if let outcome = self.immediateOutcome(state) { return outcome }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = self.state.withLock { state -> UnsafeContinuation<Int, any Error>? in
                if let continuation = state.waiters.removeValue(forKey: id) { return continuation }
                state.cancelledWaiters.insert(id)
                return nil
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Stops the recovery: waiters fail with ``DatabaseUnavailableError/Reason/closed`` and the
    /// recovery task is cancelled (a running drain or reopen attempt still finishes). Call
    /// ``close()`` afterwards to wait for the task. Idempotent.
    func beginClose() {
        let (action, waiters, task, lastError) = self.state.withLock { state in
            let action = state.machine.close()
            let waiters = state.waiters
            state.waiters = [:]
            return (action, waiters, state.task, state.lastError)
        }
        task?.cancel()
        if action == .failWaiters || !waiters.isEmpty {
            let error = DatabaseUnavailableError(reason: .closed, lastError: lastError)
            for continuation in waiters.values { continuation.resume(throwing: error) }
        }
    }

    /// ``beginClose()``, then waits until the recovery task (if any) has finished.
    func close() async {
        self.beginClose()
        let task = self.state.withLock { $0.task }
        await task?.value
    }

    // MARK: Internals

    private func immediateOutcome(_ state: State) -> Result<Int, any Error>? {
        switch state.machine.phase {
        case .healthy:
            .success(state.machine.generation)
        case .failed:
            .failure(DatabaseUnavailableError(reason: .gaveUp, lastError: state.lastError))
        case .closed:
            .failure(DatabaseUnavailableError(reason: .closed, lastError: state.lastError))
        case .draining, .reopening, .waitingToRetry:
            nil
        }
    }

    private func apply(_ event: (inout DatabaseRecoveryMachine) -> DatabaseRecoveryMachine.Action) -> DatabaseRecoveryMachine.Action {
        self.state.withLock { event(&$0.machine) }
    }

    /// The recovery task: drain, then reopen with backoff.
    private func recover(from generation: Int) async {
        await self.lifecycle.drain(generation: generation)
        var action = self.apply { $0.drained() }
        let firstAttempt = self.clock.now
        while true {
            switch action {
            case .reopen(let generation, let attempt):
                self.observer.reopenAttemptStarted(attempt: attempt)
                do {
                    try await self.lifecycle.reopen(generation: generation)
                    action = self.apply { $0.reopenSucceeded() }
                    if case .resumeWaiters = action {
                        self.observer.databaseReopened(generation: generation, attempts: attempt)
                    }
                } catch {
                    let randomUnit = self.random()
                    let elapsed = firstAttempt.duration(to: self.clock.now)
                    action = self.state.withLock { state in
                        state.lastError = error
                        return state.machine.reopenFailed(randomUnit: randomUnit, elapsed: elapsed)
                    }
                    switch action {
                    case .retry(let delay, _):
                        self.observer.reopenAttemptFailed(attempt: attempt, error: error, retryIn: delay)
                    case .failWaiters:
                        self.observer.reopenAttemptFailed(attempt: attempt, error: error, retryIn: nil)
                    default:
                        break
                    }
                }
            case .retry(let delay, _):
                do {
                    try await self.clock.sleep(for: delay)
                } catch {
                    return // cancelled: the pool is closing
                }
                action = self.apply { $0.retryDue() }
            case .resumeWaiters(let generation):
                let waiters = self.state.withLock { state in
                    defer { state.waiters = [:] }
                    return state.waiters
                }
                for continuation in waiters.values { continuation.resume(returning: generation) }
                return
            case .failWaiters:
                let (waiters, lastError) = self.state.withLock { state in
                    defer { state.waiters = [:] }
                    return (state.waiters, state.lastError)
                }
                let error = DatabaseUnavailableError(reason: .gaveUp, lastError: lastError)
                for continuation in waiters.values { continuation.resume(throwing: error) }
                return
            case .none, .drain:
                return
            }
        }
    }
}
