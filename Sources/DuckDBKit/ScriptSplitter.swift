/// Splits a SQL script into statement texts at top-level semicolons, skipping what
/// ``SQLLexer`` skips (literals, quoted identifiers, dollar-quoted strings, comments). Used only to tell which transaction statement (BEGIN,
/// COMMIT, ROLLBACK) each of DuckDB's extracted statements is; DuckDB itself parses the script.
enum ScriptSplitter {
    static func statements(in sql: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = sql.startIndex
        var index = sql.startIndex
        while index < sql.endIndex {
            if let end = SQLLexer.endOfSkippable(in: sql, at: index) {
                index = end
                continue
            }
            if sql[index] == ";" {
                appendIfNotBlank(sql[start..<index], to: &pieces)
                start = sql.index(after: index)
            }
            index = sql.index(after: index)
        }
        appendIfNotBlank(sql[start...], to: &pieces)
        return pieces
    }

    private static func appendIfNotBlank(_ piece: Substring, to pieces: inout [Substring]) {
        if piece.contains(where: { !$0.isWhitespace }) { pieces.append(piece) }
    }
}
