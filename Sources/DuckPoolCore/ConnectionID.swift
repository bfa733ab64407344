/// Identifies one connection of a pool.
///
/// The pool hands out identifiers in increasing order, starting at 0, and passes each one to
/// ``ConnectionFactory/makeConnection(id:)``. An identifier is never reused by the same pool,
/// not even after its connection was closed. Plain value: safe to use from any thread.
public typealias ConnectionID = Int
