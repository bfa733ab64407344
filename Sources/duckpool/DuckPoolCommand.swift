import ArgumentParser
import DuckPoolCLI

/// `duckpool`: generate a `stock_kline` database, demo the pool on it, benchmark and stress it.
@main
struct DuckPoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duckpool",
        abstract: "A DuckDB connection pool for Swift: demo, generate, benchmark and stress tools.",
        subcommands: [
            DemoCommand.self, GenerateCommand.self, BenchCommand.self, StressCommand.self, CrashReproCommand.self,
            BenchReadCommand.self, BenchLoadCommand.self, BenchDeadlinesCommand.self, CrashReproChildCommand.self,
            BenchColumnsCommand.self,
        ],
        defaultSubcommand: DemoCommand.self
    )
}
