/// Splits a SQL script into statement texts at top-level semicolons, skipping quoted strings,
/// quoted identifiers and comments. Used only to tell which transaction statement (BEGIN,
/// COMMIT, ROLLBACK) each of DuckDB's extracted statements is; DuckDB itself parses the script.
enum ScriptSplitter {
    static func statements(in sql: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = sql.startIndex
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            switch character {
            case "'", "\"":
                index = skipQuoted(sql, from: index, quote: character)
                continue
            case "-" where sql[sql.index(after: index)...].first == "-":
                index = sql[index...].firstIndex(of: "\n") ?? sql.endIndex
                continue
            case "/" where sql[sql.index(after: index)...].first == "*":
                index = sql[index...].range(of: "*/")?.upperBound ?? sql.endIndex
                continue
            case ";":
                appendIfNotBlank(sql[start..<index], to: &pieces)
                start = sql.index(after: index)
            default:
                break
            }
            index = sql.index(after: index)
        }
        appendIfNotBlank(sql[start...], to: &pieces)
        return pieces
    }

    private static func skipQuoted(_ sql: String, from opening: String.Index, quote: Character) -> String.Index {
        var index = sql.index(after: opening)
        while index < sql.endIndex {
            if sql[index] == quote {
                let next = sql.index(after: index)
                // A doubled quote is an escaped quote inside the literal.
                if next < sql.endIndex, sql[next] == quote { index = sql.index(after: next); continue }
                return next
            }
            index = sql.index(after: index)
        }
        return sql.endIndex
    }

    private static func appendIfNotBlank(_ piece: Substring, to pieces: inout [Substring]) {
        if piece.contains(where: { !$0.isWhitespace }) { pieces.append(piece) }
    }
}
