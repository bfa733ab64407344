import DuckPool

/// The checks at the end of a stress run: the database holds exactly what the tasks saw
/// committed, and the pools are back to idle with no connection leaked.
struct StressInvariants {
    /// One check: what it says, and whether it held.
    struct Check {
        var name: String
        var passed: Bool
        var detail: String
    }

    private(set) var checks: [Check] = []

    var allPassed: Bool { checks.allSatisfy(\.passed) }

    mutating func check(_ name: String, _ passed: Bool, _ detail: @autoclosure () -> String) {
        checks.append(Check(name: name, passed: passed, detail: detail()))
    }

    /// Compares the tables with the merged tally.
    mutating func checkData(in pool: DuckPool, against tally: StressTally) async throws {
        let counters = try await pool.query("SELECT id, n FROM stress_counters ORDER BY id").rows
        let actual = counters.map { row -> Int in if case .int(let n) = row[1] { Int(n) } else { -1 } }
        let wrongRows = zip(actual, tally.committedIncrements).enumerated().filter { $0.element.0 != $0.element.1 }
        check("hot counters equal the committed increments", wrongRows.isEmpty && actual.count == tally.committedIncrements.count,
              wrongRows.isEmpty ? "\(tally.committedIncrements.reduce(0, +)) increments over \(actual.count) rows"
                  : "rows \(wrongRows.map { "\($0.offset): \($0.element.0) in the table, \($0.element.1) committed" })")

        let logKinds = try await pool.query("SELECT kind, count(*) FROM stress_log GROUP BY kind").rows
        var inTable: [String: Int] = [:]
        for row in logKinds {
            if case .string(let kind) = row[0], case .int(let count) = row[1] { inTable[kind] = Int(count) }
        }
        for kind in ["insert", "transaction", "conflict"] {
            let expected = tally.committedLogRows[kind, default: 0]
            check("log rows '\(kind)' equal the committed inserts", inTable[kind, default: 0] == expected,
                  "\(inTable[kind, default: 0]) in the table, \(expected) committed")
        }
        for kind in ["cancelled", "deadline"] {
            check("no log row of a cancelled or timed-out transaction ('\(kind)')", inTable[kind, default: 0] == 0,
                  "\(inTable[kind, default: 0]) found")
        }

        let conflictSum = try await Self.integer(pool, "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM stress_conflict")
        check("conflict rows equal the committed sides", conflictSum == tally.committedConflictIncrements,
              "\(conflictSum) in the table, \(tally.committedConflictIncrements) committed")

        let bulk = try await pool.query("""
            SELECT count(*), count(DISTINCT batch), count(*) FILTER (WHERE batch < 0) FROM stress_bulk
            """).rows.first ?? []
        let numbers = bulk.map { value -> Int in if case .int(let n) = value { Int(n) } else { -1 } }
        check("bulk rows equal the committed rows", numbers.first == tally.bulkRows,
              "\(numbers.first ?? -1) in the table, \(tally.bulkRows) committed")
        check("bulk batches equal the committed batches", numbers.dropFirst().first == tally.bulkBatches,
              "\(numbers.dropFirst().first ?? -1) in the table, \(tally.bulkBatches) committed")
        check("no row of a refused bulk batch", numbers.last == 0, "\(numbers.last ?? -1) found")
    }

    /// The pool is idle: nothing leased, nobody waiting, no more connections than allowed.
    mutating func checkIdle(_ pool: DuckPool, name: String) {
        let status = pool.status
        check("\(name): no connection leased, no waiter", status.inUse == 0 && status.waiters == 0,
              "\(status.inUse) in use, \(status.waiters) waiting")
        check("\(name): open connections within the maximum", status.size <= status.statistics.maximumConnections,
              "\(status.size) open, maximum \(status.statistics.maximumConnections)")
    }

    /// After `close()`: no connection left open.
    mutating func checkClosed(_ pool: DuckPool, name: String) {
        let status = pool.status
        check("\(name): no connection open after close()", status.size == 0 && status.inUse == 0,
              "\(status.size) open, \(status.inUse) in use")
    }

    private static func integer(_ pool: DuckPool, _ sql: String) async throws -> Int {
        guard case .int(let value)? = try await pool.query(sql).rows.first?.first else { return -1 }
        return Int(value)
    }
}
