import DuckPool
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct OperationsRoutesTests {
    typealias PoolStatus = OperationsController.PoolStatus
    typealias Health = OperationsController.Health

    @Test func healthAnswersThroughThePoolAndEveryResponseHasARequestID() async throws {
        let harness = ServiceHarness()
        try await harness.withService { client in
            let first = try await client.execute(uri: "/health", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json(Health.self) == Health(status: "ok"))
                return try #require(response.headers[RequestIDMiddleware.headerName])
            }
            let second = try await client.execute(uri: "/no/such/route", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(try response.apiError().code == "not_found")
                return try #require(response.headers[RequestIDMiddleware.headerName])
            }
            #expect(first != second)
        }
    }

    @Test func poolStatusShowsAHeldConnection() async throws {
        let harness = ServiceHarness()
        let pool = try await harness.openPool {
            $0.minimumConnections = 1
            $0.maximumConnections = 4
        }
        try await harness.withService(pool: pool) { client in
            let holder = try await ConnectionHolder.start(pool)
            try await client.execute(uri: "/pool", method: .get) { response throws in
                #expect(response.status == .ok)
                let status = try response.json(PoolStatus.self)
                #expect(status.inUse == 1)
                #expect(status.waiters == 0)
                #expect(status.size == status.inUse + status.idle)
                #expect(status.minimum == 1)
                #expect(status.maximum == 4)
                #expect(status.utilization == 0.25)
                #expect(response.text.contains("\"in_use\":1"))
            }
            await holder.release()
            try await client.execute(uri: "/pool", method: .get) { response throws in
                #expect(try response.json(PoolStatus.self).inUse == 0)
            }
        }
    }

    @Test func aSaturatedPoolAnswers503WithRetryAfterAndRecovers() async throws {
        let harness = ServiceHarness()
        let pool = try await harness.openPool {
            $0.minimumConnections = 1
            $0.maximumConnections = 1
            $0.maxWaiters = 0
        }
        // With no waiting allowed, even the schema check at start-up must find the pool's first
        // connection open already.
        while pool.status.idle == 0 { await Task.yield() }
        try await harness.withService(pool: pool) { client in
            let holder = try await ConnectionHolder.start(pool)
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(try response.apiError().code == "overloaded")
            }
            try await client.execute(uri: "/health", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
            }
            await holder.release()
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .ok)
            }
        }
    }
}
