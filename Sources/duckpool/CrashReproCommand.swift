import ArgumentParser

struct CrashReproCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash-repro")
}

struct CrashReproChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash-repro-child", shouldDisplay: false)
}
