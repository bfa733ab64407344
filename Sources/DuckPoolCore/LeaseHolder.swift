import DuckPoolSupport

/// Who holds a leased connection: part of ``PoolStatistics/holders`` and of the
/// ``ConnectionPoolError/Code/acquireTimeout`` error.
///
/// A plain value captured at one instant (``PoolStatistics/capturedAt``).
public struct LeaseHolder: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The leased connection.
    public var connectionID: ConnectionID
    /// The request that received it.
    public var requestID: RequestID
    /// The source file that asked for the lease (`#fileID` of the caller).
    public var file: String
    /// The source line that asked for the lease.
    public var line: Int
    /// When the connection was handed out, as time since the pool was created, measured with the
    /// pool's clock.
    public var leasedAt: Duration
    /// How long the connection had been held when this value was captured. Compare it with a
    /// threshold to detect leaked connections.
    public var heldFor: Duration

    /// Creates a holder record.
    public init(
        connectionID: ConnectionID,
        requestID: RequestID,
        file: String,
        line: Int,
        leasedAt: Duration,
        heldFor: Duration
    ) {
        self.connectionID = connectionID
        self.requestID = requestID
        self.file = file
        self.line = line
        self.leasedAt = leasedAt
        self.heldFor = heldFor
    }

    /// For example `connection 3 held for 31.200s by App/Report.swift:42 (request 17)`.
    public var description: String {
        "connection \(self.connectionID) held for \(self.heldFor.formattedSeconds) by \(self.file):\(self.line) (request \(self.requestID))"
    }
}
