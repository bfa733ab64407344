import DuckPoolCore

extension DuckPool {
    /// The pool's current state: sizes, totals, holders and the acquire-wait histogram; the
    /// writer lane's; the database's recovery phase and invalidation and reopen counts.
    /// Thread-safe; takes each core's lock once.
    public var status: DuckPoolStatus {
        DuckPoolStatus(
            statistics: readers.statistics,
            acquireWaits: reporter.waitHistogram.snapshot,
            abandonedCalls: reporter.abandonedCalls,
            writer: writer?.statistics,
            database: recovery?.status ?? DatabaseRecoveryStatus(phase: .healthy, generation: 0, invalidations: 0, reopens: 0, reopenFailures: 0)
        )
    }
}
