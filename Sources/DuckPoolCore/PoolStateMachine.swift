import DuckPoolSupport
import DequeModule

/// A point on a pool's time line: the time since the pool was created, measured with the pool's
/// clock. The state machine works only with these, so it needs no clock and stays non-generic.
typealias PoolTime = Duration

/// The pool's decision logic: a value type that takes events and returns the ``Action`` the
/// shell (``ConnectionPool``) must carry out.
///
/// No I/O, no locks, no threads, no clock: every event that needs the time receives it as a
/// ``PoolTime``. The shell keeps one instance under a lock (``LockedValue``), applies events under it
/// and runs the returned actions outside it. The events live in the `PoolStateMachine+*.swift`
/// files:
/// - requests: `leaseRequested`, `cancelRequest`, `validationFailed` (+Lease),
/// - holders: `leaseReleased` (+Release),
/// - the factory: `connectionEstablished`, `connectionAttemptFailed` (+Connect),
/// - time: `timerFired` (+Timers: acquire timeouts, idle timeouts, lifetimes, backoff, grace),
/// - control: `resize`, `recreate`, `shutdown`, `connectionClosed` (+Lifecycle).
struct PoolStateMachine: Sendable {
    /// Connections are kept as existentials so that the machine is not generic (its code is
    /// compiled once, fully optimized, whatever factory the shell uses).
    typealias Connection = any PoolableConnection

    /// Where the pool is in its life.
    enum Lifecycle: Sendable, Equatable {
        case running
        /// Shutdown started. `graceDeadline`: when still-leased connections get interrupted;
        /// `interruptsSent`: whether that happened already.
        case shuttingDown(graceDeadline: PoolTime?, interruptsSent: Bool)
        case shutDown
    }

    /// Failure bookkeeping for backoff and the circuit breaker.
    struct ConnectState: Sendable {
        /// Failures counted in a row (see ``PoolConfiguration/connectRetry``).
        var consecutiveFailures = 0
        /// Increases with every counted failure; an attempt remembers the epoch it started in and
        /// its failure counts only if no other failure was counted since.
        var epoch = 0
        /// When the backoff ends; no attempt is started before.
        var retryAt: PoolTime?
        var lastError: (any Error)?
        var breakerOpen = false
        /// Draws the jitter of ``PoolConfiguration/connectRetry``, reproducibly from its seed.
        var jitter = SplitMix64(seed: 0)
    }

    /// Running totals (see ``PoolStatistics``).
    struct Totals: Sendable, Equatable {
        var created = 0
        var closed = 0
        var recycled = 0
        var timedOut = 0
        var failedValidation = 0
        var connectFailures = 0
    }

    /// The configuration; only the connection counts change (``resize(minimum:maximum:now:)``).
    var configuration: PoolConfiguration
    var lifecycle: Lifecycle = .running
    /// Every connection that counts towards the size: connecting, idle or leased.
    var connections: [ConnectionID: ConnectionSlot] = [:]
    /// Idle connections in the order they were parked (oldest first). LIFO reuse takes from the
    /// back, FIFO from the front; idle timeouts always close from the front.
    var idle: Deque<ConnectionID> = []
    /// Connections whose close was requested and has not finished.
    var closing: Set<ConnectionID> = []
    var queue = RequestQueue()
    var connectingCount = 0
    var leasedCount = 0
    var nextConnectionID: ConnectionID = 0
    var connect = ConnectState()
    /// Timer deadlines the shell was asked to schedule that have not fired yet, ascending. A new
    /// deadline needs a timer only if it is earlier than the first of these: when a timer fires,
    /// the machine handles everything that is due and asks for the next timer itself.
    var timers: [PoolTime] = []
    var totals = Totals()

    /// Creates a machine; call ``start()`` next to open the minimum connections. The shell
    /// validates `configuration` first. `jitterSeed` seeds the connect-retry jitter (tests pass
    /// a fixed one; the shell a random one).
    init(configuration: PoolConfiguration, jitterSeed: UInt64 = 0) {
        self.configuration = configuration
        self.connect.jitter = SplitMix64(seed: jitterSeed)
    }

    /// The first action: opens ``PoolConfiguration/minimumConnections`` connections.
    mutating func start() -> Action {
        var action = Action()
        self.createConnectionsIfNeeded(&action)
        return action
    }

    /// Whether the request is waiting in the queue.
    func isWaiting(_ requestID: RequestID) -> Bool {
        self.queue.contains(requestID)
    }

    var isRunning: Bool {
        self.lifecycle == .running
    }

    var isShutDown: Bool {
        self.lifecycle == .shutDown
    }

    // MARK: Shared helpers

    /// Records that `connection` (already removed from ``connections``) is being closed.
    mutating func registerClose(_ connection: Connection, reason: ConnectionCloseReason, _ action: inout Action) {
        self.closing.insert(connection.id)
        self.totals.closed += 1
        if reason == .lifetime {
            self.totals.recycled += 1
        }
        action.closeConnections.append(Close(connection: connection, reason: reason))
    }

    /// Opens connections when the pool is below its minimum or has more waiters than
    /// connections on the way, within the maximum; while connection attempts fail, at most one
    /// attempt at a time and only after the backoff.
    mutating func createConnectionsIfNeeded(_ action: inout Action) {
        guard self.isRunning else { return }
        let size = self.connections.count
        let maximum = self.configuration.maximumConnections
        guard size < maximum else { return }

        if self.connect.consecutiveFailures > 0 {
            guard self.connect.retryAt == nil, self.connectingCount == 0 else { return }
            let needed = self.connect.breakerOpen
                || size < self.configuration.minimumConnections
                || !self.queue.isEmpty
            if needed {
                self.createConnection(&action)
            }
            return
        }

        let forMinimum = self.configuration.minimumConnections - size
        let forWaiters = self.queue.count - self.connectingCount
        let count = min(max(forMinimum, forWaiters), maximum - size)
        if count > 0 {
            for _ in 0..<count {
                self.createConnection(&action)
            }
        }
    }

    private mutating func createConnection(_ action: inout Action) {
        let id = self.nextConnectionID
        self.nextConnectionID += 1
        self.connections[id] = ConnectionSlot(state: .connecting(epoch: self.connect.epoch))
        self.connectingCount += 1
        action.createConnections.append(id)
    }

    /// Ends the shutdown once every connection is gone and every close has finished.
    mutating func finishShutdownIfDone(_ action: inout Action) {
        guard case .shuttingDown = self.lifecycle else { return }
        guard self.connections.isEmpty, self.closing.isEmpty else { return }
        self.lifecycle = .shutDown
        self.timers.removeAll()
        action.shutdownFinished = true
    }
}
