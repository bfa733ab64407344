import DuckPool

/// A calendar date on the wire: `YYYY-MM-DD` in URLs and JSON, a DuckDB `DATE` in the database.
///
/// Parsing is strict: four-digit year, two-digit month and day, and a day that exists in that
/// month (`2024-02-30` is refused rather than rolled over to March). Value type; thread-safe.
struct CalendarDay: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    /// The date as DuckDB stores it.
    var date: DuckDBDate

    init(_ date: DuckDBDate) { self.date = date }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let date = DuckDBDate(year: year, month: month, day: day)
        // The civil-date algorithm rolls 2024-02-30 over to 2024-03-01: refuse what does not round-trip.
        guard date.components == (year, month, day) else { return nil }
        self.date = date
    }

    /// `YYYY-MM-DD`.
    var description: String { date.description }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.date < rhs.date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\"")
        }
        self = day
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
