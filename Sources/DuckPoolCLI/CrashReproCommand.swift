import StockKline
public import ArgumentParser
import DuckPool
import Foundation
import Synchronization
import Logging

/// `duckpool crash-repro`: why pools exist. A child process shares one DuckDB connection between
/// threads with no guard (FactorWeave's bug) and the parent reports how it died; then the same
/// workload runs through a `DuckPool` in this process, without an error.
public struct CrashReproCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "crash-repro",
        abstract: "Show FactorWeave's crash (threads sharing one connection) in a child process, then the same workload through a pool.",
        discussion: """
            The child re-executes this program (/proc/self/exe) with a hidden subcommand and uses \
            DuckDB's C API directly: DuckDBKit's Connection would refuse the sharing. The parent \
            survives whatever happens to the child, repeats up to --attempts times until it fails, \
            and kills it after --timeout seconds.
            """
    )

    @Option(help: "Threads sharing the one connection (and threads using the pool).")
    var threads = 8

    @Option(help: "Queries per thread.")
    var iterations = 500

    @Option(help: "Child runs to try until one fails.")
    var attempts = 5

    @Option(help: "Seconds after which a hung child is killed.")
    var timeout = 60

    public init() {}

    public func validate() throws {
        guard threads > 0, iterations > 0, attempts > 0, timeout > 0 else {
            throw ValidationError("--threads, --iterations, --attempts and --timeout must be positive")
        }
    }

    public func run() async throws {
        let kline = StockKline.Size(symbols: 50, days: 100)
        print("crash-repro: \(threads) threads share ONE DuckDB connection (raw C API, no guard), \(iterations) queries each, in a child process")
        var failed = false
        for attempt in 1...attempts {
            let outcome = try await runChild()
            print("attempt \(attempt): the child \(outcome.exit)")
            for line in outcome.output.prefix(8) { print("    \(line)") }
            if outcome.output.count > 8 { print("    ... \(outcome.output.count - 8) more lines") }
            if outcome.exit != ChildExit(.exited(0)) {
                failed = true
                break
            }
        }
        if !failed { print("the child survived \(attempts) attempt(s); try more --threads, --iterations or --attempts") }

        print("")
        print("the same workload through a DuckPool: \(threads) threads, \(iterations) queries each")
        let (queries, errors, elapsed) = try await runThroughPool(kline)
        print(String(format: "pool: %d queries, %d errors, %.2f s", queries, errors, elapsed.millisecondsDouble / 1_000))
        if errors > 0 { throw ExitCode(1) }
    }

    /// Runs the child once: its exit and the lines it printed (standard output, then error).
    private func runChild() async throws -> (exit: ChildExit, output: [String]) {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let arguments = ["crash-repro-child", "--threads", "\(threads)", "--iterations", "\(iterations)"]
        let timeout = timeout
        return try await withCheckedThrowingContinuation { continuation in
            // Waiting for a process blocks: do it on a plain thread, not on Swift's task pool.
            Thread {
                continuation.resume(with: Result { try Self.runProcess(executable, arguments, timeoutSeconds: timeout) })
            }.start()
        }
    }

    private static func runProcess(_ executable: String, _ arguments: [String], timeoutSeconds: Int) throws -> (exit: ChildExit, output: [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-crash-repro-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        try? output.close()
        let exit: ChildExit
        if ended.wait(timeout: .now() + .seconds(timeoutSeconds)) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            exit = ChildExit(.hung)
        } else {
            process.waitUntilExit()
            exit = ChildExit(reason: process.terminationReason, status: process.terminationStatus)
        }
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        return (exit, text.split(separator: "\n").map(String.init))
    }

    /// The child's workload through a pool of in-memory connections, on plain threads.
    private func runThroughPool(_ kline: StockKline.Size) async throws -> (queries: Int, errors: Int, seconds: Duration) {
        var logger = Logger(label: "duckpool.crash-repro")
        logger.logLevel = .error
        var configuration = DuckPoolConfiguration()
        configuration.database.threads = 1
        let pool = try await DuckPool.open(path: ":memory:", configuration: configuration, logger: logger)
        for statement in kline.createStatements { try await pool.execute(statement) }
        let (threads, iterations) = (threads, iterations)
        let started = ContinuousClock.now
        let counts: (Int, Int) = await withCheckedContinuation { continuation in
            Thread {
                let queries = Atomic(0), errors = Atomic(0)
                let group = DispatchGroup()
                for thread in 0..<threads {
                    group.enter()
                    Thread {
                        defer { group.leave() }
                        for iteration in 0..<iterations {
                            let expected: Int
                            let rows: Result<Int, any Error>
                            switch (thread + iteration) % 3 {
                            case 0:
                                expected = 10
                                rows = Result { try pool.query(StockKline.firstRowsQuery).count }
                            case 1:
                                expected = kline.rows
                                rows = Result {
                                    guard case .int(let n)? = try pool.query(StockKline.countQuery).rows.first?.first else { return -1 }
                                    return Int(n)
                                }
                            default:
                                expected = kline.days
                                rows = Result { try pool.query(StockKline.symbolQuery, [StockKline.symbol(iteration % kline.symbols)]).count }
                            }
                            queries.add(1, ordering: .relaxed)
                            if (try? rows.get()) != expected { errors.add(1, ordering: .relaxed) }
                        }
                    }.start()
                }
                group.wait()
                continuation.resume(returning: (queries.load(ordering: .relaxed), errors.load(ordering: .relaxed)))
            }.start()
        }
        let elapsed = ContinuousClock.now - started
        await pool.close()
        return (counts.0, counts.1, elapsed)
    }
}
