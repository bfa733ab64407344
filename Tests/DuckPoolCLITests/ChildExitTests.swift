@testable import DuckPoolCLI
import DuckPoolTestTraits
import Foundation
import Testing

/// `duckpool crash-repro` reports how its child died; the crash itself is not deterministic,
/// its description is.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct ChildExitTests {
    @Test func signalsAreNamed() {
        #expect(ChildExit(reason: .uncaughtSignal, status: SIGSEGV).description == "killed by signal 11 (SIGSEGV)")
        #expect(ChildExit(reason: .uncaughtSignal, status: SIGABRT).description == "killed by signal 6 (SIGABRT)")
        #expect(ChildExit(reason: .uncaughtSignal, status: SIGKILL).description == "killed by signal 9 (SIGKILL)")
        #expect(ChildExit.name(ofSignal: 64) == "signal 64")
    }

    @Test func exitsAreToldApartFromCrashes() {
        #expect(ChildExit(reason: .exit, status: 0) == ChildExit(.exited(0)))
        #expect(ChildExit(reason: .exit, status: 0).description == "exited normally (status 0)")
        #expect(ChildExit(reason: .exit, status: 3).description == "exited with status 3")
        #expect(!ChildExit(reason: .exit, status: 3).isCrash)
        #expect(ChildExit(reason: .uncaughtSignal, status: SIGSEGV).isCrash)
        #expect(ChildExit(.hung).isCrash)
        #expect(ChildExit(.hung).description.contains("time limit"))
    }

    /// A real child killed by a real signal is described by the signal, as crash-repro reports it.
    /// (SIGKILL, because the test runner may hand its children other signals ignored.)
    @Test func aRealChildKilledByASignalIsReportedAsSuch() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "kill -KILL $$"]
        try process.run()
        process.waitUntilExit()
        #expect(ChildExit(reason: process.terminationReason, status: process.terminationStatus) == ChildExit(.signalled(SIGKILL)))
    }
}
