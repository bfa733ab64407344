/// A connection that a ``ConnectionPool`` can keep and hand out.
///
/// Conforming types are reference types (the pool compares connections by identity) and must be
/// `Sendable`, because a connection is created, validated, leased, released and closed on
/// different tasks and threads. The pool never uses a connection concurrently itself: while a
/// connection is leased, only its holder uses it.
public protocol PoolableConnection: AnyObject, Sendable {
    /// The identifier the pool passed to ``ConnectionFactory/makeConnection(id:)`` when it asked
    /// for this connection. It must never change during the connection's life.
    var id: ConnectionID { get }
}
