import DuckPoolSupport
import Dispatch

/// Samples the progress of the query running on one connection, on a Dispatch timer, and hands
/// each new value to a callback: the way to watch a long query from the thread that is not
/// running it.
///
/// DuckDB tracks progress only on connections with `enable_progress_bar` set;
/// ``Connection/withProgress(every:onProgress:_:)`` turns it on (with printing off) before it
/// starts a sampler. Samples are taken every `interval`; a value equal to the previous one, or
/// none (no query running, or DuckDB cannot estimate it), is not reported.
///
/// **Thread-safety:** `Sendable`. The callback runs on a Dispatch queue, one call at a time;
/// after ``stop()`` returns it is never called again. Keep it short (yield into a stream, update a
/// progress bar): ``stop()`` waits for a call in flight.
public final class QueryProgressSampler: Sendable {
    private struct State {
        var stopped = false
        var last: QueryProgress?
    }

    private let handle: InterruptHandle
    private let onProgress: @Sendable (QueryProgress) -> Void
    private let state = LockedValue(State())
    // Dispatch sources are thread-safe: `cancel()` may be called from any thread, and the timer
    // is configured and resumed once, in init, before the object is shared.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    /// Starts sampling `handle`'s connection every `interval` (at least 1 ms).
    public init(handle: InterruptHandle, interval: Duration, onProgress: @escaping @Sendable (QueryProgress) -> Void) {
        self.handle = handle
        self.onProgress = onProgress
        let nanoseconds = max(1_000_000, interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + .nanoseconds(Int(nanoseconds)), repeating: .nanoseconds(Int(nanoseconds)))
        timer.setEventHandler { [weak self] in self?.sample() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Takes one sample now and reports it when it is new. Thread-safe.
    public func sample() {
        state.withLock { state in
            guard !state.stopped, let progress = handle.progress(), progress != state.last else { return }
            state.last = progress
            onProgress(progress)
        }
    }

    /// Stops sampling. Idempotent; afterwards the callback is never called again.
    public func stop() {
        state.withLock { $0.stopped = true }
        timer.cancel()
    }
}

extension Connection {
    /// Turns on DuckDB's progress tracking for this connection: `enable_progress_bar` on,
    /// `enable_progress_bar_print` off (nothing is drawn). DuckDB 1.5.5 leaves
    /// `duckdb_query_progress` at -1 (no estimate) without it. Runs two `SET` statements the
    /// first time and nothing afterwards; the setting stays on for the connection's life (its
    /// cost is DuckDB updating a counter between tasks).
    ///
    /// - Throws: ``DuckDBError`` from the `SET` statements (a closed connection, say).
    public func enableProgressTracking() throws(DuckDBError) {
        guard !handle.isProgressTrackingEnabled else { return }
        try execute("SET enable_progress_bar = true")
        try execute("SET enable_progress_bar_print = false")
        handle.isProgressTrackingEnabled = true
    }

    /// Runs `body` on this thread while a ``QueryProgressSampler`` reports the progress of the
    /// queries it runs to `onProgress`, every `interval` (default 100 ms), from a Dispatch queue.
    /// Progress tracking is turned on first (``enableProgressTracking()``). When this returns or
    /// throws, `onProgress` is not called any more.
    ///
    /// - Throws: what `body` throws, or ``DuckDBError`` from turning tracking on.
    public func withProgress<T>(
        every interval: Duration = .milliseconds(100),
        onProgress: @escaping @Sendable (QueryProgress) -> Void,
        _ body: () throws -> T
    ) throws -> T {
        try enableProgressTracking()
        let sampler = QueryProgressSampler(handle: interruptHandle, interval: interval, onProgress: onProgress)
        defer { sampler.stop() }
        return try body()
    }
}
