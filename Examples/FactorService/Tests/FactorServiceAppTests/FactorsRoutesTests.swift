import Foundation
import HummingbirdTesting
import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct FactorsRoutesTests {
    /// The JSON of one symbol's factors, as a client reads it.
    struct Factors: Decodable, Equatable {
        var symbol: String
        var as_of: String
        var close: Double
        var ma20: Double?
        var avg_daily_return: Double?
        var trading_days: Int
    }

    @Test func factorsAreTheMovingAverageAndTheMeanDailyReturnSinceTheDate() async throws {
        let harness = ServiceHarness()
        // AAA: 25 days closing 1, 2, ..., 25 (2024-01-01 ... 2024-01-25).
        let aaa = sampleBars("AAA", count: 25, closes: (1...25).map(Double.init))
        // BBB: three days, too few for a 20-day average.
        let bbb = sampleBars("BBB", from: "2024-01-20", count: 3, closes: [10, 11, 12.1])
        // CCC: nothing since 2024-01-21, so it is not listed.
        let ccc = sampleBars("CCC", from: "2024-01-01", count: 5)
        try await harness.withService { client in
            try await client.execute(uri: "/bars", method: .post, body: .json(aaa + bbb + ccc)) { response throws in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/factors?since=2024-01-21", method: .get) { response throws in
                #expect(response.status == .ok)
                let factors = try response.json([Factors].self)
                #expect(factors.map(\.symbol) == ["AAA", "BBB"])

                let a = try #require(factors.first)
                #expect(a.as_of == "2024-01-25")
                #expect(a.close == 25)
                // The mean of closes 6 ... 25: the window looks back before `since`.
                #expect(abs(try #require(a.ma20) - 15.5) < 1e-9)
                // Days 21 ... 25, each against the day before (day 21 against day 20).
                let dailyReturns: [Double] = (21...25).map { (day: Int) -> Double in Double(day) / Double(day - 1) - 1 }
                let expectedReturn = dailyReturns.reduce(0, +) / 5
                #expect(abs(try #require(a.avg_daily_return) - expectedReturn) < 1e-12)
                #expect(a.trading_days == 5)

                let b = factors[1]
                #expect(b.as_of == "2024-01-22")
                #expect(b.ma20 == nil)
                #expect(abs(try #require(b.avg_daily_return) - 0.1) < 1e-12)
                #expect(b.trading_days == 2)
                // Undefined factors are explicit nulls, not missing keys.
                #expect(response.text.contains("\"ma20\":null"))
            }
            try await client.execute(uri: "/factors?since=2030-01-01", method: .get) { response throws in
                #expect(try response.json([Factors].self).isEmpty)
            }
        }
    }

    @Test(arguments: ["/factors", "/factors?since=", "/factors?since=2024-02-30", "/factors?since=01/21/2024"])
    func aMissingOrBadSinceIsABadRequest(uri: String) async throws {
        let harness = ServiceHarness()
        try await harness.withService { client in
            try await client.execute(uri: uri, method: .get) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().message.contains("since"))
            }
        }
    }
}
