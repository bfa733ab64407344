import DuckPoolCore
import DuckPoolTestUtils
import Synchronization

/// The pool under test: the real `ConnectionPool` shell with the mock factory (connections are
/// plain objects, opening one is instant) and a real `ContinuousClock`.
typealias MockPool = ConnectionPool<MockConnectionFactory, ContinuousClock>

/// Counts acquires that had to wait, to show that a "contended" benchmark really contends.
final class WaitCounter: PoolObserver {
    private let acquires = Atomic<Int>(0)
    private let waited = Atomic<Int>(0)

    func leaseAcquired(connectionID: ConnectionID, waited: Duration) {
        self.acquires.add(1, ordering: .relaxed)
        if waited > .zero {
            self.waited.add(1, ordering: .relaxed)
        }
    }

    /// Returns (acquires, waited) since the last call and starts counting again.
    func take() -> (acquires: Int, waited: Int) {
        (self.acquires.exchange(0, ordering: .relaxed), self.waited.exchange(0, ordering: .relaxed))
    }
}

/// A started pool with `connections` open, idle connections, and its `run()` task.
///
/// Created in a benchmark's `setup` hook and shut down in its `teardown` hook, so neither the
/// start (opening connections) nor the shutdown is measured.
final class PoolFixture: Sendable {
    let pool: MockPool
    let factory: MockConnectionFactory
    private let runner: Task<Void, Never>

    private init(pool: MockPool, factory: MockConnectionFactory, runner: Task<Void, Never>) {
        self.pool = pool
        self.factory = factory
        self.runner = runner
    }

    /// Starts a pool of exactly `connections` connections (minimum = maximum) and returns once all
    /// of them are open and idle.
    ///
    /// `validateOnAcquire` is off (the mock's validation would otherwise dominate), and idle
    /// timeout and lifetime are off so that no timer fires while measuring. The acquire timeout
    /// keeps its default (30 s): waiting requests arm a timer as in production.
    static func start(connections: Int, observer: any PoolObserver = NoOpPoolObserver()) async throws -> PoolFixture {
        var configuration = PoolConfiguration()
        configuration.minimumConnections = connections
        configuration.maximumConnections = connections
        configuration.validateOnAcquire = false
        configuration.idleTimeout = nil
        configuration.maxLifetime = nil
        let factory = MockConnectionFactory(autoConnect: true)
        let pool = MockPool(configuration: configuration, factory: factory, clock: ContinuousClock(), observer: observer)
        let runner = Task { await pool.run() }

        // The connections open in child tasks of run(); wait until the pool holds them all idle.
        let deadline = ContinuousClock.now + .seconds(10)
        while pool.statistics.idle < connections {
            guard ContinuousClock.now < deadline else {
                runner.cancel()
                throw FixtureError("pool did not open \(connections) connection(s) within 10 s: \(pool.statistics)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        return PoolFixture(pool: pool, factory: factory, runner: runner)
    }

    /// Shuts the pool down and waits for `run()` to return.
    func stop() async {
        await self.pool.shutdown(gracePeriod: .zero)
        await self.runner.value
    }
}

/// Holds the fixture between a benchmark's `setup`, body and `teardown` hooks (they are separate
/// closures, run one after another by the benchmark runner, never concurrently).
final class FixtureSlot: Sendable {
    private let fixture = Mutex<PoolFixture?>(nil)

    var pool: MockPool {
        guard let pool = self.fixture.withLock({ $0?.pool }) else {
            fatalError("benchmark body ran without its setup hook")
        }
        return pool
    }

    func start(connections: Int, observer: any PoolObserver = NoOpPoolObserver()) async throws {
        let started = try await PoolFixture.start(connections: connections, observer: observer)
        self.fixture.withLock { $0 = started }
    }

    func stop() async {
        let fixture = self.fixture.withLock { fixture in
            defer { fixture = nil }
            return fixture
        }
        await fixture?.stop()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
