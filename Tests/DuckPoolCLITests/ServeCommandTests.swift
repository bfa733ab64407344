import DuckPool
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// `duckpool serve` run as a child process, with a Quack client in the test process. Every test
/// waits for lines the child prints (never sleeps, every wait bounded), and kills its children
/// when it ends (see ``ServeChild``). Serialized: each test blocks a thread of Swift's
/// cooperative pool while it waits for its child, and one at a time leaves the others free.
@Suite(.testThreads, .serialized, .timeLimit(.minutes(5))) struct ServeCommandTests {
    static let token = "test-token-2718"

    @Test func servesRowsToATokenHolderAndLogsConnectsAndFailedLogins() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(port)", "--token-file", try Self.writeToken(in: directory)])
        defer { child.stop() }
        let uri = try await child.waitUntilReady()
        #expect(uri == "quack:127.0.0.1:\(port)")
        #expect(await child.errors.wait(for: "serving "), "\(child.errors.text)")

        let client = try QuackClient(token: Self.token)
        defer { client.close() }
        try client.attach(uri)
        #expect(try client.connection.query("SELECT i, s FROM remote.t ORDER BY i").rows() == [[.int(1), .string("a")], [.int(2), .string("b")]])
        #expect(await child.errors.wait(for: "quack client connected"), "\(child.errors.text)")

        let intruder = try QuackClient(token: "wrong-token")
        defer { intruder.close() }
        #expect { try intruder.attach(uri) } throws: { "\($0)".contains("Authentication failed") }
        #expect(await child.errors.wait(for: "quack authentication failed"), "\(child.errors.text)")

        try client.connection.execute("DETACH remote")
        #expect(await child.errors.wait(for: "quack client disconnected"), "\(child.errors.text)")
        #expect(await child.stop(with: SIGTERM) == 0, "\(child.errors.text)")
    }

    @Test func writesThroughQuackAreCheckpointedWhenSIGTERMStopsTheServer() async throws {
        let directory = TemporaryDirectory()
        let path = try Self.makeDatabase(in: directory)
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", path, "--listen", "127.0.0.1:\(port)", "--token-file", try Self.writeToken(in: directory)])
        defer { child.stop() }
        let client = try QuackClient(token: Self.token)
        defer { client.close() }
        try client.attach(try await child.waitUntilReady())
        try client.connection.execute("INSERT INTO remote.t VALUES (3, 'c')")
        _ = try client.connection.query("FROM quack_query_by_name('remote', 'INSERT INTO t VALUES (4, ''d'')')").rows()
        #expect(FileManager.default.fileExists(atPath: path + ".wal"), "the writes should sit in the WAL before the stop")

        // The client stays attached: the stop must not wait for it.
        #expect(await child.stop(with: SIGTERM) == 0, "\(child.errors.text)")
        #expect(child.errors.text.contains("checkpointed and closed"), "\(child.errors.text)")
        #expect(!FileManager.default.fileExists(atPath: path + ".wal"))
        let database = try Database(path: path)
        defer { database.close() }
        #expect(try database.connect().query("SELECT count(*), max(i) FROM t").rows() == [[.int(4), .int(4)]])
    }

    @Test func sigintStopsAsCleanlyAsSIGTERM() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(port)", "--token-file", try Self.writeToken(in: directory)])
        defer { child.stop() }
        _ = try await child.waitUntilReady()
        #expect(await child.stop(with: SIGINT) == 0, "\(child.errors.text)")
        #expect(child.errors.text.contains("received SIGINT"))
        #expect(child.errors.text.contains("checkpointed and closed"))
    }

    @Test func readOnlyServesReadsAndRefusesWrites() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(port)", "--token-file", try Self.writeToken(in: directory), "--read-only"])
        defer { child.stop() }
        let client = try QuackClient(token: Self.token)
        defer { client.close() }
        try client.attach(try await child.waitUntilReady())
        #expect(await child.errors.wait(for: "read-only on quack:"), "\(child.errors.text)")
        #expect(try client.connection.query("SELECT count(*) FROM remote.t").scalar() == .int(2))
        #expect { try client.connection.execute("INSERT INTO remote.t VALUES (9, 'z')") } throws: { "\($0)".contains("read-only mode") }
        #expect { try client.connection.query("FROM quack_query_by_name('remote', 'CREATE TABLE u(i INT)')").rows() } throws: { "\($0)".contains("read-only mode") }
        #expect(await child.stop(with: SIGTERM) == 0, "\(child.errors.text)")
    }

    @Test func clientsCannotReachTheServersFilesUnlessAllowed() async throws {
        let directory = TemporaryDirectory()
        let tokenFile = try Self.writeToken(in: directory)
        let readToken = "FROM quack_query_by_name('remote', 'SELECT content FROM read_text(''\(tokenFile)'')')"
        for allowed in [false, true] {
            let port = try LoopbackListener.freePort()
            let child = try ServeChild(
                in: directory, ["serve", "--db", try Self.makeDatabase(in: directory, name: "files-\(allowed).duckdb"), "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile]
                    + (allowed ? ["--allow-file-access"] : [])
            )
            defer { child.stop() }
            let client = try QuackClient(token: Self.token)
            defer { client.close() }
            try client.attach(try await child.waitUntilReady())
            try client.connection.execute("INSERT INTO remote.t VALUES (3, 'c')")
            if allowed {
                #expect(try client.connection.query(readToken).rows() == [[.string(Self.token + "\n")]])
            } else {
                #expect { try client.connection.query(readToken).rows() } throws: { "\($0)".contains("file system operations are disabled by configuration") }
                #expect { try client.connection.query("FROM quack_query_by_name('remote', 'SET enable_external_access = true')").rows() } throws: {
                    "\($0)".contains("the configuration has been locked")
                }
            }
            #expect(await child.stop(with: SIGTERM) == 0, "\(child.errors.text)")
        }
    }

    @Test func insecurePrintsTheTokenQuackGenerated() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "localhost:\(port)", "--insecure"])
        defer { child.stop() }
        let uri = try await child.waitUntilReady()
        let token = try #require(await child.output.waitForLine(startingWith: "token ")).dropFirst("token ".count)
        #expect(token.count >= 16)
        let client = try QuackClient(token: String(token))
        defer { client.close() }
        try client.attach(uri)
        #expect(try client.connection.query("SELECT count(*) FROM remote.t").scalar() == .int(2))
        #expect(await child.stop(with: SIGTERM) == 0, "\(child.errors.text)")
    }

    @Test func aSecondServeOnThePortIsRefusedNamingTheFirstPID() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let tokenFile = try Self.writeToken(in: directory)
        let first = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory, name: "one.duckdb"), "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile])
        defer { first.stop() }
        _ = try await first.waitUntilReady()
        // Another host spelling of the same port: the lock is per port.
        let second = try await ServeChild.run(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory, name: "two.duckdb"), "--listen", "localhost:\(port)", "--token-file", tokenFile])
        #expect(second.status == 1)
        #expect(second.errors.contains("port \(port) is already served by duckpool serve PID \(first.pid)"), "\(second.errors)")
        #expect(await first.stop(with: SIGTERM) == 0)
    }

    @Test func aDatabaseLockedByAnotherProcessIsRefusedNamingIt() async throws {
        let directory = TemporaryDirectory()
        let path = try Self.makeDatabase(in: directory)
        let holder = try Database(path: path)
        defer { holder.close() }
        let run = try await ServeChild.run(in: directory, ["serve", "--db", path, "--listen", "127.0.0.1:\(try LoopbackListener.freePort())", "--token-file", try Self.writeToken(in: directory)])
        #expect(run.status == 1)
        #expect(run.errors.contains("is locked by another process (PID \(getpid()))"), "\(run.errors)")
    }

    @Test func aPortHeldByAnotherProgramIsRefused() async throws {
        let directory = TemporaryDirectory()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let run = try await ServeChild.run(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(listener.port)", "--token-file", try Self.writeToken(in: directory)])
        #expect(run.status == 1)
        #expect(run.errors.contains("cannot listen on 127.0.0.1:\(listener.port)"), "\(run.errors)")
        #expect(run.errors.contains("Failed to bind"), "\(run.errors)")
    }

    @Test func aMissingExtensionNamesTheInstallScript() async throws {
        let directory = TemporaryDirectory()
        let empty = directory.path("no-extensions")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let run = try await ServeChild.run(
            in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(try LoopbackListener.freePort())", "--token-file", try Self.writeToken(in: directory)],
            environment: ["DUCKPOOL_EXTENSION_DIR": empty]
        )
        #expect(run.status == 1)
        #expect(run.errors.contains("the DuckDB extension 'httpfs' is not installed in \(empty)"), "\(run.errors)")
        #expect(run.errors.contains("scripts/install-extensions.sh"))
    }

    /// Every connect and every disconnect is a line, each before the client's next step: Quack's
    /// log reaches the server's log storage as DuckDB writes it, and nothing is kept or dropped.
    @Test func everyConnectAndDisconnectIsALineAsItHappens() async throws {
        let directory = TemporaryDirectory()
        let port = try LoopbackListener.freePort()
        let child = try ServeChild(in: directory, ["serve", "--db", try Self.makeDatabase(in: directory), "--listen", "127.0.0.1:\(port)", "--token-file", try Self.writeToken(in: directory)])
        defer { child.stop() }
        let uri = try await child.waitUntilReady()
        let client = try QuackClient(token: Self.token)
        defer { client.close() }
        for round in 1...10 {
            try client.attach(uri)
            #expect(await child.errors.wait(for: "quack client connected", occurrences: round), "round \(round): \(child.errors.text)")
            #expect(try client.connection.query("SELECT count(*) FROM remote.t").scalar() == .int(2))
            try client.connection.execute("DETACH remote")
            #expect(await child.errors.wait(for: "quack client disconnected", occurrences: round), "round \(round): \(child.errors.text)")
        }
        #expect(await child.stop(with: SIGTERM) == 0)
        #expect(Self.count("quack client connected", in: child.errors.text) == 10, "\(child.errors.text)")
        #expect(Self.count("quack client disconnected", in: child.errors.text) == 10, "\(child.errors.text)")
    }

    @Test func refusedArgumentsAndTokenFilesSayWhy() async throws {
        let directory = TemporaryDirectory()
        let db = try Self.makeDatabase(in: directory)
        let token = try Self.writeToken(in: directory)
        let cases: [([String], String)] = [
            (["--db", db], "a token is required: pass --token-file"),
            (["--db", db, "--insecure", "--listen", "0.0.0.0:9494"], "--insecure serves on loopback only"),
            (["--db", db, "--insecure", "--token-file", token], "--insecure and --token-file exclude each other"),
            (["--db", db, "--insecure", "--listen", "localhost"], "--listen: 'localhost' has no port"),
            (["--db", db, "--insecure", "--listen", "127.0.0.1:0"], "--listen: port 0 is refused by Quack"),
            (["--db", db, "--insecure", "--listen", "::1:9494"], "--listen: write an IPv6 address in brackets"),
            (["--db", db, "--token-file", directory.path("absent")], "cannot read the token file"),
            (["--db", db, "--token-file", try Self.writeToken(in: directory, mode: 0o644, name: "open")], "is readable by every user (mode 644); run `chmod 600"),
            (["--db", db, "--token-file", try Self.writeToken(in: directory, contents: " abc \n", name: "short")], "has 3 characters; Quack needs at least 4"),
            (["--db", directory.path("absent.duckdb"), "--token-file", token], "no database at"),
        ]
        for (arguments, message) in cases {
            let run = try await ServeChild.run(in: directory, ["serve"] + arguments)
            #expect(run.status != nil && run.status != 0, "\(arguments): \(run.errors)")
            #expect(run.errors.contains(message), "\(arguments): \(run.errors)")
            #expect(!run.output.contains("ready"), "\(arguments)")
        }
    }

    // MARK: - Fixtures

    /// A database with `t(i, s)` holding (1, 'a') and (2, 'b'), closed again.
    static func makeDatabase(in directory: TemporaryDirectory, name: String = "served.duckdb") throws -> String {
        let path = directory.path(name)
        let database = try Database(path: path)
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute("CREATE TABLE t(i INTEGER, s VARCHAR)")
        try connection.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
        return path
    }

    /// A token file only its owner can read, holding `contents` (default: ``token`` and a newline).
    static func writeToken(in directory: TemporaryDirectory, contents: String = token + "\n", mode: Int = 0o600, name: String = "token") throws -> String {
        let path = directory.path(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
