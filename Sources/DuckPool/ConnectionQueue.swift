import Dispatch

/// The serial queue that owns one pooled DuckDB connection: every blocking DuckDB call an async
/// caller makes runs here, never on Swift's cooperative thread pool (GRDB's SerializedDatabase
/// model). Dispatch queues run on Dispatch's own worker threads, which may block.
///
/// **Thread-safety:** `Sendable`; its methods may be called from any task or thread.
struct ConnectionQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `job` on the queue, after the jobs enqueued before it.
    func enqueue(_ job: @escaping @Sendable () -> Void) {
        queue.async(execute: job)
    }

    /// Runs `body` on the queue and resumes the caller with its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
