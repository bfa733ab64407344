import Foundation
import DuckPoolSupport

/// Runs `workers` plain threads that each call `body` for query numbers 0, 1, 2, ... until
/// `queriesPerWorker` are done or `seconds` have passed; collects latencies, errors and wrong
/// results (a ``WrongResult`` thrown by `body`). Blocking; call it from a plain thread.
enum DemoWorkers {
    struct Outcome: Sendable {
        var latencies: [UInt64] = []
        var errors: [String] = []
        var wrong: [String] = []
        var seconds = 0.0

        var queries: Int { latencies.count }
        var qps: Double { seconds > 0 ? Double(latencies.count) / seconds : 0 }
        var summary: LatencySummary { LatencySummary(nanoseconds: latencies) }
    }

    static func run(
        workers: Int, queriesPerWorker: Int? = nil, seconds: Double? = nil,
        progress: ProgressBar? = nil,
        _ body: @escaping @Sendable (_ worker: Int, _ index: Int) throws -> Void
    ) -> Outcome {
        let collected = LockedValue(Outcome())
        let done = DispatchGroup()
        let started = monotonicNanoseconds()
        let deadline = seconds.map { started + UInt64($0 * 1e9) }
        for worker in 0..<workers {
            done.enter()
            Thread {
                defer { done.leave() }
                var latencies: [UInt64] = []
                var errors: [String] = []
                var wrong: [String] = []
                var index = 0
                while queriesPerWorker.map({ index < $0 }) ?? true {
                    let begin = monotonicNanoseconds()
                    if let deadline, begin >= deadline { break }
                    do {
                        try body(worker, index)
                        latencies.append(monotonicNanoseconds() - begin)
                    } catch let mismatch as WrongResult {
                        wrong.append("worker \(worker) query \(index): \(mismatch)")
                    } catch {
                        errors.append("worker \(worker) query \(index): \(error)")
                    }
                    progress?.advance()
                    index += 1
                }
                collected.withLock { [latencies, errors, wrong] in
                    $0.latencies += latencies
                    $0.errors += errors
                    $0.wrong += wrong
                }
            }.start()
        }
        done.wait()
        var outcome = collected.withLock { $0 }
        outcome.seconds = Double(monotonicNanoseconds() - started) / 1e9
        return outcome
    }
}
