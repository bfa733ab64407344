import DuckPoolSupport
public import DuckPoolCore

/// A snapshot of a ``DuckPool``: sizes, totals, holders, waits and the database's recovery.
/// Value type.
public struct DuckPoolStatus: Sendable, Hashable, CustomStringConvertible {
    /// One bucket of the acquire-wait histogram: acquires that waited at most `upperBound`
    /// (and more than the previous bucket's bound); nil means unbounded.
    public struct WaitBucket: Sendable, Hashable, Codable, CustomStringConvertible {
        public var upperBound: Duration?
        public var count: Int

        /// The bound as people read it: `"≤10 µs"`, `"≤100 ms"`, `"≤1 s"`; `"longer"` for the
        /// unbounded last bucket.
        public var boundLabel: String {
            guard let upperBound else { return "longer" }
            let micros = upperBound.microseconds
            if micros < 1_000 || micros % 1_000 != 0 { return "≤\(micros) µs" }
            if micros < 1_000_000 || micros % 1_000_000 != 0 { return "≤\(micros / 1_000) ms" }
            return "≤\(micros / 1_000_000) s"
        }

        /// `"≤10 µs: 981"`.
        public var description: String { "\(boundLabel): \(count)" }
    }

    /// Sizes, totals, lifecycle and current holders, from the pool core.
    public var statistics: PoolStatistics
    /// How long acquires waited, since the pool opened.
    public var acquireWaits: [WaitBucket]
    /// Calls that returned at their deadline or cancellation before DuckDB let go of their
    /// statement (``DuckPoolConfiguration/interruptGracePeriod``), since the pool opened.
    public var abandonedCalls: Int
    /// The writer lane's pool (one connection) with ``WriteLane/dedicatedWriter``; nil otherwise.
    public var writer: PoolStatistics?
    /// The database's recovery: phase (healthy, reopening, ...), generation, and how often it
    /// was invalidated and reopened since the pool opened.
    public var database: DatabaseRecoveryStatus

    /// Open connections, including those being opened.
    public var size: Int { statistics.size }
    /// Connections leased right now (SQLAlchemy's `checked_out`).
    public var inUse: Int { statistics.inUse }
    /// Connections open and free (SQLAlchemy's `checked_in`).
    public var idle: Int { statistics.idle }
    /// Leased connections beyond the minimum (SQLAlchemy's `overflow`).
    public var overflowInUse: Int { statistics.overflowInUse }
    /// Requests waiting for a connection.
    public var waiters: Int { statistics.waiters }
    /// In use divided by the maximum, 0...1.
    public var utilization: Double { statistics.utilization }

    public var description: String {
        let histogram = acquireWaits.map(\.description).joined(separator: ", ")
        let writer = self.writer.map { " writer[\($0.summary)]" } ?? ""
        return "\(statistics.summary) waits[\(histogram)]\(writer) \(database)"
    }
}
