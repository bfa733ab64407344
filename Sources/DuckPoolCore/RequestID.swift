/// Identifies one lease request of a pool.
///
/// Every call to `lease` or `leaseBlocking` that reaches the pool
/// gets a fresh identifier (increasing, starting at 1). It shows up in ``LeaseHolder/requestID``
/// so that a holder of a connection can be told apart from others leased at the same source line.
/// Plain value: safe to use from any thread.
public typealias RequestID = Int
