import DuckPoolCore
import Logging

/// Turns the database recovery's events into logs and metrics.
///
/// An invalidation is rare and serious: it is logged at error. Each reopen attempt is logged at
/// debug, a failed one (to be retried) at info, giving up at error and a successful reopen at
/// info. Counts go to `duckpool_database_invalidations_total`, `duckpool_database_reopens_total`
/// and `duckpool_database_reopen_failures_total`.
///
/// **Thread-safety:** `Sendable`; stateless apart from its logger and counters.
struct RecoveryEventReporter: DatabaseRecoveryObserver {
    let logger: Logger
    let metrics: PoolMetrics

    func databaseInvalidated(generation: Int) {
        metrics.invalidations.increment()
        logger.error("duckpool database was invalidated by a fatal DuckDB error; closing every connection and reopening it", metadata: [
            "duckpool.database.generation": "\(generation)",
        ])
    }

    func reopenAttemptStarted(attempt: Int) {
        logger.debug("duckpool reopening the database", metadata: ["duckpool.reopen.attempt": "\(attempt)"])
    }

    func reopenAttemptFailed(attempt: Int, error: any Error, retryIn: Duration?) {
        metrics.reopenFailures.increment()
        let metadata: Logger.Metadata = [
            "duckpool.reopen.attempt": "\(attempt)",
            "duckpool.error": "\(error)",
            "duckpool.reopen.retry_in": "\(retryIn.map { "\($0)" } ?? "never")",
        ]
        if retryIn == nil {
            logger.error("duckpool gave up reopening the invalidated database; acquires fail until the pool is made anew", metadata: metadata)
        } else {
            logger.info("duckpool could not reopen the database; retrying with backoff", metadata: metadata)
        }
    }

    func databaseReopened(generation: Int, attempts: Int) {
        metrics.reopens.increment()
        logger.info("duckpool reopened the database after an invalidation", metadata: [
            "duckpool.database.generation": "\(generation)", "duckpool.reopen.attempts": "\(attempts)",
        ])
    }
}
