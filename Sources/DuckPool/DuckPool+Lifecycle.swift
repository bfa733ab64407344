import DuckPoolCore
import DuckPoolSupport

/// Closing, replacing every connection, and resizing.
extension DuckPool {
    /// Stops new acquires (they fail with ``DuckPoolError/Code/poolClosed``), closes idle
    /// connections at once, waits up to `gracePeriod` for leases to end, then interrupts the
    /// statements still running and waits for them to be returned; closes every connection and
    /// the database. Idempotent; concurrent callers all wait for the end.
    ///
    /// - Parameter gracePeriod: How long running leases may go on. Default 10 s; `nil` never
    ///   interrupts (see ``close(drain:)``).
    public func close(gracePeriod: Duration? = .seconds(10)) async {
        // Connection attempts waiting for a reopen fail now, so that the shutdown can finish.
        recovery?.beginClose()
        async let readersClosed: Void = readers.shutdown(gracePeriod: gracePeriod)
        await writer?.shutdown(gracePeriod: gracePeriod)
        await readersClosed
        let tasks = background.withLock { tasks in
            let current = tasks
            for task in current { task.cancel() }
            return current
        }
        for task in tasks { await task.value }
        await recovery?.close()
        database.close()
        DuckPoolRegistry.forget(self)
        logger.debug("duckpool closed")
    }

    /// Closes the pool without interrupting anyone (`drain: true`): new acquires fail at once,
    /// idle connections close now, leased ones close as their holders return them, and the
    /// database closes after the last one. With `drain: false`, running statements are
    /// interrupted at once. What `dispose(close_connections=False)` leaves to its holders.
    public func close(drain: Bool) async {
        await close(gracePeriod: drain ? nil : .zero)
    }

    /// The blocking form of ``close(gracePeriod:)``, for plain threads.
    @available(*, noasync, message: "blocks the calling thread; use the async close in async code")
    public func close(gracePeriod: Duration? = .seconds(10)) {
        let done = BlockingWaiter<Bool>()
        Task.detached { [self] in
            await close(gracePeriod: gracePeriod)
            done.signal(true)
        }
        _ = done.wait()
    }

    /// Replaces every connection: idle ones now, leased ones when they are returned. Use it
    /// after changing something every connection must see anew. Includes the writer lane's
    /// connection. Thread-safe; never waits.
    public func recreate() {
        readers.recreate()
        writer?.recreate()
    }

    /// Changes the pool's limits at run time (the readers' with a writer lane; the writer stays
    /// one connection). Thread-safe; never waits.
    /// - Throws: ``DuckPoolError/Code/invalidConfiguration``; nothing changes then.
    public func resize(minimum: Int, maximum: Int) throws(DuckPoolError) {
        do {
            try readers.resize(minimum: minimum, maximum: maximum)
        } catch {
            throw DuckPoolError(error)
        }
    }

    /// Whether ``close(gracePeriod:)`` has started.
    var isClosing: Bool { readers.statistics.lifecycle != .running }
}
