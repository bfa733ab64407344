import DuckPool
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

/// The one mapping from failures to HTTP statuses, driven through the real middleware.
@Suite(.timeLimit(.minutes(1))) struct APIErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: DuckDBError.Code
        var status: HTTPResponse.Status
        var apiCode: String
        var retryAfter: String?
        var testDescription: String { "\(code) → \(status.code) \(apiCode)" }
    }

    static let cases: [Case] = [
        Case(code: .constraint, status: .conflict, apiCode: "conflict"),
        Case(code: .transactionConflict, status: .conflict, apiCode: "write_conflict"),
        Case(code: .parser, status: .badRequest, apiCode: "bad_request"),
        Case(code: .binder, status: .badRequest, apiCode: "bad_request"),
        Case(code: .conversion, status: .badRequest, apiCode: "bad_request"),
        Case(code: .invalidInput, status: .badRequest, apiCode: "bad_request"),
        Case(code: .invalidated, status: .serviceUnavailable, apiCode: "database_unavailable"),
        Case(code: .interrupted, status: .serviceUnavailable, apiCode: "shutting_down"),
        Case(code: .io, status: .internalServerError, apiCode: "internal"),
        Case(code: .accessRevoked, status: .internalServerError, apiCode: "internal"),
        Case(code: .outOfMemory, status: .internalServerError, apiCode: "internal"),
        Case(code: .other, status: .internalServerError, apiCode: "internal"),
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
                #expect(detail.code == testCase.apiCode)
                #expect(!detail.message.isEmpty)
                #expect(detail.request_id == response.headers[RequestIDMiddleware.headerName])
                #expect(!response.text.contains("secret_column"))
                #expect(!response.text.contains("SELECT"))
            }
        }
    }

    struct PoolCase: Sendable, CustomTestStringConvertible {
        var code: DuckPoolError.Code
        var phase: DuckPoolError.Phase?
        var status: HTTPResponse.Status
        var apiCode: String
        var retryAfterSeconds: Int?
        var testDescription: String { "\(code)\(phase.map { " (\($0))" } ?? "") → \(status.code) \(apiCode)" }
    }

    static let poolCases: [PoolCase] = [
        PoolCase(code: .acquireTimeout, status: .serviceUnavailable, apiCode: "overloaded", retryAfterSeconds: 1),
        PoolCase(code: .poolExhausted, status: .serviceUnavailable, apiCode: "overloaded", retryAfterSeconds: 1),
        PoolCase(code: .timedOut, phase: .waiting, status: .serviceUnavailable, apiCode: "deadline_exceeded", retryAfterSeconds: 1),
        PoolCase(code: .timedOut, phase: .working, status: .gatewayTimeout, apiCode: "deadline_exceeded"),
        PoolCase(code: .poolClosed, status: .serviceUnavailable, apiCode: "shutting_down"),
        PoolCase(code: .databaseUnavailable, status: .serviceUnavailable, apiCode: "database_unavailable"),
        PoolCase(code: .connectionFailed, status: .serviceUnavailable, apiCode: "database_unavailable"),
        PoolCase(code: .transactionConflict, status: .conflict, apiCode: "write_conflict"),
        PoolCase(code: .nestedAcquisition, status: .internalServerError, apiCode: "internal"),
        PoolCase(code: .invalidConfiguration, status: .internalServerError, apiCode: "internal"),
        PoolCase(code: .configurationConflict, status: .internalServerError, apiCode: "internal"),
    ]

    /// Every pool failure code (`DuckPoolError` has no public initializer, so the table is
    /// checked on the mapping itself; the routes' tests send real ones through the middleware).
    @Test(arguments: poolCases)
    func poolErrorsMapToTheirStatus(_ testCase: PoolCase) {
        let mapped = APIError.mapping(testCase.code, phase: testCase.phase)
        #expect(mapped.status == testCase.status)
        #expect(mapped.code == testCase.apiCode)
        #expect(mapped.retryAfterSeconds == testCase.retryAfterSeconds)
        #expect(!mapped.message.isEmpty)
    }

    @Test func aRealPoolErrorGoesThroughTheMiddleware() async throws {
        let harness = ServiceHarness()
        let pool = try await harness.openPool()
        await pool.close()
        let closed = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        let error = try #require(closed)
        #expect(error.code == .poolClosed)
        try await Self.app(throwing: error).test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try response.apiError().code == "shutting_down")
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
