extension ConnectionPool {
    /// Leases a connection, waiting in FIFO order if none is idle.
    ///
    /// With an idle connection and nobody waiting, this takes the lock once and does not
    /// suspend (unless ``PoolConfiguration/validateOnAcquire`` is on: then it awaits
    /// ``ConnectionFactory/validate(_:)``). Otherwise the request waits at the tail of the queue;
    /// ``run()`` must be running for new connections to open and for the acquire timeout to fire.
    /// A connection that fails validation is closed and the request keeps its place and deadline.
    ///
    /// Return the connection with ``release(_:reusable:)``.
    ///
    /// - Parameters:
    ///   - timeout: The longest this request may wait, when shorter than
    ///     ``PoolConfiguration/acquireTimeout`` (a caller's own deadline). Default: nil.
    ///   - file: Recorded as the holder's location (default: the caller's `#fileID`).
    ///   - line: Recorded as the holder's line (default: the caller's `#line`).
    /// - Throws: `CancellationError` if the task is or gets cancelled while waiting (the request
    ///   leaves the queue; a connection that was handed over at the same instant goes back to
    ///   the pool); ``ConnectionPoolError`` with code ``ConnectionPoolError/Code/acquireTimeout``,
    ///   ``ConnectionPoolError/Code/connectionAttemptFailed``,
    ///   ``ConnectionPoolError/Code/poolExhausted``, ``ConnectionPoolError/Code/poolClosed`` or
    ///   ``ConnectionPoolError/Code/connectionFactoryFailing``.
    public func lease(timeout: Duration? = nil, file: String = #fileID, line: Int = #line) async throws -> Connection {
        if Task.isCancelled {
            throw CancellationError()
        }
        let requestID = self.engine.nextRequestID()
        var ready = self.engine.lease(requestID, file: file, line: line, now: self.now(), timeout: timeout)
        var waited = false
        while true {
            let outcome: LeaseOutcome
            if let ready {
                outcome = ready
            } else {
                outcome = await self.waitForLease(requestID)
                waited = true
            }
            switch outcome {
            case .failed(let error):
                throw error
            case .cancelled:
                throw CancellationError()
            case .leased(let connection, let validate, let waitedFor):
                let typed = self.typed(connection)
                if validate, !self.factory.isKnownValid(typed) {
                    if await !self.factory.validate(typed) {
                        ready = self.engine.validationFailed(connection, requestID: requestID, now: self.now())
                        continue
                    }
                }
                if (waited || validate) && Task.isCancelled {
                    self.release(typed)
                    throw CancellationError()
                }
                self.engine.observer.leaseAcquired(connectionID: connection.id, waited: waitedFor)
                return typed
            }
        }
    }

    /// Returns a leased connection to the pool.
    ///
    /// With `reusable: true` the connection goes to the first waiting request or becomes idle
    /// (unless it reached its lifetime, was retired by ``recreate()``, or the pool is shrinking or
    /// shutting down: then it is closed). With `reusable: false` it is closed and replaced if
    /// needed. Releasing a connection that is not leased (twice, or from another pool) does
    /// nothing. Never blocks; one lock acquisition.
    ///
    /// - Parameters:
    ///   - connection: A connection this pool handed out.
    ///   - reusable: Whether the connection is still in a good state. Default: `true`.
    public func release(_ connection: Connection, reusable: Bool = true) {
        self.engine.release(connection, reusable: reusable, now: self.now())
    }

    /// Suspends until the queued request `requestID` is served, failed or cancelled.
    private func waitForLease(_ requestID: RequestID) async -> LeaseOutcome {
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<LeaseOutcome, Never>) in
                let ready = self.engine.park(.async(continuation), for: requestID)
                if let ready {
                    continuation.resume(returning: ready)
                }
            }
        } onCancel: {
            self.engine.cancel(requestID)
        }
    }
}
