import Foundation

/// What a `crash-repro-child` process that lived to the end saw, printed as its last line: one
/// JSON object, which the parent (`duckpool demo`, `duckpool crash-repro`) parses. A child that
/// dies by a signal prints no report; its exit says what happened. Value type.
///
/// `{"completed":4800,"errors":12,"firstError":"...","firstWrong":"...","threads":16,"wrong":3}`
public struct CrashChildReport: Codable, Sendable, Hashable {
    /// Threads that shared the connection.
    public var threads: Int
    /// Queries that returned, with or without an error.
    public var completed: Int
    /// Queries that failed with a DuckDB error.
    public var errors: Int
    /// Queries that returned without an error but with a wrong result.
    public var wrong: Int
    /// The first DuckDB error message, if any.
    public var firstError: String?
    /// The first wrong result, in words, if any.
    public var firstWrong: String?

    /// A report.
    public init(threads: Int, completed: Int, errors: Int, wrong: Int, firstError: String?, firstWrong: String?) {
        self.threads = threads
        self.completed = completed
        self.errors = errors
        self.wrong = wrong
        self.firstError = firstError
        self.firstWrong = firstWrong
    }

    /// True when every query returned its right result.
    public var isClean: Bool { errors == 0 && wrong == 0 }

    /// The report as the one line the child prints last.
    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The report in the last line of a child's output, or nil when that line is not one (the
    /// child died before printing it).
    public init?(lastLineOf lines: [String]) {
        guard let last = lines.last(where: { !$0.isEmpty }), last.hasPrefix("{"),
              let report = try? JSONDecoder().decode(Self.self, from: Data(last.utf8)) else { return nil }
        self = report
    }
}
