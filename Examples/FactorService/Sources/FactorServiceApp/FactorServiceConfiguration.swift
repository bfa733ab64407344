public import DuckPool

/// Everything the service needs to start. Value type; thread-safe.
///
/// ```swift
/// var configuration = FactorServiceConfiguration(databasePath: "/tmp/factors.duckdb")
/// configuration.port = 9090
/// let app = try await buildApplication(configuration: configuration, logger: logger)
/// try await app.runService()
/// ```
public struct FactorServiceConfiguration: Sendable {
    /// The DuckDB file; created, with an empty `stock_kline` table, when missing.
    public var databasePath: String
    /// The address to listen on. Default: `127.0.0.1` (this machine only).
    public var hostname: String
    /// The port to listen on. Default: `8080`.
    public var port: Int
    /// How long one request's database call may run once it has a connection; past it the query
    /// is interrupted and the client gets 504. Default: 2 seconds.
    public var requestDeadline: Duration
    /// How many `GET /factors` queries (each scans the whole table) may run at once; more get
    /// 503 with `Retry-After` at once. Default: 1: DuckDB already spreads one query over every
    /// core (its `threads` setting), so a second concurrent scan only slows both. Must be at least 1.
    public var maxConcurrentFactorQueries: Int
    /// The pool's configuration. Default: the pool's defaults (5 kept, 15 at most) with an
    /// acquire timeout of 2 seconds, so a saturated pool answers 503 instead of holding the
    /// request for the default 30 seconds.
    public var pool: DuckPoolConfiguration

    /// A configuration with the defaults above for `databasePath`.
    public init(databasePath: String) {
        self.databasePath = databasePath
        self.hostname = "127.0.0.1"
        self.port = 8080
        self.requestDeadline = .seconds(2)
        self.maxConcurrentFactorQueries = 1
        var pool = DuckPoolConfiguration()
        pool.acquireTimeout = .seconds(2)
        self.pool = pool
    }
}
