import DuckDBKit
import DuckPoolSupport

/// Stops one lease's work, and never anything after that lease has ended.
///
/// A deadline timer or a cancellation handler can fire at any moment, also late: after the
/// lease's body returned and its connection went back to the pool, possibly to the next holder.
/// Through this gate such a late stop does nothing, and a stop that lands in time is recorded
/// (so the caller learns *why* its statement was interrupted) and sent as an
/// until-cleared interrupt: the running statement stops, and so does every statement the body
/// starts afterwards, until the check-in clears it.
///
/// For async callers, a stop also arms an early return: if the body is still running
/// ``DuckPoolConfiguration/interruptGracePeriod`` later (DuckDB cannot interrupt parsing and
/// planning), the gate hands the stop to the caller, which returns at once; the body finishes
/// in the background and checks its connection in then. ``withoutEarlyReturn(_:)`` suspends
/// that while a COMMIT runs, so that a caller never hears "timed out" about a transaction that
/// committed.
///
/// **Thread-safety:** `Sendable`; every method may be called from any thread, racing with
/// ``end()``. The lock is held while `duckdb_interrupt` is called, which never blocks.
final class LeaseGate: Sendable {
    /// Why a lease was stopped.
    enum Reason: Sendable { case deadline, cancellation }

    private struct State {
        var ended = false
        var deadlinePassed = false
        var cancelled = false
        var holdingEarlyReturn = false
        var earlyReturn: (@Sendable (Reason) -> Void)?
        var timers: [PoolClock.ScheduledAction] = []
    }

    private let handle: InterruptHandle
    private let clock: PoolClock
    private let gracePeriod: Duration
    private let state = LockedValue(State())

    init(_ handle: InterruptHandle, clock: PoolClock, gracePeriod: Duration) {
        self.handle = handle
        self.clock = clock
        self.gracePeriod = gracePeriod
    }

    /// Stops the lease at `deadline` on the pool's clock (unless it ended before).
    /// On the continuous clock the stop fires from a Dispatch timer, never waiting for a thread
    /// of Swift's cooperative pool (``PoolClock/schedule(at:_:)``).
    func stop(at deadline: PoolClock.Instant) {
        let timer = clock.schedule(at: deadline) { self.stop(because: .deadline) }
        let ended = state.withLock { state -> Bool in
            if !state.ended { state.timers.append(timer) }
            return state.ended
        }
        if ended { timer.cancel() }
    }

    /// Lets the caller return early: `handler` is called (once) with the reason when the body
    /// is still running a grace period after a stop. Set it before the body starts.
    func allowEarlyReturn(_ handler: @escaping @Sendable (Reason) -> Void) {
        state.withLock { $0.earlyReturn = handler }
    }

    /// Interrupts the lease's running (and every later) statement, unless the lease has ended;
    /// arms the early return.
    func stop(because reason: Reason) {
        let armEarlyReturn = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            switch reason {
            case .deadline: state.deadlinePassed = true
            case .cancellation: state.cancelled = true
            }
            handle.interruptUntilCleared()
            return state.earlyReturn != nil
        }
        guard armEarlyReturn else { return }
        let timer = clock.schedule(at: clock.now.advanced(by: gracePeriod)) { self.returnEarly(because: reason) }
        let ended = state.withLock { state -> Bool in
            if !state.ended { state.timers.append(timer) }
            return state.ended
        }
        if ended { timer.cancel() }
    }

    private func returnEarly(because reason: Reason) {
        let handler = state.withLock { state -> (@Sendable (Reason) -> Void)? in
            guard !state.ended, !state.holdingEarlyReturn, let handler = state.earlyReturn else { return nil }
            state.earlyReturn = nil
            return handler
        }
        handler?(reason)
    }

    /// Runs `body` (a COMMIT) without the early return: the caller waits for its outcome.
    func withoutEarlyReturn<T>(_ body: () throws -> T) rethrows -> T {
        state.withLock { $0.holdingEarlyReturn = true }
        defer { state.withLock { $0.holdingEarlyReturn = false } }
        return try body()
    }

    /// Ends the lease: later stops do nothing, and the timers are cancelled. Returns why the
    /// lease was stopped, if it was. Call it when the body has returned, before the check-in.
    @discardableResult
    func end() -> (deadlinePassed: Bool, cancelled: Bool) {
        let (timers, flags) = state.withLock { state in
            state.ended = true
            state.earlyReturn = nil
            let timers = state.timers
            state.timers = []
            return (timers, (state.deadlinePassed, state.cancelled))
        }
        for timer in timers { timer.cancel() }
        return flags
    }

    /// Why the lease was stopped so far (before the body starts: a stop that came first).
    var stopped: (deadlinePassed: Bool, cancelled: Bool) {
        state.withLock { ($0.deadlinePassed, $0.cancelled) }
    }
}
