import Foundation

/// Runs blocking `body` on a new plain thread and awaits its result, holding no thread of Swift's
/// cooperative pool while it runs.
///
/// That pool has one thread per core (two on our 2-core machines). Deadline timers, the pool's
/// background work, every other suite's async code and Swift Testing's own time limits run on
/// it, so a test that blocks one of those threads for seconds (waiting for a child process, a
/// semaphore, a group of threads) stalls unrelated tests, which then overrun their limits. Every
/// blocking wait in the tests goes through here. Keep `#expect` out of `body`: report a value
/// and check it after the `await`.
///
/// **Thread-safety:** `body` runs on a thread of its own; it must be `Sendable`.
public func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// The non-throwing form of ``onPlainThread(_:)-(()->T)``.
public func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
