import DuckPoolSupport
import DuckPool

/// One kind of operation in `duckpool stress`: the regular workload, and the injected faults,
/// each with the outcomes it may have. Any other outcome is an invariant violation.
enum StressOperation: Int, CaseIterable, Sendable {
    // Regular work.
    case readSymbol, readLimit, readCount, readCounters
    case increment, logInsert, transaction, bulkInsert
    // Faults.
    case malformedSQL, cancellation, deadline, conflict, nestedAcquisition, useAfterLease, bulkConstraint

    var name: String {
        switch self {
        case .readSymbol: "read: one symbol's bars"
        case .readLimit: "read: LIMIT 10"
        case .readCount: "read: count(*)"
        case .readCounters: "read: sum of counters"
        case .increment: "write: hot-row increment"
        case .logInsert: "write: log insert"
        case .transaction: "transaction(retry:)"
        case .bulkInsert: "bulkInsert"
        case .malformedSQL: "fault: malformed SQL"
        case .cancellation: "fault: task cancelled"
        case .deadline: "fault: deadline"
        case .conflict: "fault: forced conflict"
        case .nestedAcquisition: "fault: nested acquire"
        case .useAfterLease: "fault: use after lease"
        case .bulkConstraint: "fault: bad bulk row"
        }
    }

    var isFault: Bool { rawValue >= StressOperation.malformedSQL.rawValue }

    /// Relative weight among the regular operations, or among the faults.
    var weight: Int {
        switch self {
        // Read-heavy, like FactorWeave's workload: 70% reads, 30% writes (each write commits, and
        // each commit waits for the WAL's fsync).
        case .readSymbol: 25
        case .readLimit: 20
        case .readCount: 15
        case .readCounters: 10
        case .increment: 9
        case .logInsert: 9
        case .transaction: 9
        case .bulkInsert: 3
        case .malformedSQL: 30
        case .cancellation: 12
        case .deadline: 12
        case .conflict: 10
        case .nestedAcquisition: 14
        case .useAfterLease: 12
        case .bulkConstraint: 10
        }
    }

    /// The outcomes this operation may end with (see ``StressOutcome``).
    var expectedOutcomes: Set<String> {
        switch self {
        case .readSymbol, .readLimit, .readCount, .readCounters, .logInsert, .transaction, .bulkInsert:
            ["ok"]
        case .increment:
            // A plain UPDATE on a hot row, without retry: DuckDB's optimistic concurrency may refuse it.
            ["ok", "transactionConflict"]
        case .malformedSQL: ["parser"]
        case .cancellation: ["cancelled", "interrupted"]
        case .deadline: ["timedOut"]
        // The second transaction conflicts; when the forced overlap could not be set up in time
        // (both parties never held connections at once), both may commit.
        case .conflict: ["first ok, second transactionConflict", "no overlap, both ok"]
        case .nestedAcquisition: ["nestedAcquisition"]
        case .useAfterLease: ["accessRevoked"]
        case .bulkConstraint: ["constraint"]
        }
    }

    static let regular = allCases.filter { !$0.isFault }
    static let faults = allCases.filter(\.isFault)

    /// Picks the next operation: a fault with probability `faultRate`, else a regular one, each
    /// by weight.
    static func pick(faultRate: Double, using random: inout SplitMix64) -> StressOperation {
        let candidates = Double.random(in: 0..<1, using: &random) < faultRate ? faults : regular
        var ticket = Int.random(in: 0..<candidates.reduce(0) { $0 + $1.weight }, using: &random)
        for candidate in candidates {
            ticket -= candidate.weight
            if ticket < 0 { return candidate }
        }
        return candidates[candidates.count - 1]
    }
}

/// How an operation ended, as a short name: `ok`, a ``DuckDBError/Code`` (`parser`, `timedOut`,
/// ...), `cancelled` for `CancellationError`, or the error's type.
enum StressOutcome {
    static func name(of error: any Error) -> String {
        switch error {
        case let error as DuckDBError: error.code.description
        case let error as DuckPoolError: error.code.description
        case is CancellationError: "cancelled"
        default: "error \(type(of: error))"
        }
    }
}
