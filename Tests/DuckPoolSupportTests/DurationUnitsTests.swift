import DuckPoolSupport
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct DurationUnitsTests {
    @Test func unitsTruncateTowardZero() {
        let duration = Duration.microseconds(1_234_567) + .nanoseconds(890)
        #expect(duration.nanoseconds == 1_234_567_890)
        #expect(duration.microseconds == 1_234_567)
        #expect(abs(duration.secondsDouble - 1.23456789) < 1e-12)
        #expect(Duration.milliseconds(-3).microseconds == -3_000)
    }

    @Test func formattedSecondsRoundsToMilliseconds() {
        #expect(Duration.milliseconds(31_250).formattedSeconds == "31.250s")
        #expect(Duration.microseconds(1_499).formattedSeconds == "0.001s")
        #expect(Duration.microseconds(1_500).formattedSeconds == "0.002s")
        #expect(Duration.microseconds(-1_000).formattedSeconds == "-0.001s")
    }

    @Test func scalingNeverGoesNegative() {
        #expect(Duration.milliseconds(100).scaled(by: 0.5) == .milliseconds(50))
        #expect(Duration.milliseconds(100).scaled(by: -1) == .zero)
    }
}
