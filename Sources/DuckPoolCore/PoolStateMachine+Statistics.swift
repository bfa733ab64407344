extension PoolStateMachine {
    /// A snapshot of the counters and the current holders (longest-held first) at `now`.
    func statistics(now: PoolTime) -> PoolStatistics {
        var holders: [LeaseHolder] = []
        holders.reserveCapacity(self.leasedCount)
        for slot in self.connections.values {
            guard case .leased(let connection, let record) = slot.state else { continue }
            holders.append(LeaseHolder(
                connectionID: connection.id,
                requestID: record.requestID,
                file: record.file,
                line: record.line,
                leasedAt: record.leasedAt,
                heldFor: now - record.leasedAt
            ))
        }
        holders.sort { ($0.leasedAt, $0.connectionID) < ($1.leasedAt, $1.connectionID) }

        let lifecycle: PoolStatistics.Lifecycle
        switch self.lifecycle {
        case .running: lifecycle = .running
        case .shuttingDown: lifecycle = .shuttingDown
        case .shutDown: lifecycle = .shutDown
        }

        return PoolStatistics(
            size: self.connections.count,
            inUse: self.leasedCount,
            idle: self.idle.count,
            connecting: self.connectingCount,
            closing: self.closing.count,
            overflowInUse: max(0, self.leasedCount - self.configuration.minimumConnections),
            waiters: self.queue.count,
            minimumConnections: self.configuration.minimumConnections,
            maximumConnections: self.configuration.maximumConnections,
            totalCreated: self.totals.created,
            totalClosed: self.totals.closed,
            totalRecycled: self.totals.recycled,
            totalTimedOut: self.totals.timedOut,
            totalFailedValidation: self.totals.failedValidation,
            totalConnectFailures: self.totals.connectFailures,
            consecutiveConnectFailures: self.connect.consecutiveFailures,
            isCircuitBreakerOpen: self.connect.breakerOpen,
            lifecycle: lifecycle,
            holders: holders,
            capturedAt: now
        )
    }
}
