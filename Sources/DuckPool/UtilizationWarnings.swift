/// When a ``DuckPool`` logs that it is busy: "utilization is high" at warning level, at most once
/// per threshold per ``interval``.
///
/// Utilization is the number of connections in use divided by ``measuredAgainst``'s count. By
/// default that is the kept size (``PoolConfiguration/minimumConnections``), as a QueuePool's
/// `pool_size` is used: with 5 kept and 10 overflow, 4 connections in use are 80%, while the pool
/// still has room to grow. `.maximumConnections` measures against the ceiling instead (then 80% means 12 of
/// 15). A pool whose maximum is 1 never warns (one connection in use is its normal state).
///
/// ```swift
/// var configuration = DuckPoolConfiguration()
/// configuration.utilizationWarnings = UtilizationWarnings(thresholds: [0.9], measuredAgainst: .maximumConnections)
/// ```
///
/// Value type; thread-safe.
public struct UtilizationWarnings: Sendable, Hashable {
    /// The count utilization is measured against.
    public enum Base: Sendable, Hashable {
        /// ``PoolConfiguration/minimumConnections`` (the maximum when the minimum is 0).
        case keptConnections
        /// ``PoolConfiguration/maximumConnections``.
        case maximumConnections
    }

    /// Fractions at which to warn, each in `(0, 3]`. Default `[0.8, 0.9]`.
    public var thresholds: [Double]
    /// Default ``Base/keptConnections``.
    public var measuredAgainst: Base
    /// At most one warning per threshold per interval. Default 60 s. Must be positive.
    public var interval: Duration

    /// Creates the settings; every argument defaults to the documented default.
    public init(thresholds: [Double] = [0.8, 0.9], measuredAgainst: Base = .keptConnections, interval: Duration = .seconds(60)) {
        self.thresholds = thresholds
        self.measuredAgainst = measuredAgainst
        self.interval = interval
    }

    /// Never warn.
    public static let off = UtilizationWarnings(thresholds: [])

    /// The count `inUse` is divided by, or nil when no warning applies.
    func base(minimum: Int, maximum: Int) -> Int? {
        guard maximum > 1, !thresholds.isEmpty else { return nil }
        switch measuredAgainst {
        case .keptConnections: return minimum > 0 ? minimum : maximum
        case .maximumConnections: return maximum
        }
    }
}
