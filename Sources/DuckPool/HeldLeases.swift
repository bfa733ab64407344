#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which pools' connections the current thread is using right now, so that a nested blocking
/// acquire on the same pool is detected instead of deadlocking. Async callers' closures run on a
/// connection's queue, which registers itself here while the closure runs, so nesting from
/// inside them is caught too.
enum HeldLeases {
    final class Stack {
        var entries: [(pool: ObjectIdentifier, connection: PooledConnection)] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<Stack>.fromOpaque(pointer).release()
        }
        return key
    }()

    private static var current: Stack {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
        }
        let stack = Stack()
        pthread_setspecific(key, Unmanaged.passRetained(stack).toOpaque())
        return stack
    }

    /// The connection of `pool` this thread is using, if any.
    static func connection(of pool: ObjectIdentifier) -> PooledConnection? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        let stack = Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
        return stack.entries.last { $0.pool == pool }?.connection
    }

    /// Records that this thread uses `connection` of `pool` while `body` runs.
    static func holding<T>(_ connection: PooledConnection, of pool: ObjectIdentifier, _ body: () throws -> T) rethrows -> T {
        let stack = current
        stack.entries.append((pool, connection))
        defer { stack.entries.removeLast() }
        return try body()
    }
}
