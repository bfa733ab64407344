import DuckPool
import DuckPoolTestUtils
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import FactorServiceApp

/// One service over a real DuckDB file in its own temporary directory.
///
/// Keep the harness alive for the whole test: its directory is removed when it goes away.
final class ServiceHarness: Sendable {
    let directory: TemporaryDirectory
    let configuration: FactorServiceConfiguration

    /// A harness with the service's default configuration, changed by `adjust`.
    init(_ name: String = #function, _ adjust: (inout FactorServiceConfiguration) -> Void = { _ in }) {
        directory = TemporaryDirectory(name)
        var configuration = FactorServiceConfiguration(databasePath: directory.path("factors.duckdb"))
        adjust(&configuration)
        self.configuration = configuration
    }

    /// A logger that drops everything (tests never bootstrap the logging system).
    static let quietLogger = Logger(label: "factorservice.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens a pool on the harness's file, with the service's pool configuration changed by `adjust`.
    func openPool(_ adjust: (inout DuckPoolConfiguration) -> Void = { _ in }) async throws -> DuckPool {
        var poolConfiguration = configuration.pool
        adjust(&poolConfiguration)
        return try await DuckPool.open(path: configuration.databasePath, configuration: poolConfiguration, logger: Self.quietLogger)
    }

    /// Builds the application over `pool` and runs `body` against it with Hummingbird's router
    /// test client. The application owns the pool: it is closed when this returns.
    func withService<Value: Sendable>(
        pool: DuckPool,
        logger: Logger = ServiceHarness.quietLogger,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(pool: pool, configuration: configuration, logger: logger)
        return try await app.test(.router, body)
    }

    /// ``withService(pool:logger:_:)`` with a pool of the service's default configuration.
    func withService<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await withService(pool: openPool(), body)
    }
}

extension TestResponse {
    /// The body decoded from JSON.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    }

    /// The body as text.
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// The `error` object of an error response.
    func apiError() throws -> ErrorBody.Detail { try json(ErrorBody.self).error }
}

/// The JSON of an error response.
struct ErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
        var request_id: String
    }

    var error: Detail
}

extension ByteBuffer {
    /// `value` as a JSON request body.
    static func json(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }
}

/// Sample bars: `count` consecutive calendar days of `symbol` from `start`, closing at
/// `closes[i]` (or 10 + i).
func sampleBars(_ symbol: String, from start: String = "2024-01-01", count: Int, closes: [Double]? = nil) -> [Bar] {
    let first = CalendarDay(start)!
    return (0..<count).map { index in
        let close = closes?[index] ?? 10 + Double(index)
        return Bar(
            symbol: symbol, tradeDate: CalendarDay(first.date.adding(days: Int32(index))),
            open: close, high: close * 1.01, low: close * 0.99, close: close,
            volume: 1_000 + Int64(index), amount: close * 1_000
        )
    }
}
