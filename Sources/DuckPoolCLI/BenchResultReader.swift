import DuckDBKit

/// Reads every value of a result with typed reads chosen by column type, as the benchmark's
/// contract asks ("every query reads its whole result"). Returns a checksum so that nothing is
/// optimised away.
enum BenchResultReader {
    static func readAll(_ result: QueryResult) throws(DuckDBError) -> Int {
        let kinds = result.columns.map { ColumnKind($0.type) }
        var checksum = 0
        try result.forEachChunk { (chunk) throws(DuckDBError) in
            for (column, kind) in kinds.enumerated() {
                for row in 0..<chunk.count {
                    if chunk.isNull(column: column, row: row) { continue }
                    switch kind {
                    case .integer: checksum &+= Int(truncatingIfNeeded: try chunk.int64(column: column, row: row))
                    case .double: checksum &+= Int(try chunk.double(column: column, row: row).bitPattern & 0xFF)
                    case .text: checksum &+= try chunk.string(column: column, row: row).utf8.count
                    case .date: checksum &+= Int(try chunk.date(column: column, row: row).daysSinceEpoch)
                    case .other: checksum &+= try chunk.value(column: column, row: row).hashValue & 0xFF
                    }
                }
            }
            checksum &+= chunk.count
        }
        return checksum
    }

    private enum ColumnKind {
        case integer, double, text, date, other

        init(_ type: DuckDBType) {
            switch type {
            case .tinyInt, .smallInt, .integer, .bigInt, .uTinyInt, .uSmallInt, .uInteger: self = .integer
            case .float, .double: self = .double
            case .varchar: self = .text
            case .date: self = .date
            default: self = .other
            }
        }
    }
}
