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
    /// Each request's deadline is its arrival plus this: every pool call of the request gets it
    /// as `deadline:`, so it bounds the wait for a connection and the queries together. A
    /// request still waiting for a connection at its deadline gets 503 with `Retry-After`; one
    /// whose query is still running has it interrupted and gets 504. Default: 2 seconds.
    public var requestTimeout: Duration
    /// How many `GET /factors` queries (each scans the whole table) may run at once; more get
    /// 503 with `Retry-After` at once. Default: 1: DuckDB already spreads one query over every
    /// core (its `threads` setting), so a second concurrent scan only slows both. Must be at least 1.
    public var maxConcurrentFactorQueries: Int
    /// The pool's configuration. Default: the pool's defaults (5 kept, 15 at most, a 30 s
    /// acquire timeout, which the 2 s request deadline makes moot: a request stops waiting for a
    /// saturated pool at its deadline).
    public var pool: DuckPoolConfiguration

    /// A configuration with the defaults above for `databasePath`.
    public init(databasePath: String) {
        self.databasePath = databasePath
        self.hostname = "127.0.0.1"
        self.port = 8080
        self.requestTimeout = .seconds(2)
        self.maxConcurrentFactorQueries = 1
        self.pool = DuckPoolConfiguration()
    }
}
