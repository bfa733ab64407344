import DuckPoolSupport

extension ConnectionPool {
    /// Leases a connection from a plain thread, blocking it until one is available.
    ///
    /// Same rules as ``lease(timeout:file:line:)``: FIFO order, one deadline per request, validation.
    /// With an idle connection and nobody waiting it takes the lock once and does not block
    /// (when ``PoolConfiguration/validateOnAcquire`` is on, validation runs on a helper task
    /// while this thread waits). Otherwise the thread sleeps on a condition variable until the
    /// pool serves or fails the request; the acquire timeout is enforced by the pool's timers on
    /// the pool's clock, so ``run()`` must be running.
    ///
    /// - Important: Never call this from async code (a task, an actor): it blocks the thread.
    ///   Use ``lease(timeout:file:line:)`` there.
    /// - Parameters:
    ///   - timeout: The longest this request may wait, when shorter than
    ///     ``PoolConfiguration/acquireTimeout``. Default: nil.
    ///   - file: Recorded as the holder's location (default: the caller's `#fileID`).
    ///   - line: Recorded as the holder's line (default: the caller's `#line`).
    /// - Throws: ``ConnectionPoolError`` with code ``ConnectionPoolError/Code/acquireTimeout``,
    ///   ``ConnectionPoolError/Code/connectionAttemptFailed``,
    ///   ``ConnectionPoolError/Code/poolExhausted``, ``ConnectionPoolError/Code/poolClosed`` or
    ///   ``ConnectionPoolError/Code/connectionFactoryFailing``. Blocking waits cannot be
    ///   cancelled.
    @available(*, noasync, message: "blocks the calling thread; use lease(timeout:file:line:) in async code")
    public func leaseBlocking(timeout: Duration? = nil, file: String = #fileID, line: Int = #line) throws -> Connection {
        let requestID = self.engine.nextRequestID()
        var ready = self.engine.lease(requestID, file: file, line: line, now: self.now(), timeout: timeout)
        while true {
            let outcome = ready ?? self.waitBlocking(for: requestID)
            switch outcome {
            case .failed(let error):
                throw error
            case .cancelled:
                throw CancellationError()
            case .leased(let connection, let validate, let waitedFor):
                let typed = self.typed(connection)
                if validate, !self.factory.isKnownValid(typed), !self.validateBlocking(typed) {
                    ready = self.engine.validationFailed(connection, requestID: requestID, now: self.now())
                    continue
                }
                self.engine.observer.leaseAcquired(connectionID: connection.id, waited: waitedFor)
                return typed
            }
        }
    }

    /// Blocks the thread until the queued request `requestID` is served or failed.
    private func waitBlocking(for requestID: RequestID) -> LeaseOutcome {
        let waiter = BlockingWaiter<LeaseOutcome>()
        if let ready = self.engine.park(.blocking(waiter), for: requestID) {
            return ready
        }
        return waiter.wait()
    }

    /// Runs the async validation on a helper task and blocks until it answers.
    private func validateBlocking(_ connection: Connection) -> Bool {
        let waiter = BlockingWaiter<Bool>()
        let factory = self.factory
        Task {
            waiter.signal(await factory.validate(connection))
        }
        return waiter.wait()
    }
}
