/// What a ``DuckPool`` connects to: a database file, an in-memory database, a database served by
/// another process over DuckDB's Quack protocol, or a DuckLake whose catalog lives in PostgreSQL.
///
/// ```swift
/// let local = try await DuckPool.open(target: .file("factorweave.duckdb"))
/// let remote = try await DuckPool.open(target: .quack(QuackServer(host: "127.0.0.1", port: 9494, token: token)))
/// let lake = try await DuckPool.open(target: .duckLake(DuckLakeCatalog(
///     postgres: "dbname=lake host=127.0.0.1 port=5432 user=factorweave", dataPath: "/shared/lake/")))
/// ```
///
/// The pool's API is the same on every target; what each remote engine cannot do is listed in
/// `docs/scale-out.md`. For the remote targets the pool opens a private in-memory DuckDB instance,
/// loads the needed extensions from the installed extension directory (never from the network),
/// and attaches the remote database as each connection's default catalog. Value type.
public enum DuckPoolTarget: Sendable, Hashable {
    /// A database file (created when missing).
    case file(String)
    /// A private in-memory database.
    case inMemory
    /// A database served by `duckpool serve` (or `CALL quack_serve(...)`) in another process.
    case quack(QuackServer)
    /// A DuckLake: catalog in PostgreSQL, data in Parquet files under a data path.
    case duckLake(DuckLakeCatalog)

    /// How the pool names the target in logs, metrics and ``DuckPool/path``.
    public var description: String {
        switch self {
        case .file(let path): path
        case .inMemory: ":memory:"
        case .quack(let server): server.uri
        case .duckLake(let lake): "ducklake:postgres:\(lake.postgresWithoutPassword) (data \(lake.dataPath))"
        }
    }
}

/// A Quack server: where it listens, the token it expects, and whether to use TLS. Value type.
///
/// Quack in DuckDB 1.5.5 serves plain HTTP; `tls: true` (DuckDB's default for a non-local host)
/// needs a TLS-terminating proxy in front of the server. Loopback hosts default to no TLS.
public struct QuackServer: Sendable, Hashable {
    /// The server's host name or address. Default `127.0.0.1`.
    public var host: String
    /// The server's port. Default 9494 (Quack's).
    public var port: Int
    /// The token the server expects; sent through a DuckDB secret, never in the ATTACH options.
    public var token: String
    /// Whether to speak HTTPS. Default: true unless `host` is loopback.
    public var tls: Bool

    /// A server description; `tls` defaults to false on loopback, true elsewhere.
    public init(host: String = "127.0.0.1", port: Int = 9494, token: String, tls: Bool? = nil) {
        self.host = host
        self.port = port
        self.token = token
        self.tls = tls ?? !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }

    /// `quack:host:port`.
    public var uri: String { "quack:\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)" }
}

/// A DuckLake on PostgreSQL: the catalog's connection string and where the data files live.
/// Value type.
public struct DuckLakeCatalog: Sendable, Hashable {
    /// A libpq connection string for the catalog database, for example
    /// `dbname=lake host=127.0.0.1 port=5432 user=factorweave connect_timeout=5`.
    public var postgres: String
    /// The directory (or object-store prefix, with httpfs) that holds the lake's Parquet files.
    public var dataPath: String
    /// The catalog name the lake is attached as. Default `lake`.
    public var name: String

    /// A lake description.
    public init(postgres: String, dataPath: String, name: String = "lake") {
        self.postgres = postgres
        self.dataPath = dataPath
        self.name = name
    }

    /// The connection string with any `password=...` removed, for logs.
    var postgresWithoutPassword: String {
        postgres.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }.joined(separator: " ")
    }
}
