public import DuckDBKit
public import DuckPoolTestUtils

/// A Quack server inside the test process: a DuckDB file in a temporary directory, served with
/// `quack_serve` on a free loopback port until the value is released. Clients attach it from
/// their own DuckDB instances, as another process would. Needs the official httpfs and quack
/// extensions (`scripts/install-extensions.sh`); the server needs httpfs as much as the client.
///
/// Not `Sendable`: use it from the test that made it.
public final class InProcessQuackServer {
    /// The server's port on 127.0.0.1.
    public let port: Int
    /// The token clients must present.
    public let token = "test-token-1234"
    /// The served database's directory (removed at the end).
    public let directory = TemporaryDirectory()
    /// The served database.
    public let database: Database
    /// The serving connection; also usable to look at the served data directly.
    public let connection: Connection

    /// Opens the database, runs `setup` on it, and starts serving.
    /// - Throws: ``DuckDBError`` (extensionMissing when httpfs or quack are not installed).
    public init(setup: [String] = []) throws {
        guard let port = LoopbackPort.free() else { throw DuckDBError(code: .io, message: "no free loopback port") }
        self.port = port
        database = try Database(path: directory.path("served.duckdb"))
        connection = try database.connect()
        for statement in setup { try connection.execute(statement) }
        try connection.execute("LOAD httpfs")
        try connection.execute("LOAD quack")
        _ = try connection.query("CALL quack_serve('\(uri)', token => '\(token)')").rows()
    }

    /// `quack:127.0.0.1:<port>`.
    public var uri: String { "quack:127.0.0.1:\(port)" }

    /// Stops serving: clients' next requests fail with connectionRefused. Idempotent.
    public func stop() throws {
        _ = try connection.query("CALL quack_stop('\(uri)')").rows()
    }

    /// Serves again on the same port, as a restarted server would: sessions of the earlier
    /// server are unknown to it.
    public func restart() throws {
        try stop()
        _ = try connection.query("CALL quack_serve('\(uri)', token => '\(token)')").rows()
    }

    /// A client connection from a new in-memory instance that uses the served database as its
    /// default catalog, routing its statements as asked.
    public func client(token: String? = nil, routing: StatementRouting = .quackServer) throws -> Connection {
        let client = try Database.inMemory().connect()
        try client.execute("LOAD httpfs")
        try client.execute("LOAD quack")
        try client.execute("CREATE SECRET (TYPE quack, TOKEN '\(token ?? self.token)')")
        try client.execute("ATTACH '\(uri)' AS remote")
        try client.execute("USE remote")
        client.statementRouting = routing
        return client
    }

    deinit { try? stop() }
}
