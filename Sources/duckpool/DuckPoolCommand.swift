import ArgumentParser
import DuckPoolCLI

/// `duckpool`: generate a `stock_kline` database, demo the pool on it, benchmark and stress it;
/// serve a database over Quack.
@main
struct DuckPoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duckpool",
        abstract: "A DuckDB connection pool for Swift: demo, generate, benchmark and stress tools, and a Quack server.",
        subcommands: [
            DemoCommand.self, GenerateCommand.self, BenchCommand.self, StressCommand.self, CrashReproCommand.self,
            BenchReadCommand.self, BenchLoadCommand.self, BenchDeadlinesCommand.self, CrashReproChildCommand.self,
            BenchColumnsCommand.self, ServeCommand.self, RemoteWorkerCommand.self,
        ],
        defaultSubcommand: DemoCommand.self
    )
}
