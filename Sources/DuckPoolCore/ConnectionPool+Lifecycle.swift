extension ConnectionPool {
    /// Shuts the pool down and returns once every connection is closed.
    ///
    /// New requests fail with ``ConnectionPoolError/Code/poolClosed``, waiting requests fail
    /// with it at once, idle connections are closed at once, and leased connections are closed
    /// as their holders release them. If connections are still leased `gracePeriod` after the
    /// first call, the pool calls ``ConnectionFactory/interrupt(_:)`` on each of them once, and
    /// keeps waiting for their release. Idempotent: every call waits for the same shutdown; a
    /// later call can only shorten the grace period. Requires ``run()`` to be running (it does the
    /// closing); returns at once if the pool has already shut down. The wait is not cancellable.
    ///
    /// - Parameter gracePeriod: How long holders get before their connections are interrupted
    ///   (`.zero`: interrupt at once; `nil`: never, wait for every holder to return).
    public func shutdown(gracePeriod: Duration?) async {
        let now = self.now()
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            self.engine.shutdown(graceDeadline: gracePeriod.map { now + $0 }, now: now, waiter: continuation)
        }
    }

    /// Starts the shutdown without waiting for it (used when ``run()`` is cancelled).
    func startShutdown(gracePeriod: Duration) {
        let now = self.now()
        self.engine.shutdown(graceDeadline: now + gracePeriod, now: now, waiter: nil)
    }

    /// Changes ``PoolConfiguration/minimumConnections`` and
    /// ``PoolConfiguration/maximumConnections`` at run time.
    ///
    /// Growing opens connections up to the new minimum (and for waiting requests up to the new
    /// maximum). Shrinking closes idle connections above the new maximum at once and leased ones
    /// when they come back; idle connections above the new minimum become subject to the idle
    /// timeout. Thread-safe; one lock acquisition.
    ///
    /// - Throws: ``ConnectionPoolError/Code/invalidConfiguration`` (naming `minimumConnections` or
    ///   `maximumConnections`) if `minimum < 0`, `maximum < 1` or `minimum > maximum`; nothing
    ///   changes then.
    public func resize(minimum: Int, maximum: Int) throws(ConnectionPoolError) {
        try self.engine.resize(minimum: minimum, maximum: maximum, now: self.now())
    }

    /// Replaces every connection: idle ones are closed at once, leased ones when they are
    /// released, connections being opened when they open; replacements are opened to keep the
    /// minimum and serve waiters. Use it after something made existing connections stale.
    /// Thread-safe; one lock acquisition. Does nothing once shutdown started.
    public func recreate() {
        self.engine.recreate(now: self.now())
    }
}
