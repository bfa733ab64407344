import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive claim on a TCP port among `duckpool serve` processes: `flock` on
/// `<directory>/duckpool-quack-port-<port>.lock`, whose content is the holder's PID.
///
/// Quack's listener sets `SO_REUSEPORT`, so a second `quack_serve` on the same host and port
/// starts without error, even in another process, and the kernel then splits clients between
/// the two servers. This lock refuses the second `duckpool serve` instead. It is taken per
/// port, whatever the host, because `localhost`, `127.0.0.1` and `0.0.0.0` overlap. It does not
/// see Quack servers started by other programs.
///
/// The kernel drops the lock when the process ends, however it ends (SIGKILL included). The file
/// itself stays: removing it would let a process that opened the old file and one that creates
/// a new file both hold "the" lock.
///
/// Thread-safety: not `Sendable`; one owner, which keeps it for the process's lifetime.
final class PortLock {
    /// The lock file's path.
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// `$TMPDIR`, or `/tmp` when it is unset or empty.
    static var defaultDirectory: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Takes the lock for `port` without waiting and writes this process's PID into the file.
    ///
    /// - Throws: ``ServeFailure/portLocked(_:holder:lockFile:)`` naming the holder's PID when
    ///   another process holds it; a ``ServeFailure`` when the file cannot be opened.
    static func acquire(port: Int, directory: String = defaultDirectory) throws(ServeFailure) -> PortLock {
        let path = (directory as NSString).appendingPathComponent("duckpool-quack-port-\(port).lock")
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        // A lock file left by another user is readable but not writable; flock needs only a descriptor.
        if descriptor < 0, errno == EACCES { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw ServeFailure("cannot open the port lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let lockError = errno
            let holder = readPID(descriptor)
            close(descriptor)
            if lockError == EWOULDBLOCK { throw .portLocked(port, holder: holder, lockFile: path) }
            throw ServeFailure("cannot lock \(path): \(String(cString: strerror(lockError)))")
        }
        writePID(descriptor)
        return PortLock(path: path, descriptor: descriptor)
    }

    /// Releases the lock. Idempotent.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor) // closing the only descriptor drops the flock
        descriptor = -1
    }

    deinit { release() }

    /// The PID written in the file by its holder, if it has written one yet.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Best effort: a read-only descriptor (another user's file) cannot record the PID.
    private static func writePID(_ descriptor: Int32) {
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0 else { return }
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
}
