@testable import DuckPoolCLI
import DuckPoolTestUtils
import Foundation
import Testing

/// The port lock: one holder per port, named by PID; released by closing (the kernel also
/// releases it when the process dies). flock locks belong to open files, so two opens in one
/// process conflict like two processes do.
@Suite(.timeLimit(.minutes(1))) struct PortLockTests {
    @Test func aSecondClaimIsRefusedNamingTheHolder() throws {
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
        let again = try PortLock.acquire(port: 9494, directory: directory.url.path)
        again.release()
    }
}
