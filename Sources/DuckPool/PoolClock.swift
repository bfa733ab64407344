import Dispatch
import DuckPoolCore
import DuckPoolSupport

/// The pool's one source of time: a type-erased `Clock`, so that ``DuckPool`` is not generic
/// over its clock while tests can inject a mock one. Every deadline, retry wait, rate limit and
/// trust window of the facade reads or sleeps on it. Instants are offsets from when the clock
/// was made.
package struct PoolClock: Clock {
    package struct Instant: InstantProtocol {
        package var offset: Duration
        package func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - offset }
        package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let readNow: @Sendable () -> Instant
    private let sleepUntil: @Sendable (Instant, Duration?) async throws -> Void
    private let scheduleAt: @Sendable (Instant, @escaping @Sendable () -> Void) -> ScheduledAction

    package init<Base: Clock>(_ base: Base) where Base.Duration == Duration {
        let start = base.now
        let readNow: @Sendable () -> Instant = { Instant(offset: start.duration(to: base.now)) }
        let sleepUntil: @Sendable (Instant, Duration?) async throws -> Void = { deadline, tolerance in
            try await base.sleep(until: start.advanced(by: deadline.offset), tolerance: tolerance)
        }
        self.readNow = readNow
        self.sleepUntil = sleepUntil
        if Base.self == ContinuousClock.self {
            // Real time: a Dispatch timer, which fires even while every thread of Swift's
            // cooperative pool is blocked (by the application, say).
            scheduleAt = { deadline, action in
                let timer = DispatchTimer(DispatchSource.makeTimerSource(queue: Self.timerQueue))
                let delay = max(.zero, deadline.offset - readNow().offset)
                timer.source.schedule(deadline: .now() + .microseconds(Int(delay.microseconds)))
                timer.source.setEventHandler { [timer] in
                    timer.source.cancel() // once
                    action()
                }
                timer.source.resume()
                return ScheduledAction { timer.source.cancel() }
            }
        } else {
            // Any other clock (a test's mock clock): a task that sleeps on it.
            scheduleAt = { deadline, action in
                let task = Task {
                    do { try await sleepUntil(deadline, nil) } catch { return }
                    action()
                }
                return ScheduledAction { task.cancel() }
            }
        }
    }

    /// Where real-time scheduled actions run: one serial queue, off Swift's cooperative pool.
    private static let timerQueue = DispatchQueue(label: "duckpool.deadlines")

    /// An action ``schedule(at:_:)`` will run, unless it is cancelled first.
    package struct ScheduledAction: Sendable {
        fileprivate let cancelAction: @Sendable () -> Void
        /// Keeps the action from running, if it has not run yet. Idempotent.
        package func cancel() { cancelAction() }
    }

    /// Runs `action` once the clock reaches `deadline` (at once for a deadline already past).
    ///
    /// On the continuous clock the action runs on a Dispatch timer queue, not on Swift's
    /// cooperative pool, so a deadline stops a statement even while that pool is starved; on any
    /// other clock it runs from a task sleeping on that clock. Keep `action` short: actions run
    /// one after another.
    package func schedule(at deadline: Instant, _ action: @escaping @Sendable () -> Void) -> ScheduledAction {
        scheduleAt(deadline, action)
    }

    /// The production clock: `ContinuousClock`.
    package static var continuous: PoolClock { PoolClock(ContinuousClock()) }

    package var now: Instant { readNow() }
    package var minimumResolution: Duration { .nanoseconds(1) }

    package func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await sleepUntil(deadline, tolerance)
    }

    /// The instant a ``Deadline`` names, for a call that started at `start`. A deadline given as
    /// a `ContinuousClock.Instant` is converted by its distance from the continuous clock's
    /// present.
    func instant(of deadline: Deadline, callStartedAt start: Instant) -> Instant {
        switch deadline.kind {
        case .after(let duration):
            return start.advanced(by: duration)
        case .at(let instant):
            return now.advanced(by: ContinuousClock.now.duration(to: instant))
        case .onPoolClock(let instant):
            return instant
        }
    }
}

/// A Dispatch timer source, shared between the closure that cancels it and its own handler.
/// `@unchecked Sendable`: Dispatch sources are thread-safe (schedule, cancel and the handler may
/// be used from any thread), but the Swift overlay does not declare it.
private final class DispatchTimer: @unchecked Sendable {
    let source: any DispatchSourceTimer
    init(_ source: any DispatchSourceTimer) { self.source = source }
}
