import Hummingbird

/// `GET /factors?since=YYYY-MM-DD`.
struct FactorsController: Sendable {
    typealias Context = FactorRequestContext

    let store: MarketDataStore
    /// Factor queries scan the whole table: at most this many run at once (see ``ConcurrencyLimit``).
    let limit: ConcurrencyLimit

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(use: list)
    }

    /// Per symbol with bars since `since` (required): the latest close, its 20-day moving
    /// average and the average daily return since `since`. See ``MarketDataStore/factors(since:)``.
    /// 503 with `Retry-After` when ``FactorServiceConfiguration/maxConcurrentFactorQueries`` run already.
    @Sendable func list(_ request: Request, context: Context) async throws -> [SymbolFactors] {
        let since = try request.requiredCalendarDay(query: "since")
        return try await limit.run("factor queries") {
            try await store.factors(since: since, deadline: context.deadline)
        }
    }
}
