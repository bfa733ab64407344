import StockKline
import DuckPoolSupport
import DuckPool
import Dispatch
import Foundation

/// The database and pools one stress run works on, and how each operation is carried out.
/// Value type; `Sendable` (pools are shared, everything else is constant).
struct StressWorkload: Sendable {
    /// The pool under test.
    let pool: DuckPool
    /// A private in-memory pool of one connection for the use-after-lease fault only: there the
    /// escaped connection can never have been leased again by another task, so the misuse must
    /// meet `leaseExpired` every time (on a busy shared pool the connection is usually leased
    /// again at once). Used only from ``misuseQueue``, one fault at a time.
    let misusePool: DuckPool
    let kline: StockKline.Size
    let hotRows: Int
    let deadline: Duration
    let conflictHandshakeTimeout: DispatchTimeInterval = .seconds(5)

    /// A query that runs for seconds (about 10 s on one thread) unless interrupted: long enough that
    /// every deadline and cancellation must interrupt it, short enough that a lost interrupt
    /// costs the run seconds, not minutes (and shows up as an unexpected `ok`).
    static let longQuery = "SELECT count(*) FROM range(2000000000) t(i) WHERE t.i = -1"
    static let misuseQueue = DispatchQueue(label: "duckpool.stress.lease-misuse")

    /// Creates the stress tables (dropping old ones) and the small kline table.
    static func createSchema(on connection: Connection, kline: StockKline.Size, hotRows: Int, tasks: Int) throws {
        for table in ["stress_counters", "stress_log", "stress_bulk", "stress_conflict", StockKline.table] {
            try connection.execute("DROP TABLE IF EXISTS \(table)")
        }
        for statement in kline.createStatements { try connection.execute(statement) }
        try connection.execute("CREATE TABLE stress_counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO stress_counters SELECT i, 0 FROM range(\(hotRows)) t(i)")
        try connection.execute("CREATE TABLE stress_log (task INTEGER NOT NULL, seq BIGINT NOT NULL, kind VARCHAR NOT NULL)")
        try connection.execute("CREATE TABLE stress_bulk (batch BIGINT NOT NULL, item INTEGER NOT NULL, value DOUBLE NOT NULL, PRIMARY KEY (batch, item))")
        try connection.execute("CREATE TABLE stress_conflict (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try connection.execute("INSERT INTO stress_conflict SELECT i, 0 FROM range(\(tasks)) t(i)")
    }
}

/// One row of `stress_bulk`.
struct StressBulkRow: Encodable, Sendable {
    var batch: Int64
    var item: Int32
    var value: Double
}

/// One row of the kline table, decoded by column name.
struct StressBar: Decodable, Sendable {
    var symbol: String
    var tradeDate: DuckDBDate
    var close: Double
    var volume: Int64
}

/// One stress task: runs its share of operations in a seeded random order and tallies them.
struct StressWorker {
    let workload: StressWorkload
    let task: Int
    var random: StressRandom
    var tally: StressTally
    private var sequence: Int64 = 0

    init(workload: StressWorkload, task: Int, seed: UInt64) {
        self.workload = workload
        self.task = task
        self.random = StressRandom(seed: seed &+ UInt64(task) &* 0x1000_0000_01B3)
        self.tally = StressTally(hotRows: workload.hotRows)
    }

    var pool: DuckPool { workload.pool }

    mutating func run(operations: Int, faultRate: Double, progress: ProgressBar) async -> StressTally {
        var pending = 0
        for _ in 0..<operations {
            let operation = StressOperation.pick(faultRate: faultRate, using: &random)
            sequence += 1
            await perform(operation)
            pending += 1
            if pending == 100 { progress.advance(by: pending); pending = 0 }
        }
        progress.advance(by: pending)
        return tally
    }

    private mutating func perform(_ operation: StressOperation) async {
        switch operation {
        case .readSymbol: await readSymbol()
        case .readLimit: await readExpecting(StockKline.firstRowsQuery, rows: 10, operation)
        case .readCount: await readCount()
        case .readCounters: await readExpecting("SELECT sum(n) FROM stress_counters", rows: 1, operation)
        case .increment: await increment()
        case .logInsert: await logInsert()
        case .transaction: await transaction()
        case .bulkInsert: await bulkInsert()
        case .malformedSQL:
            let (pool, sql) = (pool, "SELEC symbol FROM \(StockKline.table)")
            await outcome(operation) { try await pool.query(sql) }
        case .cancellation: await cancellation()
        case .deadline: await deadline()
        case .conflict: await conflict()
        case .nestedAcquisition: await nestedAcquisition()
        case .leaseExpired: await leaseExpired()
        case .bulkConstraint: await bulkConstraint()
        }
    }

    /// Runs `body` and records how it ended.
    private mutating func outcome<T>(_ operation: StressOperation, _ body: () async throws -> T) async {
        let result: Result<Void, any Error> = await Result(awaiting: { _ = try await body() })
        tally.record(operation, result)
    }

    // MARK: - Regular operations

    private mutating func readSymbol() async {
        let symbolIndex = Int.random(in: 0..<workload.kline.symbols, using: &random)
        let symbol = StockKline.symbol(symbolIndex)
        do {
            let bars = try await pool.query(StressBar.self, StockKline.symbolQuery, [symbol])
            tally.record(.readSymbol, "ok")
            if bars.count != workload.kline.days || bars.contains(where: { $0.symbol != symbol }) {
                tally.violation("read of \(symbol) returned \(bars.count) bars, expected \(workload.kline.days)")
            }
        } catch {
            tally.record(.readSymbol, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    private mutating func readCount() async {
        do {
            let rows = try await pool.query(StockKline.countQuery)
            tally.record(.readCount, "ok")
            if rows.rows.first?.first != .int(Int64(workload.kline.rows)) {
                tally.violation("count(*) returned \(rows.rows), expected \(workload.kline.rows)")
            }
        } catch {
            tally.record(.readCount, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    private mutating func readExpecting(_ sql: String, rows expected: Int, _ operation: StressOperation) async {
        do {
            let rows = try await pool.query(sql)
            tally.record(operation, "ok")
            if rows.count != expected { tally.violation("\(sql) returned \(rows.count) rows, expected \(expected)") }
        } catch {
            tally.record(operation, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    private mutating func increment() async {
        let row = Int.random(in: 0..<workload.hotRows, using: &random)
        do {
            let changed = try await pool.execute("UPDATE stress_counters SET n = n + 1 WHERE id = ?", [row])
            tally.record(.increment, "ok")
            if changed == 1 { tally.committedIncrements[row] += 1 } else { tally.violation("increment changed \(changed) rows") }
        } catch {
            tally.record(.increment, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    private mutating func logInsert() async {
        do {
            try await pool.execute("INSERT INTO stress_log VALUES (?, ?, 'insert')", [task, sequence])
            tally.record(.logInsert, "ok")
            tally.committedLogRows["insert", default: 0] += 1
        } catch {
            tally.record(.logInsert, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    /// A hot-row increment and a log row in one transaction, retried on conflicts.
    private mutating func transaction() async {
        let row = Int.random(in: 0..<workload.hotRows, using: &random)
        let (task, sequence) = (task, sequence)
        let retry = RetryPolicy.transactionConflicts
        do {
            try await pool.transaction(retry: retry) { connection in
                try connection.execute("UPDATE stress_counters SET n = n + 1 WHERE id = ?", [row])
                try connection.execute("INSERT INTO stress_log VALUES (?, ?, 'transaction')", [task, sequence])
            }
            tally.record(.transaction, "ok")
            tally.committedIncrements[row] += 1
            tally.committedLogRows["transaction", default: 0] += 1
        } catch {
            tally.record(.transaction, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    private var batchID: Int64 { Int64(task) * 1_000_000_000 + sequence }

    private mutating func bulkInsert() async {
        let count = Int.random(in: 1...16, using: &random)
        let batch = batchID
        let rows = (0..<count).map { StressBulkRow(batch: batch, item: Int32($0), value: Double($0) * 0.5) }
        do {
            let inserted = try await pool.bulkInsert(into: "stress_bulk", rows: rows)
            tally.record(.bulkInsert, "ok")
            tally.bulkRows += inserted
            tally.bulkBatches += 1
            if inserted != count { tally.violation("bulkInsert reported \(inserted) rows of \(count)") }
        } catch {
            tally.record(.bulkInsert, StressOutcome.name(of: error), detail: "\(error)")
        }
    }

    // MARK: - Faults

    /// A batch whose last row repeats the first one's key: the whole batch must be refused.
    /// Its batch id is negative, so that any row of it left behind is found at the end.
    private mutating func bulkConstraint() async {
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
    private mutating func cancellation() async {
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
    private mutating func deadline() async {
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
    private mutating func conflict() async {
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
        case (.success, .failure(let error as DuckDBError)) where error.code == .transactionConflict:
            name = "first ok, second transactionConflict"
        case (.success, .success) where noOverlap.isRaised:
            name = "no overlap, both ok"
            tally.conflictsWithoutOverlap += 1
        default:
            name = "first \(Self.describe(outcomes.0)), second \(Self.describe(outcomes.1))"
        }
        tally.record(.conflict, name)
    }

    private static func describe(_ result: Result<Void, any Error>) -> String {
        switch result {
        case .success: "ok"
        case .failure(let error): StressOutcome.name(of: error)
        }
    }

    /// A blocking acquire from inside a lease, on a pool configured to refuse nesting.
    private mutating func nestedAcquisition() async {
        let pool = pool
        await outcome(.nestedAcquisition) {
            try await pool.withConnection { _ in try pool.withConnection { _ in 0 } }
        }
    }

    /// Lets a connection escape its lease (the blocking API returns it), then uses it.
    private mutating func leaseExpired() async {
        let misusePool = workload.misusePool
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            StressWorkload.misuseQueue.async {
                continuation.resume(returning: Result {
                    let escaped = try misusePool.withConnection { connection in connection }
                    _ = try escaped.query("SELECT 1")
                })
            }
        }
        tally.record(.leaseExpired, result)
    }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
