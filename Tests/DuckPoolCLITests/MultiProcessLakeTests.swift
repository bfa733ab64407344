import DuckPool
@testable import DuckPoolCLI
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// Several writer processes (`duckpool remote-worker`) on one DuckLake whose catalog lives in a
/// PostgreSQL server started for the test: every increment commits exactly once, and no read in
/// any process sees one counter changed without the other: 4 writers × 200 increments, and a
/// reader process alongside. Under a sanitizer (`make tsan`, `make leaks`) each writer makes 50:
/// four sanitized writer processes of 200 did not finish in the test's 9 minutes on 2 cores.
@Suite(.testThreads, .serialized, .timeLimit(.minutes(10))) struct MultiProcessLakeTests {
    static let writers = 4
    static let incrementsPerWriter = Sanitizer.scaled(200, sanitized: 50)

    @Test func fourWriterProcessesCommitExactlyAndNoReaderSeesHalfACommit() async throws {
        let directory = TemporaryDirectory()
        let postgres = try PostgresServer()
        defer { try? postgres.stop() }
        try postgres.createDatabase("lake")
        let dsn = postgres.connectionString(database: "lake")
        let dataPath = directory.path("lake") + "/"
        let lake = DuckLakeCatalog(postgres: dsn, dataPath: dataPath)

        let setup = try await DuckPool.open(target: .duckLake(lake))
        for statement in RemoteWorkerCommand.schema { try await setup.execute(statement) }
        await setup.close()

        // Writer processes, one task of increments each (then a few reads), and one reader process
        // whose reads run while they write.
        let lakeArguments = ["remote-worker", "--lake-postgres", dsn, "--lake-data", dataPath, "--tasks", "1"]
        let workers = try (0..<Self.writers).map { worker in
            try ServeChild(in: directory, lakeArguments + ["--worker", "\(worker)", "--increments", "\(Self.incrementsPerWriter)", "--reads", "25"])
        }
        let reader = try ServeChild(in: directory, lakeArguments + ["--worker", "\(Self.writers)", "--reads", "1000"])
        let reports = try await MultiProcessQuackTests.reports(of: workers, timeout: .seconds(540))
        #expect(reports.map(\.increments) == Array(repeating: Self.incrementsPerWriter, count: Self.writers), "\(reports)")
        #expect(reports.allSatisfy { $0.torn == 0 && $0.errors.isEmpty }, "\(reports)")
        let reads = try await MultiProcessQuackTests.reports(of: [reader], timeout: .seconds(120))[0]
        #expect(reads.reads == 1000 && reads.torn == 0 && reads.errors.isEmpty, "\(reads)")

        let check = try await DuckPool.open(target: .duckLake(lake))
        let totals = try await check.query("SELECT (SELECT n FROM debits), (SELECT n FROM credits)").rows
        await check.close()
        let expected = Int64(Self.writers * Self.incrementsPerWriter)
        #expect(totals == [[.int(expected), .int(expected)]])
    }
}
