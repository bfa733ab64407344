import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP listener on 127.0.0.1 (no `SO_REUSEPORT`) on a port the kernel picks: to find a
/// port that was free a moment ago (``freePort()``), or to hold one as "another program" would.
final class LoopbackListener {
    /// The port it listens on.
    let port: Int
    private var descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeChildError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let failure = errno
            Glibc.close(fd)
            throw ServeChildError("could not listen on a loopback port: errno \(failure)")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port that was free when this returned (the listener is closed at once).
    static func freePort() throws -> Int {
        let listener = try LoopbackListener()
        listener.close()
        return listener.port
    }

    /// Stops listening. Idempotent.
    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}
