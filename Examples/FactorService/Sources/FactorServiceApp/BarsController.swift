import Hummingbird

/// `GET /bars/:symbol?from=&to=` and `POST /bars`.
struct BarsController: Sendable {
    typealias Context = FactorRequestContext

    let store: MarketDataStore

    /// The answer to a successful `POST /bars`: `{"inserted": 3}`.
    struct InsertResult: ResponseCodable, Equatable {
        var inserted: Int
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(":symbol", use: list)
        group.post(use: insert)
    }

    /// The bars of one symbol, oldest first; `from` and `to` are optional and inclusive.
    /// An unknown symbol has no bars: `[]`.
    @Sendable func list(_ request: Request, context: Context) async throws -> [Bar] {
        let symbol = try context.parameters.require("symbol")
        try Bar.validate(symbol: symbol)
        let from = try request.calendarDay(query: "from")
        let to = try request.calendarDay(query: "to")
        if let from, let to, from > to {
            throw APIError.badRequest("'from' (\(from)) is after 'to' (\(to))")
        }
        return try await store.bars(symbol: symbol, from: from, to: to, deadline: context.deadline)
    }

    /// Inserts a JSON array of bars in one transaction: 201 with the count, 409 when any bar's
    /// (symbol, trade date) exists (then none is inserted), 400 for a body that is not a valid
    /// non-empty array of bars. The body is limited to Hummingbird's upload limit (2 MiB,
    /// about 20,000 bars).
    @Sendable func insert(_ request: Request, context: Context) async throws -> EditedResponse<InsertResult> {
        let bars = try await request.decode(as: [Bar].self, context: context)
        guard !bars.isEmpty else { throw APIError.badRequest("the body must be a non-empty JSON array of bars") }
        for (index, bar) in bars.enumerated() {
            try bar.validate(at: index)
        }
        let inserted = try await store.insert(bars, deadline: context.deadline)
        context.logger.info("bars inserted", metadata: ["factorservice.inserted": "\(inserted)"])
        return EditedResponse(status: .created, response: InsertResult(inserted: inserted))
    }
}
