import Atomics

/// Counts how long acquires waited, in fixed buckets. Lock-free; thread-safe.
final class AcquireWaitHistogram: Sendable {
    /// Upper bounds of the buckets, in microseconds; the last bucket is unbounded.
    static let upperBoundsMicroseconds: [Int64] = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private let counts: [ManagedAtomic<Int>]
    private let buckets: Int

    init() {
        buckets = Self.upperBoundsMicroseconds.count + 1
        counts = (0..<buckets).map { _ in ManagedAtomic(0) }
    }

    func record(_ wait: Duration) {
        let micros = wait.microseconds
        var index = Self.upperBoundsMicroseconds.count
        for (bucket, bound) in Self.upperBoundsMicroseconds.enumerated() where micros <= bound {
            index = bucket
            break
        }
        counts[index].wrappingIncrement(ordering: .relaxed)
    }

    var snapshot: [DuckPoolStatus.WaitBucket] {
        (0..<buckets).map { index in
            DuckPoolStatus.WaitBucket(
                upperBound: index < Self.upperBoundsMicroseconds.count
                    ? .microseconds(Self.upperBoundsMicroseconds[index]) : nil,
                count: counts[index].load(ordering: .relaxed)
            )
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
