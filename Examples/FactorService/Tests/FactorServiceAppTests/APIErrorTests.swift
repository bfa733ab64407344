import DuckPool
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

/// The one mapping from failures to HTTP statuses, driven through the real middleware.
@Suite struct APIErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: DuckDBError.Code
        var status: HTTPResponse.Status
        var retryAfter: String?
        var testDescription: String { "\(code) → \(status.code)" }
    }

    static let cases: [Case] = [
        Case(code: .poolTimeout, status: .serviceUnavailable, retryAfter: "1"),
        Case(code: .poolExhausted, status: .serviceUnavailable, retryAfter: "1"),
        Case(code: .poolClosed, status: .serviceUnavailable),
        Case(code: .timedOut, status: .gatewayTimeout),
        Case(code: .constraint, status: .conflict),
        Case(code: .parser, status: .badRequest),
        Case(code: .binder, status: .badRequest),
        Case(code: .conversion, status: .badRequest),
        Case(code: .invalidInput, status: .badRequest),
        Case(code: .io, status: .internalServerError),
        Case(code: .transactionConflict, status: .internalServerError),
        Case(code: .invalidated, status: .internalServerError),
        Case(code: .other, status: .internalServerError),
    ]

    /// A router with the service's middleware and one route that throws `error`.
    static func app(throwing error: some Error & Sendable) -> some ApplicationProtocol {
        let router = Router(context: FactorRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMappingMiddleware())
        router.get("fail") { _, _ -> String in throw error }
        return Application(router: router, logger: ServiceHarness.quietLogger)
    }

    @Test(arguments: cases)
    func duckDBErrorsMapToTheirStatusWithoutLeakingSQL(_ testCase: Case) async throws {
        let secretSQL = "SELECT secret_column FROM private_table WHERE x = 'hidden'"
        let error = DuckDBError(code: testCase.code, message: "Binder Error: column secret_column in \(secretSQL)", sql: secretSQL)
        try await Self.app(throwing: error).test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response throws in
                #expect(response.status == testCase.status)
                #expect(response.headers[.retryAfter] == testCase.retryAfter)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let detail = try response.apiError()
                #expect(!detail.message.isEmpty)
                #expect(detail.request_id == response.headers[RequestIDMiddleware.headerName])
                #expect(!response.text.contains("secret_column"))
                #expect(!response.text.contains("SELECT"))
            }
        }
    }

    struct Unexpected: Error {}

    @Test func anyOtherErrorIsAnInternalErrorWithoutDetails() async throws {
        try await Self.app(throwing: Unexpected()).test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response throws in
                #expect(response.status == .internalServerError)
                #expect(try response.apiError().code == "internal")
                #expect(!response.text.contains("Unexpected"))
            }
        }
    }

    @Test func hummingbirdErrorsKeepTheirStatusAndMessage() async throws {
        try await Self.app(throwing: HTTPError(.badRequest, message: "no good")).test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response throws in
                #expect(response.status == .badRequest)
                let detail = try response.apiError()
                #expect(detail.code == "bad_request")
                #expect(detail.message == "no good")
            }
        }
    }
}
