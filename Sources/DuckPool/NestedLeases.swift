#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The leases whose bodies run on the current thread, innermost last: the one place where a
/// nested acquisition is recognised.
///
/// A lease's body always runs on a thread: the connection's serial queue for async callers, the
/// caller's own thread for blocking ones. While it runs, the lease is recorded here, so that a
/// call on the same pool from inside the body finds it instead of waiting for a second
/// connection (which deadlocks a pool whose connections are all held by such callers), and so
/// that the pool's own helpers (a transaction's COMMIT) can reach the lease they run in.
enum NestedLeases {
    fileprivate final class Stack {
        var entries: [(pool: ObjectIdentifier, lease: ActiveLease)] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { releaseStack($0) }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    private static var stack: Stack {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
        }
        let stack = Stack()
        pthread_setspecific(key, Unmanaged.passRetained(stack).toOpaque())
        return stack
    }

    /// The innermost lease of `pool` running on this thread, if any.
    static func current(of pool: ObjectIdentifier) -> ActiveLease? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        return Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue().entries.last { $0.pool == pool }?.lease
    }

    /// Records `lease` of `pool` as running on this thread while `body` runs.
    static func running<T>(_ lease: ActiveLease, of pool: ObjectIdentifier, _ body: () throws -> T) rethrows -> T {
        let stack = self.stack
        stack.entries.append((pool, lease))
        defer { stack.entries.removeLast() }
        return try body()
    }
}

/// The thread-exit destructor of ``NestedLeases``' key (a C function pointer: no captures).
private func releaseStack(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<NestedLeases.Stack>.fromOpaque(pointer).release()
}
