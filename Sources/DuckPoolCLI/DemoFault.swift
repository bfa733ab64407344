import DuckDBKit
import DuckPool

/// The faults `duckpool demo` provokes in the middle of its error-recovery run, each with the
/// typed error it must produce: DuckDB's failures are ``DuckDBError``s, the pool's own (a call
/// past its deadline) a ``DuckPoolError``.
enum DemoFault: CaseIterable {
    case malformedSQL, missingTable, conversionAtRunTime, constraintViolation, deadline

    /// The error a fault must produce: its type and code.
    enum Expected {
        case duckDB(DuckDBError.Code)
        case pool(DuckPoolError.Code)
    }

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

    var expected: Expected {
        switch self {
        case .malformedSQL: .duckDB(.parser)
        case .missingTable: .duckDB(.binder)
        case .conversionAtRunTime: .duckDB(.conversion)
        case .constraintViolation: .duckDB(.constraint)
        case .deadline: .pool(.timedOut)
        }
    }

    var label: String {
        switch self {
        case .malformedSQL: "malformed SQL"
        case .missingTable: "missing table"
        case .conversionAtRunTime: "failing cast at run time"
        case .constraintViolation: "duplicate primary key"
        case .deadline: "query past a 50 ms timeout"
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
        } catch {
            let got = Self.name(of: error)
            guard got == Self.name(of: expected) else { return "UNEXPECTED: \(label) failed with \(error), expected \(Self.name(of: expected))" }
            return "\(label): \(got) as expected"
        }
    }

    /// "DuckDBError.parser", "DuckPoolError.timedOut", or the type of another error.
    static func name(of error: any Error) -> String {
        switch error {
        case let error as DuckDBError: name(of: .duckDB(error.code))
        case let error as DuckPoolError: name(of: .pool(error.code))
        default: "\(type(of: error))"
        }
    }

    static func name(of expected: Expected) -> String {
        switch expected {
        case .duckDB(let code): "DuckDBError.\(code)"
        case .pool(let code): "DuckPoolError.\(code)"
        }
    }
}
