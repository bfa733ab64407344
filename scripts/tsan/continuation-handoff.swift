// A correct program that ThreadSanitizer reports on this toolchain (Swift 6.3.1, Linux): tasks
// park an UnsafeContinuation in a slot guarded by a pthread mutex, and another thread takes it
// under the same mutex and resumes it. Every resume happens once, after the park, ordered by the
// mutex. TSan still reports data races between `UnsafeContinuation.resume` (its write of the
// result into the waiting task's frame, in the task allocator) and the task's own frame accesses
// after it resumes, or an earlier resume of a frame at the same address: the hand-off through
// the concurrency runtime is not visible to it. scripts/tsan/check-continuation-suppression.sh
// runs this with and without scripts/tsan.supp. DuckPool's pool core and lease completion hand
// continuations over the same way.
import Foundation
import Dispatch

/// A pthread-mutex guarded slot: a continuation parked by one task, resumed by another thread.
final class Handoff: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var parked: UnsafeContinuation<Int, Never>?
    private var early: Int?
    init() { pthread_mutex_init(&mutex, nil) }

    func deliver(_ value: Int) {
        pthread_mutex_lock(&mutex)
        let c = parked
        parked = nil
        if c == nil { early = value }
        pthread_mutex_unlock(&mutex)
        c?.resume(returning: value)
    }

    func wait(start: () -> Void) async -> Int {
        await withUnsafeContinuation { (c: UnsafeContinuation<Int, Never>) in
            pthread_mutex_lock(&mutex)
            if let value = early {
                early = nil
                pthread_mutex_unlock(&mutex)
                c.resume(returning: value)
                return
            }
            parked = c
            pthread_mutex_unlock(&mutex)
            start()
        }
    }
}

let releasers = DispatchQueue(label: "releasers")
let workers = DispatchQueue(label: "workers")
let rounds = Int(CommandLine.arguments.dropFirst().first ?? "20000")!
let tasks = 8
await withTaskGroup(of: Int.self) { group in
    for t in 0..<tasks {
        group.addTask {
            var sum = 0
            for i in 0..<rounds {
                let first = Handoff(), second = Handoff()
                sum &+= await first.wait { releasers.async { first.deliver(i) } }
                sum &+= await second.wait { workers.async { second.deliver(t) } }
            }
            return sum
        }
    }
    var total = 0
    for await s in group { total &+= s }
    print("done", total)
}
