import DequeModule

extension PoolStateMachine {
    /// A timer the shell scheduled for `deadline` fired at `now`.
    ///
    /// Handles everything that is due, in this order: acquire timeouts of waiting requests (head
    /// first), the end of the connection backoff, idle connections past their lifetime, idle
    /// connections above the minimum past the idle timeout, and the shutdown grace period
    /// (interrupting still-leased connections). Then opens connections if needed and asks for the
    /// next timer. A timer that finds nothing due does nothing.
    mutating func timerFired(scheduledFor deadline: PoolTime, now: PoolTime) -> Action {
        if let index = self.timers.firstIndex(of: deadline) {
            self.timers.remove(at: index)
        }
        var action = Action()
        guard !self.isShutDown else { return action }

        self.expireWaitingRequests(now: now, &action)
        if let retryAt = self.connect.retryAt, retryAt <= now {
            self.connect.retryAt = nil
        }
        if self.isRunning {
            self.closeIdleConnectionsPastLifetime(now: now, &action)
            self.closeIdleConnectionsPastIdleTimeout(now: now, &action)
        }
        if case .shuttingDown(let graceDeadline?, false) = self.lifecycle, graceDeadline <= now {
            self.interruptLeasedConnections(&action)
        }
        self.createConnectionsIfNeeded(&action)
        self.finishShutdownIfDone(&action)
        if let next = self.nextDeadline(), next > now {
            self.armTimer(next, &action)
        }
        return action
    }

    /// Asks for a timer at `deadline` unless one already fires at or before it.
    mutating func armTimer(_ deadline: PoolTime, _ action: inout Action) {
        if let first = self.timers.first, first <= deadline {
            return
        }
        // An earlier deadline replaces one requested by the same action (the later one would be
        // recomputed when the earlier fires anyway).
        if let previous = action.scheduleTimer, let index = self.timers.firstIndex(of: previous) {
            self.timers.remove(at: index)
        }
        self.timers.insert(deadline, at: 0)
        action.scheduleTimer = deadline
    }

    /// The earliest moment something becomes due, or `nil` if nothing ever will.
    mutating func nextDeadline() -> PoolTime? {
        var next: PoolTime?
        func consider(_ time: PoolTime?) {
            guard let time else { return }
            if let current = next, current <= time { return }
            next = time
        }

        consider(self.queue.first()?.deadline)
        consider(self.connect.retryAt)
        switch self.lifecycle {
        case .running:
            for id in self.idle {
                consider(self.connections[id]?.expiresAt)
            }
            if let idleTimeout = self.configuration.idleTimeout,
               self.connections.count > self.configuration.minimumConnections,
               let oldest = self.idle.first,
               case .idle(_, let since)? = self.connections[oldest]?.state {
                consider(since + idleTimeout)
            }
        case .shuttingDown(let graceDeadline, let interruptsSent):
            if !interruptsSent {
                consider(graceDeadline)
            }
        case .shutDown:
            return nil
        }
        return next
    }

    // MARK: Due work

    private mutating func expireWaitingRequests(now: PoolTime, _ action: inout Action) {
        var snapshot: PoolStatistics?
        while let head = self.queue.first(), head.deadline <= now {
            let state = snapshot ?? self.statistics(now: now)
            snapshot = state
            _ = self.queue.popFirst()
            self.totals.timedOut += 1
            let waited = now - head.requestedAt
            let error: ConnectionPoolError
            if self.connect.consecutiveFailures > 0, self.leasedCount + self.idle.count == 0,
               let lastError = self.connect.lastError {
                error = .connectionAttemptFailed(underlying: lastError, waited: waited, state: state)
            } else {
                error = .acquireTimeout(waited: waited, state: state)
            }
            action.failures.append(Failure(requestID: head.requestID, reason: .error(error)))
        }
    }

    private mutating func closeIdleConnectionsPastLifetime(now: PoolTime, _ action: inout Action) {
        let anyExpired = self.idle.contains { id in
            guard let expiresAt = self.connections[id]?.expiresAt else { return false }
            return expiresAt <= now
        }
        guard anyExpired else { return }

        var kept = Deque<ConnectionID>()
        kept.reserveCapacity(self.idle.count)
        for id in self.idle {
            guard let index = self.connections.index(forKey: id),
                  case .idle(let connection, _) = self.connections.values[index].state
            else {
                continue
            }
            if let expiresAt = self.connections.values[index].expiresAt, expiresAt <= now {
                self.connections.remove(at: index)
                self.registerClose(connection, reason: .lifetime, &action)
            } else {
                kept.append(id)
            }
        }
        self.idle = kept
    }

    private mutating func closeIdleConnectionsPastIdleTimeout(now: PoolTime, _ action: inout Action) {
        guard let idleTimeout = self.configuration.idleTimeout else { return }
        while self.connections.count > self.configuration.minimumConnections, let oldest = self.idle.first {
            guard let index = self.connections.index(forKey: oldest),
                  case .idle(let connection, let since) = self.connections.values[index].state
            else {
                self.idle.removeFirst()
                continue
            }
            guard since + idleTimeout <= now else { return }
            self.idle.removeFirst()
            self.connections.remove(at: index)
            self.registerClose(connection, reason: .idle, &action)
        }
    }

    /// Interrupts every leased connection (once, at the end of the shutdown grace period).
    mutating func interruptLeasedConnections(_ action: inout Action) {
        guard case .shuttingDown(let graceDeadline, false) = self.lifecycle else { return }
        self.lifecycle = .shuttingDown(graceDeadline: graceDeadline, interruptsSent: true)
        var leased: [(ConnectionID, Connection)] = []
        for slot in self.connections.values {
            if case .leased(let connection, _) = slot.state {
                leased.append((connection.id, connection))
            }
        }
        leased.sort { $0.0 < $1.0 }
        action.interruptConnections.append(contentsOf: leased.map(\.1))
    }
}
