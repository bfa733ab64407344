import DuckDBKit
import DuckPool

extension FactorWeaveWorkload.Query {
    /// Runs the query through `pool` (blocking; call it from a plain thread) and returns what is
    /// checked: the number of rows, or the count it read.
    /// - Throws: ``DuckDBError`` or ``DuckPoolError`` from the pool.
    func result(on pool: DuckPool) throws -> Int {
        let parameters: [any DuckDBBindable] = symbol.map { [$0] } ?? []
        let rows = try pool.query(sql, parameters)
        switch kind {
        case .rows:
            return rows.count
        case .count:
            guard case .int(let count)? = rows.rows.first?.first else { return -1 }
            return Int(count)
        }
    }
}

/// A query that returned without an error but with the wrong result.
struct WrongResult: Error, CustomStringConvertible {
    var description: String
}
