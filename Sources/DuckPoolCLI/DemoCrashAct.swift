import Foundation

/// Act 1 of `duckpool demo`: FactorWeave's original code path, one DuckDB connection shared by
/// every thread, in a child process (`crash-repro-child --db`), run several times because one
/// run can pass by luck. Reports how each run ended: a signal and the abort message, a hang, or
/// the DuckDB errors and wrong results the child counted.
///
/// The parent must not hold the file while a child runs: it generated the file and closed it
/// before this act, and opens it again only in act 2. The child opens it read-only, so that a
/// child killed mid-run cannot leave a half-written file for the acts that follow.
struct DemoCrashAct {
    let path: String
    let workload: FactorWeaveWorkload
    let runs: Int
    let timeoutSeconds: Double

    /// How a run ended, for the tally.
    private enum Ending: Hashable {
        case clean, signalled(String), hung
        /// It lived and reported DuckDB errors, wrong results, or both.
        case failed(errors: Bool, wrong: Bool)
    }

    func run(_ out: DemoOutput) async throws {
        out.heading("Act 1: the crash. ONE DuckDB connection shared by \(workload.threads) threads, as FactorWeave's code did")
        out.line("  A child process opens \(path) read-only and makes one connection; \(workload.threads) threads run")
        out.line("  FactorWeave's queries on it through DuckDB's C API with no lock, \(workload.iterations) each, checking every result:")
        out.line("  LIMIT 10 -> 10 rows, count(*) -> \(DemoFormat.count(workload.symbols * workload.days)), WHERE symbol = ? -> \(workload.days) rows.")
        out.line("  (This process closed the file first: DuckDB lets one process write a file, and refuses to open it")
        out.line("  read-only while another process has it open for writing.)")
        var endings: [Ending] = []
        var lastFirstError: String?
        for number in 1...runs {
            let started = monotonicNanoseconds()
            let outcome = try await ChildProcess.run(try ChildProcess.thisExecutable(), arguments, timeoutSeconds: timeoutSeconds)
            let elapsed = DemoFormat.seconds(Double(monotonicNanoseconds() - started) / 1e9)
            let report = CrashChildReport(lastLineOf: outcome.lines)
            switch (outcome.exit.kind, report) {
            case (.signalled(let number), _):
                endings.append(.signalled(ChildExit.name(ofSignal: number)))
                out.line("  run \(number): \(outcome.exit) after \(elapsed)")
                for message in Self.messages(outcome.lines).prefix(3) { out.line("         \(message)") }
            case (.hung, _):
                endings.append(.hung)
                out.line("  run \(number): \(outcome.exit) (\(DemoFormat.seconds(timeoutSeconds)))")
            case (.exited, let report?):
                endings.append(report.isClean ? .clean : .failed(errors: report.errors > 0, wrong: report.wrong > 0))
                out.line("  run \(number): \(outcome.exit) after \(elapsed): \(describe(report))")
                for detail in [report.firstError.map { "first error: \($0)" }, report.firstWrong.map { "first wrong result: \($0)" }] {
                    guard let detail, detail != lastFirstError else { continue }
                    out.line("         \(detail)")
                    if detail.hasPrefix("first error") { lastFirstError = detail }
                }
            case (.exited, nil):
                out.line("  run \(number): \(outcome.exit) without a report")
                out.unexpected(["the child could not run: " + (outcome.lines.last ?? "no output")])
            }
        }
        let bad = endings.filter { $0 != .clean }.count
        let tally = Self.tally(endings)
        out.line("  \(bad) of \(runs) runs ended badly\(tally.isEmpty ? "" : ": " + tally)")
        out.summarize("1. one shared connection", "\(bad) of \(runs) runs ended badly\(tally.isEmpty ? "" : " (" + tally + ")")")
    }

    private var arguments: [String] {
        [
            "crash-repro-child", "--db", path, "--threads", "\(workload.threads)", "--iterations", "\(workload.iterations)",
            "--symbols", "\(workload.symbols)", "--days", "\(workload.days)",
        ]
    }

    private func describe(_ report: CrashChildReport) -> String {
        let share = report.completed > 0 ? String(format: " (%.0f%%)", 100 * Double(report.errors) / Double(report.completed)) : ""
        if report.isClean { return "\(DemoFormat.count(report.completed)) queries, every result right (passed by luck)" }
        return "\(DemoFormat.count(report.completed)) queries, \(DemoFormat.count(report.errors, "DuckDB error"))\(share), \(DemoFormat.count(report.wrong, "wrong result"))"
    }

    /// What a child that died printed besides its own error lines: the abort message, if any,
    /// else its first error lines.
    private static func messages(_ lines: [String]) -> [String] {
        let foreign = lines.filter { !$0.hasPrefix("error: ") && !$0.hasPrefix("wrong: ") }
        return foreign.isEmpty ? lines : foreign
    }

    /// "2 killed by SIGSEGV, 1 with DuckDB errors" (a run with both errors and wrong results
    /// counts in both).
    private static func tally(_ endings: [Ending]) -> String {
        var parts: [String] = []
        for signal in Set(endings.compactMap { if case .signalled(let name) = $0 { name } else { nil } }).sorted() {
            parts.append("\(endings.filter { $0 == .signalled(signal) }.count) killed by \(signal)")
        }
        let withErrors = endings.filter { if case .failed(errors: true, _) = $0 { true } else { false } }.count
        if withErrors > 0 { parts.append("\(withErrors) with DuckDB errors") }
        let withWrong = endings.filter { if case .failed(_, wrong: true) = $0 { true } else { false } }.count
        if withWrong > 0 { parts.append("\(withWrong) with wrong results") }
        let hung = endings.filter { $0 == .hung }.count
        if hung > 0 { parts.append("\(hung) hung") }
        return parts.joined(separator: ", ")
    }
}
