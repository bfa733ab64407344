import DuckPoolSupport

/// A type-erased `Clock` for the pool core, so that ``DuckPool`` is not generic over its clock
/// while tests can still inject a mock one. Instants are offsets from when the clock was made.
struct PoolClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let readNow: @Sendable () -> Instant
    private let sleepUntil: @Sendable (Instant, Duration?) async throws -> Void

    init<Base: Clock>(_ base: Base) where Base.Duration == Duration {
        let start = base.now
        readNow = { Instant(offset: start.duration(to: base.now)) }
        sleepUntil = { deadline, tolerance in
            try await base.sleep(until: start.advanced(by: deadline.offset), tolerance: tolerance)
        }
    }

    var now: Instant { readNow() }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await sleepUntil(deadline, tolerance)
    }
}
