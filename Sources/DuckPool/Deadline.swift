/// When a whole call must have ended: the wait for a connection and the work together.
///
/// Pass it as `deadline:` to any ``DuckPool`` call. It differs from `timeout:`, which bounds only
/// the work once the call holds a connection: a request handler that must answer within 2 s
/// wants one limit for everything.
///
/// ```swift
/// // In an HTTP handler: the whole call, queueing included, gets what is left of 2 s.
/// let started = ContinuousClock.now
/// let bars = try await pool.query(Bar.self, sql, [symbol], deadline: .at(started + .seconds(2)))
/// ```
///
/// When it passes while the call waits, the call fails with ``DuckPoolError/Code/timedOut``
/// (``DuckPoolError/phase`` `.waiting`); while it works, the running statement is interrupted and
/// the call fails the same way (`.working`). A deadline already past fails the call before it
/// waits. Value type; thread-safe.
public struct Deadline: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case after(Duration)
        case at(ContinuousClock.Instant)
        /// An instant of the pool's own clock (a deadline already fixed by the pool).
        case onPoolClock(PoolClock.Instant)
    }

    let kind: Kind

    /// `duration` after the call starts, measured on the pool's clock.
    public static func after(_ duration: Duration) -> Deadline { Deadline(kind: .after(duration)) }

    /// At `instant` of the continuous clock, for example a request's arrival plus its budget.
    public static func at(_ instant: ContinuousClock.Instant) -> Deadline { Deadline(kind: .at(instant)) }
}
