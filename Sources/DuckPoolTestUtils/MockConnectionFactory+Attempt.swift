public import DuckPoolCore

extension MockConnectionFactory {
    /// A connection attempt waiting for the test's verdict. Complete it exactly once.
    public struct Attempt: Sendable {
        /// The id the pool asked for.
        public let id: ConnectionID
        let continuation: UnsafeContinuation<MockConnection, any Error>
        let factory: MockConnectionFactory

        /// Lets the attempt succeed; returns the new connection.
        @discardableResult
        public func succeed() -> MockConnection {
            let connection = MockConnection(id: self.id)
            self.factory.record { $0.created.append(connection) }
            self.continuation.resume(returning: connection)
            return connection
        }

        /// Lets the attempt fail with `error`.
        public func fail(with error: any Error = MockConnectionError()) {
            self.continuation.resume(throwing: error)
        }
    }

    /// What the factory recorded so far.
    public struct Record: Sendable {
        /// Connections created, in order.
        public var created: [MockConnection] = []
        /// Ids passed to `makeConnection`, in order.
        public var attempts: [ConnectionID] = []
        /// Ids of closed connections, in order.
        public var closed: [ConnectionID] = []
        /// Ids of validated connections, in order (one entry per validation).
        public var validated: [ConnectionID] = []
        /// Ids of interrupted connections, in order.
        public var interrupted: [ConnectionID] = []
    }
}
