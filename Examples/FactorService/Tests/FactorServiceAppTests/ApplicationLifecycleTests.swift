import DuckPool
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct ApplicationLifecycleTests {
    @Test func anEmptyFileGetsTheTableAndTheDataOutlivesTheService() async throws {
        let harness = ServiceHarness()
        let bars = sampleBars("000001", count: 3)
        // The public entry point: it opens the pool itself, on a file that does not exist yet.
        let app = try await buildApplication(configuration: harness.configuration, logger: ServiceHarness.quietLogger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json([Bar].self).isEmpty)
            }
            try await client.execute(uri: "/bars", method: .post, body: .json(bars)) { response throws in
                #expect(response.status == .created)
            }
        }
        // A second run on the same file finds the table and the rows (and does not recreate it).
        let pool = try await harness.openPool()
        #expect(try await StockKlineSchema.ensure(in: pool) == false)
        try await harness.withService(pool: pool) { client in
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(try response.json([Bar].self) == bars)
            }
        }
    }

    @Test func gracefulShutdownClosesThePoolAfterTheServer() async throws {
        let harness = ServiceHarness()
        let pool = try await harness.openPool()
        try await harness.withService(pool: pool) { client in
            #expect(pool.status.statistics.lifecycle == .running)
            try await client.execute(uri: "/health", method: .get) { response throws in
                #expect(response.status == .ok)
            }
        }
        // The test framework triggered graceful shutdown, as SIGTERM would: the pool is closed.
        #expect(pool.status.statistics.lifecycle == .shutDown)
        let error = await #expect(throws: DuckPoolError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .poolClosed)
    }

    @Test func failuresAreLoggedWithTheRequestID() async throws {
        let harness = ServiceHarness()
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "factorservice.tests", factory: { _ in logs })
        logger.logLevel = .debug
        let stored = sampleBars("000001", count: 1)
        let requestID = try await harness.withService(pool: harness.openPool(), logger: logger) { client in
            try await client.execute(uri: "/bars", method: .post, body: .json(stored)) { _ in }
            return try await client.execute(uri: "/bars", method: .post, body: .json(stored)) { response throws in
                #expect(response.status == .conflict)
                return try response.apiError().request_id
            }
        }
        let rejection = logs.entries.first { $0.message.description == "request rejected: conflict" }
        let entry = try #require(rejection)
        #expect(entry.metadata["hb.request.id"]?.description == requestID)
        #expect(entry.metadata["http.status"]?.description == "409")
        // The log keeps the database's own words for the operator.
        #expect(entry.metadata["error"]?.description.contains("constraint") == true)
    }
}
