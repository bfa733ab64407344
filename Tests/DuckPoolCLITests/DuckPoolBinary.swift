import DuckPoolTestUtils
import Foundation

/// The built `duckpool` executable, run as a child process the way a user runs it.
enum DuckPoolBinary {
    struct Run {
        /// The exit status, or the signal's number when ``signalled``.
        var status: Int32
        /// True when a signal ended it.
        var signalled = false
        var output: String
        var errors: String
    }

    /// The executable beside the test bundle (SwiftPM builds both into the same folder).
    static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("duckpool")
    }

    /// Runs `duckpool arguments...` to its end, with this process's environment changed by
    /// `environment`. Reads both pipes while it runs, so a chatty child never blocks on a full pipe.
    /// Waits on a plain thread (``onPlainThread(_:)``): a run can last a minute.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        try await onPlainThread { try runBlocking(arguments, environment: environment) }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, output: String(decoding: outData, as: UTF8.self), errors: String(decoding: errData, as: UTF8.self))
    }
}
