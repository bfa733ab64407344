import Foundation

/// One worker's latencies, in nanoseconds. Owned by one thread while it runs (no locks in the
/// hot path); the runner merges all workers' recorders when they have finished.
final class LatencyRecorder {
    private(set) var latencies: [UInt64] = []
    private(set) var acquireWaits: [UInt64] = []
    private(set) var errors = 0
    private(set) var firstError: String?

    init(expected: Int = 1 << 16) {
        latencies.reserveCapacity(expected)
        acquireWaits.reserveCapacity(expected)
    }

    /// Records one successful query: from asking for a connection to having read the result.
    @inline(__always) func record(latency: UInt64, acquireWait: UInt64) {
        latencies.append(latency)
        acquireWaits.append(acquireWait)
    }

    func recordError(_ error: any Error) {
        errors += 1
        if firstError == nil { firstError = "\(error)" }
    }
}

/// Percentiles of merged latency samples, in microseconds.
struct LatencySummary: Sendable {
    var count: Int
    var p50: Double
    var p95: Double
    var p99: Double

    /// Nearest-rank percentiles of `samples` (nanoseconds).
    init(nanoseconds samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1_000
        }
        p50 = rank(0.50)
        p95 = rank(0.95)
        p99 = rank(0.99)
    }
}

/// Monotonic nanoseconds for the hot path (`clock_gettime(CLOCK_MONOTONIC)`, no allocation).
@inline(__always) func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
