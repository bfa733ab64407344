import DuckPoolTestTraits
import DuckPoolTestUtils
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct MockClockTests {
    @Test func sleepersWakeWhenTimeReachesTheirDeadline() async throws {
        let clock = MockClock()
        let early = Task { try await clock.sleep(until: .init(.seconds(1))) }
        let late = Task { try await clock.sleep(until: .init(.seconds(5))) }
        await clock.waitForSleepers(count: 2)
        #expect(clock.sleeperDeadlines == [.init(.seconds(1)), .init(.seconds(5))])

        clock.advance(by: .seconds(2))
        try await early.value
        #expect(clock.now == .init(.seconds(2)))
        #expect(clock.sleeperCount == 1)

        clock.advance(to: .init(.seconds(5)))
        try await late.value
        #expect(clock.sleeperCount == 0)
    }

    @Test func aDeadlineInThePastReturnsAtOnce() async throws {
        let clock = MockClock()
        clock.advance(by: .seconds(10))
        try await clock.sleep(until: .init(.seconds(3)))
        clock.advance(to: .init(.seconds(1)))  // never backwards
        #expect(clock.now == .init(.seconds(10)))
    }

    @Test func cancellingASleeperThrows() async {
        let clock = MockClock()
        let sleeper = Task { try await clock.sleep(until: .init(.seconds(1))) }
        await clock.waitForSleeper(deadline: .init(.seconds(1)))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }
}
