import DuckPoolSupport
import Logging

/// Records log entries in memory. Made per test and handed to the pool through its `Logger`;
/// the global logging system is never bootstrapped.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Store: Sendable {
        private let storage = LockedValue<[Entry]>([])
        func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
        var entries: [Entry] { storage.withLock { $0 } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "duckpool-test") { _ in CapturingLogHandler(store: store) }, store)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        store.append(Entry(level: event.level, message: "\(event.message)", metadata: merged))
    }
}
