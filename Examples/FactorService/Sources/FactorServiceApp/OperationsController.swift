import DuckPool
import Hummingbird

/// `GET /health` and `GET /pool`: what an operator or a load balancer asks.
struct OperationsController: Sendable {
    typealias Context = FactorRequestContext

    let store: MarketDataStore

    /// `{"status": "ok"}`.
    struct Health: ResponseCodable, Equatable {
        var status: String
    }

    /// The pool's state, from ``DuckPool/status``.
    struct PoolStatus: ResponseCodable, Equatable {
        var size: Int
        var inUse: Int
        var idle: Int
        var waiters: Int
        var utilization: Double
        var minimum: Int
        var maximum: Int
        /// Calls that returned at their deadline while DuckDB could not stop their statement yet
        /// (it was parsing or planning), since the pool opened; their connections return to the
        /// pool once DuckDB lets go of them.
        var abandonedCalls: Int

        enum CodingKeys: String, CodingKey {
            case size, inUse = "in_use", idle, waiters, utilization, minimum, maximum, abandonedCalls = "abandoned_calls"
        }

        init(_ status: DuckPoolStatus) {
            size = status.size
            inUse = status.inUse
            idle = status.idle
            waiters = status.waiters
            utilization = status.utilization
            minimum = status.statistics.minimumConnections
            maximum = status.statistics.maximumConnections
            abandonedCalls = status.abandonedCalls
        }
    }

    func addRoutes(to router: Router<Context>) {
        router.get("health", use: health)
        router.get("pool", use: poolStatus)
    }

    /// 200 when a pooled connection answers `SELECT 1` before the request's deadline; otherwise
    /// the mapped error (503 when no connection became free in time, 504 when the query ran
    /// past the deadline).
    @Sendable func health(_ request: Request, context: Context) async throws -> Health {
        try await store.ping(deadline: context.deadline)
        return Health(status: "ok")
    }

    /// A snapshot of the pool; never waits for a connection.
    @Sendable func poolStatus(_ request: Request, context: Context) async throws -> PoolStatus {
        PoolStatus(store.pool.status)
    }
}
