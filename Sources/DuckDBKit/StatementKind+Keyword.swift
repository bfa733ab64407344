extension StatementKind {
    /// The kind of a statement told from its first keyword, for statements DuckDB does not
    /// prepare here (those a ``StatementRouting/quackServer`` connection forwards). Leading
    /// whitespace, comments and parentheses are skipped; keywords this does not list are
    /// ``other``.
    init(leadingKeywordOf sql: Substring) {
        switch Self.leadingKeyword(of: sql) {
        case "SELECT", "FROM", "WITH", "VALUES", "TABLE", "SHOW", "DESCRIBE", "SUMMARIZE": self = .select
        case "INSERT": self = .insert
        case "UPDATE": self = .update
        case "DELETE": self = .delete
        case "CREATE": self = .create
        case "DROP": self = .drop
        case "ALTER": self = .alter
        case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT": self = .transaction
        case "COPY": self = .copy
        case "EXPLAIN": self = .explain
        case "PRAGMA": self = .pragma
        case "SET", "RESET": self = .set
        case "ATTACH": self = .attach
        case "DETACH": self = .detach
        case "LOAD": self = .load
        case "EXPORT": self = .export
        case "CALL": self = .call
        default: self = .other
        }
    }

    /// The first keyword of `sql`, upper-cased, after whitespace, comments and parentheses.
    static func leadingKeyword(of sql: Substring) -> String {
        var rest = sql[...]
        while true {
            rest = rest.drop(while: { $0.isWhitespace || $0 == "(" })
            if rest.hasPrefix("--") {
                rest = rest.drop(while: { $0 != "\n" })
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return "" }
                rest = rest[end.upperBound...]
            } else {
                return rest.prefix(while: { $0.isLetter }).uppercased()
            }
        }
    }
}
