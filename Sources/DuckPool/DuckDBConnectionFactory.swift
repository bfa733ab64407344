import DuckDBKit
import DuckPoolCore
import Synchronization

/// The recovery that reopens the pool's database after DuckDB invalidated it.
typealias PoolDatabaseRecovery = DatabaseRecovery<DatabaseGenerations, PoolClock>

/// Opens, validates, interrupts and closes the pool's DuckDB connections. Every blocking DuckDB
/// call runs on the connection's own queue.
struct DuckDBConnectionFactory: ConnectionFactory {
    let generations: DatabaseGenerations
    /// Reopens an invalidated database; nil when ``DuckPoolConfiguration/reopen`` is nil.
    let recovery: PoolDatabaseRecovery?
    /// A connection used this recently (and not poisoned) is trusted without a ping.
    let trustWindow: Duration
    /// The pool's clock: connection ages and the trust window are measured on it.
    let clock: PoolClock
    /// What the pool connects to, and how each connection reaches it.
    let target: TargetSession
    /// Extensions loaded once per database generation: the configuration's, then the target's.
    let extensions: [String]
    /// Runs once per database generation, on its first connection.
    let databaseSetup: SetupScript?
    /// Runs on every new connection.
    let connectionSetup: SetupScript?
    /// How many remote sessions have failed so far: a connection whose session was attached
    /// before the latest failure is suspect even if it was not yet registered when that failure
    /// marked the live connections.
    let remoteSessionFailures = RemoteSessionFailures()

    /// Opens a connection and sets it up: once per generation the extensions load, then the
    /// target's statements and the database setup script run; then the target attaches what
    /// the connection works on and the connection's setup script runs. `SELECT 1` (on a Quack
    /// target: in the server's session) proves it works.
    ///
    /// While the database is being reopened, waits for the new instance. When the instance turns
    /// out to be invalidated, reports it and (with recovery on) waits for the reopen; without
    /// recovery the attempt fails with DuckDB's error (backoff, then the circuit breaker fails
    /// acquires fast). After the recovery gave up, fails with ``DuckDBError/Code/invalidated``.
    func makeConnection(id: ConnectionID) async throws -> PooledConnection {
        let queue = ConnectionQueue(label: "duckpool.connection.\(id)")
        while true {
            if let recovery {
                do {
                    _ = try await recovery.waitUntilUsable()
                } catch let error as DatabaseUnavailableError {
                    throw DuckPoolError(code: .databaseUnavailable, message: error.description, underlying: error.lastError)
                }
            }
            guard let (database, generation) = generations.usableDatabase() else {
                // Drained between the wait and here: the next wait sees the recovery.
                if recovery == nil { throw DuckPoolError(code: .databaseUnavailable, message: "the database \(generations.path) is closed") }
                continue
            }
            let pooled: PooledConnection
            let clock = self.clock
            let failuresBeforeAttach = remoteSessionFailures.count
            do {
                pooled = try await queue.run { [self] in
                    let connection = try database.connect()
                    do {
                        try generations.setUpOnce(generation) { try setUpInstance(on: connection) }
                        try target.open(connection, id: id)
                        try connectionSetup?.run(on: connection)
                        _ = try connection.query("SELECT 1").nextChunk()
                    } catch {
                        target.disconnect(connection, id: id)
                        throw error
                    }
                    connection.revokeAccess()
                    return PooledConnection(id: id, connection: connection, queue: queue, generation: generation, openedAt: clock.now)
                }
            } catch let error as DuckDBError where error.code == .invalidated && recovery != nil {
                reportInvalidation(of: generation)
                continue
            } catch let error as DuckDBError where error.code == .misuse && recovery != nil && !generations.isCurrent(generation) {
                continue // the database handle was closed by a drain while we connected
            }
            if generations.register(pooled) {
                // A session failure reported while this one attached did not see it registered.
                if remoteSessionFailures.count != failuresBeforeAttach { pooled.needsPing.store(true, ordering: .sequentiallyConsistent) }
                return pooled
            }
            _ = try? await queue.run { [target] in target.disconnect(pooled.connection, id: id) }
        }
    }

    /// What runs once per database instance: the extensions, the target's statements, the
    /// database setup script.
    private func setUpInstance(on connection: DuckDBKit.Connection) throws {
        for name in extensions { try connection.execute("LOAD \(name)") }
        for statement in target.instanceStatements { try connection.execute(statement) }
        try databaseSetup?.run(on: connection)
    }

    /// Starts reopening the database if `generation` is the current one (idempotent).
    func reportInvalidation(of generation: Int) {
        guard let recovery else { return }
        generations.retire(generation)
        recovery.reportInvalidation(generation: generation)
    }

    /// After one connection's remote session failed, the others' sessions (with the same
    /// server) are suspect: each is pinged before its next lease.
    func reportRemoteSessionFailure() {
        remoteSessionFailures.increment()
        for connection in generations.liveConnections() { connection.needsPing.store(true, ordering: .sequentiallyConsistent) }
    }

    func isKnownValid(_ connection: PooledConnection) -> Bool {
        !connection.isPoisoned.load(ordering: .relaxed)
            && !connection.needsPing.load(ordering: .sequentiallyConsistent)
            && !connection.connection.isClosed
            && connection.idleTime(at: clock.now) < trustWindow
            && generations.isCurrent(connection.generation)
    }

    /// Pre-ping: a recently used connection is trusted; an older one runs `SELECT 1` on its
    /// queue. Invalid: closed, poisoned by a fatal error, of a drained instance, or failing the
    /// ping (a ping that finds the instance invalidated starts the reopen).
    func validate(_ connection: PooledConnection) async -> Bool {
        if isKnownValid(connection) { return true }
        if connection.isPoisoned.load(ordering: .relaxed) || connection.connection.isClosed { return false }
        if !generations.isCurrent(connection.generation) { return false }
        let clock = self.clock
        let failure = (try? await connection.queue.run { Self.ping(connection, clock: clock) }) ?? nil
        guard let failure else { return true }
        if failure.code == .invalidated { reportInvalidation(of: connection.generation) }
        return false
    }

    /// Runs `SELECT 1`; returns its error, or nil when it worked.
    static func ping(_ pooled: PooledConnection, clock: PoolClock) -> DuckDBError? {
        // Between leases the connection refuses calls (accessRevoked); the ping is the pool's own.
        pooled.connection.restoreAccess()
        defer { pooled.connection.revokeAccess() }
        do {
            _ = try pooled.connection.query("SELECT 1").nextChunk()
            pooled.markUsed(at: clock.now)
            pooled.needsPing.store(false, ordering: .relaxed)
            return nil
        } catch {
            return error
        }
    }

    func interrupt(_ connection: PooledConnection) {
        connection.interruptHandle.interrupt()
    }

    func close(_ connection: PooledConnection) async {
        _ = try? await connection.queue.run { [target] in target.disconnect(connection.connection, id: connection.id) }
        generations.unregister(connection)
    }
}

/// A counter of failed remote sessions, shared by the copies of a ``DuckDBConnectionFactory``.
/// **Thread-safety:** an atomic; any thread.
final class RemoteSessionFailures: Sendable {
    private let value = Atomic<Int>(0)

    /// The failures so far.
    var count: Int { value.load(ordering: .sequentiallyConsistent) }

    /// Counts one more failure.
    func increment() { value.add(1, ordering: .sequentiallyConsistent) }
}
