import DuckPool
import Foundation

/// What `duckpool demo` prints, as it happens: each line is written to standard output at once
/// (unbuffered, so a pipe sees the story unfold), and the output keeps the count of unexpected
/// errors and the rows of the closing summary. Used by the demo's one task, never shared.
final class DemoOutput {
    /// One row of the closing summary: a step and what it showed.
    struct SummaryRow {
        var step: String
        var result: String
    }

    private(set) var unexpectedErrors = 0
    private(set) var summary: [SummaryRow] = []

    /// True when standard output is a terminal: the live status line then redraws in place.
    static let isTerminal: Bool = isatty(STDOUT_FILENO) == 1

    /// Prints one line.
    func line(_ text: String = "") { Self.write(text + "\n") }

    /// Prints a blank line, then `text` underlined, as the title of an act or step.
    func heading(_ text: String) {
        line()
        line(text)
        line(String(repeating: "-", count: text.count))
    }

    /// Counts `errors` as unexpected and prints the first five.
    func unexpected(_ errors: [String]) {
        unexpectedErrors += errors.count
        for error in errors.prefix(5) { line("  UNEXPECTED: \(error)") }
        if errors.count > 5 { line("  ... and \(errors.count - 5) more") }
    }

    /// Counts an unexpected error when `condition` is false.
    func check(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if !condition { unexpected([failure()]) }
    }

    /// Adds a row to the closing summary.
    func summarize(_ step: String, _ result: String) {
        summary.append(SummaryRow(step: step, result: result))
    }

    /// Prints the summary table: one row per step, the steps' column padded to its widest.
    func printSummary() {
        heading("Summary")
        let width = summary.map(\.step.count).max() ?? 0
        for row in summary {
            line("  \(row.step.padding(toLength: width, withPad: " ", startingAt: 0))  \(row.result)")
        }
        line("  unexpected errors: \(unexpectedErrors)")
    }

    /// Writes `text` to standard output as it is (no newline added).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Numbers as the demo prints them.
enum DemoFormat {
    /// `4800` as "4,800".
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// "1 error", "4,800 errors": the count and the noun, plural unless the count is 1.
    static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    /// Queries per second, rounded: "4,210 q/s".
    static func qps(_ value: Double) -> String { "\(count(Int(value.rounded()))) q/s" }

    /// The pool's acquire-wait histogram: "≤10 µs: 981, ≤100 µs: 3" (empty buckets left out).
    static func histogram(_ status: DuckPoolStatus) -> String {
        status.acquireWaits.filter { $0.count > 0 }.map(\.description).joined(separator: ", ")
    }

    /// "2.41 s".
    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}
