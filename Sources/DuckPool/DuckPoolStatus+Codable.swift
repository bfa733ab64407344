/// `DuckPoolStatus` as JSON: the keys of FactorWeave's `get_pool_status()` (`status`,
/// `pool_size`, `checked_out`, `checked_in`, `overflow`, with SQLAlchemy's meanings), followed by
/// DuckPool's own (`size`, `in_use`, `idle`, `waiters`, `utilization`, `abandoned_calls`, and the
/// full `statistics`, `acquire_waits`, `writer` and `database`).
///
/// ```swift
/// let json = try JSONEncoder().encode(pool.status)   // {"status": "...", "pool_size": 5, "checked_out": 1, ...}
/// ```
///
/// Decoding reads DuckPool's keys and ignores the derived ones.
extension DuckPoolStatus: Codable {
    enum CodingKeys: String, CodingKey {
        case status, poolSize = "pool_size", checkedOut = "checked_out", checkedIn = "checked_in", overflow
        case size, inUse = "in_use", idle, waiters, utilization, abandonedCalls = "abandoned_calls"
        case statistics, acquireWaits = "acquire_waits", writer, database
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(description, forKey: .status)
        try container.encode(statistics.minimumConnections, forKey: .poolSize)
        try container.encode(inUse, forKey: .checkedOut)
        try container.encode(idle, forKey: .checkedIn)
        try container.encode(overflowInUse, forKey: .overflow)
        try container.encode(size, forKey: .size)
        try container.encode(inUse, forKey: .inUse)
        try container.encode(idle, forKey: .idle)
        try container.encode(waiters, forKey: .waiters)
        try container.encode(utilization, forKey: .utilization)
        try container.encode(abandonedCalls, forKey: .abandonedCalls)
        try container.encode(statistics, forKey: .statistics)
        try container.encode(acquireWaits, forKey: .acquireWaits)
        try container.encodeIfPresent(writer, forKey: .writer)
        try container.encode(database, forKey: .database)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            statistics: try container.decode(PoolStatistics.self, forKey: .statistics),
            acquireWaits: try container.decode([WaitBucket].self, forKey: .acquireWaits),
            abandonedCalls: try container.decode(Int.self, forKey: .abandonedCalls),
            writer: try container.decodeIfPresent(PoolStatistics.self, forKey: .writer),
            database: try container.decode(DatabaseRecoveryStatus.self, forKey: .database)
        )
    }
}
