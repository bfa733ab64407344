internal import CDuckDB

extension DuckDBError {
    /// Errors of remote engines, which reach the C API as text inside another type (Quack
    /// reports every server-side error as `Invalid Input Error: <the server's message>`, without
    /// the server's own error type, and its transport failures as I/O errors; DuckLake's
    /// PostgreSQL failures are I/O errors too). nil when the message is not one of them.
    static func remoteCode(for message: String) -> Code? {
        if message.contains("Authentication failed") { return .authenticationFailed }
        let unreachable = [
            "Could not connect to server", "Connection refused", "Server returned nothing",
            "Unable to connect to Postgres", "Failed to send message",
        ]
        if unreachable.contains(where: message.contains) { return .connectionRefused }
        if message.contains("Invalid connection id") { return .remote }
        if message.contains("Conflict on update") || message.contains("Conflict on delete") { return .transactionConflict }
        let relayed = "Invalid Input Error: "
        guard message.hasPrefix(relayed) else { return nil }
        let inner = message.dropFirst(relayed.count)
        // The server's message, with its type prefix when Quack kept it.
        let innerType = errorType(fromMessage: String(inner))
        if innerType != DUCKDB_ERROR_INVALID, innerType != DUCKDB_ERROR_INVALID_INPUT {
            return code(for: innerType, message: String(inner))
        }
        return relayedCode(for: inner)
    }

    /// The kind of a relayed server message without its type prefix, told by DuckDB's wording.
    private static func relayedCode(for message: Substring) -> Code? {
        let patterns: [(Code, [String])] = [
            (.parser, ["syntax error at or near", "syntax error at end of input"]),
            (.binder, ["does not exist", "Referenced column", "not found in FROM clause", "No function matches"]),
            (.constraint, ["violates primary key constraint", "violates unique constraint", "NOT NULL constraint failed",
                           "CHECK constraint failed", "violates foreign key constraint"]),
            (.conversion, ["Could not convert", "Conversion Error", "out of range for the destination type"]),
            (.transaction, ["Current transaction is aborted", "no transaction is active", "cannot start a transaction within a transaction"]),
        ]
        for (code, texts) in patterns where texts.contains(where: message.contains) { return code }
        return nil
    }

    /// This error as the caller of a forwarded statement should see it: without DuckDB's pointer
    /// at the carrier statement (`LINE 1: FROM quack_query_by_name(...)`), which the caller
    /// never wrote.
    func relayed() -> DuckDBError {
        guard let carrier = message.range(of: "\n\nLINE 1: FROM quack_query_by_name") else { return self }
        return DuckDBError(code: code, message: String(message[..<carrier.lowerBound]), sql: sql, duckDBErrorType: duckDBErrorType)
    }
}
