import DuckPoolSupport
import DuckPoolCore
import Logging

/// Turns the core pool's events into swift-log records and swift-metrics measurements.
///
/// Levels follow swift-log's guidance for libraries: per-acquire events at trace, connection
/// lifecycle at debug, connection-factory retries at info, and warnings only for conditions an
/// operator must act on (utilization thresholds, rate-limited; an open circuit breaker).
///
/// **Thread-safety:** `Sendable`; the pool calls it from many threads at once.
final class PoolEventReporter: PoolObserver {
    let logger: Logger
    let metrics: PoolMetrics
    let waitHistogram = AcquireWaitHistogram()
    private let thresholds: [Double]
    private let warningInterval: Duration
    private let clock = ContinuousClock()
    /// Per threshold: when it was last warned about.
    private let lastWarning: LockedValue<[ContinuousClock.Instant?]>

    init(logger: Logger, metrics: PoolMetrics, thresholds: [Double], warningInterval: Duration) {
        self.logger = logger
        self.metrics = metrics
        self.thresholds = thresholds.sorted(by: >)
        self.warningInterval = warningInterval
        self.lastWarning = LockedValue(Array(repeating: nil, count: thresholds.count))
    }

    func connectionCreated(id: ConnectionID) {
        metrics.created.increment()
        logger.debug("duckpool connection opened", metadata: ["duckpool.connection.id": "\(id)"])
    }

    func connectionClosed(id: ConnectionID, reason: ConnectionCloseReason) {
        metrics.closed.increment()
        if reason == .lifetime { metrics.recycled.increment() }
        if reason == .validationFailed { metrics.validationFailures.increment() }
        logger.debug("duckpool connection closed", metadata: [
            "duckpool.connection.id": "\(id)", "duckpool.close.reason": "\(reason)",
        ])
    }

    func connectFailed(error: any Error, consecutiveFailures: Int, nextRetryIn: Duration?, circuitBreakerOpen: Bool) {
        metrics.connectFailures.increment()
        let metadata: Logger.Metadata = [
            "duckpool.error": "\(error)",
            "duckpool.connect.consecutive_failures": "\(consecutiveFailures)",
            "duckpool.connect.retry_in": "\(nextRetryIn.map { "\($0)" } ?? "none")",
        ]
        if circuitBreakerOpen {
            logger.warning("duckpool cannot open connections; failing acquires fast until a retry succeeds", metadata: metadata)
        } else {
            logger.info("duckpool connection attempt failed; retrying with backoff", metadata: metadata)
        }
    }

    func leaseAcquired(connectionID: ConnectionID, waited: Duration) {
        metrics.acquireWait.recordNanoseconds(Int64(waited.microseconds) * 1_000)
        waitHistogram.record(waited)
        logger.trace("duckpool lease acquired", metadata: [
            "duckpool.connection.id": "\(connectionID)", "duckpool.wait_us": "\(waited.microseconds)",
        ])
    }

    func leaseReleased(connectionID: ConnectionID, heldFor: Duration) {
        metrics.hold.recordNanoseconds(Int64(heldFor.microseconds) * 1_000)
        logger.trace("duckpool lease released", metadata: [
            "duckpool.connection.id": "\(connectionID)", "duckpool.held_us": "\(heldFor.microseconds)",
        ])
    }

    func requestTimedOut(error: ConnectionPoolError) {
        metrics.timeouts.increment()
        logger.debug("duckpool acquire timed out", metadata: ["duckpool.error": "\(error)"])
    }

    func utilizationChanged(inUse: Int, size: Int, maximum: Int) {
        metrics.inUse.record(inUse)
        metrics.idle.record(max(0, size - inUse))
        guard maximum > 0 else { return }
        let utilization = Double(inUse) / Double(maximum)
        guard let index = thresholds.firstIndex(where: { utilization >= $0 }) else { return }
        let now = clock.now
        let shouldWarn = lastWarning.withLock { last -> Bool in
            if let previous = last[index], previous.duration(to: now) < warningInterval { return false }
            last[index] = now
            return true
        }
        guard shouldWarn else { return }
        logger.warning("duckpool utilization is high", metadata: [
            "duckpool.utilization": "\(Int(utilization * 100))%",
            "duckpool.threshold": "\(Int(thresholds[index] * 100))%",
            "duckpool.in_use": "\(inUse)", "duckpool.maximum": "\(maximum)",
        ])
    }
}
