import DuckDBKit
import DuckPool

/// The faults `duckpool demo` provokes in the middle of its error-recovery run, each with the
/// typed error it must produce.
enum DemoFault: CaseIterable {
    case malformedSQL, missingTable, conversionAtRunTime, constraintViolation, deadline

    /// The fault planned for a worker's query number, if any.
    static func at(worker: Int, index: Int) -> DemoFault? {
        switch (worker, index) {
        case (0, 10): .malformedSQL
        case (1, 20): .missingTable
        case (2, 25): .conversionAtRunTime
        case (3, 30): .constraintViolation
        case (0, 35): .deadline
        default: nil
        }
    }

    /// The name of the error code the fault must produce (``StressOutcome/name(of:)``).
    var expectedCode: String {
        switch self {
        case .malformedSQL: "parser"
        case .missingTable: "binder"
        case .conversionAtRunTime: "conversion"
        case .constraintViolation: "constraint"
        case .deadline: "timedOut"
        }
    }

    var label: String {
        switch self {
        case .malformedSQL: "malformed SQL"
        case .missingTable: "missing table"
        case .conversionAtRunTime: "failing cast at run time"
        case .constraintViolation: "duplicate primary key"
        case .deadline: "query past a 50 ms deadline"
        }
    }

    /// Runs the fault on `pool` and describes what happened (containing "UNEXPECTED" when the
    /// error was not the expected one).
    func provoke(on pool: DuckPool) -> String {
        do {
            switch self {
            case .malformedSQL:
                _ = try pool.query("SELEC * FROM stock_kline")
            case .missingTable:
                _ = try pool.query("SELECT * FROM no_such_table WHERE symbol = ?", ["000001"])
            case .conversionAtRunTime:
                _ = try pool.query("SELECT CAST(symbol || 'x' AS INTEGER) FROM stock_kline WHERE symbol = ?", ["000001"])
            case .constraintViolation:
                try pool.execute("INSERT INTO stock_kline SELECT * FROM stock_kline WHERE symbol = ? LIMIT 1", ["000001"])
            case .deadline:
                try pool.withConnection(timeout: .milliseconds(50)) { connection in
                    _ = try connection.query("SELECT sum(hash(i)) FROM range(10000000000) t(i)").countRows()
                }
            }
            return "UNEXPECTED: \(label) succeeded"
        } catch where StressOutcome.name(of: error) == expectedCode {
            return "\(label): \(expectedCode) as expected"
        } catch {
            return "UNEXPECTED: \(label) failed with \(error), expected \(expectedCode)"
        }
    }
}
