import Synchronization

/// Hands out process-unique pool ids.
private let poolIDGenerator = Atomic<Int>(0)

/// A generic connection pool: the thin, thread-safe shell around ``PoolStateMachine``.
///
/// Every event (lease, release, connection opened, timer, ...) is applied to the state machine
/// under one lock (a pthread mutex); what the machine decides (hand out, fail, open, close,
/// schedule a timer) is carried out after the lock is released. Background work (opening and
/// closing connections, timers on the injected clock) runs in child tasks of ``run()``.
///
/// **`run()` must be running** for the pool to open and close connections, to enforce acquire
/// timeouts, idle timeouts, lifetimes and backoff, and to finish a shutdown. Leases of idle
/// connections and releases work without it, but nothing else does.
///
/// All methods are thread-safe. `lease` and `shutdown` are for async code; `leaseBlocking` is
/// for plain threads only: it blocks the calling thread and must never be called from async
/// code (it could starve the cooperative pool).
///
/// - Note: Time is measured with `clock`. Pass a `ContinuousClock` in production and a mock clock
///   in tests: every timeout, including those of blocking waiters, then follows the mock.
public final class ConnectionPool<Factory: ConnectionFactory, Clock: _Concurrency.Clock>: Sendable
where Clock.Duration == Swift.Duration {
    /// The connections this pool hands out.
    public typealias Connection = Factory.Connection

    /// A process-unique identifier of this pool.
    public let id: Int

    /// The configuration the pool was created with. ``resize(minimum:maximum:)`` changes the
    /// counts later; ``statistics`` shows the current ones.
    public let configuration: PoolConfiguration

    let factory: Factory
    let clock: Clock
    /// `clock.now` when the pool was created: ``PoolTime`` zero.
    let epoch: Clock.Instant
    /// The lock, state machine, parked callers, work queue and observer (non-generic).
    let engine: PoolEngine
    private let runStarted = Atomic<Bool>(false)

    /// Creates a pool. It opens ``PoolConfiguration/minimumConnections`` connections as soon as
    /// ``run()`` runs.
    ///
    /// - Parameters:
    ///   - configuration: The pool's knobs. Must pass ``PoolConfiguration/validate()``: an invalid
    ///     configuration stops the program with a precondition failure naming the field.
    ///   - factory: Opens, validates, interrupts and closes connections.
    ///   - clock: The clock for every timeout and timestamp (`ContinuousClock()` in production).
    ///   - observer: Receives events for logs and metrics. Default: ``NoOpPoolObserver``.
    public init(
        configuration: PoolConfiguration,
        factory: Factory,
        clock: Clock,
        observer: any PoolObserver = NoOpPoolObserver()
    ) {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("Invalid PoolConfiguration: \(error)")
        }
        self.id = poolIDGenerator.wrappingAdd(1, ordering: .relaxed).newValue
        self.configuration = configuration
        self.factory = factory
        self.clock = clock
        self.epoch = clock.now
        self.engine = PoolEngine(configuration: configuration, observer: observer) { connection in
            factory.interrupt(unsafeDowncast(connection, to: Factory.Connection.self))
        }
    }

    /// Runs the pool's background work until the pool has shut down.
    ///
    /// Opens and closes connections, runs timers (acquire timeouts, idle timeouts, lifetimes,
    /// backoff, shutdown grace period) in a task group fed by a work queue. Returns once a
    /// shutdown has finished: after ``shutdown(gracePeriod:)``, or after the task running `run()`
    /// is cancelled, which starts a shutdown with no grace period (still-leased connections are
    /// interrupted at once, and `run()` keeps waiting until they are released and closed).
    ///
    /// Call it exactly once. A second call (concurrent or later) returns immediately and does
    /// nothing.
    public func run() async {
        guard self.runStarted.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            return
        }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                while let item = await self.engine.work.next() {
                    switch item {
                    case .createConnection(let id):
                        group.addTask { await self.openConnection(id) }
                    case .closeConnection(let connection, let reason):
                        group.addTask { await self.closeConnection(connection, reason: reason) }
                    case .timer(let deadline):
                        group.addTask { await self.runTimer(deadline) }
                    }
                }
                // Shutdown finished: only timers can be left, and none is needed any more.
                group.cancelAll()
            }
        } onCancel: {
            self.startShutdown(gracePeriod: .zero)
        }
    }

    /// A snapshot of sizes, counters and current holders (taken under the lock; O(connections)).
    public var statistics: PoolStatistics {
        self.engine.statistics(now: self.now())
    }

    // MARK: Internals shared by the extensions

    /// The current time on the pool's time line.
    func now() -> PoolTime {
        self.epoch.duration(to: self.clock.now)
    }

    /// The machine only ever holds connections made by `factory`, so the cast always holds.
    func typed(_ connection: any PoolableConnection) -> Connection {
        unsafeDowncast(connection, to: Connection.self)
    }

    // MARK: Background work (child tasks of run())

    private func openConnection(_ id: ConnectionID) async {
        do {
            let connection = try await self.factory.makeConnection(id: id)
            self.engine.connectionEstablished(connection, attempt: id, now: self.now())
            if connection.id == id {
                self.engine.observer.connectionCreated(id: id)
            }
        } catch {
            self.engine.connectionAttemptFailed(id, error: error, now: self.now())
        }
    }

    private func closeConnection(_ connection: any PoolableConnection, reason: ConnectionCloseReason) async {
        await self.factory.close(self.typed(connection))
        self.engine.observer.connectionClosed(id: connection.id, reason: reason)
        self.engine.connectionClosed(connection.id)
    }

    private func runTimer(_ deadline: PoolTime) async {
        do {
            try await self.clock.sleep(until: self.epoch.advanced(by: deadline), tolerance: nil)
        } catch {
            return  // cancelled: the pool has shut down
        }
        self.engine.timerFired(scheduledFor: deadline, now: self.now())
    }
}
