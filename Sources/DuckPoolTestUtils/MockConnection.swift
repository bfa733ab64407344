import DuckPoolSupport
public import DuckPoolCore

/// A connection for tests: it only records what happened to it. Thread-safe.
public final class MockConnection: PoolableConnection, CustomStringConvertible {
    private struct State {
        var isClosed = false
        var interruptCount = 0
        var validationCount = 0
    }

    /// The id the pool asked for.
    public let id: ConnectionID
    private let state = LockedValue(State())

    /// Creates an open connection.
    public init(id: ConnectionID) {
        self.id = id
    }

    /// Whether ``MockConnectionFactory/close(_:)`` was called for it.
    public var isClosed: Bool {
        self.state.withLock { $0.isClosed }
    }

    /// How often ``MockConnectionFactory/interrupt(_:)`` was called for it.
    public var interruptCount: Int {
        self.state.withLock { $0.interruptCount }
    }

    /// How often ``MockConnectionFactory/validate(_:)`` was called for it.
    public var validationCount: Int {
        self.state.withLock { $0.validationCount }
    }

    func markClosed() {
        self.state.withLock { $0.isClosed = true }
    }

    func markInterrupted() {
        self.state.withLock { $0.interruptCount += 1 }
    }

    func markValidated() {
        self.state.withLock { $0.validationCount += 1 }
    }

    /// For example `MockConnection(3)`.
    public var description: String {
        "MockConnection(\(self.id))"
    }
}
