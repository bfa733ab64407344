import Foundation

/// Starts child processes from one thread that lives as long as the test process.
///
/// `setpriv --pdeathsig` signals a child when the *thread* that started it exits, not the
/// process, and the threads of Swift's cooperative pool and of Dispatch come and go: a server
/// started from one of them can be stopped in the middle of a test. Children started here are
/// signalled only when the test process dies.
///
/// **Thread-safety:** `Sendable`; ``run(_:)`` may be called from any thread.
final class ProcessSpawner: @unchecked Sendable {
    // @unchecked: `pending` is read and written under `condition` only.
    static let shared = ProcessSpawner()

    private let condition = NSCondition()
    private var pending: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while pending.isEmpty { condition.wait() }
                let work = pending.removeFirst()
                condition.unlock()
                work()
            }
        }
        thread.name = "duckpool-test-spawner"
        thread.start()
    }

    /// Runs `body` on the spawner's thread and returns its result; blocks until it has run.
    func run<T>(_ body: @escaping () throws -> T) throws -> T {
        let done = NSCondition()
        var result: Result<T, any Error>?
        condition.lock()
        pending.append {
            let outcome = Result { try body() }
            done.lock()
            result = outcome
            done.signal()
            done.unlock()
        }
        condition.signal()
        condition.unlock()
        done.lock()
        while result == nil { done.wait() }
        done.unlock()
        return try result!.get()
    }
}
