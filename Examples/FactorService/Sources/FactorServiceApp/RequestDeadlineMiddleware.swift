import DuckPool
import Hummingbird

/// Gives each request one deadline, `timeout` after it arrived (``FactorRequestContext/deadline``),
/// which every pool call of the request receives as `deadline:`.
///
/// One deadline for the whole request, not a timeout per call: the time a request spends
/// waiting for a busy pool counts against it, and so does every earlier call. A request that
/// cannot get a connection before its deadline ends then with 503 and `Retry-After`; one whose
/// query is still running then has the query interrupted and ends with 504 (see ``APIError``).
/// Value type; thread-safe.
struct RequestDeadlineMiddleware: RouterMiddleware {
    typealias Context = FactorRequestContext

    /// How long after its arrival a request's database work must have ended.
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.deadline = .at(ContinuousClock.now + timeout)
        return try await next(request, context)
    }
}
