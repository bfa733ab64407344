import DuckPoolSupport

/// The result of an async lease, delivered once: by the body's job on the connection's queue,
/// or earlier by the lease's gate when the caller may stop waiting (see ``LeaseGate``). Whichever
/// comes second is dropped.
///
/// **Thread-safety:** `Sendable`; ``complete(_:)`` may be called from any thread, any number of
/// times; ``wait(starting:)`` once, from the caller's task.
final class LeaseCompletion<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var continuation: UnsafeContinuation<Result<Value, any Error>, Never>?
        var delivered = false
    }

    private let state = LockedValue(State())

    /// Delivers `result`, unless a result was delivered already.
    func complete(_ result: Result<Value, any Error>) {
        let continuation = state.withLock { state -> UnsafeContinuation<Result<Value, any Error>, Never>? in
            guard !state.delivered else { return nil }
            state.delivered = true
            guard let continuation = state.continuation else {
                state.result = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: result)
    }

    /// Calls `start` (which makes the result arrive), then waits for the first result.
    func wait(starting start: () -> Void) async throws -> Value {
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<Value, any Error>, Never>) in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
            } else {
                start()
            }
        }
        return try result.get()
    }
}
