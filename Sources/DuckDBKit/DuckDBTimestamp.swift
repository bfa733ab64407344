public import Foundation

/// A point in time as DuckDB's TIMESTAMP stores it: microseconds since 1970-01-01 00:00:00 UTC.
///
/// Value type; thread-safe. Converting to and from `Date` keeps microsecond precision.
public struct DuckDBTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since the Unix epoch.
    public var microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// Rounds `date` to the nearest microsecond.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public var foundationDate: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// ISO 8601 with microseconds, in UTC: `2024-01-02 09:30:00.000000`.
    public var description: String {
        let micros = microsecondsSinceEpoch
        let days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        let rest = micros - days * 86_400_000_000
        let date = DuckDBDate(daysSinceEpoch: Int32(days))
        let seconds = rest / 1_000_000
        let pad2 = { (v: Int64) in v < 10 ? "0\(v)" : "\(v)" }
        let fraction = String(rest % 1_000_000)
        return "\(date) \(pad2(seconds / 3600)):\(pad2(seconds / 60 % 60)):\(pad2(seconds % 60))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch }
}
