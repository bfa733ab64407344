import DuckPoolSupport
import DequeModule

/// A single-consumer queue of background work for ``ConnectionPool/run()``.
///
/// Like an `AsyncStream`, but its `next()` does *not* end when the consuming task is cancelled:
/// cancelling `run()` must still let the pool close its connections (the close work items are
/// produced after the cancellation). It ends only after ``finish()`` once every queued item was
/// taken. Thread-safe: any thread may `push`/`finish`; exactly one task may call `next`.
final class WorkQueue<Item: Sendable>: Sendable {
    private struct State: Sendable {
        var items: Deque<Item> = []
        var consumer: UnsafeContinuation<Item?, Never>?
        var finished = false
    }

    private let state = LockedValue(State())

    private enum Polled {
        case item(Item)
        case end
        case empty
    }

    init() {}

    /// Adds an item; dropped once the queue is finished.
    func push(_ item: Item) {
        let consumer = self.state.withLock { state -> UnsafeContinuation<Item?, Never>? in
            guard !state.finished else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.items.append(item)
            return nil
        }
        consumer?.resume(returning: item)
    }

    /// Ends the queue: `next()` returns the remaining items, then `nil`.
    func finish() {
        let consumer = self.state.withLock { state -> UnsafeContinuation<Item?, Never>? in
            state.finished = true
            let consumer = state.consumer
            state.consumer = nil
            return consumer
        }
        consumer?.resume(returning: nil)
    }

    /// The next item, waiting for one if needed; `nil` once finished and drained.
    func next() async -> Item? {
        func poll(_ state: inout State) -> Polled {
            if let item = state.items.popFirst() { return .item(item) }
            return state.finished ? .end : .empty
        }

        switch self.state.withLock({ poll(&$0) }) {
        case .item(let item): return item
        case .end: return nil
        case .empty: break
        }
        return await withUnsafeContinuation { (continuation: UnsafeContinuation<Item?, Never>) in
            let polled = self.state.withLock { state -> Polled in
                let polled = poll(&state)
                if case .empty = polled {
                    state.consumer = continuation
                }
                return polled
            }
            switch polled {
            case .item(let item): continuation.resume(returning: item)
            case .end: continuation.resume(returning: nil)
            case .empty: break
            }
        }
    }
}
