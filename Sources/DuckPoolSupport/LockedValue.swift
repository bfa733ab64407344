#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that can only be used while holding its lock (a `pthread_mutex_t`).
///
/// Why not `Synchronization.Mutex`: on Linux it is built on raw futex system calls, which
/// ThreadSanitizer cannot see, so every access guarded by it is reported as a data race and
/// `swift test --sanitize=thread` cannot be clean. A pthread mutex is intercepted by
/// ThreadSanitizer and costs the same when uncontended (no system call). It is the one lock of
/// the package: DuckDBKit, the pool core, the facade, the test utilities and the CLI all use it.
// @unchecked Sendable: `value` is only accessed inside `withLock`, between
// `pthread_mutex_lock` and `pthread_mutex_unlock` of `mutex`, which is allocated once in `init`,
// never moved, and destroyed in `deinit` when no thread can hold it. Values enter and leave
// only through `withLock`, and `Value` must be Sendable for that to be safe across threads.
package final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Wraps `value`.
    package init(_ value: Value) {
        self.value = value
        self.mutex = .allocate(capacity: 1)
        self.mutex.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(self.mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    deinit {
        pthread_mutex_destroy(self.mutex)
        self.mutex.deinitialize(count: 1)
        self.mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Do not call `withLock` of the same
    /// instance from `body` (the lock is not recursive), and keep `body` short: it blocks every
    /// other thread that needs the value.
    @inline(__always)
    package func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return try body(&self.value)
    }
}
