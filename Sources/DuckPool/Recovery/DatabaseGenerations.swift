import DuckPoolSupport
import DuckDBKit
import DuckPoolCore

/// The pool's database across reopens, and every connection open on each instance.
///
/// Each instance the pool opens is a *generation* (0 first). A generation's connections are
/// registered here when they open and unregistered when the pool closed them, so that a drain
/// knows when the last handle on an invalidated instance is gone: DuckDBKit opens files through
/// DuckDB's process-wide instance cache, which hands out the *same* live instance to a new open
/// as long as any handle on it is open. Only once every connection and the database handle are
/// closed is the instance destroyed, and only then does a reopen get a new instance.
///
/// **Thread-safety:** `Sendable`; all state is under one lock. Blocking DuckDB calls (open,
/// probe, close) run on a private Dispatch queue, never on the cooperative thread pool.
final class DatabaseGenerations: DatabaseLifecycle {
    private struct State: Sendable {
        var database: Database
        var generation = 0
        /// False from the moment the current generation starts draining until a reopen.
        var usable = true
        var live: [Int: [ObjectIdentifier: PooledConnection]] = [:]
        var drainWaiter: (generation: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    let path: String
    let configuration: DatabaseConfiguration
    private let state: LockedValue<State>
    /// Retires every pooled connection (the cores' `recreate`), set once the cores exist.
    private let retireAll = LockedValue<[@Sendable () -> Void]>([])
    private let queue = ConnectionQueue(label: "duckpool.database.reopen")
    /// The generations whose database setup ran. The lock is held while a setup runs (on a
    /// connection's queue thread, never on the cooperative pool), so it runs once per generation.
    private let setUpGenerations = LockedValue<Set<Int>>([])

    init(database: Database) {
        self.path = database.path
        self.configuration = database.configuration
        self.state = LockedValue(State(database: database))
    }

    /// Registers what retires a core's connections (idle ones closed now, leased ones when
    /// returned) when a generation drains.
    func onDrain(_ retire: @escaping @Sendable () -> Void) {
        retireAll.withLock { $0.append(retire) }
    }

    /// The newest database handle (closed while a reopen is pending).
    var database: Database { state.withLock { $0.database } }

    /// The database of the current generation, if it is usable.
    func usableDatabase() -> (database: Database, generation: Int)? {
        state.withLock { $0.usable ? ($0.database, $0.generation) : nil }
    }

    /// Whether `generation` is the current, usable generation.
    func isCurrent(_ generation: Int) -> Bool {
        state.withLock { $0.usable && $0.generation == generation }
    }

    /// Runs `setup` unless it already ran for `generation`; one caller at a time.
    /// - Throws: what `setup` throws (the generation then counts as not set up).
    func setUpOnce(_ generation: Int, _ setup: () throws -> Void) throws {
        try setUpGenerations.withLock { (done: inout Set<Int>) throws in
            guard !done.contains(generation) else { return }
            try setup()
            done.insert(generation)
        }
    }

    /// Records a new connection. Returns false, registering nothing, if its generation is no
    /// longer the current usable one (the caller must close it).
    func register(_ connection: PooledConnection) -> Bool {
        state.withLock { state in
            guard state.usable, state.generation == connection.generation else { return false }
            state.live[connection.generation, default: [:]][ObjectIdentifier(connection)] = connection
            return true
        }
    }

    /// Every registered connection of every generation.
    func liveConnections() -> [PooledConnection] {
        state.withLock { state in state.live.values.flatMap(\.values) }
    }

    /// Forgets a closed connection; wakes a drain that waited for it to be the last.
    func unregister(_ connection: PooledConnection) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            let generation = connection.generation
            state.live[generation]?[ObjectIdentifier(connection)] = nil
            if state.live[generation]?.isEmpty == true { state.live[generation] = nil }
            guard let waiter = state.drainWaiter, waiter.generation == generation, state.live[generation] == nil else {
                return nil
            }
            state.drainWaiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Stops handing out `generation` (if it is the current one) the moment its invalidation is
    /// seen, before the drain starts: pings and trust checks then refuse its connections.
    func retire(_ generation: Int) {
        state.withLock { state in
            if state.generation == generation { state.usable = false }
        }
    }

    // MARK: DatabaseLifecycle

    func drain(generation: Int) async {
        let leased = state.withLock { state -> [PooledConnection] in
            if state.generation == generation { state.usable = false }
            return Array(state.live[generation, default: [:]].values)
        }
        // Running queries stop at once (DuckDBKit records an interrupt that lands between
        // statements, so a holder's next statement stops too).
        for connection in leased { connection.interruptHandle.interrupt() }
        for retire in retireAll.withLock({ $0 }) { retire() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.live[generation] == nil { return true }
                state.drainWaiter = (generation, continuation)
                return false
            }
            if done { continuation.resume() }
        }
        // Closing the last handle destroys the instance (file I/O): not on the cooperative pool.
        if let database = state.withLock({ $0.generation == generation ? $0.database : nil }) {
            _ = try? await queue.run { database.close() }
        }
    }

    func reopen(generation: Int) async throws {
        let path = self.path
        let configuration = self.configuration
        let database = try await queue.run {
            let database = try Database(path: path, configuration: configuration)
            do {
                // Proves the instance works. Should another Database object in this process
                // still hold the invalidated instance, the cache hands that one back: the probe
                // fails with `.invalidated`, and the attempt counts as failed.
                let probe = try database.connect()
                defer { probe.close() }
                _ = try probe.query("SELECT 1").nextChunk()
            } catch {
                database.close()
                throw error
            }
            return database
        }
        state.withLock { state in
            state.database = database
            state.generation = generation
            state.usable = true
        }
    }
}
