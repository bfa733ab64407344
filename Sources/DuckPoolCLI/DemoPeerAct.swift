import Foundation

/// Act 3 of `duckpool demo`: FactorWeave's own proposed pool (`comparisons/peers/seed_pool.py`:
/// SQLAlchemy's `QueuePool` over `duckdb.connect`, with rollback on return) on acts 1 and 2's
/// workload, run by `comparisons/peers/demo_seed_pool.py` in the peer venv. The demo never
/// creates that venv: it looks for it where `setup-venv.sh` puts it and, when it is absent,
/// skips the act with a one-line hint. The peer's own errors are its result, not the demo's
/// failure; a driver that cannot run or report is.
struct DemoPeerAct {
    let path: String
    let workload: FactorWeaveWorkload
    /// The peer's time limit: it stops there if it has not finished the workload.
    let seconds: Double
    /// Act 2's queries per second, to compare with.
    let duckPoolQPS: Double

    /// What `demo_seed_pool.py` prints (see its docstring).
    struct Report: Decodable {
        var queries: Int, planned: Int, correct: Int, errors: Int, wrong: Int
        var seconds: Double, qps: Double, connectionsPerQuery: Double
        var stoppedByTime: Bool
        var connectAttempts: Int, connectionsOpened: Int, invalidations: Int, resetFailures: Int
        var errorKinds: [String: Int]
    }

    /// What it prints instead when the venv lacks a module.
    struct Failure: Decodable {
        var error: String
    }

    func run(_ out: DemoOutput) async throws {
        let title = "Act 3: FactorWeave's own pool (seed_pool.py: SQLAlchemy QueuePool, 5 kept + 10 overflow, rollback on return)"
        let python = PeerVenv.python()
        guard PeerVenv.isPresent() else {
            skip(out, title, "no peer venv at \(python); create it with comparisons/peers/setup-venv.sh, then run the demo again")
            return
        }
        guard let driver = PeerVenv.script("demo_seed_pool.py") else {
            skip(out, title, "comparisons/peers/demo_seed_pool.py not found; run the demo from the repository")
            return
        }
        out.heading(title)
        out.line("  The same \(workload.threads) threads, queries and checks through its execute_query (checkout, execute,")
        out.line("  fetchdf, check-in), in Python, for at most \(DemoFormat.seconds(seconds)): \(driver)")
        out.line("  run by \(python)")
        let outcome = try await ChildProcess.run(python, [
            driver, "--db", path, "--symbols", "\(workload.symbols)", "--days", "\(workload.days)",
            "--threads", "\(workload.threads)", "--iterations", "\(workload.iterations)", "--seconds", "\(seconds)",
        ], timeoutSeconds: seconds + 60)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let last = Data((outcome.lines.last(where: { $0.hasPrefix("{") }) ?? "").utf8)
        if let failure = try? decoder.decode(Failure.self, from: last) {
            out.line("  skipped: the venv is incomplete (\(failure.error)); recreate it with comparisons/peers/setup-venv.sh")
            out.summarize("3. FactorWeave's pool", "skipped")
            return
        }
        guard let report = try? decoder.decode(Report.self, from: last) else {
            out.line("  the driver \(outcome.exit) without a report:")
            for line in outcome.lines.suffix(5) { out.line("    \(line)") }
            out.unexpected(["act 3's driver failed"])
            out.summarize("3. FactorWeave's pool", "failed to run")
            return
        }
        describe(report, out)
    }

    private func describe(_ report: Report, _ out: DemoOutput) {
        let stopped = report.stoppedByTime ? " (stopped at its time limit; \(DemoFormat.count(report.planned)) planned)" : ""
        out.line("  \(DemoFormat.count(report.queries)) queries in \(DemoFormat.seconds(report.seconds))\(stopped): \(DemoFormat.count(report.errors, "error")), "
            + "\(DemoFormat.count(report.wrong, "wrong result")), \(DemoFormat.qps(report.qps))")
        for (kind, count) in report.errorKinds.sorted(by: { $0.value > $1.value }) { out.line("    \(DemoFormat.count(count)) x \(kind)") }
        if report.errors > 0 { out.line("    (execute_query returned an empty DataFrame for each: the driver counted the exceptions it swallowed)") }
        out.line(String(format: "  connections created per query: %.2f", report.connectionsPerQuery)
            + " (\(DemoFormat.count(report.connectionsOpened)) opened in \(DemoFormat.count(report.connectAttempts)) attempts for \(DemoFormat.count(report.queries)) queries);")
        out.line("  \(DemoFormat.count(report.resetFailures)) check-ins failed their ROLLBACK (no transaction is active) and "
            + "\(DemoFormat.count(report.invalidations)) connections were discarded for it")
        let ratio = report.qps > 0 ? String(format: "%.1fx", duckPoolQPS / report.qps) : "n/a"
        out.line("  DuckPool \(DemoFormat.qps(duckPoolQPS)), FactorWeave's pool \(DemoFormat.qps(report.qps)): DuckPool \(ratio)")
        out.summarize(
            "3. FactorWeave's pool",
            "\(DemoFormat.count(report.queries)) queries, \(DemoFormat.count(report.errors, "error")), \(DemoFormat.count(report.wrong, "wrong result")), \(DemoFormat.qps(report.qps)), "
                + String(format: "%.2f connections per query; DuckPool ", report.connectionsPerQuery) + ratio
        )
    }

    private func skip(_ out: DemoOutput, _ title: String, _ hint: String) {
        out.heading(title)
        out.line("  skipped: \(hint)")
        out.summarize("3. FactorWeave's pool", "skipped")
    }
}
