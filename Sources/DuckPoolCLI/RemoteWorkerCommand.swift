public import ArgumentParser
import DuckDBKit
import DuckPool
import Foundation

/// `duckpool remote-worker` (hidden): one client process of the multi-process tests and
/// benchmarks. It opens a `DuckPool` on a Quack server or a DuckLake (or a local file, the
/// baseline) and runs `--tasks` tasks
/// that each do their share of the work:
///
/// - `--increments N`: N `transaction(retry:)` increments of `debits.n` and `credits.n` (row 1 of
///   each), which must stay equal;
/// - `--reads N`: N reads of both counters, counting the reads that saw them differ ("torn");
/// - `--inserts N`: N inserts of `(worker, task, seq)` into `acks`, each retried while the
///   server is refused or restarting (up to `--patience` seconds), and announced on standard
///   output as `ack WORKER TASK SEQ` only once it succeeded.
///
/// The last line on standard output is a ``RemoteWorkerReport`` as JSON. Exit status 0 when
/// every operation succeeded, 3 otherwise. The tables must exist (the caller creates them).
public struct RemoteWorkerCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "remote-worker",
        abstract: "One client process of the multi-process tests and benchmarks.",
        shouldDisplay: false
    )

    @Option(help: "A local database file (the in-process baseline).") var db: String?
    @Option(help: "A Quack server, HOST:PORT.") var quack: String?
    @Option(help: "The file holding the Quack token.") var tokenFile: String?
    @Option(help: "A DuckLake catalog: a libpq connection string.") var lakePostgres: String?
    @Option(help: "A DuckLake's data path.") var lakeData: String?
    @Option(help: "This worker's number, recorded in its inserts.") var worker = 0
    @Option(help: "Concurrent tasks.") var tasks = 8
    @Option(help: "Transaction increments per task.") var increments = 0
    @Option(help: "Reads per task.") var reads = 0
    @Option(help: "Inserts per task.") var inserts = 0
    @Option(help: "Seconds an insert is retried while the server is refused.") var patience = 60
    @Option(help: "The pool's acquire timeout, in seconds.") var acquireTimeout = 60

    public init() {}

    public func run() async throws {
        let pool = try await DuckPool.open(target: try target(), configuration: Self.poolConfiguration(tasks: tasks, acquireTimeout: .seconds(acquireTimeout)))
        let tally = RemoteWorkerTally()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask { await self.work(task: task, pool: pool, tally: tally) }
            }
        }
        let report = tally.report(worker: worker, elapsed: ContinuousClock.now - started)
        await pool.close()
        Self.writeLine(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        if !report.errors.isEmpty { throw ExitCode(3) }
    }

    private func work(task: Int, pool: DuckPool, tally: RemoteWorkerTally) async {
        for _ in 0..<increments {
            await tally.record(.increment) {
                let started = ContinuousClock.now
                try await pool.transaction(retry: Self.conflictRetry) { connection in
                    try connection.execute("UPDATE debits SET n = n + 1 WHERE id = 1")
                    try connection.execute("UPDATE credits SET n = n + 1 WHERE id = 1")
                }
                tally.commitLatency(ContinuousClock.now - started)
            }
        }
        for _ in 0..<reads {
            await tally.record(.read) {
                let row = try await pool.query("SELECT (SELECT n FROM debits WHERE id = 1), (SELECT n FROM credits WHERE id = 1)").rows[0]
                if row[0] != row[1] { tally.torn() }
            }
        }
        for seq in 0..<inserts {
            await tally.record(.insert) {
                _ = try await Self.refusalRetry(patience: patience).run(on: PoolClock.continuous, shouldRetry: RemoteWorkerTally.isRefusal) { _ in
                    try await pool.execute("INSERT INTO acks VALUES (?, ?, ?)", [worker, task, seq])
                }
                Self.writeLine("ack \(worker) \(task) \(seq)")
            }
        }
    }

    /// One line on standard output, unbuffered: a reader sees an acknowledgement at once.
    private static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func target() throws -> DuckPoolTarget {
        if let db { return .file(db) }
        if let quack {
            guard let tokenFile else { throw ValidationError("--quack needs --token-file") }
            let address = try ListenAddress(parsing: quack)
            let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return .quack(QuackServer(host: address.host, port: address.port, token: token))
        }
        if let lakePostgres, let lakeData {
            return .duckLake(DuckLakeCatalog(postgres: lakePostgres, dataPath: lakeData))
        }
        throw ValidationError("give --db PATH, --quack HOST:PORT --token-file FILE, or --lake-postgres DSN --lake-data PATH")
    }

    /// The tables a worker uses, for the caller to create: two counters that every increment
    /// changes together, and the inserts' table.
    public static let schema = [
        "CREATE TABLE debits (id INTEGER, n BIGINT)", "INSERT INTO debits VALUES (1, 0)",
        "CREATE TABLE credits (id INTEGER, n BIGINT)", "INSERT INTO credits VALUES (1, 0)",
        "CREATE TABLE acks (worker INTEGER, task INTEGER, seq INTEGER)",
    ]

    /// One connection per task; reconnects every 5 to 50 ms while a server is down, with the
    /// circuit breaker out of the way, so that a restarted server is found at once.
    static func poolConfiguration(tasks: Int, acquireTimeout: Duration) -> DuckPoolConfiguration {
        var configuration = DuckPoolConfiguration()
        configuration.minimumConnections = 1
        configuration.maximumConnections = max(1, tasks)
        configuration.acquireTimeout = acquireTimeout
        configuration.circuitBreakerThreshold = 1_000_000
        configuration.connectRetry = RetryPolicy(initialDelay: .milliseconds(5), maximumDelay: .milliseconds(50))
        return configuration
    }

    /// Conflict retries with room for several processes on a loaded 2-core machine.
    static let conflictRetry = RetryPolicy(initialDelay: .milliseconds(2), maximumDelay: .milliseconds(200), jitter: .full, budget: .seconds(300))

    static func refusalRetry(patience: Int) -> RetryPolicy {
        RetryPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(250), jitter: .full, budget: .seconds(patience))
    }
}
