@testable import DuckPool
@testable import DuckPoolCLI
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// `duckpool demo` and its act-1 child, run as a user runs them, small. Whether the shared
/// connection actually fails is luck, so these tests check the story's structure, never that
/// the crash happened, and never a timing.
@Suite(.testThreads, .timeLimit(.minutes(3))) struct DemoTests {
    static let small = ["--symbols", "3", "--days", "260", "--threads", "4", "--iterations", "10", "--crash-runs", "2", "--peer-seconds", "5"]

    @Test func theDemoTellsItsThreeActsAndSummarizesCleanly() async throws {
        let directory = TemporaryDirectory()
        let run = try await DuckPoolBinary.run(["demo", "--db", directory.path("demo.duckdb")] + Self.small)
        #expect(run.status == 0, "\(run.output.suffix(3_000))\(run.errors)")
        for heading in ["Act 1: the crash.", "Act 2: the cure.", "Act 3: FactorWeave's own pool", "Recycling:", "Error recovery:", "Factor example:", "Summary"] {
            #expect(run.output.contains("\n\(heading)"), "missing \(heading)")
        }
        let lines = run.output.components(separatedBy: "\n")
        // Act 1 says how each run ended, and how many ended badly.
        let act1 = Self.section("Act 1:", of: lines)
        #expect(act1.filter { $0.hasPrefix("  run 1: ") || $0.hasPrefix("  run 2: ") }.count == 2)
        #expect(act1.contains { $0.hasPrefix("  ") && $0.contains(" of 2 runs ended badly") })
        // Act 2 had no error, and its status line ended with a last sample (piped: a plain line).
        let act2 = Self.section("Act 2:", of: lines)
        #expect(act2.contains { $0.hasPrefix("  40 queries in ") && $0.contains(": 0 errors, 0 wrong results, ") })
        #expect(act2.contains { $0.contains(" s: in use ") && $0.contains(", waiters ") && $0.contains(", acquire-wait p99 ") && $0.hasSuffix(" q/s") })
        // Act 3 ran or said how to make it run, whichever this machine allows.
        let act3 = Self.section("Act 3:", of: lines)
        #expect(act3.contains { $0.hasPrefix("  connections created per query: ") } || act3.contains { $0.hasPrefix("  skipped: ") })
        for step in ["1. one shared connection", "2. DuckPool", "3. FactorWeave's pool", "recycling", "error recovery", "factor example"] {
            #expect(lines.contains { $0.hasPrefix("  \(step)") }, "summary row \(step)")
        }
        #expect(run.output.contains("unexpected errors: 0"))
        // Piped: plain lines, no carriage return or escape sequence on either stream.
        for text in [run.output, run.errors] {
            #expect(!text.contains("\r"))
            #expect(!text.contains("\u{1B}"))
        }
    }

    /// The lines from `heading` to the next blank line.
    static func section(_ heading: String, of lines: [String]) -> ArraySlice<String> {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        let end = lines[start...].firstIndex(where: \.isEmpty) ?? lines.endIndex
        return lines[start..<end]
    }

    @Test func actThreeIsSkippedWithAHintWithoutTheVenv() async throws {
        let directory = TemporaryDirectory()
        let run = try await DuckPoolBinary.run(
            ["demo", "--db", directory.path("demo.duckdb")] + Self.small + ["--crash-runs", "1"],
            environment: ["DUCKPOOL_CACHE_DIR": directory.path("empty-cache")]
        )
        #expect(run.status == 0, "\(run.output.suffix(3_000))\(run.errors)")
        let hint = run.output.split(separator: "\n").filter { $0.contains("skipped: no peer venv at \(directory.path("empty-cache"))/peers-venv/bin/python") }
        #expect(hint.count == 1)
        #expect(hint.first?.contains("comparisons/peers/setup-venv.sh") == true)
    }

    @Test func theChildReportsItsOutcomeAsJSONOnItsLastLine() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("child.duckdb")
        #expect(try await DuckPoolBinary.run(["generate", "--db", path, "--symbols", "3", "--days", "20"]).status == 0)
        let arguments = ["crash-repro-child", "--db", path, "--symbols", "3", "--days", "20", "--iterations", "30"]

        // One thread shares nothing: a clean run, always, with its report.
        let alone = try await DuckPoolBinary.run(arguments + ["--threads", "1"])
        #expect(alone.status == 0, "\(alone.output)\(alone.errors)")
        let report = try #require(CrashChildReport(lastLineOf: alone.output.split(separator: "\n").map(String.init)))
        #expect(report == CrashChildReport(threads: 1, completed: 30, errors: 0, wrong: 0, firstError: nil, firstWrong: nil))

        // Shared by four threads it may fail any way; if it lives, its report adds up.
        let shared = try await DuckPoolBinary.run(arguments + ["--threads", "4"])
        let lines = shared.output.split(separator: "\n").map(String.init)
        if let report = CrashChildReport(lastLineOf: lines) {
            #expect(report.threads == 4 && report.completed == 120)
            #expect(shared.status == (report.isClean ? 0 : 3))
            #expect((report.errors > 0) == (report.firstError != nil))
            #expect((report.wrong > 0) == (report.firstWrong != nil))
        } else {
            #expect(shared.signalled, "no report, and no signal either: \(shared.status) \(shared.output)\(shared.errors)")
        }
    }

    @Test func theChildRefusesATableOfAnotherSize() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("child.duckdb")
        #expect(try await DuckPoolBinary.run(["generate", "--db", path, "--symbols", "3", "--days", "20"]).status == 0)
        let run = try await DuckPoolBinary.run(["crash-repro-child", "--db", path, "--symbols", "4", "--days", "20", "--threads", "2"])
        #expect(run.status == 4)
        #expect(run.output.contains("setup: stock_kline does not have 4 x 20 rows"))
    }

    @Test func theReportRoundTripsThroughItsLine() async throws {
        let report = CrashChildReport(threads: 16, completed: 1_600, errors: 3, wrong: 1, firstError: "Invalid Input Error: \"x\"", firstWrong: nil)
        #expect(!report.line.contains("\n"))
        #expect(CrashChildReport(lastLineOf: ["error: Invalid Input Error", report.line, ""]) == report)
        #expect(CrashChildReport(lastLineOf: ["error: only a message, then death"]) == nil)
    }

    @Test func theStatusLinesP99IsTheBucketOfThe99thPercentile() {
        typealias Bucket = DuckPoolStatus.WaitBucket
        let buckets = [Bucket(upperBound: .microseconds(10), count: 98), Bucket(upperBound: .microseconds(100), count: 1), Bucket(upperBound: nil, count: 1)]
        #expect(DemoStatusLine.p99(buckets) == "≤100 µs")
        #expect(DemoStatusLine.p99([]) == "-")
        #expect(DemoStatusLine.p99([Bucket(upperBound: .milliseconds(1), count: 0)]) == "-")
    }
}
