import Foundation

/// How a child process ended, in words: `killed by signal 11 (SIGSEGV)`, `exited with status 3`.
/// Value type.
struct ChildExit: Equatable, Sendable, CustomStringConvertible {
    enum Kind: Equatable, Sendable {
        /// It exited by itself with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
        /// It ran past the time limit and was killed.
        case hung
    }

    var kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// From Foundation's `Process` after it ended.
    init(reason: Process.TerminationReason, status: Int32) {
        kind = reason == .uncaughtSignal ? .signalled(status) : .exited(status)
    }

    /// True when it crashed or hung, as opposed to exiting by itself.
    var isCrash: Bool {
        if case .exited = kind { false } else { true }
    }

    var description: String {
        switch kind {
        case .exited(0): "exited normally (status 0)"
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "killed by signal \(signal) (\(Self.name(ofSignal: signal)))"
        case .hung: "hung, and was killed after the time limit"
        }
    }

    /// The usual name of a Linux signal number (`SIGSEGV`), or `signal N`.
    static func name(ofSignal signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGPIPE: "SIGPIPE"
        case SIGALRM: "SIGALRM"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
