internal import CDuckDB

/// What a ``Connection`` knows about its transaction.
///
/// DuckDB's C API cannot report whether a transaction is open, so ``Connection`` tracks it
/// from the statements it runs: `BEGIN` opens one, `COMMIT`/`ROLLBACK` close it, and any other
/// statement leaves it as it was. A pool resets a connection only when this says `.active`, and
/// discards it when this says `.unknown`.
public enum TransactionState: Sendable, Hashable {
    /// Autocommit: no explicit transaction is open.
    case idle
    /// An explicit transaction is open (possibly aborted by an error and awaiting ROLLBACK).
    case active
    /// The state could not be told, for example after a failed ROLLBACK or a transaction
    /// statement DuckDBKit does not recognise.
    case unknown
}

/// The kind of SQL statement, as DuckDB classifies it (`duckdb_statement_type`).
public enum StatementKind: Sendable, Hashable {
    case select, insert, update, delete, create, drop, alter, transaction, copy, explain
    case pragma, set, variableSet, attach, detach, load, export, call, other

    init(_ type: duckdb_statement_type) {
        switch type {
        case DUCKDB_STATEMENT_TYPE_SELECT: self = .select
        case DUCKDB_STATEMENT_TYPE_INSERT: self = .insert
        case DUCKDB_STATEMENT_TYPE_UPDATE: self = .update
        case DUCKDB_STATEMENT_TYPE_DELETE: self = .delete
        case DUCKDB_STATEMENT_TYPE_CREATE, DUCKDB_STATEMENT_TYPE_CREATE_FUNC: self = .create
        case DUCKDB_STATEMENT_TYPE_DROP: self = .drop
        case DUCKDB_STATEMENT_TYPE_ALTER: self = .alter
        case DUCKDB_STATEMENT_TYPE_TRANSACTION: self = .transaction
        case DUCKDB_STATEMENT_TYPE_COPY, DUCKDB_STATEMENT_TYPE_COPY_DATABASE: self = .copy
        case DUCKDB_STATEMENT_TYPE_EXPLAIN: self = .explain
        case DUCKDB_STATEMENT_TYPE_PRAGMA: self = .pragma
        case DUCKDB_STATEMENT_TYPE_SET: self = .set
        case DUCKDB_STATEMENT_TYPE_VARIABLE_SET: self = .variableSet
        case DUCKDB_STATEMENT_TYPE_ATTACH: self = .attach
        case DUCKDB_STATEMENT_TYPE_DETACH: self = .detach
        case DUCKDB_STATEMENT_TYPE_LOAD: self = .load
        case DUCKDB_STATEMENT_TYPE_EXPORT: self = .export
        case DUCKDB_STATEMENT_TYPE_CALL: self = .call
        default: self = .other
        }
    }
}

extension TransactionState {
    /// The state after a statement of `kind` with text `sql` ran (`succeeded`) or failed.
    static func after(_ previous: TransactionState, kind: StatementKind, sql: Substring, succeeded: Bool) -> TransactionState {
        guard kind == .transaction else { return previous }
        switch StatementKind.leadingKeyword(of: sql) {
        case "BEGIN", "START":
            return succeeded ? .active : previous
        case "COMMIT", "END":
            // DuckDB 1.5 ends the transaction on COMMIT whether it succeeds or fails (a failed
            // commit rolls back; verified in DuckDBKitTests' transaction tests).
            return .idle
        case "ROLLBACK", "ABORT":
            return succeeded ? .idle : (previous == .active ? .unknown : previous)
        default:
            return .unknown
        }
    }
}
