import DuckPoolSupport

extension PoolStateMachine {
    /// The factory opened `connection` for attempt `attempt`.
    ///
    /// A success resets the failure count and closes the circuit breaker. The connection then
    /// serves the head of the queue or becomes idle (or is closed right away if it was retired,
    /// the pool is shutting down or above its maximum). A connection whose id is not `attempt`
    /// is closed (`unexpectedConnection`) and the attempt counts as failed.
    mutating func connectionEstablished(_ connection: Connection, attempt: ConnectionID, now: PoolTime) -> Action {
        guard connection.id == attempt else {
            var action = self.connectionAttemptFailed(
                attempt,
                error: UnexpectedConnectionIDError(expected: attempt, actual: connection.id),
                now: now
            )
            self.totals.closed += 1
            action.closeConnections.append(Close(connection: connection, reason: .unexpectedConnection))
            return action
        }
        guard let index = self.connections.index(forKey: attempt),
              case .connecting = self.connections.values[index].state
        else {
            var action = Action()
            self.totals.closed += 1
            action.closeConnections.append(Close(connection: connection, reason: .unexpectedConnection))
            return action
        }

        var action = Action()
        self.connectingCount -= 1
        self.totals.created += 1
        if self.connect.consecutiveFailures > 0 || self.connect.breakerOpen {
            self.connect.consecutiveFailures = 0
            self.connect.breakerOpen = false
            self.connect.retryAt = nil
        }
        if let maxLifetime = self.configuration.maxLifetime {
            // Each connection's lifetime is cut by a random share of up to `lifetimeJitter`, so
            // connections opened together are not all recycled together.
            let cut = self.configuration.lifetimeJitter * self.connect.jitter.unitDouble()
            self.connections.values[index].expiresAt = now + maxLifetime.scaled(by: 1 - cut)
        }
        self.connectionAvailable(at: index, connection, now: now, &action)
        self.createConnectionsIfNeeded(&action)
        return action
    }

    /// The factory threw `error` for attempt `attempt`.
    ///
    /// If no other failure was counted since the attempt began, the failure counts: the pool
    /// backs off for `connectRetry.delay(afterFailures:randomUnit:)` and, at the threshold,
    /// opens the circuit breaker (failing every waiting request with
    /// `connectionFactoryFailing`). Either way the attempt's slot is dropped.
    mutating func connectionAttemptFailed(_ attempt: ConnectionID, error: any Error, now: PoolTime) -> Action {
        guard let index = self.connections.index(forKey: attempt),
              case .connecting(let epoch) = self.connections.values[index].state
        else {
            return .none
        }

        var action = Action()
        self.connections.remove(at: index)
        self.connectingCount -= 1
        self.totals.connectFailures += 1

        guard self.isRunning else {
            action.connectFailure = ConnectFailure(
                error: error,
                consecutiveFailures: self.connect.consecutiveFailures,
                nextRetryIn: nil,
                circuitBreakerOpen: self.connect.breakerOpen
            )
            self.finishShutdownIfDone(&action)
            return action
        }

        self.connect.lastError = error
        if epoch == self.connect.epoch {
            self.connect.consecutiveFailures += 1
            self.connect.epoch += 1
            let delay = self.configuration.connectRetry.delay(
                afterFailures: self.connect.consecutiveFailures,
                randomUnit: self.connect.jitter.unitDouble()
            )
            let retryAt = now + delay
            self.connect.retryAt = retryAt
            self.armTimer(retryAt, &action)

            let threshold = self.configuration.circuitBreakerThreshold
            if !self.connect.breakerOpen, self.connect.consecutiveFailures >= threshold {
                self.connect.breakerOpen = true
                let poolError = ConnectionPoolError.connectionFactoryFailing(
                    underlying: error,
                    consecutiveFailures: self.connect.consecutiveFailures
                )
                for request in self.queue.removeAll() {
                    action.failures.append(Failure(requestID: request.requestID, reason: .error(poolError)))
                }
            }
        }

        action.connectFailure = ConnectFailure(
            error: error,
            consecutiveFailures: self.connect.consecutiveFailures,
            nextRetryIn: self.connect.retryAt.map { $0 - now } ?? .zero,
            circuitBreakerOpen: self.connect.breakerOpen
        )
        self.createConnectionsIfNeeded(&action)
        return action
    }
}

/// The error recorded when a factory returns a connection with another id than requested.
struct UnexpectedConnectionIDError: Error, CustomStringConvertible {
    var expected: ConnectionID
    var actual: ConnectionID

    var description: String {
        "The connection factory returned connection \(self.actual) when asked for connection \(self.expected)"
    }
}
