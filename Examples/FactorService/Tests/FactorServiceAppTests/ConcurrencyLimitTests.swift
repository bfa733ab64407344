import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct ConcurrencyLimitTests {
    struct Boom: Error {}

    @Test func runsBeyondTheLimitAreTurnedAwayUntilASlotIsFree() async throws {
        let limit = ConcurrencyLimit(limit: 1)
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (gate, gateSignal) = AsyncStream.makeStream(of: Void.self)
        let first = Task {
            try await limit.run("jobs") { () async -> Int in
                enteredSignal.yield()
                for await _ in gate { break }
                return 1
            }
        }
        for await _ in entered { break }

        // The one slot is taken: turned away at once, with a hint to retry.
        let refusal = await #expect(throws: APIError.self) { try await limit.run("jobs") { 2 } }
        #expect(refusal?.status == .serviceUnavailable)
        #expect(refusal?.retryAfterSeconds == APIError.overloadRetryAfterSeconds)
        #expect(refusal?.message.contains("1 jobs already running") == true)

        gateSignal.yield()
        #expect(try await first.value == 1)
        #expect(try await limit.run("jobs") { 3 } == 3)
    }

    @Test func aFailingRunGivesItsSlotBack() async throws {
        let limit = ConcurrencyLimit(limit: 1)
        await #expect(throws: Boom.self) { try await limit.run("jobs") { () throws -> Int in throw Boom() } }
        #expect(try await limit.run("jobs") { 4 } == 4)
    }
}
