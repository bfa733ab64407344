import StockKline
public import ArgumentParser
import DuckPool
import Foundation
import Logging

/// `duckpool stress`: many tasks, one pool, mixed work and injected faults; then the invariants.
public struct StressCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run mixed reads, writes, transactions, bulk inserts and injected faults through one pool, then check the invariants.",
        discussion: """
            N tasks share one DuckPool (async API). Faults are injected at --fault-rate: malformed \
            SQL, cancelled tasks, deadlines, forced transaction conflicts, nested acquires and use \
            of a connection after its lease. Every outcome is counted by kind; at the end the \
            tables must hold exactly what the tasks saw committed and the pool must be idle. \
            Exits non-zero on any violation.
            """
    )

    @Option(help: "Database file (default: a new temporary file, removed afterwards). Its stress_* tables are dropped and recreated.")
    var db: String?

    @Option(help: "Operations in all, shared among the tasks.")
    var ops = 1_000_000

    @Option(help: "Concurrent Swift tasks.")
    var tasks = 64

    @Option(help: "The pool's maximum connections (below --tasks, so that tasks wait).")
    var poolSize = 8

    @Option(help: "Seed of the operation sequence.")
    var seed: UInt64 = 42

    @Option(help: "Share of operations that are injected faults (0...1).")
    var faultRate = 0.004

    @Option(help: "Deadline of the deadline faults, in milliseconds.")
    var deadlineMs = 20

    @Option(help: "Hot counter rows the increments are spread over.")
    var hotRows = 16

    @Option(help: "DuckDB worker threads per query. Default 1: with many connections running at once, intra-query parallelism only adds scheduling overhead (0: DuckDB's default, one per core).")
    var duckdbThreads = 1

    @Flag(help: "Log the pool's info messages (retries) to standard error.")
    var verbose = false

    public init() {}

    public func validate() throws {
        guard ops > 0, tasks > 0, poolSize > 0, hotRows > 0, deadlineMs > 0, duckdbThreads >= 0 else {
            throw ValidationError("--ops, --tasks, --pool-size, --hot-rows and --deadline-ms must be positive, --duckdb-threads not negative")
        }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must lie in 0...1") }
    }

    public func run() async throws {
        let temporary = db == nil
        let path = db ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("duckpool-stress-\(UUID().uuidString.prefix(8)).duckdb").path
        defer { if temporary { Self.remove(path) } }

        let kline = StockKline.Size(symbols: 50, days: 100)
        try prepareDatabase(path: path, kline: kline)
        var logger = Logger(label: "duckpool.stress")
        logger.logLevel = verbose ? .info : .error
        let pool = try await DuckPool.open(path: path, configuration: poolConfiguration(maximum: poolSize), logger: logger)
        let misusePool = try await DuckPool.open(path: ":memory:", configuration: poolConfiguration(maximum: 1), logger: logger)
        let workload = StressWorkload(
            pool: pool, misusePool: misusePool, kline: kline, hotRows: hotRows, deadline: .milliseconds(deadlineMs)
        )

        print("duckpool stress: \(ops) operations, \(tasks) tasks, pool max \(poolSize), seed \(seed), fault rate \(faultRate), database \(path)")
        let progress = ProgressBar("stress", total: ops)
        let started = ContinuousClock.now
        let tally = await runTasks(workload, progress: progress)
        let elapsed = ContinuousClock.now - started
        progress.finish()

        var invariants = StressInvariants()
        invariants.check("every outcome was an expected one", tally.violationCount == 0, "\(tally.violationCount) unexpected")
        invariants.check("every operation ran", tally.totalOperations == ops, "\(tally.totalOperations) of \(ops)")
        invariants.checkIdle(pool, name: "pool")
        invariants.checkIdle(misusePool, name: "misuse pool")
        try await invariants.checkData(in: pool, against: tally)
        let finalStatus = pool.status
        await pool.close()
        await misusePool.close()
        invariants.checkClosed(pool, name: "pool")
        invariants.checkClosed(misusePool, name: "misuse pool")

        StressReport(tally: tally, elapsed: elapsed, status: finalStatus, invariants: invariants, deadlineMs: deadlineMs).print()
        if !invariants.allPassed { throw ExitCode(1) }
    }

    private func poolConfiguration(maximum: Int) -> DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.maximumConnections = maximum
        configuration.minimumConnections = min(maximum, 4)
        configuration.nestedAcquisition = .fail
        configuration.acquireTimeout = .seconds(300)
        configuration.leakDetectionThreshold = nil
        configuration.database.threads = duckdbThreads > 0 ? duckdbThreads : nil
        return configuration
    }

    private func prepareDatabase(path: String, kline: StockKline.Size) throws {
        let database = try Database(path: path)
        let connection = try database.connect()
        try StressWorkload.createSchema(on: connection, kline: kline, hotRows: hotRows, tasks: tasks)
        connection.close()
        database.close()
    }

    private func runTasks(_ workload: StressWorkload, progress: ProgressBar) async -> StressTally {
        let (ops, tasks, seed, faultRate) = (ops, tasks, seed, faultRate)
        return await withTaskGroup(of: StressTally.self) { group in
            for task in 0..<tasks {
                let share = ops / tasks + (task < ops % tasks ? 1 : 0)
                group.addTask {
                    var worker = StressWorker(workload: workload, task: task, seed: seed)
                    return await worker.run(operations: share, faultRate: faultRate, progress: progress)
                }
            }
            var total = StressTally(hotRows: workload.hotRows)
            for await tally in group { total.merge(tally) }
            return total
        }
    }

    private static func remove(_ path: String) {
        for file in [path, path + ".wal"] { try? FileManager.default.removeItem(atPath: file) }
    }
}
