public import Foundation

/// A calendar date as DuckDB stores it: days since 1970-01-01 (proleptic Gregorian calendar).
///
/// Value type; thread-safe. `DuckDBDate(year: 2024, month: 1, day: 2)` and
/// `DuckDBDate(daysSinceEpoch:)` are exact; ``foundationDate`` is midnight UTC.
public struct DuckDBDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01. Negative before it.
    public var daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// Creates a date from its parts. Out-of-range parts are normalised the way the civil-date
    /// algorithm does (month 13 is January of the next year); pass valid dates.
    public init(year: Int, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// The date at midnight UTC.
    public init(_ date: Date) {
        self.daysSinceEpoch = Int32((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Year, month (1-12) and day (1-31).
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Midnight UTC of this date.
    public var foundationDate: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int32) -> DuckDBDate { DuckDBDate(daysSinceEpoch: daysSinceEpoch + days) }
}
