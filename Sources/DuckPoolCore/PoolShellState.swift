import DuckPoolSupport

/// What a lease request ends with, as delivered to the waiting caller.
enum LeaseOutcome: Sendable {
    case leased(any PoolableConnection, validate: Bool, waited: Duration)
    case failed(ConnectionPoolError)
    case cancelled
}

/// Where the outcome of a queued request goes.
enum WaiterSlot: Sendable {
    /// Queued, but the caller has not parked yet (it is between the lock that queued the
    /// request and the lock that registers its continuation or blocking waiter).
    case pending
    /// An async caller suspended here.
    case async(UnsafeContinuation<LeaseOutcome, Never>)
    /// A blocked thread waits here.
    case blocking(BlockingWaiter<LeaseOutcome>)
    /// The outcome arrived while the slot was `pending`; the caller picks it up when it parks.
    case completed(LeaseOutcome)
}

/// Background work for ``ConnectionPool/run()``.
enum PoolWorkItem: Sendable {
    case createConnection(ConnectionID)
    case closeConnection(any PoolableConnection, ConnectionCloseReason)
    case timer(PoolTime)
}

/// The last utilization reported to the observer.
struct Utilization: Sendable, Equatable {
    var inUse: Int
    var size: Int
    var minimum: Int
    var maximum: Int
}

/// The side effects of one event, collected under the lock and carried out after it.
///
/// The fields every lease and release may need are stored inline; everything else is boxed in
/// ``Rare`` so that the value stays small and cheap to move on the hot paths.
struct PoolEffects: Sendable {
    /// A parked caller to wake with its outcome.
    enum Resumption: Sendable {
        case async(UnsafeContinuation<LeaseOutcome, Never>, LeaseOutcome)
        case blocking(BlockingWaiter<LeaseOutcome>, LeaseOutcome)
    }

    /// Effects that are rare on the hot paths.
    struct Rare: Sendable {
        var interrupts: [any PoolableConnection] = []
        /// Connections served to requests that nobody waits for any more: returned at once.
        var orphans: [any PoolableConnection] = []
        var connectFailure: PoolStateMachine.ConnectFailure?
        var timedOut: [ConnectionPoolError] = []
        var shutdownWaiters: [UnsafeContinuation<Void, Never>] = []
        var finishWork = false

        var isEmpty: Bool {
            self.interrupts.isEmpty && self.orphans.isEmpty && self.connectFailure == nil
                && self.timedOut.isEmpty && self.shutdownWaiters.isEmpty && !self.finishWork
        }
    }

    private enum Box: Sendable {
        indirect case rare(Rare)
    }

    var resumptions: TinyArray<Resumption> = []
    var work: TinyArray<PoolWorkItem> = []
    var released: PoolStateMachine.Release?
    var utilization: Utilization?
    private var box: Box?

    var rare: Rare? {
        get {
            guard case .rare(let rare)? = self.box else { return nil }
            return rare
        }
        set {
            self.box = newValue.map { .rare($0) }
        }
    }

    var isEmpty: Bool {
        self.resumptions.isEmpty && self.work.isEmpty && self.released == nil && self.utilization == nil
            && self.box == nil
    }
}

/// Everything the pool guards with its one lock: the state machine plus the parked callers.
/// Non-generic, so all work done under the lock is compiled once and fully optimized.
struct PoolShellState: Sendable {
    var machine: PoolStateMachine
    var waiters: [RequestID: WaiterSlot] = [:]
    var shutdownWaiters: [UnsafeContinuation<Void, Never>] = []
    var reportedUtilization = Utilization(inUse: 0, size: 0, minimum: 0, maximum: 0)

    init(machine: PoolStateMachine) {
        self.machine = machine
        self.reportedUtilization.minimum = machine.configuration.minimumConnections
        self.reportedUtilization.maximum = machine.configuration.maximumConnections
    }

    /// Turns a machine action into effects. The outcome for `caller` (the request of the
    /// thread applying the event) is returned instead of delivered; if `caller` ends up queued,
    /// its slot is registered as `pending`.
    mutating func process(
        _ action: PoolStateMachine.Action,
        caller: RequestID?
    ) -> (mine: LeaseOutcome?, effects: PoolEffects) {
        var effects = PoolEffects()
        var rare = PoolEffects.Rare()
        var mine: LeaseOutcome?

        action.leases.forEach { lease in
            let outcome = LeaseOutcome.leased(lease.connection, validate: lease.validate, waited: lease.waited)
            if lease.requestID == caller {
                mine = outcome
            } else {
                self.deliver(outcome, to: lease.requestID, &effects, &rare)
            }
        }
        if !action.failures.isEmpty {
            action.failures.forEach { failure in
                let outcome: LeaseOutcome
                switch failure.reason {
                case .cancelled:
                    outcome = .cancelled
                case .error(let error):
                    outcome = .failed(error)
                    if error.code == .acquireTimeout || error.code == .connectionAttemptFailed {
                        rare.timedOut.append(error)
                    }
                }
                if failure.requestID == caller {
                    mine = outcome
                } else {
                    self.deliver(outcome, to: failure.requestID, &effects, &rare)
                }
            }
        }
        if let caller, mine == nil {
            if self.machine.isWaiting(caller) {
                self.waiters[caller] = .pending
            } else {
                mine = .failed(.poolClosed)
            }
        }

        if !action.createConnections.isEmpty {
            action.createConnections.forEach { effects.work.append(.createConnection($0)) }
        }
        if !action.closeConnections.isEmpty {
            action.closeConnections.forEach { effects.work.append(.closeConnection($0.connection, $0.reason)) }
        }
        if let timer = action.scheduleTimer {
            effects.work.append(.timer(timer))
        }
        effects.released = action.released
        if !action.interruptConnections.isEmpty {
            rare.interrupts = action.interruptConnections
        }
        if let connectFailure = action.connectFailure {
            rare.connectFailure = connectFailure
        }

        effects.utilization = self.utilizationChange()

        if action.shutdownFinished || (self.machine.isShutDown && !self.shutdownWaiters.isEmpty) {
            rare.shutdownWaiters = self.shutdownWaiters
            self.shutdownWaiters = []
            rare.finishWork = true
        }
        if !rare.isEmpty {
            effects.rare = rare
        }
        return (mine, effects)
    }

    /// The utilization, if it differs from the one last reported (which it then becomes).
    mutating func utilizationChange() -> Utilization? {
        let utilization = Utilization(
            inUse: self.machine.leasedCount,
            size: self.machine.connections.count,
            minimum: self.machine.configuration.minimumConnections,
            maximum: self.machine.configuration.maximumConnections
        )
        guard utilization != self.reportedUtilization else { return nil }
        self.reportedUtilization = utilization
        return utilization
    }

    /// Parks an async or blocking caller for `requestID`, unless its outcome already arrived
    /// (then returns it).
    mutating func park(_ slot: WaiterSlot, for requestID: RequestID) -> LeaseOutcome? {
        if case .completed(let outcome)? = self.waiters[requestID] {
            self.waiters[requestID] = nil
            return outcome
        }
        self.waiters[requestID] = slot
        return nil
    }

    private mutating func deliver(
        _ outcome: LeaseOutcome,
        to requestID: RequestID,
        _ effects: inout PoolEffects,
        _ rare: inout PoolEffects.Rare
    ) {
        switch self.waiters.removeValue(forKey: requestID) {
        case .async(let continuation)?:
            effects.resumptions.append(.async(continuation, outcome))
        case .blocking(let waiter)?:
            effects.resumptions.append(.blocking(waiter, outcome))
        case .pending?:
            self.waiters[requestID] = .completed(outcome)
        case .completed(let earlier)?:
            // Cannot happen (a request ends once); keep the first outcome and return a second
            // connection rather than leaking it.
            self.waiters[requestID] = .completed(earlier)
            if case .leased(let connection, _, _) = outcome {
                rare.orphans.append(connection)
            }
        case nil:
            if case .leased(let connection, _, _) = outcome {
                rare.orphans.append(connection)
            }
        }
    }
}
