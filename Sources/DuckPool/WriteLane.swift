/// How a ``DuckPool`` runs write transactions.
///
/// DuckDB runs transactions optimistically: two transactions that update the same rows at once
/// conflict, and the second one to write fails with ``DuckDBKit/DuckDBError/Code/transactionConflict``.
/// A single writer lane trades write parallelism for the absence of such conflicts (one writer,
/// many readers, as in GRDB's `DatabasePool`).
///
/// Value type; thread-safe.
public enum WriteLane: Sendable, Hashable {
    /// Writes use any pooled connection, in parallel; conflicting updates are retried per
    /// ``TransactionRetryPolicy``. The default.
    case shared
    /// Writes (``DuckPool/write(retry:timeout:file:line:_:)``, ``DuckPool/transaction(retry:timeout:file:line:_:)``)
    /// run one at a time on one dedicated connection, in arrival order; reads
    /// (``DuckPool/withConnection(timeout:file:line:_:)``, ``DuckPool/query(_:_:timeout:file:line:)``)
    /// use the other connections and never wait for a write. The writer is one connection in
    /// addition to ``PoolConfiguration/maximumConnections``, kept open for the pool's life.
    /// Rejected for a read-only database.
    case dedicatedWriter
}
