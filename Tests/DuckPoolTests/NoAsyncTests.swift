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
        // The test binary sits beside the build's Modules directory (Linux layout).
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let modules = testBinary.deletingLastPathComponent().appendingPathComponent("Modules").path
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // CDuckDB's module map includes duckdb.h: its directory, when pkg-config knows it (make puts
        // the cached prefix on PKG_CONFIG_PATH); an error message from pkg-config adds no flag.
        let duckDBCFlags = try await run("/usr/bin/env", ["pkg-config", "--cflags-only-I", "duckdb"])
            .split(whereSeparator: \.isWhitespace).filter { $0.hasPrefix("-I") }.flatMap { ["-Xcc", String($0)] }
        let arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules, "-I", packageRoot.appendingPathComponent("Sources/CDuckDB").path]
        return try await run("/usr/bin/env", arguments + duckDBCFlags + [file])
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
