import StockKline
import DuckPoolSupport
import DuckPool
import Dispatch
import Foundation

/// The faults a stress worker injects: each must end in its typed error and leave the pool healthy.
extension StressWorker {
    // MARK: - Faults

    /// A batch whose last row repeats the first one's key: the whole batch must be refused.
    /// Its batch id is negative, so that any row of it left behind is found at the end.
    mutating func bulkConstraint() async {
        let count = Int.random(in: 2...32, using: &random)
        let batch = -batchID
        var rows = (0..<count).map { StressBulkRow(batch: batch, item: Int32($0), value: 1) }
        rows[count - 1].item = 0
        let pool = pool
        await outcome(.bulkConstraint) { [rows] in try await pool.bulkInsert(into: "stress_bulk", rows: rows) }
    }

    /// Cancels the task that runs a minutes-long query, either at once (it may still be waiting
    /// for a connection) or once its query is about to run. Half of them run inside a
    /// transaction that wrote a log row first, which must not survive.
    mutating func cancellation() async {
        let waitForStart = Bool.random(using: &random)
        let inTransaction = Bool.random(using: &random)
        let (pool, task, sequence) = (pool, task, sequence)
        let started = StressStartSignal()
        let victim = Task {
            defer { started.fire() }
            if inTransaction {
                return try await pool.transaction { connection in
                    try connection.execute("INSERT INTO stress_log VALUES (?, ?, 'cancelled')", [task, sequence])
                    started.fire()
                    return try connection.query(StressWorkload.longQuery).countRows()
                }
            }
            return try await pool.withConnection { connection in
                started.fire()
                return try connection.query(StressWorkload.longQuery).countRows()
            }
        }
        if waitForStart { await started.wait() }
        let cancelledAt = ContinuousClock.now
        victim.cancel()
        let result = await victim.result
        tally.cancellationLatenciesMs.append((ContinuousClock.now - cancelledAt).millisecondsDouble)
        tally.record(.cancellation, result.map { _ in () }, detail: inTransaction ? "(in a transaction)" : "(a lone long query)")
    }

    /// A minutes-long query with a per-call deadline; measures how late the typed error arrives.
    mutating func deadline() async {
        let inTransaction = Bool.random(using: &random)
        let (pool, task, sequence, deadline) = (pool, task, sequence, workload.deadline)
        let startedAt = StressInstantBox()
        let result: Result<Int, any Error>
        do {
            if inTransaction {
                result = .success(try await pool.transaction(timeout: deadline) { connection in
                    startedAt.set(.now)
                    try connection.execute("INSERT INTO stress_log VALUES (?, ?, 'deadline')", [task, sequence])
                    return try connection.query(StressWorkload.longQuery).countRows()
                })
            } else {
                result = .success(try await pool.withConnection(timeout: deadline) { connection in
                    startedAt.set(.now)
                    return try connection.query(StressWorkload.longQuery).countRows()
                })
            }
        } catch {
            result = .failure(error)
        }
        let arrived = ContinuousClock.now
        switch result {
        case .failure(let error as DuckPoolError) where error.code == .timedOut:
            if let started = startedAt.instant {
                tally.deadlineOvershootsMs.append((arrived - (started + deadline)).millisecondsDouble)
            }
            tally.record(.deadline, "timedOut")
        case .failure(let error):
            tally.record(.deadline, StressOutcome.name(of: error), detail: "\(error)")
        case .success:
            // The deadline passed but the query ran to its end: the interrupt was lost.
            let ranFor = startedAt.instant.map { (arrived - $0).millisecondsDouble } ?? -1
            tally.record(.deadline, "ok", detail: String(
                format: "(%@; the call returned after %.0f ms, its deadline was %d ms)",
                inTransaction ? "in a transaction: BEGIN and an INSERT ran before the long query" : "a lone long query",
                ranFor, Int(deadline.millisecondsDouble)))
        }
    }

    /// Two transactions without retry forced to overlap on one row: the first updates the row
    /// and waits (on its connection's thread) until the second has tried to update it too. The
    /// second wrote a log row first; its conflict must leave nothing behind.
    mutating func conflict() async {
        let (pool, task, sequence, handshake) = (pool, task, sequence, workload.conflictHandshakeTimeout)
        let firstUpdated = DispatchSemaphore(value: 0)
        let secondTried = DispatchSemaphore(value: 0)
        let noOverlap = StressFlag()
        async let first: Result<Void, any Error> = Result(awaiting: {
            try await pool.transaction { connection in
                try connection.execute("UPDATE stress_conflict SET n = n + 1 WHERE id = ?", [task])
                try connection.execute("INSERT INTO stress_log VALUES (?, ?, 'conflict')", [task, sequence])
                firstUpdated.signal()
                if secondTried.wait(timeout: .now() + handshake) == .timedOut { noOverlap.raise() }
            }
        })
        async let second: Result<Void, any Error> = Result(awaiting: {
            try await pool.transaction { connection in
                defer { secondTried.signal() }
                try connection.execute("INSERT INTO stress_log VALUES (?, ?, 'conflict')", [task, -sequence])
                if firstUpdated.wait(timeout: .now() + handshake) == .timedOut { noOverlap.raise() }
                try connection.execute("UPDATE stress_conflict SET n = n + 1 WHERE id = ?", [task])
            }
        })
        let outcomes = await (first, second)
        for case .success in [outcomes.0, outcomes.1] {
            tally.committedConflictIncrements += 1
            tally.committedLogRows["conflict", default: 0] += 1
        }
        let name: String
        switch outcomes {
        case (.success, .failure(let error as DuckPoolError)) where error.code == .transactionConflict:
            name = "first ok, second transactionConflict"
        case (.success, .success) where noOverlap.isRaised:
            name = "no overlap, both ok"
            tally.conflictsWithoutOverlap += 1
        default:
            name = "first \(Self.describe(outcomes.0)), second \(Self.describe(outcomes.1))"
        }
        tally.record(.conflict, name)
    }

    static func describe(_ result: Result<Void, any Error>) -> String {
        switch result {
        case .success: "ok"
        case .failure(let error): StressOutcome.name(of: error)
        }
    }

    /// A blocking acquire from inside a lease, on a pool configured to refuse nesting.
    mutating func nestedAcquisition() async {
        let pool = pool
        await outcome(.nestedAcquisition) {
            try await pool.withConnection { _ in try pool.withConnection { _ in 0 } }
        }
    }

    /// Lets a connection escape its lease (the blocking API returns it), then uses it.
    mutating func useAfterLease() async {
        let misusePool = workload.misusePool
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            StressWorkload.misuseQueue.async {
                continuation.resume(returning: Result {
                    let escaped = try misusePool.withConnection { connection in connection }
                    _ = try escaped.query("SELECT 1")
                })
            }
        }
        tally.record(.useAfterLease, result)
    }
}
