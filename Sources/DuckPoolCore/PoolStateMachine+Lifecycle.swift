extension PoolStateMachine {
    /// Starts (or tightens) the shutdown.
    ///
    /// The first call fails every waiting request with `poolClosed`, closes idle connections,
    /// stops retrying connections and remembers `graceDeadline`, after which still-leased
    /// connections are interrupted once (`nil`: never). Leased connections are closed as they
    /// come back; connections being opened are closed when they open. Later calls can only move
    /// the grace deadline earlier. Reports `shutdownFinished` once nothing is left.
    mutating func shutdown(graceDeadline: PoolTime?, now: PoolTime) -> Action {
        var action = Action()
        switch self.lifecycle {
        case .shutDown:
            return action

        case .shuttingDown(let existing, let interruptsSent):
            guard !interruptsSent, let graceDeadline else { return action }
            if let existing, existing <= graceDeadline { return action }
            self.lifecycle = .shuttingDown(graceDeadline: graceDeadline, interruptsSent: false)
            if graceDeadline <= now {
                self.interruptLeasedConnections(&action)
            } else {
                self.armTimer(graceDeadline, &action)
            }
            return action

        case .running:
            self.lifecycle = .shuttingDown(graceDeadline: graceDeadline, interruptsSent: false)
            for request in self.queue.removeAll() {
                action.failures.append(Failure(requestID: request.requestID, reason: .error(.poolClosed)))
            }
            self.closeAllIdleConnections(reason: .shutdown, &action)
            self.connect.retryAt = nil
            if let graceDeadline {
                if graceDeadline <= now {
                    self.interruptLeasedConnections(&action)
                } else if self.leasedCount > 0 {
                    self.armTimer(graceDeadline, &action)
                }
            }
            self.finishShutdownIfDone(&action)
            return action
        }
    }

    /// Replaces every connection: idle ones are closed now, leased and connecting ones when they
    /// come back or open. Replacements are opened as needed (minimum and waiters).
    mutating func recreate(now: PoolTime) -> Action {
        var action = Action()
        guard self.isRunning else { return action }
        self.closeAllIdleConnections(reason: .recreate, &action)
        for index in self.connections.indices {
            self.connections.values[index].retired = true
        }
        self.createConnectionsIfNeeded(&action)
        return action
    }

    /// Changes the connection counts.
    ///
    /// Growing opens connections up to the new minimum (and for waiters up to the new maximum).
    /// Shrinking closes idle connections (oldest first) while the pool is above the new maximum;
    /// leased connections above it are closed when they come back, and idle connections above the
    /// new minimum become subject to the idle timeout.
    ///
    /// - Throws: `invalidConfiguration` for a minimum below 0, a maximum below 1 or a minimum
    ///   above the maximum; nothing changes then.
    mutating func resize(minimum: Int, maximum: Int, now: PoolTime) throws(ConnectionPoolError) -> Action {
        try PoolConfiguration.validateCounts(minimum: minimum, maximum: maximum)
        self.configuration.minimumConnections = minimum
        self.configuration.maximumConnections = maximum

        var action = Action()
        guard self.isRunning else { return action }
        while self.connections.count > maximum, let oldest = self.idle.first {
            self.idle.removeFirst()
            guard let index = self.connections.index(forKey: oldest),
                  case .idle(let connection, _) = self.connections.values[index].state
            else {
                continue
            }
            self.connections.remove(at: index)
            self.registerClose(connection, reason: .poolShrunk, &action)
        }
        self.createConnectionsIfNeeded(&action)
        if let next = self.nextDeadline(), next > now {
            self.armTimer(next, &action)
        }
        return action
    }

    /// The factory finished closing connection `id`.
    mutating func connectionClosed(_ id: ConnectionID) -> Action {
        guard self.closing.remove(id) != nil else { return .none }
        var action = Action()
        self.finishShutdownIfDone(&action)
        return action
    }

    private mutating func closeAllIdleConnections(reason: ConnectionCloseReason, _ action: inout Action) {
        while let id = self.idle.popFirst() {
            guard let index = self.connections.index(forKey: id),
                  case .idle(let connection, _) = self.connections.values[index].state
            else {
                continue
            }
            self.connections.remove(at: index)
            self.registerClose(connection, reason: reason, &action)
        }
    }
}
