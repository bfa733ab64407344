import DuckDBKit
import DuckPool

extension FactorWeaveWorkload.Query {
    /// Runs the query through `pool` (blocking; call it from a plain thread) and returns what is
    /// checked: the number of rows, or the count it read. The result is read whole, as columns
    /// (`queryColumns`), as FactorWeave's `execute(...).fetchdf()` reads a DataFrame.
    /// - Throws: ``DuckDBError`` or ``DuckPoolError`` from the pool.
    func result(on pool: DuckPool) throws -> Int {
        let parameters: [any DuckDBBindable] = symbol.map { [$0] } ?? []
        let columns = try pool.queryColumns(sql, parameters)
        switch kind {
        case .rows:
            return columns.rowCount
        case .count:
            return Int(try columns.int64s(0).values.first ?? -1)
        }
    }
}

/// A query that returned without an error but with the wrong result.
struct WrongResult: Error, CustomStringConvertible {
    var description: String
}
