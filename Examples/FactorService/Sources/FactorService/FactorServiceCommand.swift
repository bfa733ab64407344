import ArgumentParser
import FactorServiceApp
import Hummingbird
import Logging

/// `FactorService --db PATH [--hostname H] [--port P]`: serves the FactorWeave bars and factors
/// over HTTP until SIGTERM or SIGINT, then stops the server and closes the pool.
@main
struct FactorServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "FactorService",
        abstract: "Serve daily bars and factors from a DuckDB file over HTTP, through one DuckPool."
    )

    @Option(help: "The DuckDB file (created with an empty stock_kline table when missing).")
    var db: String

    @Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        guard (0...65_535).contains(port) else {
            throw ValidationError("the port must be between 0 and 65535")
        }
    }

    func run() async throws {
        var logger = Logger(label: "FactorService")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = FactorServiceConfiguration(databasePath: db)
        configuration.hostname = hostname
        configuration.port = port
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
        logger.info("FactorService stopped: the server finished its requests and the pool is closed")
    }
}
