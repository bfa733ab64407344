import Synchronization

/// Admits at most `limit` concurrent runs of an expensive operation and turns the rest away at
/// once with 503 + `Retry-After` (load shedding), instead of letting them all start.
///
/// Why: `GET /factors` scans the whole table. Measured on the 1.25M-row FactorWeave file on 2
/// cores, one runs in about 1 s; 30 at once each got a pooled connection, shared the cores,
/// and all 30 ran past the 2 s deadline (504), so no client got an answer. With a limit,
/// the admitted ones finish and the others are told at once to retry.
///
/// Thread-safety: `Sendable`; one counter under a `Mutex`.
final class ConcurrencyLimit: Sendable {
    /// How many runs may be in flight at once.
    let limit: Int
    private let inFlight = Mutex(0)

    init(limit: Int) {
        precondition(limit >= 1, "a concurrency limit must admit at least one run")
        self.limit = limit
    }

    /// Runs `body` if fewer than ``limit`` runs are in flight.
    /// - Throws: ``APIError`` (503, `Retry-After`) when the limit is reached; what `body` throws.
    func run<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        let admitted = inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw APIError.overloaded("\(limit) \(what) already running; retry shortly")
        }
        defer { inFlight.withLock { $0 -= 1 } }
        return try await body()
    }
}
