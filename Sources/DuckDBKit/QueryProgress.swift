/// The progress of the query running on a connection, as DuckDB estimates it.
///
/// DuckDB estimates only on connections with progress tracking on
/// (``Connection/enableProgressTracking()``); watch a query with
/// ``Connection/withProgress(every:onProgress:_:)`` or a ``QueryProgressSampler``.
public struct QueryProgress: Sendable, Hashable {
    /// 0 to 100.
    public var percentage: Double
    /// Rows (of the sources DuckDB can count) processed so far.
    public var rowsProcessed: UInt64
    /// Rows DuckDB expects to process in all.
    public var totalRowsToProcess: UInt64

    /// Creates a value (for tests and test doubles).
    public init(percentage: Double, rowsProcessed: UInt64, totalRowsToProcess: UInt64) {
        self.percentage = percentage
        self.rowsProcessed = rowsProcessed
        self.totalRowsToProcess = totalRowsToProcess
    }
}
