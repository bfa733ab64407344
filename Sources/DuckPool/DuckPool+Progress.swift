public import DuckDBKit

/// Work on a pooled connection whose query progress can be watched while it runs: returned by
/// ``DuckPool/withProgress(every:timeout:deadline:file:line:_:)``.
///
/// ```swift
/// let run = pool.withProgress { connection in
///     try RowSet(connection.query("SELECT symbol, avg(close) FROM stock_kline GROUP BY symbol"))
/// }
/// for await progress in run.progress { bar.update(percent: progress.percentage) }
/// let rows = try await run.value
/// ```
///
/// **Thread-safety:** `Sendable`. ``progress`` is a single-consumer stream: iterate it from one
/// task. It keeps only the newest value when the consumer is slower than the samples, and it
/// finishes when the work ends (returns, throws, is cancelled).
public struct ProgressTrackedTask<Success: Sendable>: Sendable {
    /// The running query's progress, sampled on a Dispatch timer; finishes when the work ends.
    public let progress: AsyncStream<QueryProgress>
    private let task: Task<Success, any Error>

    init(progress: AsyncStream<QueryProgress>, task: Task<Success, any Error>) {
        self.progress = progress
        self.task = task
    }

    /// The work's result.
    /// - Throws: what the work throws; `CancellationError` after ``cancel()``.
    public var value: Success {
        get async throws { try await task.value }
    }

    /// Cancels the work: a running query is interrupted (DuckDB stops within milliseconds), the
    /// connection goes back to the pool, and ``progress`` finishes.
    public func cancel() { task.cancel() }
}

/// Watching a long query's progress through the pool.
extension DuckPool {
    /// Starts `body` on a pooled connection (as ``withConnection(timeout:deadline:file:line:_:)`` does)
    /// with DuckDB's progress tracking on, and returns at once with the running work and a
    /// stream of its progress, sampled every `interval` (default 100 ms).
    ///
    /// Progress tracking (`enable_progress_bar`, without printing) is turned on for the
    /// connection the first time progress is asked of it, and stays on for that connection.
    ///
    /// - Returns: The work; its `value` throws ``DuckDBError``, ``DuckPoolError``, or
    ///   `CancellationError`.
    public func withProgress<T: Sendable>(
        every interval: Duration = .milliseconds(100),
        timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) -> ProgressTrackedTask<T> {
        let (stream, continuation) = AsyncStream<QueryProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            defer { continuation.finish() }
            return try await withConnection(progressEvery: interval, onProgress: { continuation.yield($0) }, timeout: timeout, deadline: deadline, file: file, line: line, body)
        }
        return ProgressTrackedTask(progress: stream, task: task)
    }

    /// ``withConnection(timeout:deadline:file:line:_:)`` that reports the progress of the queries `body`
    /// runs to `onProgress`, every `interval` (default 100 ms), from a Dispatch queue; it is not
    /// called after this returns. Keep `onProgress` short.
    ///
    /// - Throws: as ``withConnection(timeout:deadline:file:line:_:)``.
    public func withConnection<T: Sendable>(
        progressEvery interval: Duration = .milliseconds(100),
        onProgress: @escaping @Sendable (QueryProgress) -> Void,
        timeout: Duration? = nil, deadline: Deadline? = nil,
        file: String = #fileID, line: Int = #line,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        try await withConnection(timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try connection.withProgress(every: interval, onProgress: onProgress) { try body(connection) }
        }
    }

    /// Runs a query and returns all its rows, reporting its progress to `onProgress` every
    /// `interval` (default 100 ms) while it runs.
    ///
    /// - Throws: ``DuckDBError`` (the query's), ``DuckPoolError`` or `CancellationError`.
    public func query(
        _ sql: String, _ parameters: [any DuckDBBindable] = [],
        progressEvery interval: Duration = .milliseconds(100),
        onProgress: @escaping @Sendable (QueryProgress) -> Void,
        timeout: Duration? = nil, deadline: Deadline? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> RowSet {
        try await withConnection(progressEvery: interval, onProgress: onProgress, timeout: timeout, deadline: deadline, file: file, line: line) { connection in
            try RowSet(connection.query(sql, parameters))
        }
    }
}
