import DuckPool
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct BarsRoutesTests {
    @Test func insertedBarsComeBackInDateOrderAndFilteredByRange() async throws {
        let harness = ServiceHarness()
        let first = sampleBars("000001", count: 5)
        let second = sampleBars("000002", count: 2)
        try await harness.withService { client in
            // Sent newest first: the response orders by date anyway.
            try await client.execute(uri: "/bars", method: .post, body: .json(first.reversed() + second)) { response throws in
                #expect(response.status == .created)
                #expect(try response.json(BarsController.InsertResult.self).inserted == 7)
            }
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json([Bar].self) == first)
                #expect(response.text.contains("\"trade_date\":\"2024-01-01\""))
            }
            try await client.execute(uri: "/bars/000001?from=2024-01-02&to=2024-01-04", method: .get) { response throws in
                #expect(try response.json([Bar].self) == Array(first[1...3]))
            }
            try await client.execute(uri: "/bars/000001?from=2024-01-04", method: .get) { response throws in
                #expect(try response.json([Bar].self) == Array(first[3...]))
            }
            try await client.execute(uri: "/bars/UNKNOWN", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json([Bar].self).isEmpty)
            }
        }
    }

    @Test func aDuplicateKeyIsAConflictAndInsertsNothingOfTheBatch() async throws {
        let harness = ServiceHarness()
        let stored = sampleBars("000001", count: 3)
        let fresh = sampleBars("000001", from: "2024-01-04", count: 2)
        let pool = try await harness.openPool()
        try await harness.withService(pool: pool) { client in
            try await client.execute(uri: "/bars", method: .post, body: .json(stored)) { response throws in
                #expect(response.status == .created)
            }
            // Two new bars and one that exists: the whole batch is refused.
            try await client.execute(uri: "/bars", method: .post, body: .json(fresh + [stored[1]])) { response throws in
                #expect(response.status == .conflict)
                let error = try response.apiError()
                #expect(error.code == "conflict")
                #expect(!response.text.contains("stock_kline"))
                #expect(!response.text.contains("INSERT"))
            }
            // The same key twice in one batch is a conflict too.
            try await client.execute(uri: "/bars", method: .post, body: .json([fresh[0], fresh[0]])) { response throws in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(try response.json([Bar].self) == stored)
            }
            // The failed transactions gave their connections back.
            #expect(pool.status.inUse == 0)
            try await client.execute(uri: "/bars", method: .post, body: .json(fresh)) { response throws in
                #expect(response.status == .created)
            }
        }
    }

    @Test(arguments: [
        "/bars/000001?from=2024-13-01",
        "/bars/000001?from=2024-02-30",
        "/bars/000001?to=yesterday",
        "/bars/000001?from=2024-1-5",
        "/bars/000001?from=2024-03-02&to=2024-03-01",
        "/bars/has%20space",
    ])
    func aBadQueryIsABadRequest(uri: String) async throws {
        let harness = ServiceHarness()
        try await harness.withService { client in
            try await client.execute(uri: uri, method: .get) { response throws in
                #expect(response.status == .badRequest)
                let error = try response.apiError()
                #expect(error.code == "bad_request")
                #expect(!error.message.isEmpty)
                #expect(error.request_id == response.headers[RequestIDMiddleware.headerName])
            }
        }
    }

    static let validBar = #"{"symbol":"000001","trade_date":"2024-01-02","open":10,"high":11,"low":9,"close":10.5,"volume":100,"amount":1050}"#

    @Test(arguments: [
        "not json",
        "[]",
        "{}",
        #"[{"symbol":"000001","trade_date":"2024/01/02","open":10,"high":11,"low":9,"close":10.5,"volume":100,"amount":1050}]"#,
        #"[{"symbol":"000001","trade_date":"2024-02-30","open":10,"high":11,"low":9,"close":10.5,"volume":100,"amount":1050}]"#,
        #"[{"symbol":"000001","trade_date":"2024-01-02","open":10,"high":11,"low":9,"close":-1,"volume":100,"amount":1050}]"#,
        #"[{"symbol":"000001","trade_date":"2024-01-02","open":10,"high":9,"low":11,"close":10,"volume":100,"amount":1050}]"#,
        #"[{"symbol":"","trade_date":"2024-01-02","open":10,"high":11,"low":9,"close":10.5,"volume":100,"amount":1050}]"#,
        #"[{"symbol":"000001","trade_date":"2024-01-02","open":10,"high":11,"low":9,"close":10.5,"amount":1050}]"#,
        #"[{"symbol":"000001","trade_date":"2024-01-02","open":10,"high":11,"low":9,"close":10.5,"volume":-5,"amount":1050}]"#,
        "[\(validBar),{\"symbol\":\"000001\"}]",
    ])
    func aBadBodyIsABadRequestAndInsertsNothing(body: String) async throws {
        let harness = ServiceHarness()
        try await harness.withService { client in
            try await client.execute(uri: "/bars", method: .post, body: ByteBuffer(string: body)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().code == "bad_request")
            }
            try await client.execute(uri: "/bars/000001", method: .get) { response throws in
                #expect(try response.json([Bar].self).isEmpty)
            }
        }
    }
}
