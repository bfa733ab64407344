public import DuckPool
public import Hummingbird
public import Logging

/// Opens the pool on `configuration.databasePath`, creates `stock_kline` if the file lacks it,
/// and builds the application. Run it with `runService()`: SIGTERM or SIGINT stops the HTTP
/// server first, then closes the pool (see ``buildApplication(pool:configuration:logger:)``).
///
/// - Throws: ``DuckDBError`` when the file cannot be opened (locked by another process, not a
///   DuckDB file, a missing directory) or the table cannot be created (the pool is closed
///   then); ``DuckPoolError`` (`invalidConfiguration`) for a bad `configuration.pool`.
public func buildApplication(configuration: FactorServiceConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    var poolLogger = logger
    poolLogger[metadataKey: "factorservice.component"] = "pool"
    let pool = try await DuckPool.open(path: configuration.databasePath, configuration: configuration.pool, logger: poolLogger)
    return try await buildApplication(pool: pool, configuration: configuration, logger: logger)
}

/// Builds the application over an open `pool`, creating `stock_kline` if the database lacks it.
///
/// The pool is registered in the application's `services`. Hummingbird runs them in one
/// `ServiceGroup` with the HTTP server after them; graceful shutdown stops services in reverse
/// order, so the server stops accepting and finishes its requests first, and then the pool's
/// `run()` closes the pool (with ``DuckPoolConfiguration/shutdownGracePeriod``). The caller
/// hands the pool over: the application closes it. `configuration.databasePath` and
/// `configuration.pool` are not used here (the pool is open already).
///
/// Routes: `GET /bars/:symbol`, `POST /bars`, `GET /factors`, `GET /health`, `GET /pool`.
/// Every response carries `X-Request-ID`; every request has one deadline,
/// `configuration.requestTimeout` after its arrival, for all its pool calls; every error is
/// JSON, mapped by one rule (``APIError``).
///
/// - Throws: ``DuckDBError`` or ``DuckPoolError`` when the table cannot be created; the pool is
///   closed then.
public func buildApplication(pool: DuckPool, configuration: FactorServiceConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    do {
        if try await StockKlineSchema.ensure(in: pool) {
            logger.info("created table stock_kline", metadata: ["factorservice.database": "\(pool.path)"])
        }
    } catch {
        await pool.close()
        throw error
    }
    let store = MarketDataStore(pool: pool)
    return Application(
        router: buildRouter(store: store, configuration: configuration),
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: "FactorService"),
        services: [pool],
        logger: logger
    )
}

/// The routes and middleware. Middleware comes first: Hummingbird wraps each route in the
/// middleware added before it. The request-id header is outermost so error responses get it
/// too; the deadline is set next, before anything else takes time.
func buildRouter(store: MarketDataStore, configuration: FactorServiceConfiguration) -> Router<FactorRequestContext> {
    let router = Router(context: FactorRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestDeadlineMiddleware(timeout: configuration.requestTimeout))
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMappingMiddleware())
    OperationsController(store: store).addRoutes(to: router)
    BarsController(store: store).addRoutes(to: router.group("bars"))
    let factorLimit = ConcurrencyLimit(limit: configuration.maxConcurrentFactorQueries)
    FactorsController(store: store, limit: factorLimit).addRoutes(to: router.group("factors"))
    return router
}
