/// Which of the pool's connection sets a call uses.
enum Lane: Sendable {
    /// The pool's connections (and, with ``WriteLane/shared``, its writes).
    case read
    /// Write transactions: the writer connection with ``WriteLane/dedicatedWriter``, otherwise
    /// the pool's connections.
    case write
}

/// What every pooled call carries into its lease: its time limits and where it was made.
struct LeaseOptions: Sendable {
    /// Bounds the work once the call holds a connection.
    var timeout: Duration?
    /// Bounds the whole call, wait included.
    var deadline: Deadline?
    /// The caller's `#fileID` and `#line`, recorded as the holder.
    var file: String
    var line: Int
}
