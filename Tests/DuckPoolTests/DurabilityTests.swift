import DuckPoolSupport
import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// Issue #5: a writer process killed with SIGKILL in the middle of its load loses no transaction
/// that returned success, and leaves no partial one.
///
/// The writer is this test bundle itself, started again with `--filter` naming
/// ``writerChild()`` and ``childDatabaseVariable`` set: in that process the test writes batches
/// until it is killed, printing `BATCH <id>` on standard output after each commit returned. The
/// parent reads the pipe, kills the child after ``killAfter`` reports (no sleeps: it
/// synchronises on the pipe), and then checks the reopened database.
@Suite(.testThreads, .timeLimit(.minutes(2))) struct DurabilityTests {
    static let childDatabaseVariable = "DUCKPOOL_DURABILITY_CHILD"
    static let killAfter = 50

    /// In the child process: the writer, until SIGKILL. Anywhere else: a short in-process run of
    /// the same writer, checked the same way, so the load itself is known to be right.
    @Test func writerChild() async throws {
        if let path = ProcessInfo.processInfo.environment[Self.childDatabaseVariable] {
            // Bounded, so that a child whose parent died stops by itself.
            try await DurabilityWriter.run(path: path, batchesPerTask: 25_000) { batch in
                FileHandle.standardOutput.write(Data("BATCH \(batch)\n".utf8)) // one write(2): lines never interleave
            }
            return
        }
        let directory = TemporaryDirectory()
        let path = directory.path("writer.duckdb")
        let reported = LockedValue<[Int64]>([])
        try await DurabilityWriter.run(path: path, tasks: 3, batchesPerTask: 6) { batch in
            reported.withLock { $0.append(batch) }
        }
        let sizes = try DurabilityWriter.batchSizes(path: path)
        #expect(reported.withLock { $0.count } == 18)
        #expect(Set(reported.withLock { $0 }) == Set(sizes.keys))
        #expect(sizes.values.allSatisfy { $0 == DurabilityWriter.rowsPerBatch })
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe"), "re-executes itself through /proc/self/exe (Linux)"))
    func aKilledWriterKeepsEveryCommittedBatchAndNoPartialOne() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("killed.duckdb")
        let child = try await onPlainThread { try KilledChild.run(writingTo: path, killAfter: Self.killAfter, directory: directory) }
        try #require(child.reported.count >= Self.killAfter, "the child stopped early: \(child.standardError)")
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)

        let sizes = try DurabilityWriter.batchSizes(path: path)
        let missing = child.reported.filter { sizes[$0] != DurabilityWriter.rowsPerBatch }
        #expect(missing.isEmpty, "batches reported committed but missing or partial: \(missing.prefix(10))")
        let partial = sizes.filter { $0.value != DurabilityWriter.rowsPerBatch }
        #expect(partial.isEmpty, "partial batches: \(partial.prefix(10))")
        // Batches committed but not yet reported when the kill landed are allowed (and complete).
        #expect(sizes.count >= child.reported.count)
    }
}

/// Starts this test bundle again as the writer, reads its reports and kills it with SIGKILL.
struct KilledChild {
    var reported: [Int64]
    var terminationReason: Process.TerminationReason
    var terminationStatus: Int32
    var standardError: String

    /// Blocks the calling (plain) thread until the child has been killed and has exited.
    static func run(writingTo path: String, killAfter: Int, directory: TemporaryDirectory) throws -> KilledChild {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["--testing-library", "swift-testing", "--filter", "DurabilityTests/writerChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[DurabilityTests.childDatabaseVariable] = path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let errorPath = directory.path("child.stderr")
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardError = errorFile
        try process.run()
        try? errorFile.close()

        // A safety net against a hung child, not a synchronisation: normally the pipe decides.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
        defer { watchdog.cancel() }

        var reported: [Int64] = []
        var buffer = Data()
        var killed = false
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break } // end of file: the child is gone
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.hasPrefix("BATCH "), let batch = Int64(line.dropFirst(6)) { reported.append(batch) }
            }
            if !killed, reported.count >= killAfter {
                kill(pid, SIGKILL) // mid-load: the writer tasks have transactions in flight
                killed = true
            }
        }
        process.waitUntilExit()
        let standardError = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return KilledChild(
            reported: reported, terminationReason: process.terminationReason,
            terminationStatus: process.terminationStatus, standardError: String(standardError.suffix(2_000))
        )
    }
}
