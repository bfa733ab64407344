import Foundation

/// A task executor with its own fixed set of threads, sharing one FIFO queue of jobs.
///
/// Why it exists: ordo-one/benchmark runs an async benchmark body in a new task and blocks the
/// calling thread on a semaphore until it finishes, and that calling thread is one of Swift's
/// cooperative threads. On a 2-core machine the benchmark's tasks are then left with a single
/// cooperative thread, so they never run in parallel. Child tasks started under
/// `withTaskExecutorPreference(executor)` run on this executor's threads instead, so the
/// contended benchmark can also be measured with two threads really competing for the pool.
///
/// Deliberately simple (one lock, one condition variable); its own hand-off cost is part of
/// what the "yield only" baseline on the same executor measures.
final class ThreadsTaskExecutor: TaskExecutor, @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false

    /// Starts `threads` threads named `name-0`, `name-1`, ...
    init(threads: Int, name: String) {
        precondition(threads > 0)
        for index in 0..<threads {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.condition.lock()
        self.jobs.append(job)
        self.condition.signal()
        self.condition.unlock()
    }

    /// Lets the threads finish once the queue is empty. Enqueuing afterwards is a programming error.
    func stop() {
        self.condition.lock()
        self.stopping = true
        self.condition.broadcast()
        self.condition.unlock()
    }

    private func work() {
        let executor = self.asUnownedTaskExecutor()
        while true {
            self.condition.lock()
            while self.head == self.jobs.count, !self.stopping {
                self.condition.wait()
            }
            guard self.head < self.jobs.count else {
                self.condition.unlock()
                return
            }
            let job = self.jobs[self.head]
            self.head += 1
            if self.head == self.jobs.count {
                self.jobs.removeAll(keepingCapacity: true)
                self.head = 0
            } else if self.head >= 1_024 {
                self.jobs.removeFirst(self.head)
                self.head = 0
            }
            self.condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
