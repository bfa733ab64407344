@testable import DuckPoolCore
import DuckPoolTestTraits
import Testing

@Suite(.testThreads, .timeLimit(.minutes(2))) struct TinyArrayTests {
    @Test func storesUpToOneElementInline() {
        var array = TinyArray<Int>()
        #expect(array.isEmpty)
        array.append(1)
        guard case .one(1) = array else {
            Issue.record("expected .one(1), got \(array)")
            return
        }
        array.append(2)
        array.append(3)
        #expect(array.count == 3)
        #expect(array.array == [1, 2, 3])
        #expect(Array(array) == [1, 2, 3])
        #expect(array.first == 1)
        #expect(array == [1, 2, 3])
        #expect(array != [1, 2])
        #expect(TinyArray<Int>() == [])
    }

    @Test func forEachVisitsEveryElementInOrder() {
        for count in 0...4 {
            var array = TinyArray<Int>()
            for value in 0..<count { array.append(value) }
            var seen: [Int] = []
            array.forEach { seen.append($0) }
            #expect(seen == Array(0..<count))
        }
    }
}
