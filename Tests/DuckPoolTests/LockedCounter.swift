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
