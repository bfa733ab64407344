import Benchmark
import DuckPool

// Micro-benchmarks of DuckPool's one lease path (plan, acquire, run the body, check in, release)
// on an in-memory DuckDB: `withConnection` with an empty body, so the figures are the pool's
// own cost per call, not DuckDB's.
//
// Every benchmark runs 1,000 calls per measured iteration (`scalingFactor: .kilo`), so the
// reported wall clock and malloc counts are per call. The pool keeps exactly one connection,
// open and idle before measuring starts (setup hook); the other settings are the defaults
// (validation on acquire, trusted for 1 s after a lease, so a connection used in a loop is
// never pinged).

private func configuration() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )
}

let benchmarks: @Sendable () -> Void = {
    let blockingSlot = PoolSlot()
    Benchmark(
        "Uncontended withConnection, blocking",
        configuration: configuration()
    ) { (benchmark: Benchmark) throws in
        let pool = blockingSlot.pool
        for _ in benchmark.scaledIterations {
            try pool.withConnection { connection in
                blackHole(connection)
            }
        }
    } setup: {
        try await blockingSlot.open()
    } teardown: {
        await blockingSlot.close()
    }

    let asyncSlot = PoolSlot()
    Benchmark(
        "Uncontended async withConnection",
        configuration: configuration()
    ) { (benchmark: Benchmark) async throws in
        let pool = asyncSlot.pool
        for _ in benchmark.scaledIterations {
            try await pool.withConnection { connection in
                blackHole(connection)
            }
        }
    } setup: {
        try await asyncSlot.open()
    } teardown: {
        await asyncSlot.close()
    }

    // The same call with a deadline that never passes, as an HTTP handler passes its request's
    // deadline: the difference to the one above is the cost of arming and disarming the stop.
    let deadlineSlot = PoolSlot()
    Benchmark(
        "Uncontended async withConnection, deadline 30 s",
        configuration: configuration()
    ) { (benchmark: Benchmark) async throws in
        let pool = deadlineSlot.pool
        for _ in benchmark.scaledIterations {
            try await pool.withConnection(deadline: .after(.seconds(30))) { connection in
                blackHole(connection)
            }
        }
    } setup: {
        try await deadlineSlot.open()
    } teardown: {
        await deadlineSlot.close()
    }
}
