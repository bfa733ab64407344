import Dispatch
import DuckPoolSupport
import Foundation

/// A test PostgreSQL server's output, read on a thread of its own so that the server never
/// blocks on a full pipe; tells when the server is ready. Thread-safe.
final class PostgresServerLog: Sendable {
    private let state = LockedValue((text: "", ready: false, ended: false))
    private let changed = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                state.withLock { state in
                    state.text += String(decoding: data, as: UTF8.self)
                    if state.text.contains("ready to accept connections") { state.ready = true }
                    if data.isEmpty { state.ended = true }
                }
                changed.signal()
                if data.isEmpty { return }
            }
        }
        thread.start()
    }

    /// Everything the server wrote so far.
    var text: String { state.withLock { $0.text } }

    /// Blocks until the server says it is ready (true) or its output ends (false).
    func waitForReady() -> Bool {
        while true {
            let (ready, ended) = state.withLock { ($0.ready, $0.ended) }
            if ready { return true }
            if ended { return false }
            changed.wait()
        }
    }
}
