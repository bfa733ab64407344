import DuckPool
@testable import DuckPoolCLI
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// Several client processes (`duckpool remote-worker`, each with a `DuckPool` on the server and
/// its own tasks) against one `duckpool serve` child: exact counts, typed refusals, and a server
/// killed with SIGKILL during writes. Serialized; every wait for a child runs on a plain thread
/// (see ``ServeChild``), never on Swift's cooperative pool.
@Suite(.testThreads, .serialized, .timeLimit(.minutes(8))) struct MultiProcessQuackTests {
    @Test func fourClientProcessesOfEightTasksCountExactly() async throws {
        let directory = TemporaryDirectory()
        let path = try Self.makeCounters(in: directory)
        let port = try LoopbackListener.freePort()
        let tokenFile = try ServeCommandTests.writeToken(in: directory)
        let server = try ServeChild(in: directory, ["serve", "--db", path, "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile])
        defer { server.stop() }
        _ = try await server.waitUntilReady()

        let workers = try (0..<4).map { worker in
            try ServeChild(in: directory, Self.worker(port: port, tokenFile: tokenFile, worker, ["--tasks", "8", "--increments", "5", "--reads", "5"]))
        }
        let reports = try await Self.reports(of: workers)
        #expect(reports.map(\.increments) == [40, 40, 40, 40], "\(reports)")
        #expect(reports.map(\.reads) == [40, 40, 40, 40], "\(reports)")
        #expect(reports.allSatisfy { $0.torn == 0 && $0.errors.isEmpty }, "\(reports)")

        #expect(await server.stop(with: SIGTERM) == 0, "\(server.errors.text)")
        #expect(try Self.rows("SELECT (SELECT n FROM debits), (SELECT n FROM credits)", in: path) == [[.int(160), .int(160)]])
    }

    @Test func aWrongTokenIsTheTypedAuthenticationError() async throws {
        let directory = TemporaryDirectory()
        let path = try Self.makeCounters(in: directory)
        let port = try LoopbackListener.freePort()
        let server = try ServeChild(in: directory, ["serve", "--db", path, "--listen", "127.0.0.1:\(port)", "--token-file", try ServeCommandTests.writeToken(in: directory)])
        defer { server.stop() }
        _ = try await server.waitUntilReady()
        let wrongToken = try ServeCommandTests.writeToken(in: directory, contents: "not-the-token\n", name: "wrong")
        let client = try ServeChild(in: directory, Self.worker(port: port, tokenFile: wrongToken, 0, ["--tasks", "1", "--reads", "1", "--acquire-timeout", "10"]))
        let report = try await Self.reports(of: [client])[0]
        #expect(client.process.terminationStatus == 3)
        #expect(report.reads == 0)
        #expect(report.errors.keys.contains { $0.hasSuffix("authenticationFailed") }, "\(report.errors)")
        #expect(await server.errors.wait(for: "quack authentication failed"), "\(server.errors.text)")
    }

    @Test func aServerKilledDuringWritesKeepsEveryAcknowledgedWriteAndClientsRecover() async throws {
        let directory = TemporaryDirectory()
        let path = try Self.makeCounters(in: directory)
        let port = try LoopbackListener.freePort()
        let tokenFile = try ServeCommandTests.writeToken(in: directory)
        let serve = ["serve", "--db", path, "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile]
        var server = try ServeChild(in: directory, serve)
        defer { server.stop() }
        _ = try await server.waitUntilReady()

        let workers = try (0..<2).map { worker in
            try ServeChild(in: directory, Self.worker(port: port, tokenFile: tokenFile, worker, ["--tasks", "4", "--inserts", "40", "--patience", "120"]))
        }
        // Kill the server once both clients have had writes acknowledged, then serve the file again.
        var bothAcknowledged = true
        for worker in workers { bothAcknowledged = await worker.output.wait(for: "ack ", occurrences: 10, timeout: .seconds(120)) && bothAcknowledged }
        #expect(bothAcknowledged)
        _ = await server.stop(with: SIGKILL)
        server = try ServeChild(in: directory, serve)
        _ = try await server.waitUntilReady()

        let reports = try await Self.reports(of: workers)
        #expect(reports.map(\.inserts) == [160, 160], "\(reports)")
        #expect(reports.allSatisfy { $0.errors.isEmpty }, "\(reports)")
        #expect(await server.stop(with: SIGTERM) == 0, "\(server.errors.text)")

        let acknowledged = Set(workers.flatMap { $0.output.text.split(separator: "\n").filter { $0.hasPrefix("ack ") }.map { String($0.dropFirst(4)) } })
        let stored = Set(try Self.rows("SELECT worker || ' ' || task || ' ' || seq FROM acks", in: path).compactMap { row -> String? in
            if case .string(let text) = row[0] { text } else { nil }
        })
        #expect(acknowledged.count == 320)
        // An insert whose answer the kill cut off was retried, so a row may be there twice; none
        // that was acknowledged may be missing.
        #expect(acknowledged.subtracting(stored).isEmpty, "missing: \(acknowledged.subtracting(stored).sorted())")
    }

    /// `remote-worker` arguments for the server on `port`.
    static func worker(port: Int, tokenFile: String, _ number: Int, _ work: [String]) -> [String] {
        ["remote-worker", "--quack", "127.0.0.1:\(port)", "--token-file", tokenFile, "--worker", "\(number)"] + work
    }

    /// ``report(of:timeout:)`` of each worker, in order.
    static func reports(of workers: [ServeChild], timeout: Duration = .seconds(300)) async throws -> [RemoteWorkerReport] {
        var reports: [RemoteWorkerReport] = []
        for worker in workers { reports.append(try await report(of: worker, timeout: timeout)) }
        return reports
    }

    /// Waits for a worker to finish (exit 0) and decodes its report, its last line.
    static func report(of worker: ServeChild, timeout: Duration = .seconds(300)) async throws -> RemoteWorkerReport {
        let status = await worker.waitForExit(timeout: timeout)
        _ = await worker.output.waitForEnd(timeout: .seconds(10))
        guard let line = worker.output.text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw ServeChildError("no report (exit \(String(describing: status))); stderr: \(worker.errors.text)")
        }
        return try JSONDecoder().decode(RemoteWorkerReport.self, from: Data(line.utf8))
    }

    /// A database with the counters and the acknowledgement table a worker uses.
    static func makeCounters(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("served.duckdb")
        let database = try Database(path: path)
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        for statement in RemoteWorkerCommand.schema { try connection.execute(statement) }
        return path
    }

    static func rows(_ sql: String, in path: String) throws -> [[DuckDBValue]] {
        let database = try Database(path: path)
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        return try connection.query(sql).rows()
    }
}
