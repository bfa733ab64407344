extension PoolStateMachine {
    /// Who leased a connection, and when.
    struct LeaseRecord: Sendable, Equatable {
        var requestID: RequestID
        var file: String
        var line: Int
        /// When the request was made (its acquire deadline is this plus the acquire timeout).
        var requestedAt: PoolTime
        /// When the connection was handed to it.
        var leasedAt: PoolTime
    }

    /// One connection that counts towards the pool's size.
    struct ConnectionSlot: Sendable {
        enum State: Sendable {
            /// The factory is opening it; `epoch` is ``ConnectState/epoch`` when the attempt began.
            case connecting(epoch: Int)
            /// Open and waiting in ``PoolStateMachine/idle`` since `since`.
            case idle(Connection, since: PoolTime)
            /// Handed out.
            case leased(Connection, LeaseRecord)
        }

        var state: State
        /// When the connection reaches its maximum lifetime (set once it is open).
        var expiresAt: PoolTime?
        /// Set by ``PoolStateMachine/recreate(now:)`` for connections that were connecting or
        /// leased: they are closed as soon as they become available.
        var retired = false

        init(state: State, expiresAt: PoolTime? = nil, retired: Bool = false) {
            self.state = state
            self.expiresAt = expiresAt
            self.retired = retired
        }
    }

    /// Runs `body` on the slot at `index` in place: reading fields through it neither copies the
    /// slot nor retains its connection (a plain `connections.values[index]` read copies both).
    @inline(__always)
    mutating func withSlot<Result>(
        at index: Dictionary<ConnectionID, ConnectionSlot>.Index,
        _ body: (inout ConnectionSlot) -> Result
    ) -> Result {
        body(&self.connections.values[index])
    }
}
