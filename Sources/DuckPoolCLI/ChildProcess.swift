import Foundation

/// Runs this program again as a child process (`/proc/self/exe` with other arguments), or any
/// other executable, and reports how it ended and what it printed. The parent survives whatever
/// happens to the child: a crash is a ``ChildExit`` like any other.
enum ChildProcess {
    /// How a child ended and its lines (standard output and error, interleaved as written).
    struct Outcome: Sendable {
        var exit: ChildExit
        var lines: [String]
    }

    /// The path of this program, for re-executing it.
    static func thisExecutable() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// Runs `executable arguments...` to its end, killing it after `timeoutSeconds`. Waiting
    /// blocks a plain thread, never one of Swift's task threads.
    static func run(_ executable: String, _ arguments: [String], timeoutSeconds: Double) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, timeoutSeconds: timeoutSeconds) })
            }.start()
        }
    }

    /// The blocking form of ``run(_:_:timeoutSeconds:)``. The output goes through a file, not a
    /// pipe, so that a child that prints a lot never blocks on a full pipe.
    static func runBlocking(_ executable: String, _ arguments: [String], timeoutSeconds: Double) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("duckpool-child-\(UUID().uuidString.prefix(8))")
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
        if ended.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            exit = ChildExit(.hung)
        } else {
            process.waitUntilExit()
            exit = ChildExit(reason: process.terminationReason, status: process.terminationStatus)
        }
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        return Outcome(exit: exit, lines: text.split(separator: "\n").map(String.init))
    }
}
