import DuckPool
import HTTPTypes
import Hummingbird

/// An error as the client sees it: an HTTP status, a stable machine-readable `code`, a message
/// that is safe to show, and for overload a `Retry-After` hint. Rendered as
/// `{"error": {"code": "conflict", "message": "...", "request_id": "..."}}`.
///
/// ``init(_:)`` is the ONE place where failures become HTTP statuses: routes throw whatever they
/// get (``DuckPoolError``s and ``DuckDBError``s from the pool, Hummingbird's `HTTPError`s, their
/// own `APIError`s) and ``ErrorMappingMiddleware`` maps them here. Messages never contain SQL
/// text or DuckDB's own message (which can quote SQL); those go to the server's log only. Value
/// type; thread-safe.
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
    /// | error                                                        | status                 | code                   |
    /// |--------------------------------------------------------------|------------------------|------------------------|
    /// | pool `acquireTimeout`, `poolExhausted`                       | 503 + `Retry-After: 1` | `overloaded`           |
    /// | pool `timedOut` while waiting for a connection               | 503 + `Retry-After: 1` | `deadline_exceeded`    |
    /// | pool `timedOut` while the query ran                          | 504                    | `deadline_exceeded`    |
    /// | pool `poolClosed`; DuckDB `interrupted` (the pool closing)   | 503                    | `shutting_down`        |
    /// | pool `databaseUnavailable`, `connectionFailed`; `invalidated`| 503                    | `database_unavailable` |
    /// | pool `transactionConflict`; DuckDB `transactionConflict`     | 409                    | `write_conflict`       |
    /// | DuckDB `constraint` (duplicate key)                          | 409                    | `conflict`             |
    /// | DuckDB `parser`, `binder`, `conversion`, `invalidInput`      | 400                    | `bad_request`          |
    /// | any other `DuckPoolError` or `DuckDBError`, any other error  | 500                    | `internal`             |
    /// | an `APIError` or Hummingbird `HTTPError`                     | its own status         |                        |
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as DuckPoolError:
            self = Self.mapping(error.code, phase: error.phase)
        case let error as DuckDBError:
            self = Self.mapping(error.code)
        case let error as HTTPError:
            // Hummingbird's (a body that is not valid JSON, a missing route parameter): its
            // messages describe the request, not the database.
            self.init(status: error.status, code: Self.code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        default:
            self = .internal
        }
    }

    /// The pool's own failures (no connection in time, the request's deadline, a closed pool).
    /// `phase` tells a deadline that passed while the request queued for a connection (the
    /// service is busy: retry) from one that passed while its query ran (the query is too slow
    /// for the deadline: 504).
    static func mapping(_ code: DuckPoolError.Code, phase: DuckPoolError.Phase?) -> APIError {
        switch code {
        case .acquireTimeout, .poolExhausted:
            return overloaded("all database connections are busy; retry shortly")
        case .timedOut where phase == .waiting:
            return APIError(
                status: .serviceUnavailable, code: "deadline_exceeded",
                message: "no database connection became free before the request's deadline; retry shortly",
                retryAfterSeconds: overloadRetryAfterSeconds
            )
        case .timedOut:
            return APIError(status: .gatewayTimeout, code: "deadline_exceeded", message: "the query ran past the request's deadline and was stopped")
        case .poolClosed:
            return .shuttingDown
        case .databaseUnavailable, .connectionFailed:
            return .databaseUnavailable
        case .transactionConflict:
            return .writeConflict
        default: // nestedAcquisition, invalidConfiguration, configurationConflict: the service's own bugs
            return .internal
        }
    }

    /// DuckDB's failures, as the pool passes them on.
    static func mapping(_ code: DuckDBError.Code) -> APIError {
        switch code {
        case .constraint:
            APIError(status: .conflict, code: "conflict", message: "a bar with the same symbol and trade date already exists; nothing was inserted")
        case .transactionConflict:
            .writeConflict
        case .parser, .binder, .conversion, .invalidInput:
            APIError(status: .badRequest, code: "bad_request", message: "the database rejected the request's values (\(code))")
        case .invalidated:
            // A fatal DuckDB error invalidated the database; the pool is reopening it.
            .databaseUnavailable
        case .interrupted:
            // The pool turns its own interrupts (deadlines, cancellation, invalidation) into their
            // causes; what is left is a statement still running when the closing pool's grace
            // period ended.
            .shuttingDown
        default:
            .internal
        }
    }

    static let shuttingDown = APIError(status: .serviceUnavailable, code: "shutting_down", message: "the service is shutting down")

    static let databaseUnavailable = APIError(
        status: .serviceUnavailable, code: "database_unavailable", message: "the database is unavailable right now; retry later"
    )

    static let writeConflict = APIError(
        status: .conflict, code: "write_conflict", message: "another request changed the same rows at the same time; nothing was written, retry"
    )

    static let `internal` = APIError(status: .internalServerError, code: "internal", message: "the request failed; see the server log")

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
