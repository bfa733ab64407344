public import ArgumentParser
import DuckPool
import Foundation

/// `duckpool bench-deadlines`: how late a call whose `timeout:` passes gets its typed error, for a
/// statement DuckDB can interrupt (a long scan) and one it cannot (seconds of planning), through
/// the async and the blocking API. The figures of `docs/reliability.md` come from here.
public struct BenchDeadlinesCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "bench-deadlines",
        abstract: "Measure how far past its timeout a call returns, for execution- and planning-heavy statements, async and blocking."
    )

    @Option(help: "Calls per cell.")
    var runs = 20

    @Option(help: "The calls' timeout, in milliseconds.")
    var timeoutMs = 200

    @Option(help: "Terms of the OR chain that makes DuckDB plan for seconds (planning time grows with the square of it).")
    var orTerms = 10_000

    @Flag(help: "Print one JSON object per cell instead of a table.")
    var json = false

    public init() {}

    public func validate() throws {
        guard runs > 0, timeoutMs > 0, orTerms > 1 else { throw ValidationError("--runs, --timeout-ms and --or-terms must be positive") }
    }

    enum Statement: String, CaseIterable { case execution, planning }
    enum Mode: String, CaseIterable { case async, blocking }

    public func run() async throws {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = 1
        configuration.acquireTimeout = .seconds(3_600) // the next call waits for an abandoned plan to end
        let pool = try await DuckPool.open(path: ":memory:", configuration: configuration)
        try await pool.execute("CREATE TABLE counters (id INTEGER, n BIGINT)")
        try await pool.execute("INSERT INTO counters VALUES (1, 0)")
        let timeout = Duration.milliseconds(timeoutMs)
        if !json { print("timeout \(timeoutMs) ms, \(runs) calls per cell; overshoot = time from the call's start to its error, minus the timeout") }
        for statement in Statement.allCases {
            let sql = statement == .execution
                ? "SELECT count(*) FROM range(100000000000) a WHERE a.range = -1"
                : "DELETE FROM counters WHERE id = 1 AND (" + (2...orTerms).map { "id = -\($0)" }.joined(separator: " OR ") + " OR id = 1)"
            for mode in Mode.allCases {
                var overshoots: [Double] = [], outcomes: [String: Int] = [:]
                for _ in 0..<runs {
                    _ = try await pool.query("SELECT 1") // the connection is back from the previous call
                    let started = ContinuousClock.now
                    let outcome: String
                    switch mode {
                    case .async:
                        outcome = await Self.outcome { try await pool.execute(sql, timeout: timeout) }
                    case .blocking:
                        outcome = await Self.onThread { Self.blockingOutcome { try pool.execute(sql, timeout: timeout) } }
                    }
                    overshoots.append((ContinuousClock.now - started - timeout).millisecondsDouble)
                    outcomes[outcome, default: 0] += 1
                }
                report(statement, mode, overshoots.sorted(), outcomes)
            }
        }
        let rows = try await pool.query("SELECT n FROM counters").count
        await pool.close()
        if rows != 1 { throw ValidationError("a timed-out DELETE ran: counters has \(rows) rows") }
    }

    private func report(_ statement: Statement, _ mode: Mode, _ sorted: [Double], _ outcomes: [String: Int]) {
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))] }
        let outcomeText = outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        if json {
            print(#"{"statement":"\#(statement.rawValue)","mode":"\#(mode.rawValue)","timeout_ms":\#(timeoutMs),"runs":\#(runs),"overshoot_p50_ms":\#(String(format: "%.1f", at(0.5))),"overshoot_p95_ms":\#(String(format: "%.1f", at(0.95))),"overshoot_max_ms":\#(String(format: "%.1f", sorted.last ?? 0)),"outcomes":"\#(outcomeText)"}"#)
        } else {
            let cell = "\(statement.rawValue) \(mode.rawValue)".padding(toLength: 20, withPad: " ", startingAt: 0)
            print(cell + String(format: "overshoot p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (", at(0.5), at(0.95), sorted.last ?? 0) + outcomeText + ")")
        }
    }

    private static func outcome(_ body: () async throws -> Int) async -> String {
        do { _ = try await body(); return "returned" } catch { return StressOutcome.name(of: error) }
    }

    private static func blockingOutcome(_ body: () throws -> Int) -> String {
        do { _ = try body(); return "returned" } catch { return StressOutcome.name(of: error) }
    }

    /// Runs `body` on a new plain thread: blocking calls must never run on the cooperative pool.
    private static func onThread(_ body: @escaping @Sendable () -> String) async -> String {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
    }
}
