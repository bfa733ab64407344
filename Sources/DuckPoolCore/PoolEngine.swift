import DuckPoolSupport
import Synchronization

/// The non-generic part of a ``ConnectionPool``: the lock, the state machine, the parked callers,
/// the work queue and the observer.
///
/// Everything that runs per lease and release lives here, so it is compiled once, fully
/// optimized, whatever factory and clock the generic shell is used with, even across modules.
/// Each method applies one event under the lock and carries out its effects after the lock is
/// released. The only things it cannot do itself (they need the factory's concrete types) come in
/// as the `interrupt` closure. Thread-safe.
final class PoolEngine: Sendable {
    let state: LockedValue<PoolShellState>
    let work = WorkQueue<PoolWorkItem>()
    let observer: any PoolObserver
    private let interrupt: @Sendable (any PoolableConnection) -> Void
    private let requestIDs = Atomic<Int>(0)

    /// Creates the engine and queues the connections of the minimum.
    init(
        configuration: PoolConfiguration,
        observer: any PoolObserver,
        interrupt: @escaping @Sendable (any PoolableConnection) -> Void
    ) {
        var machine = PoolStateMachine(configuration: configuration, jitterSeed: UInt64.random(in: 0...UInt64.max))
        let action = machine.start()
        var shellState = PoolShellState(machine: machine)
        let (_, effects) = shellState.process(action, caller: nil)
        self.state = LockedValue(shellState)
        self.observer = observer
        self.interrupt = interrupt
        self.perform(effects)
    }

    func nextRequestID() -> RequestID {
        self.requestIDs.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Events

    /// A caller asks for a connection. Returns its outcome, or `nil` if it is queued (then park it).
    ///
    /// Tries the state machine's fast path first (an idle connection and nobody waiting), which
    /// needs neither an action nor effects; falls back to the general event in the same lock.
    func lease(_ requestID: RequestID, file: String, line: Int, now: PoolTime, timeout: Duration?) -> LeaseOutcome? {
        let (mine, utilization, effects) = self.state.withLock { state -> (LeaseOutcome?, Utilization?, PoolEffects?) in
            if let lease = state.machine.leaseIdleConnectionFast(requestID, file: file, line: line, now: now) {
                let outcome = LeaseOutcome.leased(lease.connection, validate: lease.validate, waited: .zero)
                return (outcome, state.utilizationChange(), nil)
            }
            let action = state.machine.leaseRequested(requestID, file: file, line: line, now: now, timeout: timeout)
            let (mine, effects) = state.process(action, caller: requestID)
            return (mine, nil, effects)
        }
        if let utilization {
            self.observer.utilizationChanged(inUse: utilization.inUse, size: utilization.size, minimum: utilization.minimum, maximum: utilization.maximum)
        }
        if let effects, !effects.isEmpty {
            self.perform(effects)
        }
        return mine
    }

    /// The caller's connection failed validation. Returns the next outcome, or `nil` if queued.
    func validationFailed(_ connection: any PoolableConnection, requestID: RequestID, now: PoolTime) -> LeaseOutcome? {
        self.apply(caller: requestID) { $0.validationFailed(connection, requestID: requestID, now: now) }
    }

    /// A holder returns a connection; tries the state machine's fast path first (park it idle).
    func release(_ connection: any PoolableConnection, reusable: Bool, now: PoolTime) {
        let (released, utilization, effects) = self.state.withLock { state -> (PoolStateMachine.Release?, Utilization?, PoolEffects?) in
            if reusable, let released = state.machine.leaseReleasedFast(connection, now: now) {
                return (released, state.utilizationChange(), nil)
            }
            let action = state.machine.leaseReleased(connection, reusable: reusable, now: now)
            return (nil, nil, state.process(action, caller: nil).effects)
        }
        if let released {
            self.observer.leaseReleased(connectionID: released.connectionID, heldFor: released.heldFor)
        }
        if let utilization {
            self.observer.utilizationChanged(inUse: utilization.inUse, size: utilization.size, minimum: utilization.minimum, maximum: utilization.maximum)
        }
        if let effects, !effects.isEmpty {
            self.perform(effects)
        }
    }

    func cancel(_ requestID: RequestID) {
        self.apply { $0.cancelRequest(requestID) }
    }

    func connectionEstablished(_ connection: any PoolableConnection, attempt: ConnectionID, now: PoolTime) {
        self.apply { $0.connectionEstablished(connection, attempt: attempt, now: now) }
    }

    func connectionAttemptFailed(_ attempt: ConnectionID, error: any Error, now: PoolTime) {
        self.apply { $0.connectionAttemptFailed(attempt, error: error, now: now) }
    }

    func connectionClosed(_ id: ConnectionID) {
        self.apply { $0.connectionClosed(id) }
    }

    func timerFired(scheduledFor deadline: PoolTime, now: PoolTime) {
        self.apply { $0.timerFired(scheduledFor: deadline, now: now) }
    }

    func recreate(now: PoolTime) {
        self.apply { $0.recreate(now: now) }
    }

    func resize(minimum: Int, maximum: Int, now: PoolTime) throws(ConnectionPoolError) {
        let result = self.state.withLock { state -> Result<PoolEffects, ConnectionPoolError> in
            do throws(ConnectionPoolError) {
                let action = try state.machine.resize(minimum: minimum, maximum: maximum, now: now)
                return .success(state.process(action, caller: nil).effects)
            } catch {
                return .failure(error)
            }
        }
        self.perform(try result.get())
    }

    /// Starts (or tightens) the shutdown; `waiter`, if given, is resumed once it has finished.
    func shutdown(graceDeadline: PoolTime?, now: PoolTime, waiter: UnsafeContinuation<Void, Never>?) {
        let effects = self.state.withLock { state in
            if let waiter {
                state.shutdownWaiters.append(waiter)
            }
            let action = state.machine.shutdown(graceDeadline: graceDeadline, now: now)
            return state.process(action, caller: nil).effects
        }
        self.perform(effects)
    }

    /// Parks a queued caller; returns its outcome instead if it already arrived.
    func park(_ slot: WaiterSlot, for requestID: RequestID) -> LeaseOutcome? {
        self.state.withLock { $0.park(slot, for: requestID) }
    }

    func statistics(now: PoolTime) -> PoolStatistics {
        self.state.withLock { $0.machine.statistics(now: now) }
    }

    // MARK: Running events and effects

    /// Applies one event under the lock and carries out its effects after it. Returns the
    /// outcome for `caller`'s request, or `nil` if that request is queued (or there is no caller).
    @inline(__always)
    @discardableResult
    private func apply(
        caller: RequestID? = nil,
        _ event: (inout PoolStateMachine) -> PoolStateMachine.Action
    ) -> LeaseOutcome? {
        let (mine, effects) = self.state.withLock { state in
            let action = event(&state.machine)
            return state.process(action, caller: caller)
        }
        if !effects.isEmpty {
            self.perform(effects)
        }
        return mine
    }

    /// Carries out effects collected under the lock (never called with the lock held).
    private func perform(_ effects: PoolEffects) {
        // Observers hear of a failure before anything it causes runs (a waiter's error, the
        // retry's timer), so that logs and metrics never lag behind what callers see.
        if let rare = effects.rare {
            self.report(rare)
        }
        effects.resumptions.forEach { resumption in
            switch resumption {
            case .async(let continuation, let outcome):
                continuation.resume(returning: outcome)
            case .blocking(let waiter, let outcome):
                waiter.signal(outcome)
            }
        }
        effects.work.forEach { self.work.push($0) }
        if let released = effects.released {
            self.observer.leaseReleased(connectionID: released.connectionID, heldFor: released.heldFor)
        }
        if let utilization = effects.utilization {
            self.observer.utilizationChanged(inUse: utilization.inUse, size: utilization.size, minimum: utilization.minimum, maximum: utilization.maximum)
        }
        if let rare = effects.rare {
            self.perform(rare)
        }
    }

    private func perform(_ rare: PoolEffects.Rare) {
        for connection in rare.interrupts {
            self.interrupt(connection)
        }
        for connection in rare.orphans {
            self.apply { $0.leaseUndeliverable(connection) }
        }
        for continuation in rare.shutdownWaiters {
            continuation.resume()
        }
        if rare.finishWork {
            self.work.finish()
        }
    }

    private func report(_ rare: PoolEffects.Rare) {
        if let failure = rare.connectFailure {
            self.observer.connectFailed(
                error: failure.error,
                consecutiveFailures: failure.consecutiveFailures,
                nextRetryIn: failure.nextRetryIn,
                circuitBreakerOpen: failure.circuitBreakerOpen
            )
        }
        for error in rare.timedOut {
            self.observer.requestTimedOut(error: error)
        }
    }
}
