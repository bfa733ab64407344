import StockKline
import DuckPoolSupport
import DuckPool
import Dispatch
import Foundation

/// One stress task: runs its share of operations in a seeded random order and tallies them.
struct StressWorker {
    let workload: StressWorkload
    let task: Int
    var random: SplitMix64
    var tally: StressTally
    var sequence: Int64 = 0

    init(workload: StressWorkload, task: Int, seed: UInt64) {
        self.workload = workload
        self.task = task
        self.random = SplitMix64(seed: seed &+ UInt64(task) &* 0x1000_0000_01B3)
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
        case .useAfterLease: await useAfterLease()
        case .bulkConstraint: await bulkConstraint()
        }
    }

    /// Runs `body` and records how it ended.
    mutating func outcome<T>(_ operation: StressOperation, _ body: () async throws -> T) async {
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

    var batchID: Int64 { Int64(task) * 1_000_000_000 + sequence }

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
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
