/// The one place DuckDBKit reads SQL text lexically: where quoted strings (`'…'`, with `''`
/// inside, and `E'…'`, which also escapes with a backslash), quoted identifiers (`"…"`),
/// dollar-quoted strings (`$$…$$`, `$tag$…$tag$`) and comments (`-- …`, `/* … */`) start and
/// end. ``ScriptSplitter`` (top-level semicolons) and ``ParameterPlaceholders`` (placeholders)
/// both skip what it finds. DuckDB itself parses every statement; this only keeps DuckDBKit from
/// seeing a `;` or a `?` inside a literal or a comment.
///
/// Value semantics; thread-safe.
enum SQLLexer {
    /// When `index` starts a literal, a quoted identifier or a comment, the index just past its
    /// end (the end of the text when it is unterminated); otherwise nil.
    static func endOfSkippable(in sql: String, at index: String.Index) -> String.Index? {
        let character = sql[index]
        let next = sql.index(after: index)
        switch character {
        case "'", "\"":
            return endOfQuoted(sql, from: index, quote: character)
        case "-" where sql[next...].hasPrefix("-"):
            return sql[index...].firstIndex(of: "\n") ?? sql.endIndex
        case "/" where sql[next...].hasPrefix("*"):
            return sql[next...].range(of: "*/")?.upperBound ?? sql.endIndex
        case "$":
            return endOfDollarQuoted(sql, from: index)
        default:
            return nil
        }
    }

    /// Whether the character before `index` continues an identifier (a letter, digit or `_`).
    static func isIdentifierCharacter(before index: String.Index, in sql: String) -> Bool {
        guard index > sql.startIndex else { return false }
        let previous = sql[sql.index(before: index)]
        return previous.isLetter || previous.isNumber || previous == "_"
    }

    private static func endOfQuoted(_ sql: String, from opening: String.Index, quote: Character) -> String.Index {
        let backslashEscapes = quote == "'" && isEscapeString(sql, opening: opening)
        var index = sql.index(after: opening)
        while index < sql.endIndex {
            if sql[index] == quote {
                let next = sql.index(after: index)
                // A doubled quote is an escaped quote inside the literal.
                if next < sql.endIndex, sql[next] == quote { index = sql.index(after: next); continue }
                return next
            }
            if backslashEscapes, sql[index] == "\\" {
                let escaped = sql.index(after: index)
                if escaped < sql.endIndex { index = sql.index(after: escaped); continue }
            }
            index = sql.index(after: index)
        }
        return sql.endIndex
    }

    private static func isEscapeString(_ sql: String, opening: String.Index) -> Bool {
        guard opening > sql.startIndex else { return false }
        let before = sql.index(before: opening)
        return (sql[before] == "E" || sql[before] == "e") && !isIdentifierCharacter(before: before, in: sql)
    }

    /// The end of the dollar-quoted string starting at `dollar`, or nil when `dollar` starts none
    /// (`$` followed by neither `$` nor a tag and `$`; a tag does not start with a digit).
    private static func endOfDollarQuoted(_ sql: String, from dollar: String.Index) -> String.Index? {
        let afterDollar = sql.index(after: dollar)
        let tag = sql[afterDollar...].prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        guard tag.first.map({ !$0.isNumber }) ?? true, tag.endIndex < sql.endIndex, sql[tag.endIndex] == "$" else { return nil }
        let delimiter = sql[dollar...tag.endIndex]
        let bodyStart = sql.index(after: tag.endIndex)
        return sql[bodyStart...].range(of: delimiter)?.upperBound ?? sql.endIndex
    }
}
