import Benchmark
import DuckPoolCore

// Micro-benchmarks of DuckPoolCore's ConnectionPool with the test doubles (no DuckDB).
//
// Every benchmark runs 1,000 operations per measured iteration (`scalingFactor: .kilo`), so the
// reported wall clock and malloc counts are per operation (one lease + one release). Targets:
// <= 250 ns for the uncontended blocking path, <= 2 us for the uncontended async path.
//
// The core has no scoped lease any more (DuckPool's `withConnection` is the one scoped API):
// LeaseBenchmarks measures that path on DuckDB.

/// How many tasks and connections the contended benchmark uses.
private let contendingTasks = 8
private let contendedConnections = 2
/// Threads of the task executor used by the "2 threads" contended variant.
private let executorThreadCount = 2

/// Share of acquires that waited for a connection, per iteration (contended benchmark only).
private let waitedShare = BenchmarkMetric.custom("waited acquires (%)", polarity: .prefersLarger, useScalingFactor: false)

private func configuration(extraMetrics: [BenchmarkMetric] = []) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal] + extraMetrics,
        timeUnits: .nanoseconds,
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 20_000
    )
}

let benchmarks: @Sendable () -> Void = {
    // MARK: Uncontended: one idle connection, one caller, nobody waiting.

    let blockingSlot = FixtureSlot()
    Benchmark(
        "Uncontended leaseBlocking + release",
        configuration: configuration()
    ) { (benchmark: Benchmark) throws in
        let pool = blockingSlot.pool
        for _ in benchmark.scaledIterations {
            let connection = try pool.leaseBlocking()
            pool.release(connection)
        }
    } setup: {
        try await blockingSlot.start(connections: 1)
    } teardown: {
        await blockingSlot.stop()
    }

    let asyncSlot = FixtureSlot()
    Benchmark(
        "Uncontended async lease + release",
        configuration: configuration()
    ) { (benchmark: Benchmark) async throws in
        let pool = asyncSlot.pool
        for _ in benchmark.scaledIterations {
            let connection = try await pool.lease()
            pool.release(connection)
        }
    } setup: {
        try await asyncSlot.start(connections: 1)
    } teardown: {
        await asyncSlot.stop()
    }

    // MARK: Contended: 8 tasks share 2 connections.
    //
    // Each task leases, holds the connection across one `Task.yield()` (standing in for a query
    // that suspends) and releases, 125 times; 8 x 125 = 1,000 acquires per iteration, so the
    // wall clock is per acquire. Without the yield a task would never give up its thread while
    // holding a connection and, with at most two threads running, nobody would ever wait. The
    // custom metric shows the share of acquires that actually waited.
    //
    // Two placements of the 8 tasks:
    // - "1 thread": on the global executor, where the benchmark harness leaves them one
    //   cooperative thread on a 2-core machine (see ThreadsTaskExecutor); measures the pool's
    //   hand-off path without lock contention between cores.
    // - "2 threads": on a 2-thread task executor, so that two threads really compete for the
    //   pool's lock at the same time.
    // Each has a "yield only" baseline (the same tasks and yields without the pool); subtract it
    // to get the pool's share.

    let executor = ThreadsTaskExecutor(threads: executorThreadCount, name: "bench-executor")
    for placement in [Placement.harnessThread, .executorThreads(executor)] {
        let counter = WaitCounter()
        let slot = FixtureSlot()
        Benchmark(
            "Contended async lease + yield + release (\(contendingTasks) tasks, \(contendedConnections) connections, \(placement.label))",
            configuration: configuration(extraMetrics: [waitedShare])
        ) { (benchmark: Benchmark) async throws in
            let pool = slot.pool
            let perTask = benchmark.scaledIterations.count / contendingTasks
            try await placement.run(tasks: contendingTasks) {
                for _ in 0..<perTask {
                    let connection = try await pool.lease()
                    await Task.yield()
                    pool.release(connection)
                }
            }
            benchmark.stopMeasurement()
            let counts = counter.take()
            if counts.acquires > 0 {
                benchmark.measurement(waitedShare, counts.waited * 100 / counts.acquires)
            }
        } setup: {
            try await slot.start(connections: contendedConnections, observer: counter)
            _ = counter.take()
        } teardown: {
            await slot.stop()
        }

        Benchmark(
            "Baseline: yield only (\(contendingTasks) tasks, no pool, \(placement.label))",
            configuration: configuration()
        ) { (benchmark: Benchmark) async throws in
            let perTask = benchmark.scaledIterations.count / contendingTasks
            try await placement.run(tasks: contendingTasks) {
                for _ in 0..<perTask {
                    await Task.yield()
                }
            }
        }
    }
}

/// Where the contended benchmarks run their tasks.
private enum Placement: Sendable {
    /// Child tasks on the global executor (one free cooperative thread under the harness).
    case harnessThread
    /// Child tasks on a task executor with its own threads.
    case executorThreads(ThreadsTaskExecutor)

    var label: String {
        switch self {
        case .harnessThread: "1 thread"
        case .executorThreads: "\(executorThreadCount) threads"
        }
    }

    /// Runs `body` in `tasks` child tasks and returns when all have finished.
    func run(tasks: Int, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let executor: (any TaskExecutor)? = switch self {
        case .harnessThread: nil
        case .executorThreads(let executor): executor
        }
        try await withTaskExecutorPreference(executor) {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<tasks {
                    group.addTask(operation: body)
                }
            }
        }
    }
}
