import DuckDBKit
import DuckPoolCore

/// Opens, validates, interrupts and closes the pool's DuckDB connections. Every blocking DuckDB
/// call runs on the connection's own queue.
struct DuckDBConnectionFactory: ConnectionFactory {
    let database: Database
    /// A connection used this recently (and not poisoned) is trusted without a ping.
    let trustWindowNanoseconds: Int64

    /// Opens a connection and proves it works with `SELECT 1`, so that an unusable database
    /// (invalidated by a fatal error, say) surfaces as a failed attempt carrying DuckDB's error
    /// (backoff, then the circuit breaker fails acquires fast) instead of as connections that
    /// fail validation one after another.
    func makeConnection(id: ConnectionID) async throws -> PooledConnection {
        let queue = ConnectionQueue(label: "duckpool.connection.\(id)")
        let database = self.database
        return try await queue.run {
            let connection = try database.connect()
            do {
                _ = try connection.query("SELECT 1").nextChunk()
            } catch {
                connection.close()
                throw error
            }
            connection.revokeAccess()
            return PooledConnection(id: id, connection: connection, queue: queue)
        }
    }

    func isKnownValid(_ connection: PooledConnection) -> Bool {
        !connection.isPoisoned.load(ordering: .relaxed)
            && !connection.connection.isClosed
            && connection.idleNanoseconds < trustWindowNanoseconds
    }

    /// Pre-ping: a recently used connection is trusted; an older one runs `SELECT 1` on its
    /// queue. Invalid: closed, poisoned by a fatal error, or failing the ping.
    func validate(_ connection: PooledConnection) async -> Bool {
        if isKnownValid(connection) { return true }
        if connection.isPoisoned.load(ordering: .relaxed) || connection.connection.isClosed { return false }
        return (try? await connection.queue.run { Self.ping(connection) }) ?? false
    }

    static func ping(_ pooled: PooledConnection) -> Bool {
        // Between leases the connection refuses calls (leaseExpired); the ping is the pool's own.
        pooled.connection.restoreAccess()
        defer { pooled.connection.revokeAccess() }
        do {
            _ = try pooled.connection.query("SELECT 1").nextChunk()
            pooled.markUsed()
            return true
        } catch {
            return false
        }
    }

    func interrupt(_ connection: PooledConnection) {
        connection.interruptHandle.interrupt()
    }

    func close(_ connection: PooledConnection) async {
        _ = try? await connection.queue.run { connection.connection.close() }
    }
}
