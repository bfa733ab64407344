@testable import DuckPoolCLI
import DuckPoolTestTraits
import DuckPoolTestUtils
import Foundation
import Testing

/// The port lock: one holder per port, named by PID; released by closing (the kernel also
/// releases it when the process dies). flock locks belong to open files, so two opens in one
/// process conflict like two processes do.
@Suite(.testThreads, .timeLimit(.minutes(1))) struct PortLockTests {
    @Test func aSecondClaimIsRefusedNamingTheHolder() async throws {
        let directory = TemporaryDirectory()
        let lock = try PortLock.acquire(port: 9494, directory: directory.url.path)
        #expect(lock.path == directory.path("duckpool-quack-port-9494.lock"))
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
        #expect { try PortLock.acquire(port: 9494, directory: directory.url.path) } throws: { error in
            "\(error)".contains("port 9494 is already served by duckpool serve PID \(getpid())")
        }
        // Another port is another lock.
        _ = try PortLock.acquire(port: 9495, directory: directory.url.path)
        lock.release()
        // Other tests of this process start child processes all the time, and a child holds a
        // copy of every descriptor (close-on-exec included) from the spawn until its exec, the
        // lock's among them: a re-acquire may lose that brief race, so it gets a few tries.
        var again: PortLock?
        for _ in 0..<1_000 where again == nil {
            again = try? PortLock.acquire(port: 9494, directory: directory.url.path)
            if again == nil { await Task.yield() }
        }
        #expect(again != nil)
        again?.release()
    }
}
