import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// The blocking API is `noasync`: async code that opens a pool with the blocking initializers
/// does not compile. Checked by type-checking a client file against the modules this test run
/// was built with.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct NoAsyncTests {
    @Test func blockingOpenersDoNotCompileInAsyncCode() async throws {
        let directory = TemporaryDirectory()
        let client = directory.path("client.swift")
        try """
        import DuckPool
        func client() async throws {
            let byPath = try DuckPool(path: "unused.duckdb")
            let byTarget = try DuckPool(target: .inMemory)
            _ = (byPath, byTarget)
        }
        """.write(toFile: client, atomically: true, encoding: .utf8)
        let diagnostics = try await Self.typecheck(client)
        // One line per diagnostic starts with the file's path (the lines under it quote it).
        let refused = diagnostics.split(separator: "\n").filter {
            $0.hasPrefix(client) && $0.contains("error:") && $0.contains("is unavailable from asynchronous contexts")
        }
        #expect(refused.count == 2, "\(diagnostics)")
        #expect(refused.allSatisfy { $0.contains("use DuckPool.open(") }, "\(diagnostics)")
    }

    /// Runs `swiftc -typecheck` on `file` with this build's modules; returns its diagnostics.
    private static func typecheck(_ file: String) async throws -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var modules = testBinary.deletingLastPathComponent().appendingPathComponent("Modules").path
        if !FileManager.default.fileExists(atPath: modules) {
            // The xctest bundle on Linux is a file; on other layouts it may be a directory.
            modules = testBinary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Modules").path
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let duckDBInclude = try await run("/usr/bin/env", ["pkg-config", "--cflags-only-I", "duckdb"])
            .split(separator: " ").map { String($0.dropFirst(2)) }.filter { !$0.isEmpty }
        var arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules, "-I", packageRoot.appendingPathComponent("Sources/CDuckDB").path]
        for include in duckDBInclude { arguments += ["-Xcc", "-I\(include.trimmingCharacters(in: .whitespacesAndNewlines))"] }
        return try await run("/usr/bin/env", arguments + [file])
    }

    /// Runs a program on a plain thread; returns its standard output and error together.
    private static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await onPlainThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }
    }
}
