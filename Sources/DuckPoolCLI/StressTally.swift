/// What one stress task saw: every outcome by operation, and what it knows was committed. Each
/// task keeps its own (no sharing while the run goes), and the tallies are merged at the end.
/// Value type.
struct StressTally: Sendable {
    /// outcomes[operation.rawValue][outcome name] = count.
    var outcomes = [[String: Int]](repeating: [:], count: StressOperation.allCases.count)
    /// Committed increments per hot row (index = row id).
    var committedIncrements: [Int]
    /// Committed `stress_log` rows by kind (`insert`, `transaction`, `conflict`).
    var committedLogRows: [String: Int] = [:]
    /// Committed increments of the conflict rows (one per committed side of a forced conflict).
    var committedConflictIncrements = 0
    /// Rows and batches committed by `bulkInsert`.
    var bulkRows = 0
    var bulkBatches = 0
    /// For deadline faults: how long after the deadline the typed error arrived, in ms.
    var deadlineOvershootsMs: [Double] = []
    /// For cancellation faults: how long from `cancel()` to the task's end, in ms.
    var cancellationLatenciesMs: [Double] = []
    /// Forced conflicts whose overlap could not be set up in time.
    var conflictsWithoutOverlap = 0
    /// Outcomes that are not in the operation's expected set, and wrong query results (the first
    /// few of each run are kept with their messages).
    var violations: [String] = []
    var violationCount = 0

    init(hotRows: Int) {
        committedIncrements = Array(repeating: 0, count: hotRows)
    }

    mutating func record(_ operation: StressOperation, _ outcome: String, detail: @autoclosure () -> String = "") {
        outcomes[operation.rawValue][outcome, default: 0] += 1
        if !operation.expectedOutcomes.contains(outcome) {
            violation("\(operation.name): unexpected outcome \(outcome) \(detail())")
        }
    }

    mutating func record(_ operation: StressOperation, _ result: Result<Void, any Error>, detail: String = "") {
        switch result {
        case .success: record(operation, "ok", detail: detail)
        case .failure(let error): record(operation, StressOutcome.name(of: error), detail: "\(detail) \(error)")
        }
    }

    mutating func violation(_ text: String) {
        violationCount += 1
        if violations.count < 20 { violations.append(text) }
    }

    func count(_ operation: StressOperation) -> Int {
        outcomes[operation.rawValue].values.reduce(0, +)
    }

    var totalOperations: Int { outcomes.reduce(0) { $0 + $1.values.reduce(0, +) } }

    mutating func merge(_ other: StressTally) {
        for index in outcomes.indices {
            outcomes[index].merge(other.outcomes[index], uniquingKeysWith: +)
        }
        for row in committedIncrements.indices { committedIncrements[row] += other.committedIncrements[row] }
        committedLogRows.merge(other.committedLogRows, uniquingKeysWith: +)
        committedConflictIncrements += other.committedConflictIncrements
        bulkRows += other.bulkRows
        bulkBatches += other.bulkBatches
        deadlineOvershootsMs += other.deadlineOvershootsMs
        cancellationLatenciesMs += other.cancellationLatenciesMs
        conflictsWithoutOverlap += other.conflictsWithoutOverlap
        violationCount += other.violationCount
        violations += other.violations.prefix(max(0, 20 - violations.count))
    }
}

extension StressTally {
    /// The `p`-th percentile (0...100) of `values` by nearest rank; nil when empty.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
