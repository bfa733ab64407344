import DuckPool
@testable import DuckPoolCLI
import DuckPoolTestUtils
import Foundation
import Testing

/// Several writer processes (`duckpool remote-worker`) on one DuckLake whose catalog lives in a
/// PostgreSQL server started for the test: every increment commits exactly once, and no read in
/// any process sees one counter changed without the other.
@Suite(.serialized, .timeLimit(.minutes(10))) struct MultiProcessLakeTests {
    static let writers = 4
    static let incrementsPerWriter = 50

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

        // Each writer process: one task of increments and one of reads, both running throughout.
        let workers = try (0..<Self.writers).map { worker in
            try ServeChild(in: directory, [
                "remote-worker", "--lake-postgres", dsn, "--lake-data", dataPath, "--worker", "\(worker)",
                "--tasks", "1", "--increments", "\(Self.incrementsPerWriter)", "--reads", "10",
            ])
        }
        let reports = try workers.map { try MultiProcessQuackTests.report(of: $0, timeout: .seconds(540)) }
        #expect(reports.map(\.increments) == Array(repeating: Self.incrementsPerWriter, count: Self.writers), "\(reports)")
        #expect(reports.allSatisfy { $0.torn == 0 && $0.errors.isEmpty }, "\(reports)")

        let check = try await DuckPool.open(target: .duckLake(lake))
        let totals = try await check.query("SELECT (SELECT n FROM debits), (SELECT n FROM credits)").rows
        await check.close()
        let expected = Int64(Self.writers * Self.incrementsPerWriter)
        #expect(totals == [[.int(expected), .int(expected)]])
    }
}
