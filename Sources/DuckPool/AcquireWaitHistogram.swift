import DuckPoolSupport
import Synchronization

/// Counts how long acquires waited, in fixed buckets. Lock-free; thread-safe.
final class AcquireWaitHistogram: Sendable {
    /// Upper bounds of the buckets, in microseconds; the last bucket is unbounded.
    static let upperBoundsMicroseconds: [Int64] = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
    // One counter per bucket: `Atomic` cannot live in an array, so each is a stored property.
    private let upTo10us = Atomic(0), upTo100us = Atomic(0), upTo1ms = Atomic(0)
    private let upTo10ms = Atomic(0), upTo100ms = Atomic(0), upTo1s = Atomic(0), longer = Atomic(0)

    init() {}

    func record(_ wait: Duration) {
        let micros = wait.microseconds
        switch Self.upperBoundsMicroseconds.firstIndex(where: { micros <= $0 }) {
        case 0: upTo10us.add(1, ordering: .relaxed)
        case 1: upTo100us.add(1, ordering: .relaxed)
        case 2: upTo1ms.add(1, ordering: .relaxed)
        case 3: upTo10ms.add(1, ordering: .relaxed)
        case 4: upTo100ms.add(1, ordering: .relaxed)
        case 5: upTo1s.add(1, ordering: .relaxed)
        default: longer.add(1, ordering: .relaxed)
        }
    }

    var snapshot: [DuckPoolStatus.WaitBucket] {
        let counts = [
            upTo10us.load(ordering: .relaxed), upTo100us.load(ordering: .relaxed), upTo1ms.load(ordering: .relaxed),
            upTo10ms.load(ordering: .relaxed), upTo100ms.load(ordering: .relaxed), upTo1s.load(ordering: .relaxed),
            longer.load(ordering: .relaxed),
        ]
        return counts.enumerated().map { index, count in
            DuckPoolStatus.WaitBucket(
                upperBound: index < Self.upperBoundsMicroseconds.count ? .microseconds(Self.upperBoundsMicroseconds[index]) : nil,
                count: count
            )
        }
    }
}
