extension PoolStateMachine {
    /// Hand `connection` to request `requestID`.
    struct Lease: Sendable, Equatable, CustomStringConvertible {
        var connection: Connection
        var requestID: RequestID
        /// Validate first (``PoolConfiguration/validateOnAcquire``): the receiver calls
        /// ``ConnectionFactory/validate(_:)`` and reports `validationFailed` if it returns `false`.
        var validate: Bool
        /// How long the request had waited.
        var waited: Duration

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.connection === rhs.connection && lhs.requestID == rhs.requestID
                && lhs.validate == rhs.validate && lhs.waited == rhs.waited
        }

        var description: String {
            "lease(connection \(self.connection.id) → request \(self.requestID), validate: \(self.validate), waited: \(self.waited))"
        }
    }

    /// Why a request ends without a connection.
    enum FailureReason: Sendable, Equatable {
        /// Its task was cancelled (the shell throws `CancellationError`).
        case cancelled
        case error(ConnectionPoolError)
    }

    /// End request `requestID` without a connection.
    struct Failure: Sendable, Equatable {
        var requestID: RequestID
        var reason: FailureReason
    }

    /// Close `connection` (it no longer counts towards the size); report `connectionClosed`
    /// when done.
    struct Close: Sendable, Equatable, CustomStringConvertible {
        var connection: Connection
        var reason: ConnectionCloseReason

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.connection === rhs.connection && lhs.reason == rhs.reason
        }

        var description: String {
            "close(connection \(self.connection.id), \(self.reason))"
        }
    }

    /// A holder returned a connection (for the observer).
    struct Release: Sendable, Equatable {
        var connectionID: ConnectionID
        var heldFor: Duration
    }

    /// A connection attempt failed (for the observer). The error is not compared by `==`.
    struct ConnectFailure: Sendable, Equatable {
        var error: any Error
        var consecutiveFailures: Int
        var nextRetryIn: Duration?
        var circuitBreakerOpen: Bool

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.consecutiveFailures == rhs.consecutiveFailures && lhs.nextRetryIn == rhs.nextRetryIn
                && lhs.circuitBreakerOpen == rhs.circuitBreakerOpen
        }
    }

    /// Everything the shell must do after an event. Most events fill in one or two fields.
    struct Action: Sendable, Equatable {
        /// Connections to hand to requests.
        var leases: TinyArray<Lease>
        /// Requests to end without a connection.
        var failures: TinyArray<Failure>
        /// Connection attempts to start (with the id the new connection must carry).
        var createConnections: TinyArray<ConnectionID>
        /// Connections to close.
        var closeConnections: TinyArray<Close>
        /// Leased connections to interrupt (end of a shutdown grace period).
        var interruptConnections: [Connection]
        /// Schedule a timer that reports `timerFired(scheduledFor:now:)` at this time. Timers are
        /// never cancelled: a timer that finds nothing due is harmless.
        var scheduleTimer: PoolTime?
        /// A holder returned a connection (observer only).
        var released: Release?
        /// A connection attempt failed (observer only).
        var connectFailure: ConnectFailure?
        /// Shutdown is complete: every connection is closed.
        var shutdownFinished: Bool

        init(
            leases: TinyArray<Lease> = [],
            failures: TinyArray<Failure> = [],
            createConnections: TinyArray<ConnectionID> = [],
            closeConnections: TinyArray<Close> = [],
            interruptConnections: [Connection] = [],
            scheduleTimer: PoolTime? = nil,
            released: Release? = nil,
            connectFailure: ConnectFailure? = nil,
            shutdownFinished: Bool = false
        ) {
            self.leases = leases
            self.failures = failures
            self.createConnections = createConnections
            self.closeConnections = closeConnections
            self.interruptConnections = interruptConnections
            self.scheduleTimer = scheduleTimer
            self.released = released
            self.connectFailure = connectFailure
            self.shutdownFinished = shutdownFinished
        }

        /// Nothing to do.
        static var none: Action { Action() }

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.leases == rhs.leases && lhs.failures == rhs.failures
                && lhs.createConnections == rhs.createConnections
                && lhs.closeConnections == rhs.closeConnections
                && lhs.interruptConnections.map(\.id) == rhs.interruptConnections.map(\.id)
                && lhs.scheduleTimer == rhs.scheduleTimer && lhs.released == rhs.released
                && lhs.connectFailure == rhs.connectFailure && lhs.shutdownFinished == rhs.shutdownFinished
        }
    }
}

extension PoolStateMachine.Action: CustomStringConvertible {
    var description: String {
        var parts: [String] = []
        if !self.leases.isEmpty { parts.append("leases: \(self.leases)") }
        if !self.failures.isEmpty { parts.append("failures: \(self.failures)") }
        if !self.createConnections.isEmpty { parts.append("create: \(self.createConnections)") }
        if !self.closeConnections.isEmpty { parts.append("close: \(self.closeConnections)") }
        if !self.interruptConnections.isEmpty { parts.append("interrupt: \(self.interruptConnections.map(\.id))") }
        if let timer = self.scheduleTimer { parts.append("timer: \(timer)") }
        if let released = self.released { parts.append("released: \(released)") }
        if let failure = self.connectFailure {
            parts.append("connectFailure: \(failure.consecutiveFailures), retry in \(String(describing: failure.nextRetryIn)), open: \(failure.circuitBreakerOpen)")
        }
        if self.shutdownFinished { parts.append("shutdownFinished") }
        return "Action(\(parts.joined(separator: ", ")))"
    }
}
