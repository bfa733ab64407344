import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// `duckpool serve` driven by a client we did not write: DuckDB's own Python client (duckdb 1.5.5
/// from PyPI, in the venv `scripts/python-duckdb-venv.sh` makes) with the official httpfs and
/// quack extensions. It reads, writes, and is refused with a wrong token.
@Suite(.testThreads, .serialized, .timeLimit(.minutes(5))) struct PythonQuackClientTests {
    @Test func duckDBsPythonClientReadsWritesAndIsRefusedAWrongToken() async throws {
        let directory = TemporaryDirectory()
        let path = try ServeCommandTests.makeDatabase(in: directory)
        let port = try LoopbackListener.freePort()
        let server = try ServeChild(in: directory, ["serve", "--db", path, "--listen", "127.0.0.1:\(port)", "--token-file", try ServeCommandTests.writeToken(in: directory)])
        defer { server.stop() }
        let uri = try await server.waitUntilReady()

        let python = try await Self.run(Self.repository + "/scripts/python-duckdb-venv.sh", [], in: directory)
        let output = try await Self.run(python.trimmingCharacters(in: .whitespacesAndNewlines), [
            Self.repository + "/Tests/DuckPoolCLITests/Python/quack_client.py",
            ExtensionDirectory.defaultPath, uri, ServeCommandTests.token, "not-the-token",
        ], in: directory)
        let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(result?["version"] as? String == "1.5.5")
        #expect("\(result?["rows"] ?? "")" == "\([[1, "a"], [2, "b"]] as [[Any]])")
        #expect(result?["count"] as? Int == 3)
        #expect((result?["refused"] as? String)?.contains("Authentication failed") == true, "\(output)")
        #expect(await server.errors.wait(for: "quack authentication failed"), "\(server.errors.text)")

        #expect(await server.stop(with: SIGTERM) == 0, "\(server.errors.text)")
        let database = try Database(path: path)
        defer { database.close() }
        #expect(try database.connect().query("SELECT s FROM t WHERE i = 3").rows() == [[.string("from python")]])
    }

    /// The repository's root, from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs a program to its end; returns its standard output, or throws with both outputs.
    static func run(_ executable: String, _ arguments: [String], in directory: TemporaryDirectory) async throws -> String {
        let child = try ServeChild(executable: executable, in: directory, arguments)
        defer { child.stop() }
        let status = await child.waitForExit(timeout: .seconds(240))
        _ = await child.output.waitForEnd(timeout: .seconds(10))
        _ = await child.errors.waitForEnd(timeout: .seconds(10))
        guard status == 0 else { throw ServeChildError("\(executable) exited \(String(describing: status)): \(child.errors.text)") }
        return child.output.text
    }
}
