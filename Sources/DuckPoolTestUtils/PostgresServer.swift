import DuckPoolSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL server of its own for tests: Debian's packaged binaries, a fresh data directory
/// under /tmp, a free loopback port, trust authentication, no fsync. Stopped and deleted when
/// ``stop()`` runs or the value is released.
///
/// Run as root, every PostgreSQL program runs as the `postgres` user (`initdb` refuses root).
/// Missing binaries are an error naming the package to install, never a skip.
///
/// **Thread-safety:** `Sendable`; ``start()`` and ``stop()`` may be called from any thread, one
/// at a time.
public final class PostgresServer: Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    /// The data and socket directory (short: unix socket paths are limited to 107 bytes).
    public let directory: String
    private let binaries: String
    private let running = LockedValue<Running?>(nil)

    /// A started server's process, and its output.
    private struct Running: @unchecked Sendable {
        // @unchecked: Process and Pipe are used under `running`'s lock only.
        let process: Process
        let log: PostgresServerLog
    }

    /// Creates a cluster and starts it (about 3 s for `initdb` on this machine kind).
    /// - Throws: ``PostgresServerError`` when the binaries are missing or a step fails.
    public init() throws {
        binaries = try Self.findBinaries()
        guard let port = LoopbackPort.free() else { throw PostgresServerError("no free loopback port") }
        self.port = port
        directory = "/tmp/duckpool-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if geteuid() == 0 { try Self.run("/bin/chown", ["postgres:postgres", directory], asPostgres: false) }
        try run("initdb", ["-D", "\(directory)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        try start()
    }

    /// A libpq connection string for `database` on this server.
    public func connectionString(database: String) -> String {
        "dbname=\(database) host=127.0.0.1 port=\(port) user=postgres connect_timeout=5"
    }

    /// Creates a database.
    public func createDatabase(_ name: String) throws {
        try run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
    }

    /// Starts (or restarts) the server and returns once it accepts connections.
    ///
    /// The server is started through `setpriv --pdeathsig=INT`, so it is this process's own child
    /// and gets SIGINT (fast shutdown) when the test process dies without cleaning up: no
    /// PostgreSQL outlives the tests. It is started from ``ProcessSpawner``'s thread, which
    /// never exits: the signal follows the starting thread, not the process. As root, setpriv also switches to the `postgres` user.
    public func start() throws {
        let asPostgres = geteuid() == 0 ? ["--reuid=postgres", "--regid=postgres", "--init-groups"] : []
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = asPostgres + [
            "--pdeathsig=INT", "--", "\(binaries)/postgres", "-D", "\(directory)/data", "-p", "\(port)",
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=\(directory)",
            "-c", "fsync=off", "-c", "full_page_writes=off",
        ]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try ProcessSpawner.shared.run { try process.run() }
        let log = PostgresServerLog(output.fileHandleForReading)
        guard log.waitForReady() else {
            process.waitUntilExit()
            throw PostgresServerError("postgres did not start: \(log.text)")
        }
        running.withLock { $0 = Running(process: process, log: log) }
    }

    /// Stops the server (fast shutdown: open sessions are cut) and returns once it exited.
    public func stop() throws {
        guard let current = running.withLock({ state -> Running? in defer { state = nil }; return state }) else { return }
        current.process.interrupt()
        current.process.waitUntilExit()
    }

    deinit {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ program: String, _ arguments: [String]) throws {
        try Self.run("\(binaries)/\(program)", arguments, asPostgres: geteuid() == 0)
    }

    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: asPostgres ? "/usr/sbin/runuser" : executable)
        process.arguments = asPostgres ? ["-u", "postgres", "--", executable] + arguments : arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresServerError("\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let found = versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
        guard let found else {
            throw PostgresServerError("PostgreSQL is not installed: apt-get install -y postgresql (Debian's package provides \(root)/<version>/bin/initdb)")
        }
        return found
    }
}

/// A PostgreSQL test server could not be set up or controlled.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
