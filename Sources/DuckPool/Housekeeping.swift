import DuckPoolCore
import DuckPoolSupport

/// The pool's periodic work, on its clock every ``DuckPoolConfiguration/housekeepingInterval``:
/// samples the gauges and reports each lease held past
/// ``DuckPoolConfiguration/leakDetectionThreshold`` once (warning log, `duckpool_leaks_total`).
///
/// **Thread-safety:** `Sendable`; the reported-lease sets are under a lock.
final class Housekeeping: Sendable {
    private let reportedLeaks = LockedValue<[Lane: Set<RequestID>]>([:])

    /// Reports the leases of one lane's `statistics` that are new suspects.
    func check(_ statistics: PoolStatistics, lane: Lane, reporter: PoolEventReporter, threshold: Duration?) {
        reporter.metrics.waiters.record(statistics.waiters)
        reporter.metrics.inUse.record(statistics.inUse)
        reporter.metrics.idle.record(statistics.idle)
        guard let threshold else { return }
        let suspects = statistics.holders(heldAtLeast: threshold)
        let fresh = reportedLeaks.withLock { reported -> [LeaseHolder] in
            var known = reported[lane, default: []]
            known.formIntersection(statistics.holders.map(\.requestID))
            let new = suspects.filter { !known.contains($0.requestID) }
            known.formUnion(new.map(\.requestID))
            reported[lane] = known
            return new
        }
        for holder in fresh {
            reporter.metrics.leaks.increment()
            reporter.logger.warning("duckpool connection held longer than the leak threshold", metadata: [
                "duckpool.connection.id": "\(holder.connectionID)",
                "duckpool.acquired_at": "\(holder.file):\(holder.line)",
                "duckpool.held_for": "\(holder.heldFor)",
            ])
        }
    }
}

extension DuckPool {
    /// Starts the housekeeping task; it ends when the pool closes or is dropped.
    func startHousekeeping() {
        let interval = configuration.housekeepingInterval
        let clock = self.clock
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                guard let self else { return }
                self.housekeep()
            }
        }
        background.withLock { $0.append(task) }
    }

    /// One round of housekeeping (tests call it directly).
    func housekeep() {
        housekeeping.check(readers.statistics, lane: .read, reporter: reporter, threshold: configuration.leakDetectionThreshold)
        if let writer, let writerReporter {
            housekeeping.check(writer.statistics, lane: .write, reporter: writerReporter, threshold: configuration.leakDetectionThreshold)
        }
    }
}
