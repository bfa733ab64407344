import DuckPoolSupport
import Foundation

/// Runs blocking code on a new plain thread and awaits its result, so that tests never block
/// Swift's cooperative thread pool (the pool's own background work runs there).
func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// A non-throwing variant.
func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A counter that test threads and tasks bump concurrently.
final class LockedCounter: Sendable {
    private let count = LockedValue(0)
    func add(_ n: Int) { count.withLock { $0 += n } }
    var value: Int { count.withLock { $0 } }
}

/// Yields until `condition` holds (bounded by the suite's time limit): for state that another
/// thread changes without a signal the test could wait on.
func eventually(_ condition: () -> Bool) async {
    while !condition() { await Task.yield() }
}
