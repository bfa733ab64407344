extension PoolStateMachine {
    /// A caller asks for a connection.
    ///
    /// Served at once by an idle connection when nobody waits (idle connections past their
    /// lifetime are closed on the way); otherwise queued at the tail with the deadline
    /// `now + acquireTimeout` (or `now + timeout` when the caller gave a shorter one), and
    /// connections are opened if the pool may grow. Fails at once when the pool is not running
    /// (`poolClosed`), when the circuit breaker is open (`connectionFactoryFailing`), when
    /// `maxWaiters` requests already wait (`poolExhausted`), or when `timeout` is not positive
    /// and no connection is idle (`acquireTimeout`).
    mutating func leaseRequested(_ requestID: RequestID, file: String, line: Int, now: PoolTime, timeout: Duration? = nil) -> Action {
        if let lease = self.leaseIdleConnectionFast(requestID, file: file, line: line, now: now) {
            return Action(leases: [lease])
        }
        var action = Action()
        guard self.isRunning else {
            action.failures.append(Failure(requestID: requestID, reason: .error(.poolClosed)))
            return action
        }

        if self.queue.isEmpty, let (index, connection) = self.takeIdleConnection(now: now, &action) {
            let request = WaitingRequest(requestID: requestID, file: file, line: line, requestedAt: now, deadline: now)
            self.leaseConnection(at: index, connection, to: request, now: now, &action)
            if !action.closeConnections.isEmpty {
                self.createConnectionsIfNeeded(&action)
            }
            return action
        }

        if self.connect.breakerOpen, let lastError = self.connect.lastError {
            action.failures.append(Failure(
                requestID: requestID,
                reason: .error(.connectionFactoryFailing(underlying: lastError, consecutiveFailures: self.connect.consecutiveFailures))
            ))
            self.createConnectionsIfNeeded(&action)
            return action
        }

        if let maxWaiters = self.configuration.maxWaiters, self.queue.count >= maxWaiters {
            action.failures.append(Failure(requestID: requestID, reason: .error(.poolExhausted(maxWaiters: maxWaiters))))
            self.createConnectionsIfNeeded(&action)
            return action
        }

        let limit = min(self.configuration.acquireTimeout, timeout ?? self.configuration.acquireTimeout)
        guard limit > .zero else {
            action.failures.append(Failure(requestID: requestID, reason: .error(.acquireTimeout(waited: .zero, state: self.statistics(now: now)))))
            self.totals.timedOut += 1
            return action
        }
        let request = WaitingRequest(
            requestID: requestID,
            file: file,
            line: line,
            requestedAt: now,
            deadline: now + limit
        )
        self.queue.append(request)
        self.armTimer(request.deadline, &action)
        self.createConnectionsIfNeeded(&action)
        return action
    }

    /// The fast path of ``leaseRequested(_:file:line:now:)``: hands out the next idle connection
    /// if the pool is running, nobody waits and that connection is within its lifetime. Returns
    /// `nil`, changing nothing, when the general path is needed. O(1), no allocation.
    mutating func leaseIdleConnectionFast(_ requestID: RequestID, file: String, line: Int, now: PoolTime) -> Lease? {
        let lifo = self.configuration.reuseOrder == .lifo
        guard self.isRunning, self.queue.isEmpty,
              let id = lifo ? self.idle.last : self.idle.first,
              let index = self.connections.index(forKey: id)
        else {
            return nil
        }
        let validate = self.configuration.validateOnAcquire
        let lease = self.withSlot(at: index) { slot -> Lease? in
            guard case .idle(let connection, _) = slot.state else { return nil }
            if let expiresAt = slot.expiresAt, expiresAt <= now { return nil }
            let record = LeaseRecord(requestID: requestID, file: file, line: line, requestedAt: now, leasedAt: now)
            slot.state = .leased(connection, record)
            return Lease(connection: connection, requestID: requestID, validate: validate, waited: .zero)
        }
        guard let lease else { return nil }
        if lifo {
            self.idle.removeLast()
        } else {
            self.idle.removeFirst()
        }
        self.leasedCount += 1
        return lease
    }

    /// A waiting request's task was cancelled: removes it from the queue. Returns `.none` if the
    /// request is not waiting (any more): then it has been served or failed already, and the
    /// shell must return a connection it receives for it.
    mutating func cancelRequest(_ requestID: RequestID) -> Action {
        guard self.queue.remove(requestID) != nil else { return .none }
        return Action(failures: [Failure(requestID: requestID, reason: .cancelled)])
    }

    /// The receiver of `connection` found it invalid: closes it, puts the request back at the
    /// head of the queue with its original deadline (or serves it at once from another idle
    /// connection) and opens a replacement.
    mutating func validationFailed(_ connection: Connection, requestID: RequestID, now: PoolTime) -> Action {
        guard let index = self.connections.index(forKey: connection.id),
              case .leased(let leased, let record) = self.connections.values[index].state,
              leased === connection, record.requestID == requestID
        else {
            return .none
        }

        var action = Action()
        self.connections.remove(at: index)
        self.leasedCount -= 1
        self.totals.failedValidation += 1
        self.registerClose(connection, reason: .validationFailed, &action)

        guard self.isRunning else {
            action.failures.append(Failure(requestID: requestID, reason: .error(.poolClosed)))
            self.finishShutdownIfDone(&action)
            return action
        }

        let request = WaitingRequest(
            requestID: requestID,
            file: record.file,
            line: record.line,
            requestedAt: record.requestedAt,
            deadline: record.requestedAt + self.configuration.acquireTimeout
        )
        if let (index, next) = self.takeIdleConnection(now: now, &action) {
            self.leaseConnection(at: index, next, to: request, now: now, &action)
        } else if self.connect.breakerOpen, let lastError = self.connect.lastError {
            action.failures.append(Failure(
                requestID: requestID,
                reason: .error(.connectionFactoryFailing(underlying: lastError, consecutiveFailures: self.connect.consecutiveFailures))
            ))
        } else {
            self.queue.prepend(request)
            self.armTimer(request.deadline, &action)
        }
        self.createConnectionsIfNeeded(&action)
        return action
    }

    // MARK: Helpers

    /// Takes the next idle connection in reuse order, closing those past their lifetime.
    /// Returns the index of its slot (still in state `.idle`; lease it right away).
    mutating func takeIdleConnection(
        now: PoolTime,
        _ action: inout Action
    ) -> (Dictionary<ConnectionID, ConnectionSlot>.Index, Connection)? {
        enum Check {
            case usable(Connection)
            case expired(Connection)
            case notIdle
        }
        while let id = (self.configuration.reuseOrder == .lifo ? self.idle.popLast() : self.idle.popFirst()) {
            guard let index = self.connections.index(forKey: id) else { continue }
            let check = self.withSlot(at: index) { slot -> Check in
                guard case .idle(let connection, _) = slot.state else { return .notIdle }
                if let expiresAt = slot.expiresAt, expiresAt <= now {
                    return .expired(connection)
                }
                return .usable(connection)
            }
            switch check {
            case .usable(let connection):
                return (index, connection)
            case .expired(let connection):
                self.connections.remove(at: index)
                self.registerClose(connection, reason: .lifetime, &action)
            case .notIdle:
                continue
            }
        }
        return nil
    }

    /// Marks the slot at `index` leased to `request` and adds the lease to `action`.
    mutating func leaseConnection(
        at index: Dictionary<ConnectionID, ConnectionSlot>.Index,
        _ connection: Connection,
        to request: WaitingRequest,
        now: PoolTime,
        _ action: inout Action
    ) {
        let record = LeaseRecord(
            requestID: request.requestID,
            file: request.file,
            line: request.line,
            requestedAt: request.requestedAt,
            leasedAt: now
        )
        self.connections.values[index].state = .leased(connection, record)
        self.leasedCount += 1
        action.leases.append(Lease(
            connection: connection,
            requestID: request.requestID,
            validate: self.configuration.validateOnAcquire,
            waited: now - request.requestedAt
        ))
    }
}
