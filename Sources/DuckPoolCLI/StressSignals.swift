import DuckPoolSupport
import Synchronization

/// A one-shot signal that a task can await and any thread can fire (the stress tool's
/// cancellation fault waits until its victim's query is about to run). Firing is idempotent.
///
/// Thread-safety: `Sendable`; the state sits behind a `LockedValue`.
final class StressStartSignal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = LockedValue(State())

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// A time stamp written on one thread and read on another (when a deadline fault's closure
/// started running). Thread-safety: `Sendable`, behind a `LockedValue`.
final class StressInstantBox: Sendable {
    private let value = LockedValue<ContinuousClock.Instant?>(nil)

    func set(_ instant: ContinuousClock.Instant) { value.withLock { $0 = instant } }
    var instant: ContinuousClock.Instant? { value.withLock { $0 } }
}

/// A flag raised from any thread. Thread-safety: `Sendable`, atomic.
final class StressFlag: Sendable {
    private let raised = Atomic(false)

    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}
