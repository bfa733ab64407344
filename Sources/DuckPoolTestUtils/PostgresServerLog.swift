import Foundation

/// A test PostgreSQL server's output, read on a thread of its own so that the server never
/// blocks on a full pipe; tells when the server is ready.
///
/// **Thread-safety:** `Sendable`; every member may be used from any thread.
final class PostgresServerLog: @unchecked Sendable {
    // @unchecked: `text`, `ready` and `ended` are read and written under `condition` only.
    private let condition = NSCondition()
    private var buffer = ""
    private var ready = false
    private var ended = false

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                buffer += String(decoding: data, as: UTF8.self)
                if buffer.contains("ready to accept connections") { ready = true }
                if data.isEmpty { ended = true }
                condition.broadcast()
                condition.unlock()
                if data.isEmpty { return }
            }
        }
        thread.start()
    }

    /// Everything the server wrote so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return buffer
    }

    /// Blocks until the server says it is ready (true) or its output ends (false).
    func waitForReady() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !ready && !ended { condition.wait() }
        return ready
    }
}
