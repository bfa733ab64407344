import Foundation

/// ``StatementRouting/quackServer``: statements run in the server session of the Quack catalog
/// the connection uses.
extension Connection {
    /// The statement that carries another statement's text to the server.
    static let forwardingSQL = "FROM quack_query_by_name(current_database(), ?)"

    /// Runs `sql` in the server session and returns the server's result.
    /// - Throws: ``DuckDBError`` with `sql` set to the caller's statement: the server's error,
    ///   classified by its message (Quack relays every server error as invalid input); the
    ///   errors of ``inlining(_:into:)``; invalidInput for NUL bytes.
    func forwardedQuery(_ sql: String, _ parameters: [any DuckDBBindable]) throws(DuckDBError) -> QueryResult {
        try CStringArgument.check(sql, role: "SQL text", sql: sql)
        let text = parameters.isEmpty ? sql : try inlining(parameters, into: sql)
        let kind = StatementKind(leadingKeywordOf: sql[...])
        let statement = try cachedStatement(Self.forwardingSQL)
        do {
            return try statement.query([text], recordingAs: kind, sql: sql)
        } catch {
            throw error.relayed()
        }
    }

    /// Runs `sql` in the server session; returns the rows it changed, which the server reports
    /// as a one-column `Count` result (0 for statements that change none).
    func forwardedExecute(_ sql: String, _ parameters: [any DuckDBBindable]) throws(DuckDBError) -> Int {
        let result = try forwardedQuery(sql, parameters)
        guard result.columnNames == ["Count"], case .int(let count)? = try result.scalar() else { return 0 }
        return Int(count)
    }

    /// Runs each statement of a script in the server session, in order; returns the total rows
    /// changed. Stops at the first failure.
    func forwardedScript(_ sql: String) throws(DuckDBError) -> Int {
        try CStringArgument.check(sql, role: "SQL script", sql: sql)
        var changed = 0
        for statement in ScriptSplitter.statements(in: sql) {
            changed += try forwardedExecute(String(statement), [])
        }
        return changed
    }

    /// `sql` with every placeholder replaced by its parameter as a typed literal. The values are
    /// rendered by DuckDB here, locally: `SELECT typeof(p1), CAST(p1 AS VARCHAR), … FROM
    /// (SELECT $1 AS p1, …)` binds them
    /// exactly as a prepared statement would, and each becomes `CAST('<text>' AS <type>)`.
    /// - Throws: ``DuckDBError/Code/binder`` when the placeholders and `parameters` disagree in
    ///   number, and what binding throws; ``DuckDBError/Code/invalidInput`` for named
    ///   placeholders, mixed styles, or a value whose text holds a NUL byte.
    func inlining(_ parameters: [any DuckDBBindable], into sql: String) throws(DuckDBError) -> String {
        let placeholders = try ParameterPlaceholders.find(in: sql)
        let taken = placeholders.map(\.parameter).max() ?? 0
        guard taken == parameters.count, placeholders.allSatisfy({ $0.parameter >= 1 }) else {
            throw DuckDBError(
                code: .binder,
                message: "the statement takes \(taken) parameter\(taken == 1 ? "" : "s"), got \(parameters.count)",
                sql: sql
            )
        }
        // The values go through a subquery: `typeof($1), CAST($1 AS VARCHAR)` side by side on a
        // bound VARCHAR is an internal error in DuckDB 1.5.5 that invalidates the database.
        let numbers = 1...parameters.count
        let renderSQL = "SELECT " + numbers.map { "typeof(p\($0)), CAST(p\($0) AS VARCHAR)" }.joined(separator: ", ")
            + " FROM (SELECT " + numbers.map { "$\($0) AS p\($0)" }.joined(separator: ", ") + ")"
        let rendered = try withStatement(renderSQL, cached: true) { (statement) throws(DuckDBError) in
            try statement.query(parameters, recordingAs: nil, sql: sql).rows()
        }
        guard let row = rendered.first else { throw DuckDBError(code: .invalidInput, message: "could not render the parameters", sql: sql) }
        var literals: [String] = []
        for parameter in 0..<parameters.count {
            guard case .string(let type) = row[2 * parameter] else { literals.append("NULL"); continue }
            guard case .string(let text) = row[2 * parameter + 1] else { literals.append("NULL"); continue }
            try CStringArgument.check(text, role: "text of parameter \(parameter + 1)", sql: sql)
            literals.append("CAST('\(text.replacingOccurrences(of: "'", with: "''"))' AS \(type))")
        }
        return ParameterPlaceholders.substitute(literals, into: sql, placeholders: placeholders)
    }
}
