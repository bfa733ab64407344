import DuckPoolCore
import DuckPoolSupport
import Logging
import Synchronization

/// Turns the core pool's events into swift-log records and swift-metrics measurements.
///
/// Levels follow swift-log's guidance for libraries: per-acquire events at trace, connection
/// lifecycle and retries at debug, a connection factory that keeps failing at info, and warnings
/// only for conditions an operator must act on (utilization thresholds, rate-limited on the
/// pool's clock; an open circuit breaker; leaks).
///
/// **Thread-safety:** `Sendable`; the pool calls it from many threads at once.
final class PoolEventReporter: PoolObserver {
    let logger: Logger
    let metrics: PoolMetrics
    let waitHistogram = AcquireWaitHistogram()
    private let warnings: UtilizationWarnings
    private let thresholds: [Double]
    private let clock: PoolClock
    /// Per threshold (highest first): when it was last warned about.
    private let lastWarning: LockedValue<[PoolClock.Instant?]>
    private let abandoned = Atomic(0)

    init(logger: Logger, metrics: PoolMetrics, warnings: UtilizationWarnings, clock: PoolClock) {
        self.logger = logger
        self.metrics = metrics
        self.warnings = warnings
        self.thresholds = warnings.thresholds.sorted(by: >)
        self.clock = clock
        self.lastWarning = LockedValue(Array(repeating: nil, count: warnings.thresholds.count))
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
            logger.debug("duckpool connection attempt failed; retrying with backoff", metadata: metadata)
        }
    }

    func leaseAcquired(connectionID: ConnectionID, waited: Duration) {
        metrics.acquireWait.recordNanoseconds(waited.nanoseconds)
        waitHistogram.record(waited)
        logger.trace("duckpool lease acquired", metadata: [
            "duckpool.connection.id": "\(connectionID)", "duckpool.wait_us": "\(waited.microseconds)",
        ])
    }

    func leaseReleased(connectionID: ConnectionID, heldFor: Duration) {
        metrics.hold.recordNanoseconds(heldFor.nanoseconds)
        logger.trace("duckpool lease released", metadata: [
            "duckpool.connection.id": "\(connectionID)", "duckpool.held_us": "\(heldFor.microseconds)",
        ])
    }

    func requestTimedOut(error: ConnectionPoolError) {
        metrics.timeouts.increment()
        logger.debug("duckpool acquire timed out", metadata: ["duckpool.error": "\(error)"])
    }

    /// A caller stopped waiting for a body DuckDB could not stop (``LeaseGate``).
    func leaseAbandoned(connectionID: ConnectionID) {
        abandoned.add(1, ordering: .relaxed)
        metrics.abandoned.increment()
        logger.debug("duckpool returned to a caller whose statement could not be stopped in time; its connection comes back when the statement ends", metadata: [
            "duckpool.connection.id": "\(connectionID)",
        ])
    }

    /// Calls that returned before their statement stopped, since the pool opened.
    var abandonedCalls: Int { abandoned.load(ordering: .relaxed) }

    func utilizationChanged(inUse: Int, size: Int, minimum: Int, maximum: Int) {
        metrics.inUse.record(inUse)
        metrics.idle.record(max(0, size - inUse))
        guard let base = warnings.base(minimum: minimum, maximum: maximum) else { return }
        let utilization = Double(inUse) / Double(base)
        guard let index = thresholds.firstIndex(where: { utilization >= $0 }) else { return }
        let now = clock.now
        let shouldWarn = lastWarning.withLock { last -> Bool in
            if let previous = last[index], previous.duration(to: now) < warnings.interval { return false }
            last[index] = now
            return true
        }
        guard shouldWarn else { return }
        logger.warning("duckpool utilization is high", metadata: [
            "duckpool.utilization": "\(Int(utilization * 100))%",
            "duckpool.threshold": "\(Int(thresholds[index] * 100))%",
            "duckpool.in_use": "\(inUse)", "duckpool.kept": "\(minimum)", "duckpool.maximum": "\(maximum)",
        ])
    }
}
