public import Foundation

/// One value read from, or bound to, DuckDB, for code that does not know the column type ahead.
///
/// Typed accessors (``DataChunk``'s `int64(column:row:)` and friends, or `Decodable`) are faster;
/// `DuckDBValue` is for generic tools such as a REPL or the CLI's result printer.
public enum DuckDBValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case hugeInt(Int128)
    case double(Double)
    case string(String)
    case blob([UInt8])
    case date(DuckDBDate)
    /// TIMESTAMP (and TIMESTAMP WITH TIME ZONE, which DuckDB stores as UTC).
    case timestamp(DuckDBTimestamp)
    /// TIME: microseconds since midnight.
    case time(microseconds: Int64)
    case decimal(Decimal)
    case interval(months: Int32, days: Int32, microseconds: Int64)
    /// A UUID in its canonical text form.
    case uuid(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .bool(let v): String(v)
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .hugeInt(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): v
        case .blob(let v): "BLOB(\(v.count) bytes)"
        case .date(let v): v.description
        case .timestamp(let v): v.description
        case .time(let micros): DuckDBTimestamp(microsecondsSinceEpoch: micros).description.split(separator: " ").last.map(String.init) ?? ""
        case .decimal(let v): v.description
        case .interval(let months, let days, let micros): "\(months) months \(days) days \(micros) µs"
        case .uuid(let v): v
        }
    }

    /// True for ``null``.
    public var isNull: Bool { if case .null = self { true } else { false } }
}
