import Hummingbird
import Logging

/// Turns every error a route throws into a JSON error response through ``APIError/init(_:)``,
/// and logs it on the request's logger (which carries Hummingbird's `hb.request.id`):
/// server-side failures at `error` with the full error (its SQL included: the log is the
/// operator's, the response is the client's), overload and deadlines at `warning`, client
/// mistakes at `debug`.
struct ErrorMappingMiddleware: RouterMiddleware {
    typealias Context = FactorRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let mapped = APIError(error)
            let metadata: Logger.Metadata = [
                "http.status": "\(mapped.status.code)",
                "http.path": "\(request.uri.path)",
                "error": "\(Self.oneLine(String(reflecting: error)))",
            ]
            switch mapped.status.code {
            case 503, 504: context.logger.warning("request failed: \(mapped.code)", metadata: metadata)
            case 500...: context.logger.error("request failed: \(mapped.code)", metadata: metadata)
            default: context.logger.debug("request rejected: \(mapped.code)", metadata: metadata)
            }
            return try mapped.response(from: request, context: context)
        }
    }

    /// The text with every run of whitespace (the newlines of multi-line SQL) as one space,
    /// so one failure is one log line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
