import DuckPoolTestUtils
import Foundation

/// A `duckpool serve` child process for one test. Its standard output and error are collected
/// as they come; tests wait for a line instead of sleeping, and every wait has a time limit.
/// ``stop()`` (call it in a `defer`) kills it if it still runs; children still running when the
/// test process exits (a test stopped by its time limit skips its `defer`s) are killed then.
final class ServeChild {
    /// The outcome of ``run(in:_:environment:timeout:)``.
    struct Run {
        /// The exit status; nil when it had to be killed (it did not exit in time) or a signal
        /// ended it.
        var status: Int32?
        var output: String
        var errors: String
    }

    let process = Process()
    /// Standard output: `token ...`, `ready quack:...`.
    let output: ChildOutput
    /// Standard error: the log lines and errors.
    let errors: ChildOutput
    private let exited = DispatchSemaphore(value: 0)

    var pid: Int32 { process.processIdentifier }

    /// Starts `duckpool arguments...` with the test's environment plus `environment`, and with
    /// `TMPDIR` set to `directory`, so that the port lock files stay in the test's directory.
    /// `executable` is another program to run the same way (default: the `duckpool` binary).
    init(executable: String? = nil, in directory: TemporaryDirectory, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? DuckPoolBinary.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["TMPDIR": directory.url.path]) { $1 }) { $1 }
        let outputPipe = Pipe(), errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        output = ChildOutput(reading: outputPipe.fileHandleForReading)
        errors = ChildOutput(reading: errorPipe.fileHandleForReading)
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        LiveChildren.shared.insert(process.processIdentifier)
    }

    /// Runs `duckpool arguments...` expecting it to exit by itself (a refusal); kills it after
    /// `timeout` (a server that started although it should not have).
    static func run(in directory: TemporaryDirectory, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Run {
        let child = try ServeChild(in: directory, arguments, environment: environment)
        defer { child.stop() }
        let status = await child.waitForExit(timeout: timeout)
        child.stop()
        _ = await child.output.waitForEnd(timeout: .seconds(10))
        _ = await child.errors.waitForEnd(timeout: .seconds(10))
        return Run(status: status, output: child.output.text, errors: child.errors.text)
    }

    /// Waits for the `ready quack:HOST:PORT` line and returns `quack:HOST:PORT`.
    ///
    /// - Throws: when the child exits or `timeout` passes first, with what it printed.
    func waitUntilReady(timeout: Duration = .seconds(120)) async throws -> String {
        guard let line = await output.waitForLine(startingWith: "ready ", timeout: timeout) else {
            throw ServeChildError("no ready line; stdout: \(output.text) stderr: \(errors.text)")
        }
        return String(line.dropFirst("ready ".count))
    }

    /// Sends `signal` and waits for the exit and for the last of its output; returns the exit
    /// status, or nil when it did not exit by itself in time or a signal killed it.
    func stop(with signal: Int32, timeout: Duration = .seconds(60)) async -> Int32? {
        kill(pid, signal)
        let status = await waitForExit(timeout: timeout)
        _ = await output.waitForEnd(timeout: .seconds(10))
        _ = await errors.waitForEnd(timeout: .seconds(10))
        return status
    }

    /// Waits up to `timeout` for the child to exit, on a plain thread; returns its exit status,
    /// or nil when it still runs or a signal killed it.
    func waitForExit(timeout: Duration) async -> Int32? {
        await onPlainThread { [self] in
            guard exited.wait(timeout: .now() + .seconds(Int(timeout.components.seconds))) == .success else { return nil }
            exited.signal()
            return process.terminationReason == .exit ? process.terminationStatus : nil
        }
    }

    /// Kills the child if it still runs and waits for it. Idempotent.
    func stop() {
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        LiveChildren.shared.remove(process.processIdentifier)
    }

    deinit { stop() }
}

/// What a child wrote to one pipe, read by a thread of its own until the pipe ends.
///
/// Thread-safety: every stored property is read and written under `condition`.
final class ChildOutput: @unchecked Sendable {
    private let condition = NSCondition()
    private var data = Data()
    private var ended = false

    init(reading handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty { ended = true } else { data.append(chunk) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// Everything written so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits until `needle` has been written `occurrences` times; false when the pipe ends or
    /// `timeout` passes first.
    func wait(for needle: String, occurrences: Int = 1, timeout: Duration = .seconds(60)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.components(separatedBy: needle).count > occurrences ? true : nil } ?? false
    }

    /// Waits until the pipe ends (the child exited and closed it); false when `timeout` passes first.
    func waitForEnd(timeout: Duration) async -> Bool {
        await waitUntil(timeout: timeout) { [self] _ in ended ? true : nil } ?? false
    }

    /// Waits for a complete line starting with `prefix` and returns it.
    func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async -> String? {
        await waitUntil(timeout: timeout) { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.hasPrefix(prefix) }.map(String.init)
        }
    }

    /// Waits, on a plain thread, until `match` finds something in the text, the pipe ends, or
    /// `timeout` passes.
    private func waitUntil<T: Sendable>(timeout: Duration, _ match: @escaping @Sendable (String) -> T?) async -> T? {
        await onPlainThread { [self] in
            let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
            condition.lock()
            defer { condition.unlock() }
            while true {
                if let found = match(String(decoding: data, as: UTF8.self)) { return found }
                if ended || !condition.wait(until: deadline) { return match(String(decoding: data, as: UTF8.self)) }
            }
        }
    }
}

/// The PIDs of the `duckpool serve` children that may still run, killed when the test process
/// exits.
///
/// Thread-safety: `pids` is only touched under `lock`.
final class LiveChildren: @unchecked Sendable {
    static let shared: LiveChildren = {
        atexit { LiveChildren.shared.killAll() }
        return LiveChildren()
    }()

    private let lock = NSLock()
    private var pids: Set<Int32> = []

    func insert(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    func killAll() { lock.withLock { for pid in pids { kill(pid, SIGKILL) } } }
}

/// A test-side failure around a child process, with what the child printed.
struct ServeChildError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// The process handle, a semaphore and two thread-safe outputs: waits on a child happen on plain
// threads (``onPlainThread(_:)``), not the test's.
extension ServeChild: @unchecked Sendable {}
