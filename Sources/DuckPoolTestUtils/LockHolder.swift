import Foundation

/// Another process that holds a POSIX record lock (`fcntl`, as DuckDB uses) on a file until it
/// is stopped. It signals over its stdout once the lock is held, so the test never sleeps.
public final class LockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Starts the process and returns once it holds the lock on `path`.
    public init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import fcntl, sys
            f = open(sys.argv[1], 'r+b')
            fcntl.lockf(f, fcntl.LOCK_EX)
            print('locked', flush=True)
            sys.stdin.read()
            """, path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Block until the child says it holds the lock.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
    }

    /// The holder's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Lets the lock go and waits for the process to exit.
    public func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
