import Foundation

/// A task executor with a fixed number of plain threads on which tests may block.
///
/// Swift's cooperative pool has one thread per core (two on our 2-core machines). Tests block:
/// they open databases, load extensions, start PostgreSQL and wait for child processes. Run on
/// that pool, they hold the threads that deadline timers, the pool's background work and the
/// other tests need, and on a loaded machine unrelated tests overran their time limits. Tests run
/// here instead (see the `testThreads` trait in `DuckPoolTestTraits`), while the library's own
/// unstructured tasks keep the cooperative pool, as in an application.
///
/// The thread count also bounds how much test code runs at once: with a thread for every waiting
/// job, about a hundred tests open databases at once, and on 2 cores a pool connect then takes
/// tens of seconds.
///
/// **Thread-safety:** `Sendable`; jobs may be enqueued from any thread.
public final class TestThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is read and written under `condition` only.

    /// The one executor every test shares: 8 threads.
    public static let shared = TestThreadExecutor(threads: 8)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    private init(threads: Int) {
        for number in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "duckpool.tests.\(number)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next > 1_024, next * 2 > jobs.count {
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
