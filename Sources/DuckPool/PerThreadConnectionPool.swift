import DuckPoolSupport
public import DuckDBKit
import Foundation
import DuckPoolCore
import Synchronization

/// One DuckDB connection per thread (what SQLAlchemy calls a `SingletonThreadPool`).
///
/// Each thread that calls ``withConnection(_:)`` gets its own connection, made on first use and
/// reused by that thread only. It is closed when the thread ends (on the pool's closer queue, not
/// on the ending thread; see `ThreadSlot`), or by ``close()``.
///
/// Choose it for a fixed set of long-lived worker threads (a thread pool executor) that each run
/// many queries; choose ``DuckPool`` for async code, for bounded connection counts, and for
/// everything else (timeouts, validation, recycling, metrics).
///
/// **Thread-safety:** `Sendable`; every method may be called from any thread. Do not call
/// ``withConnection(_:)`` from async code: it runs DuckDB on the calling thread.
public final class PerThreadConnectionPool: Sendable {
    /// The database every connection belongs to.
    public let database: Database
    private let slotKey: String
    private let state = LockedValue(State())
    /// Closes and releases the connections of ended threads (a serial queue, not the cooperative
    /// pool: closing may wait for DuckDB).
    private let closer = OrphanedConnectionCloser()

    private struct State {
        var isClosed = false
        var slots: [ObjectIdentifier: WeakSlot] = [:]
    }

    /// Opens the database at `path` (through the process-wide instance cache).
    /// - Throws: ``DuckDBError`` from opening the database.
    public init(path: String, configuration: DatabaseConfiguration = DatabaseConfiguration()) throws(DuckDBError) {
        self.database = try Database(path: path, configuration: configuration)
        self.slotKey = "duckpool.per-thread.\(UUID().uuidString)"
    }

    /// Runs `body` with the calling thread's connection, making it on first use.
    ///
    /// - Throws: ``DuckPoolError/Code/poolClosed`` after ``close()``; whatever `body` throws.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let slot = try currentSlot()
        return try slot.use(body)
    }

    /// The number of threads that currently have an open connection.
    public var openConnectionCount: Int {
        state.withLock { $0.slots.values.filter { $0.slot?.isOpen == true }.count }
    }

    /// Closes every idle connection now and every busy one as soon as its call returns (a running
    /// query is interrupted), and waits for the connections of threads that already ended to be
    /// closed. Later calls throw ``DuckPoolError/Code/poolClosed``. Idempotent.
    public func close() {
        let slots = state.withLock { state -> [ThreadSlot] in
            state.isClosed = true
            let live = state.slots.values.compactMap(\.slot)
            state.slots.removeAll()
            return live
        }
        for slot in slots { slot.closeFromAnotherThread() }
        closer.waitForPendingCloses()
        database.close()
    }

    /// How many connections of ended threads this pool has closed so far (on its closer queue).
    package var orphanedConnectionsClosed: Int { closer.closedCount }

    private var closedError: DuckPoolError {
        .closed("per-thread pool for \(database.path)")
    }

    private func currentSlot() throws -> ThreadSlot {
        let dictionary = Thread.current.threadDictionary
        if let slot = dictionary[slotKey] as? ThreadSlot, slot.isOpen { return slot }
        guard !state.withLock({ $0.isClosed }) else { throw closedError }
        let connection = try database.connect()
        let slot = ThreadSlot(connection: connection, closer: closer)
        let registered = state.withLock { state -> Bool in
            guard !state.isClosed else { return false }
            state.slots[ObjectIdentifier(slot)] = WeakSlot(slot: slot)
            return true
        }
        guard registered else {
            connection.close()
            throw closedError
        }
        dictionary[slotKey] = slot
        return slot
    }
}

/// One thread's connection. Released with the thread's dictionary when the thread ends; its
/// `deinit` then hands the connection to the pool's closer queue.
///
/// Why not close it right there: Foundation releases the thread's dictionary from a pthread key
/// destructor, which glibc runs after the thread's C++ `thread_local` destructors. DuckDB code run
/// at that point (closing the connection, and destroying the database when this connection was
/// its last user) creates `thread_local` state, such as its block allocator's per-thread cache,
/// that nothing destroys any more: about 1.5 KB lost per thread, which LeakSanitizer reports.
// @unchecked: `connection` is used only by the owning thread (through `use`), and from other
// threads only through Connection's own thread-safe `closeIfIdle` and interrupt handle, and by
// the closer once no thread can reach the slot (deinit).
private final class ThreadSlot: @unchecked Sendable {
    private let connection: Connection
    private let closer: OrphanedConnectionCloser
    private let closeRequested = Atomic(false)

    init(connection: Connection, closer: OrphanedConnectionCloser) {
        self.connection = connection
        self.closer = closer
    }

    var isOpen: Bool { !connection.isClosed && !closeRequested.load(ordering: .acquiring) }

    func use<T>(_ body: (Connection) throws -> T) throws -> T {
        defer { if closeRequested.load(ordering: .acquiring) { connection.close() } }
        return try body(connection)
    }

    func closeFromAnotherThread() {
        closeRequested.store(true, ordering: .releasing)
        if !connection.closeIfIdle() { connection.interruptHandle.interrupt() }
    }

    deinit { closer.closeAndRelease(connection) }
}

private struct WeakSlot {
    weak var slot: ThreadSlot?
}
