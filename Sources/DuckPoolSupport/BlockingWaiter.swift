#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-shot value handed from one thread to a thread that blocks until it arrives
/// (pthread mutex + condition variable).
///
/// Used by the blocking lease APIs: the waiting thread calls ``wait()``; whoever serves or fails
/// the request calls ``signal(_:)`` once, from any thread. Any number of threads may wait: the
/// signal wakes them all, and a wait after it returns at once (a latch).
// @unchecked Sendable: `value` is only read and written while `mutex` is locked; the mutex and
// the condition variable are allocated once in `init`, never moved, and destroyed in `deinit`
// when no thread can be using them (both sides hold a strong reference while they use them).
package final class BlockingWaiter<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var value: Value?

    package init() {
        self.mutex = .allocate(capacity: 1)
        self.mutex.initialize(to: pthread_mutex_t())
        self.condition = .allocate(capacity: 1)
        self.condition.initialize(to: pthread_cond_t())
        let mutexResult = pthread_mutex_init(self.mutex, nil)
        precondition(mutexResult == 0, "pthread_mutex_init failed: \(mutexResult)")
        let conditionResult = pthread_cond_init(self.condition, nil)
        precondition(conditionResult == 0, "pthread_cond_init failed: \(conditionResult)")
    }

    deinit {
        pthread_cond_destroy(self.condition)
        pthread_mutex_destroy(self.mutex)
        self.condition.deinitialize(count: 1)
        self.condition.deallocate()
        self.mutex.deinitialize(count: 1)
        self.mutex.deallocate()
    }

    /// Delivers the value and wakes every waiting thread. Call once; a later call replaces the
    /// value for later waiters.
    package func signal(_ value: Value) {
        pthread_mutex_lock(self.mutex)
        self.value = value
        pthread_cond_broadcast(self.condition)
        pthread_mutex_unlock(self.mutex)
    }

    /// Blocks the calling thread until ``signal(_:)`` delivered a value, and returns it.
    package func wait() -> Value {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        while true {
            if let value = self.value {
                return value
            }
            pthread_cond_wait(self.condition, self.mutex)
        }
    }
}
