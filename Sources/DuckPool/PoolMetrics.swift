import CoreMetrics

/// The pool's swift-metrics instruments, created once per pool with one fixed dimension
/// (`pool`: the database path), never per query. The writer lane's pool
/// (``WriteLane/dedicatedWriter``) has its own instruments with a second fixed dimension,
/// `lane` = `writer`.
///
/// | name | kind | meaning |
/// | --- | --- | --- |
/// | `duckpool_connections` (`state`: `in_use`/`idle`) | gauge | open connections by state |
/// | `duckpool_waiters` | gauge | requests waiting for a connection |
/// | `duckpool_connections_created_total` | counter | connections opened |
/// | `duckpool_connections_closed_total` | counter | connections closed, any reason |
/// | `duckpool_connections_recycled_total` | counter | closed for reaching `maxLifetime` |
/// | `duckpool_validation_failures_total` | counter | failed pre-ping validations |
/// | `duckpool_acquire_timeouts_total` | counter | acquires that hit the timeout |
/// | `duckpool_connect_failures_total` | counter | failed connection attempts |
/// | `duckpool_leaks_total` | counter | leases held past the leak threshold |
/// | `duckpool_abandoned_calls_total` | counter | calls that returned (deadline, cancellation) before DuckDB let go of their statement |
/// | `duckpool_database_invalidations_total` | counter | database instances DuckDB invalidated |
/// | `duckpool_database_reopens_total` | counter | successful reopens after an invalidation |
/// | `duckpool_database_reopen_failures_total` | counter | failed reopen attempts |
/// | `duckpool_acquire_wait_seconds` | timer | time from asking to holding a connection |
/// | `duckpool_hold_seconds` | timer | time a lease was held |
struct PoolMetrics: Sendable {
    let inUse: Gauge
    let idle: Gauge
    let waiters: Gauge
    let created: Counter
    let closed: Counter
    let recycled: Counter
    let validationFailures: Counter
    let timeouts: Counter
    let connectFailures: Counter
    let leaks: Counter
    let abandoned: Counter
    let invalidations: Counter
    let reopens: Counter
    let reopenFailures: Counter
    let acquireWait: CoreMetrics.Timer
    let hold: CoreMetrics.Timer

    init(poolLabel: String, lane: String? = nil, factory: any MetricsFactory) {
        let pool = [("pool", poolLabel)] + (lane.map { [("lane", $0)] } ?? [])
        inUse = Gauge(label: "duckpool_connections", dimensions: pool + [("state", "in_use")], factory: factory)
        idle = Gauge(label: "duckpool_connections", dimensions: pool + [("state", "idle")], factory: factory)
        waiters = Gauge(label: "duckpool_waiters", dimensions: pool, factory: factory)
        created = Counter(label: "duckpool_connections_created_total", dimensions: pool, factory: factory)
        closed = Counter(label: "duckpool_connections_closed_total", dimensions: pool, factory: factory)
        recycled = Counter(label: "duckpool_connections_recycled_total", dimensions: pool, factory: factory)
        validationFailures = Counter(label: "duckpool_validation_failures_total", dimensions: pool, factory: factory)
        timeouts = Counter(label: "duckpool_acquire_timeouts_total", dimensions: pool, factory: factory)
        connectFailures = Counter(label: "duckpool_connect_failures_total", dimensions: pool, factory: factory)
        leaks = Counter(label: "duckpool_leaks_total", dimensions: pool, factory: factory)
        abandoned = Counter(label: "duckpool_abandoned_calls_total", dimensions: pool, factory: factory)
        invalidations = Counter(label: "duckpool_database_invalidations_total", dimensions: pool, factory: factory)
        reopens = Counter(label: "duckpool_database_reopens_total", dimensions: pool, factory: factory)
        reopenFailures = Counter(label: "duckpool_database_reopen_failures_total", dimensions: pool, factory: factory)
        acquireWait = CoreMetrics.Timer(label: "duckpool_acquire_wait_seconds", dimensions: pool, factory: factory)
        hold = CoreMetrics.Timer(label: "duckpool_hold_seconds", dimensions: pool, factory: factory)
    }
}
