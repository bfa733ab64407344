import HTTPTypes
import Hummingbird

/// Sends the request's id (``FactorRequestContext/requestID``, `hb.request.id` in every log line of the
/// request) back as `X-Request-ID`, on success and error responses alike, so a client can quote
/// it and an operator can find the request's log lines.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = FactorRequestContext

    static var headerName: HTTPField.Name { HTTPField.Name("X-Request-ID")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.headerName] = context.requestID
        return response
    }
}
