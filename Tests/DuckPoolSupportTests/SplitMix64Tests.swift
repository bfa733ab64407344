import DuckPoolSupport
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(1))) struct SplitMix64Tests {
    @Test func aSeedGivesTheSameStreamEveryTime() {
        var first = SplitMix64(seed: 7), second = SplitMix64(seed: 7), other = SplitMix64(seed: 8)
        let a = (0..<4).map { _ in first.next() }
        #expect(a == (0..<4).map { _ in second.next() })
        #expect(a != (0..<4).map { _ in other.next() })
    }

    @Test func unitDoublesLieInTheUnitInterval() {
        var random = SplitMix64(seed: 1)
        for _ in 0..<10_000 {
            let value = random.unitDouble()
            #expect(value >= 0 && value < 1)
        }
    }
}
