import DuckDBKit
import DuckPool
import Foundation
import DuckPoolSupport
import Synchronization

/// How long a cell runs: for a time, or for a number of queries per worker; after a warm-up.
struct BenchTiming: Sendable {
    var duration: Double
    var queriesPerWorker: Int?
    var warmup: Double
}

/// The measured outcome of one (mode, workload, workers) cell.
struct BenchCellResult: Sendable {
    var mode: BenchMode
    var workload: BenchWorkload
    var workers: Int
    var seconds: Double
    var queries: Int
    var errors: Int
    var latency: LatencySummary
    var acquire: LatencySummary
    var firstError: String?
    var note: String?

    var qps: Double { seconds > 0 ? Double(queries) / seconds : 0 }
}

/// The raw samples of one cell, over one or more rounds; summarized into a ``BenchCellResult``.
struct BenchCellSamples: Sendable {
    var mode: BenchMode
    var workload: BenchWorkload
    var workers: Int
    /// Measured seconds, summed over rounds.
    var seconds: Double
    var outcomes: [BenchRunner.WorkerOutcome]
    var note: String?

    /// Adds another round of the same cell.
    mutating func absorb(_ round: BenchCellSamples) {
        precondition(round.mode == mode && round.workload == workload && round.workers == workers, "rounds of different cells")
        seconds += round.seconds
        outcomes += round.outcomes
    }

    var result: BenchCellResult {
        BenchCellResult(
            mode: mode, workload: workload, workers: workers, seconds: seconds,
            queries: outcomes.reduce(0) { $0 + $1.latencies.count },
            errors: outcomes.reduce(0) { $0 + $1.errors },
            latency: LatencySummary(nanoseconds: outcomes.flatMap(\.latencies)),
            acquire: LatencySummary(nanoseconds: outcomes.flatMap(\.acquireWaits)),
            firstError: outcomes.lazy.compactMap(\.firstError).first,
            note: note
        )
    }
}

/// Runs one benchmark cell: on plain threads (never on Swift's cooperative pool), except the
/// `pool-async` mode, whose workers are tasks by design.
struct BenchRunner: Sendable {
    let database: Database
    let universe: BenchUniverse
    let timing: BenchTiming
    /// What the warm-up and the timed measurement last on (`duckpool bench`: the wall).
    let clock: PoolClock

    enum Phase {
        static let warmup = 0, measure = 1, stop = 2
    }

    /// What a worker thread hands back when it ends.
    struct WorkerOutcome: Sendable {
        var latencies: [UInt64] = []
        var acquireWaits: [UInt64] = []
        var errors = 0
        var firstError: String?
    }

    func run(mode: BenchMode, workload: BenchWorkload, workers: Int) async throws -> BenchCellSamples {
        if workload == .mixed { try resetWrites() }
        let target = try mode.makeTarget(database: database, workers: workers)
        let result: BenchCellSamples
        if mode == .poolAsync, let pool = target as? PoolTarget {
            result = await measureAsync(pool: pool, workload: workload, workers: workers)
        } else {
            result = await measureOnThreads(target: target, mode: mode, workload: workload, workers: workers)
        }
        await target.close()
        return result
    }

    /// `bench_writes` exists and is empty before every mixed cell.
    private func resetWrites() throws {
        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute(BenchWorkload.createWritesTable)
        try connection.execute("DELETE FROM bench_writes")
    }

    /// The worker threads of every mode but `pool-async`; the waits for them run on plain threads.
    private func measureOnThreads(target: any BenchTarget, mode: BenchMode, workload: BenchWorkload, workers: Int) async -> BenchCellSamples {
        let control = BenchControl(workers: workers)
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let universe = self.universe
        let quota = timing.queriesPerWorker
        for worker in 0..<workers {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                let outcome = Self.work(worker: worker, target: target, universe: universe, workload: workload, quota: quota, control: control, ready: ready)
                control.outcomes.withLock { $0[worker] = outcome }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        await onPlainThread { for _ in 0..<workers { ready.wait() } }
        let started = await drivePhases(control)
        await onPlainThread { done.wait() }
        let seconds = Double(monotonicNanoseconds() - started) / 1e9
        let outcomes = control.outcomes.withLock { $0 }
        return BenchCellSamples(mode: mode, workload: workload, workers: workers, seconds: seconds, outcomes: outcomes, note: target.note)
    }

    /// The warm-up, then the measured phase: for ``BenchTiming/duration`` on ``clock``, or until
    /// every worker has run its quota. Returns when the measured phase began (monotonic ns).
    private func drivePhases(_ control: BenchControl) async -> UInt64 {
        try? await clock.sleep(for: .seconds(timing.warmup))
        let started = monotonicNanoseconds()
        control.phase.store(Phase.measure, ordering: .releasing)
        if timing.queriesPerWorker == nil {
            try? await clock.sleep(for: .seconds(timing.duration))
            control.phase.store(Phase.stop, ordering: .releasing)
        }
        return started
    }

    /// `pool-async`: the workers are tasks using the async `withConnection`.
    private func measureAsync(pool target: PoolTarget, workload: BenchWorkload, workers: Int) async -> BenchCellSamples {
        let control = BenchControl(workers: workers)
        let universe = self.universe, timing = self.timing
        let pool = target.pool
        var started: UInt64 = 0
        let outcomes = await withTaskGroup(of: WorkerOutcome.self) { group -> [WorkerOutcome] in
            for worker in 0..<workers {
                group.addTask {
                    let recorder = LatencyRecorder(expected: timing.queriesPerWorker ?? 1 << 15)
                    var stream = BenchQueryStream(workload: workload, universe: universe, worker: worker)
                    var measured = 0
                    while true {
                        let phase = control.phase.load(ordering: .acquiring)
                        if phase == Phase.stop { break }
                        let measuring = phase == Phase.measure
                        if measuring, let limit = timing.queriesPerWorker, measured >= limit { break }
                        let query = stream.next()
                        let begin = monotonicNanoseconds()
                        do {
                            let acquired = try await pool.withConnection { connection -> UInt64 in
                                let acquired = monotonicNanoseconds()
                                _ = try BenchResultReader.readAll(connection.cachedStatement(query.sql).query(query.parameters))
                                return acquired
                            }
                            if measuring { recorder.record(latency: monotonicNanoseconds() - begin, acquireWait: acquired - begin) }
                        } catch {
                            if measuring { recorder.recordError(error) }
                        }
                        if measuring { measured += 1 }
                    }
                    return WorkerOutcome(latencies: recorder.latencies, acquireWaits: recorder.acquireWaits, errors: recorder.errors, firstError: recorder.firstError)
                }
            }
            started = await drivePhases(control)
            return await group.reduce(into: []) { $0.append($1) }
        }
        return BenchCellSamples(
            mode: .poolAsync, workload: workload, workers: workers, seconds: Double(monotonicNanoseconds() - started) / 1e9,
            outcomes: outcomes,
            note: "pool-async: the same pool from Swift tasks; each closure runs on its connection's serial queue"
        )
    }

    /// One worker thread: open its session, warm up, then measure until told to stop (or until
    /// it has run `quota` queries).
    private static func work(
        worker: Int, target: any BenchTarget, universe: BenchUniverse, workload: BenchWorkload,
        quota: Int?, control: BenchControl, ready: DispatchSemaphore
    ) -> WorkerOutcome {
        let session: any BenchSession
        do {
            session = try target.makeSession()
        } catch {
            ready.signal()
            return WorkerOutcome(errors: 1, firstError: "\(error)")
        }
        ready.signal()
        let recorder = LatencyRecorder(expected: quota ?? 1 << 15)
        var stream = BenchQueryStream(workload: workload, universe: universe, worker: worker)
        var measured = 0
        while true {
            let phase = control.phase.load(ordering: .acquiring)
            if phase == Phase.stop { break }
            let measuring = phase == Phase.measure
            if measuring, let quota, measured >= quota { break }
            let query = stream.next()
            let started = monotonicNanoseconds()
            do {
                let acquired = try session.run(query)
                if measuring { recorder.record(latency: monotonicNanoseconds() - started, acquireWait: acquired - started) }
            } catch {
                if measuring { recorder.recordError(error) }
            }
            if measuring { measured += 1 }
        }
        return WorkerOutcome(latencies: recorder.latencies, acquireWaits: recorder.acquireWaits, errors: recorder.errors, firstError: recorder.firstError)
    }
}

/// The phase flag and the workers' outcomes, shared by a cell's threads.
private final class BenchControl: Sendable {
    let phase = Atomic<Int>(0)
    let outcomes: LockedValue<[BenchRunner.WorkerOutcome]>

    init(workers: Int) { outcomes = LockedValue(Array(repeating: BenchRunner.WorkerOutcome(), count: workers)) }
}

/// Runs blocking code on a new plain thread and awaits its result, so that the cooperative
/// pool is never blocked.
func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.start()
    }
}
