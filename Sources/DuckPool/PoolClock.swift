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

    package init<Base: Clock>(_ base: Base) where Base.Duration == Duration {
        let start = base.now
        readNow = { Instant(offset: start.duration(to: base.now)) }
        sleepUntil = { deadline, tolerance in
            try await base.sleep(until: start.advanced(by: deadline.offset), tolerance: tolerance)
        }
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
