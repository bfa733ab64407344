import DuckPool
import Foundation

/// The summary `duckpool stress` prints: every operation and outcome with counts, throughput,
/// deadline overshoot and cancellation latency, the pool's totals, and the invariants.
struct StressReport {
    var tally: StressTally
    var elapsed: Duration
    var status: DuckPoolStatus
    var invariants: StressInvariants
    var deadlineMs: Int

    func print() {
        let seconds = elapsed.millisecondsDouble / 1_000
        let total = tally.totalOperations
        Swift.print("")
        Swift.print("operations (outcome: count)")
        for operation in StressOperation.allCases {
            let outcomes = tally.outcomes[operation.rawValue].sorted { $0.value > $1.value }
                .map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            Swift.print("  \(pad(operation.name, 26)) \(pad(String(tally.count(operation)), 8, right: true))  \(outcomes)")
        }
        let faults = StressOperation.faults.reduce(0) { $0 + tally.count($1) }
        Swift.print(String(format: "total %d operations (%d faults) in %.1f s = %.0f ops/s", total, faults, seconds, Double(total) / seconds))
        if tally.conflictsWithoutOverlap > 0 {
            Swift.print("forced conflicts whose overlap timed out: \(tally.conflictsWithoutOverlap)")
        }
        Swift.print("deadline \(deadlineMs) ms, .timedOut arrived after the deadline by: \(distribution(tally.deadlineOvershootsMs))")
        Swift.print("cancellation, cancel() to the task's end: \(distribution(tally.cancellationLatenciesMs))")
        let statistics = status.statistics
        Swift.print("pool: created \(statistics.totalCreated), closed \(statistics.totalClosed), max \(statistics.maximumConnections); acquire waits: "
            + status.acquireWaits.map(\.description).joined(separator: ", "))
        Swift.print("")
        Swift.print("invariants")
        for check in invariants.checks {
            Swift.print("  \(check.passed ? "PASS" : "FAIL") \(check.name) (\(check.detail))")
        }
        if !tally.violations.isEmpty {
            Swift.print("violations (first \(tally.violations.count) of \(tally.violationCount))")
            for violation in tally.violations { Swift.print("  \(violation)") }
        }
        Swift.print(invariants.allPassed ? "stress: clean" : "stress: FAILED")
    }

    private func distribution(_ values: [Double]) -> String {
        guard let p50 = StressTally.percentile(values, 50), let p99 = StressTally.percentile(values, 99),
              let max = values.max() else { return "none" }
        return String(format: "n %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms", values.count, p50, p99, max)
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
