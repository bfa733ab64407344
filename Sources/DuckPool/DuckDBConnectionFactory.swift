import DuckDBKit
import DuckPoolCore

/// Opens, validates, interrupts and closes the pool's DuckDB connections. Every blocking DuckDB
/// call runs on the connection's own queue.
struct DuckDBConnectionFactory: ConnectionFactory {
    let database: Database
    /// A connection used this recently (and not poisoned) is trusted without a ping.
    let trustWindowNanoseconds: Int64

    func makeConnection(id: ConnectionID) async throws -> PooledConnection {
        let queue = ConnectionQueue(label: "duckpool.connection.\(id)")
        let database = self.database
        return try await queue.run {
            PooledConnection(id: id, connection: try database.connect(), queue: queue)
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
