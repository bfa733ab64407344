import Dispatch

/// The serial queue that owns one pooled DuckDB connection: every blocking DuckDB call an async
/// caller makes runs here, never on Swift's cooperative thread pool (GRDB's SerializedDatabase
/// model). Dispatch queues run on Dispatch's own worker threads, which may block.
///
/// **Thread-safety:** `Sendable`; `run` may be called from any task.
struct ConnectionQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` on the queue and resumes the caller with its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `body` on the queue and waits for it on the calling thread.
    func runBlocking<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync(execute: body)
    }
}
