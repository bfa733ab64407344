public import ArgumentParser
import DuckDBKit
import Foundation

/// `duckpool serve`: serves one DuckDB database file over DuckDB's Quack protocol from this
/// process, until SIGTERM or SIGINT. See ``ServeSession`` for the order of the steps.
public struct ServeCommand: AsyncParsableCommand, Sendable {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a DuckDB database file over DuckDB's Quack protocol until SIGTERM or SIGINT.",
        discussion: """
            Clients load httpfs and quack, CREATE SECRET (TYPE quack, TOKEN '...') and ATTACH \
            'quack:HOST:PORT'. Quack speaks plain HTTP: beyond loopback, the token and the data \
            cross the network unencrypted, so put a TLS reverse proxy in front of it. Only one \
            duckpool serve may hold a port (a lock file in $TMPDIR names the holder's PID).

            Standard output carries only machine-readable lines: with --insecure, \
            `token TOKEN` first; then `ready quack:HOST:PORT` once clients can connect. Log \
            lines (start, each client connect and disconnect, each failed authentication, \
            stop) go to standard error. SIGTERM or SIGINT stops the listener, checkpoints the \
            database, closes it and exits 0.
            """
    )

    @Option(help: "The DuckDB database file to serve. It must exist.")
    var db: String

    @Option(help: "Where to listen: HOST:PORT, or [IPV6]:PORT. A non-loopback address needs --token-file.")
    var listen = "127.0.0.1:9494"

    @Option(help: "A file holding the token clients must present (at least 4 characters; surrounding whitespace is ignored). Refused when every user may read it.")
    var tokenFile: String?

    @Flag(help: "Serve without a token file, on a loopback --listen only. Quack always requires a token: a random one is generated and printed on standard output as `token TOKEN`, before the ready line.")
    var insecure = false

    @Flag(help: "Open the database read-only: clients can read, and every write fails.")
    var readOnly = false

    @Flag(help: "Let clients reach this machine's files through SQL (read_csv, COPY ... TO, ATTACH, LOAD). Off by default: DuckDB's enable_external_access is turned off, and its configuration locked, before serving.")
    var allowFileAccess = false

    public init() {}

    public func validate() throws {
        let address = try Self.parseListen(listen)
        switch (tokenFile, insecure) {
        case (nil, false):
            throw ValidationError("a token is required: pass --token-file FILE (or --insecure, with a loopback --listen only)")
        case (.some, true):
            throw ValidationError("--insecure and --token-file exclude each other")
        case (nil, true) where !address.isLoopback:
            throw ValidationError("--insecure serves on loopback only, and --listen \(listen) is not a loopback address; use --token-file")
        default:
            break
        }
    }

    public func run() async throws {
        let settings = ServeSession.Settings(
            databasePath: db,
            address: try Self.parseListen(listen),
            tokenFile: tokenFile,
            readOnly: readOnly,
            allowFileAccess: allowFileAccess,
            extensionDirectory: ExtensionDirectory.defaultPath
        )
        // The session blocks in DuckDB calls and waits for a signal: a plain thread, never
        // Swift's cooperative pool.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try ServeSession(settings: settings).run() }) }.start()
        }
    }

    private static func parseListen(_ text: String) throws(ValidationError) -> ListenAddress {
        do { return try ListenAddress(parsing: text) } catch { throw ValidationError("--listen: \(error)") }
    }
}
