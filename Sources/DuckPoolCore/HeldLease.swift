import Glibc

/// One scoped lease that is in progress: which pool, which connection, and which task holds it.
///
/// Nodes form a stack (`next` is the enclosing scope's node) kept in a task-local (async scopes)
/// or a thread-local (blocking scopes), so that a nested scope can find out whether its task or
/// thread already holds a connection of the same pool. Immutable, hence `Sendable`.
final class HeldLease: Sendable {
    let poolID: Int
    let connection: any PoolableConnection
    /// The holding task (``currentTaskIdentity()``), or 0 for a blocking scope on a thread.
    let owner: Int
    let next: HeldLease?

    init(poolID: Int, connection: any PoolableConnection, owner: Int, next: HeldLease?) {
        self.poolID = poolID
        self.connection = connection
        self.owner = owner
        self.next = next
    }

    /// The innermost held lease of `poolID` that belongs to `owner`.
    func find(poolID: Int, owner: Int) -> HeldLease? {
        var node: HeldLease? = self
        while let current = node {
            if current.poolID == poolID, current.owner == owner {
                return current
            }
            node = current.next
        }
        return nil
    }
}

/// Identifies the current task, so that child tasks (which inherit task-locals) are not taken
/// for the task that opened the scope. 0 outside any task.
func currentTaskIdentity() -> Int {
    withUnsafeCurrentTask { task in task?.hashValue ?? 0 }
}

/// The scoped leases of the current task (async `withLease`).
enum TaskLeaseContext {
    @TaskLocal static var current: HeldLease?
}

/// The scoped leases of the current thread (`withLeaseBlocking`), kept under a pthread key.
enum ThreadLeaseContext {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key, nil)
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// The innermost scoped lease of this thread.
    static var current: HeldLease? {
        guard let raw = pthread_getspecific(self.key) else { return nil }
        return Unmanaged<HeldLease>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Runs `body` with `lease` as the thread's innermost scoped lease, then restores the previous one.
    static func withValue<T, E: Error>(_ lease: HeldLease, _ body: () throws(E) -> T) throws(E) -> T {
        let previous = pthread_getspecific(self.key)
        let retained = Unmanaged.passRetained(lease)
        pthread_setspecific(self.key, retained.toOpaque())
        defer {
            pthread_setspecific(self.key, previous)
            retained.release()
        }
        return try body()
    }
}
