import DuckPool
import HTTPTypes
import Hummingbird

/// An error as the client sees it: an HTTP status, a stable machine-readable `code`, a message
/// that is safe to show, and for overload a `Retry-After` hint. Rendered as
/// `{"error": {"code": "conflict", "message": "...", "request_id": "..."}}`.
///
/// ``init(_:)`` is the ONE place where failures become HTTP statuses: routes throw whatever they
/// get (``DuckDBError``s from the pool, Hummingbird's `HTTPError`s, their own `APIError`s) and
/// ``ErrorMappingMiddleware`` maps them here. Messages never contain SQL text or DuckDB's own
/// message (which can quote SQL); those go to the server's log only. Value type; thread-safe.
struct APIError: Error, Hashable, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Seconds a client should wait before retrying, sent as `Retry-After`.
    var retryAfterSeconds: Int?

    init(status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// How long an overloaded service asks clients to wait.
    static let overloadRetryAfterSeconds = 1

    /// A 400 with a message of ours (never a database message).
    static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message)
    }

    /// A 503 with `Retry-After`: the service is too busy for this request right now.
    static func overloaded(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "overloaded", message: message, retryAfterSeconds: overloadRetryAfterSeconds)
    }

    /// Maps any error a route threw to what the client gets:
    ///
    /// | error                                                    | status                    |
    /// |----------------------------------------------------------|---------------------------|
    /// | `poolTimeout`, `poolExhausted`                           | 503 + `Retry-After: 1`    |
    /// | `poolClosed` (the service is stopping)                   | 503                       |
    /// | `timedOut` (the request deadline passed)                 | 504                       |
    /// | `constraint` (duplicate key)                             | 409                       |
    /// | `parser`, `binder`, `conversion`, `invalidInput`         | 400                       |
    /// | any other `DuckDBError`, any other error                 | 500                       |
    /// | an `APIError` or Hummingbird `HTTPError`                 | its own status            |
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as DuckDBError:
            self = Self.mapping(error.code)
        case let error as HTTPError:
            // Hummingbird's (a body that is not valid JSON, a missing route parameter): its
            // messages describe the request, not the database.
            self.init(status: error.status, code: Self.code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, code: "internal", message: "the request failed; see the server log")
        }
    }

    private static func mapping(_ code: DuckDBError.Code) -> APIError {
        switch code {
        case .poolTimeout, .poolExhausted:
            overloaded("all database connections are busy; retry shortly")
        case .poolClosed:
            APIError(status: .serviceUnavailable, code: "shutting_down", message: "the service is shutting down")
        case .timedOut:
            APIError(status: .gatewayTimeout, code: "timeout", message: "the query ran past the request deadline and was stopped")
        case .constraint:
            APIError(status: .conflict, code: "conflict", message: "a bar with the same symbol and trade date already exists; nothing was inserted")
        case .parser, .binder, .conversion, .invalidInput:
            APIError(status: .badRequest, code: "bad_request", message: "the database rejected the request's values (\(code))")
        default:
            APIError(status: .internalServerError, code: "internal", message: "the request failed; see the server log")
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 400..<500: "client_error"
        default: "internal"
        }
    }
}

extension APIError {
    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var requestID: String

            enum CodingKeys: String, CodingKey { case code, message, requestID = "request_id" }
        }

        var error: Detail
    }

    /// The JSON response, with `Retry-After` when set.
    func response(from request: Request, context: FactorRequestContext) throws -> Response {
        let body = Body(error: .init(code: code, message: message, requestID: context.requestID))
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.status = status
        if let retryAfterSeconds {
            response.headers[.retryAfter] = String(retryAfterSeconds)
        }
        return response
    }
}
