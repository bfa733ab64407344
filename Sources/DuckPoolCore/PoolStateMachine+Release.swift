extension PoolStateMachine {
    /// A holder returns `connection`.
    ///
    /// With `reusable: false` the connection is closed (and replaced if needed). Otherwise it is
    /// closed if it was retired by `recreate`, the pool is shutting down, it reached its lifetime
    /// or the pool is above its maximum; else it goes to the head of the queue, or becomes idle.
    /// Returns `.none` for a connection that is not leased (released twice, or unknown).
    mutating func leaseReleased(_ connection: Connection, reusable: Bool, now: PoolTime) -> Action {
        if reusable, let released = self.leaseReleasedFast(connection, now: now) {
            return Action(released: released)
        }
        guard let index = self.connections.index(forKey: connection.id) else { return .none }
        let leasedAt = self.withSlot(at: index) { slot -> PoolTime? in
            guard case .leased(let leased, let record) = slot.state, leased === connection else { return nil }
            return record.leasedAt
        }
        guard let leasedAt else { return .none }

        var action = Action()
        self.leasedCount -= 1
        action.released = Release(connectionID: connection.id, heldFor: now - leasedAt)

        if reusable {
            self.connectionAvailable(at: index, connection, now: now, &action)
        } else {
            self.connections.remove(at: index)
            self.registerClose(connection, reason: .notReusable, &action)
            self.createConnectionsIfNeeded(&action)
            self.finishShutdownIfDone(&action)
        }
        return action
    }

    /// The fast path of ``leaseReleased(_:reusable:now:)`` for a reusable connection: parks it
    /// as idle if the pool is running, nobody waits, the pool is within its maximum, the
    /// connection is neither retired nor past its lifetime, and no new timer is needed. Returns
    /// `nil`, changing nothing, when the general path is needed. O(1), no allocation (amortized).
    mutating func leaseReleasedFast(_ connection: Connection, now: PoolTime) -> Release? {
        guard self.isRunning, self.queue.isEmpty,
              self.connections.count <= self.configuration.maximumConnections,
              let index = self.connections.index(forKey: connection.id)
        else {
            return nil
        }
        let firstTimer = self.timers.first
        var idleDeadline: PoolTime?
        if let idleTimeout = self.configuration.idleTimeout,
           self.connections.count > self.configuration.minimumConnections {
            idleDeadline = now + idleTimeout
        }
        /// Whether a timer already fires at or before `deadline`.
        func covered(_ deadline: PoolTime?) -> Bool {
            guard let deadline else { return true }
            guard let firstTimer else { return false }
            return firstTimer <= deadline
        }
        guard covered(idleDeadline) else { return nil }

        let leasedAt = self.withSlot(at: index) { slot -> PoolTime? in
            guard case .leased(let leased, let record) = slot.state, leased === connection, !slot.retired else {
                return nil
            }
            if let expiresAt = slot.expiresAt, expiresAt <= now || !covered(expiresAt) {
                return nil
            }
            slot.state = .idle(leased, since: now)
            return record.leasedAt
        }
        guard let leasedAt else { return nil }
        self.idle.append(connection.id)
        self.leasedCount -= 1
        return Release(connectionID: connection.id, heldFor: now - leasedAt)
    }

    /// The shell could not hand `connection` to the request it was leased to (nobody waits for
    /// it): takes it back as if released at the moment it was leased.
    mutating func leaseUndeliverable(_ connection: Connection) -> Action {
        guard let index = self.connections.index(forKey: connection.id),
              case .leased(let leased, let record) = self.connections.values[index].state,
              leased === connection
        else {
            return .none
        }
        return self.leaseReleased(connection, reusable: true, now: record.leasedAt)
    }

    /// The connection at `index` (just opened, or just released; counters already updated) can
    /// serve a request: close it, hand it to the head of the queue, or park it as idle.
    mutating func connectionAvailable(
        at index: Dictionary<ConnectionID, ConnectionSlot>.Index,
        _ connection: Connection,
        now: PoolTime,
        _ action: inout Action
    ) {
        let (expiresAt, retired) = self.withSlot(at: index) { ($0.expiresAt, $0.retired) }

        let closeReason: ConnectionCloseReason?
        if retired {
            closeReason = .recreate
        } else if !self.isRunning {
            closeReason = .shutdown
        } else if let expiresAt, expiresAt <= now {
            closeReason = .lifetime
        } else if self.connections.count > self.configuration.maximumConnections {
            closeReason = .poolShrunk
        } else {
            closeReason = nil
        }

        if let closeReason {
            self.connections.remove(at: index)
            self.registerClose(connection, reason: closeReason, &action)
            self.createConnectionsIfNeeded(&action)
            self.finishShutdownIfDone(&action)
            return
        }

        if let request = self.queue.popFirst() {
            self.leaseConnection(at: index, connection, to: request, now: now, &action)
            return
        }

        self.connections.values[index].state = .idle(connection, since: now)
        self.idle.append(connection.id)
        if let expiresAt {
            self.armTimer(expiresAt, &action)
        }
        if let idleTimeout = self.configuration.idleTimeout,
           self.connections.count > self.configuration.minimumConnections {
            self.armTimer(now + idleTimeout, &action)
        }
    }
}
