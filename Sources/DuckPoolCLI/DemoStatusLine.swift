import DuckPool
import Foundation
import Synchronization

/// The live status line of `duckpool demo`'s act 2: the pool's connections in use and idle, its
/// waiters, the acquire-wait p99 and the queries per second, read from ``DuckPool/status`` and
/// from the workload's own counter. On a terminal (standard output) it redraws in place ten
/// times a second; piped, it prints a plain line about once a second and no control characters.
/// Either way the last sample, drawn when the workload ends, stays on screen.
///
/// Thread-safety: `Sendable`; ``start()`` and ``finish()`` are called once each, in order.
final class DemoStatusLine: Sendable {
    private let pool: DuckPool
    private let counter: DemoCounter
    private let isTerminal: Bool
    private let stop = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(pool: DuckPool, counter: DemoCounter, isTerminal: Bool = DemoOutput.isTerminal) {
        self.pool = pool
        self.counter = counter
        self.isTerminal = isTerminal
    }

    /// Starts drawing, on a thread of its own.
    func start() {
        Thread { [self] in
            let started = monotonicNanoseconds()
            // (time, queries) samples of the last second, for the current rate.
            var window: [(nanoseconds: UInt64, queries: Int)] = [(started, 0)]
            let interval = isTerminal ? 0.1 : 1.0
            var stopping = false
            while !stopping {
                stopping = stop.wait(timeout: .now() + interval) == .success
                let now = monotonicNanoseconds(), queries = counter.value
                window.append((now, queries))
                while window.count > 2, now - window[1].nanoseconds >= 1_000_000_000 { window.removeFirst() }
                let first = window[0]
                let qps = Double(queries - first.queries) / (Double(max(1, now - first.nanoseconds)) / 1e9)
                let text = render(status: pool.status, qps: qps, seconds: Double(now - started) / 1e9)
                // The last sample stays: on a terminal the line is ended, piped it is one more line.
                DemoOutput.write(isTerminal ? "\r\u{1B}[2K" + text + (stopping ? "\n" : "") : text + "\n")
            }
            stopped.signal()
        }.start()
    }

    /// Draws the last sample and stops; returns when it is written.
    func finish() {
        stop.signal()
        stopped.wait()
    }

    /// "  2.0 s: in use 15, idle 0, waiters 1, acquire-wait p99 ≤10 ms, 401 q/s": under 80
    /// columns, so that a redraw on a terminal never wraps.
    private func render(status: DuckPoolStatus, qps: Double, seconds: Double) -> String {
        String(format: "  %4.1f s: ", seconds)
            + "in use \(status.inUse), idle \(status.idle), waiters \(status.waiters), "
            + "acquire-wait p99 \(Self.p99(status.acquireWaits)), \(DemoFormat.qps(qps))"
    }

    /// The bound of the histogram bucket that holds the 99th percentile ("≤100 µs"), or "-"
    /// before the first acquire.
    static func p99(_ buckets: [DuckPoolStatus.WaitBucket]) -> String {
        let total = buckets.map(\.count).reduce(0, +)
        guard total > 0 else { return "-" }
        let rank = Int((0.99 * Double(total)).rounded(.up))
        var seen = 0
        for bucket in buckets {
            seen += bucket.count
            if seen >= rank { return bucket.boundLabel }
        }
        return buckets.last?.boundLabel ?? "-"
    }
}

/// A count the workload's threads increment and the status line reads. Thread-safe, lock-free.
final class DemoCounter: Sendable {
    private let atomic = Atomic(0)

    func increment() { atomic.add(1, ordering: .relaxed) }

    var value: Int { atomic.load(ordering: .relaxed) }
}
