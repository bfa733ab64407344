import DuckPoolSupport

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

/// Yields until `condition` holds or `limit` of wall time has passed, and says whether it held:
/// for a condition whose failure would also stall Swift's cooperative pool, where the suite's
/// time limit runs, so that the test fails instead of hanging.
func holds(within limit: Duration, _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now.advanced(by: limit)
    while !condition() {
        if ContinuousClock.now >= end { return false }
        await Task.yield()
    }
    return true
}
