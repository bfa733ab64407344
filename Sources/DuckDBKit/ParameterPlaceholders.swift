/// Finds the parameter placeholders of a SQL text and replaces them with literals, for
/// statements that cross to a server as text (``StatementRouting/quackServer``).
///
/// Recognised: `?` (the n-th one is parameter n), `?n` and `$n` (parameter n). Skipped: quoted
/// strings (`'…'`, `E'…'`), quoted identifiers (`"…"`), dollar-quoted strings (`$$…$$`,
/// `$tag$…$tag$`) and comments. The `::` cast operator is not a placeholder.
package enum ParameterPlaceholders {
    /// One placeholder: where it is and which parameter (1-based) it names.
    package struct Placeholder: Equatable {
        package var range: Range<String.Index>
        package var parameter: Int
    }

    /// The placeholders of `sql`, in order.
    /// - Throws: ``DuckDBError/Code/invalidInput`` for a named (`$name`) placeholder, or when
    ///   plain `?` and numbered placeholders are mixed.
    package static func find(in sql: String) throws(DuckDBError) -> [Placeholder] {
        var found: [Placeholder] = []
        var nextUnnumbered = 1
        var sawNumbered = false
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            let next = sql.index(after: index)
            switch character {
            case "'", "\"":
                index = skipQuoted(sql, from: index, quote: character)
            case "-" where sql[next...].hasPrefix("-"):
                index = sql[index...].firstIndex(of: "\n") ?? sql.endIndex
            case "/" where sql[next...].hasPrefix("*"):
                index = sql[next...].range(of: "*/")?.upperBound ?? sql.endIndex
            case "?":
                let digits = sql[next...].prefix(while: \.isASCIIDigit)
                if digits.isEmpty {
                    found.append(Placeholder(range: index..<next, parameter: nextUnnumbered))
                    nextUnnumbered += 1
                } else {
                    sawNumbered = true
                    found.append(Placeholder(range: index..<digits.endIndex, parameter: Int(digits) ?? 0))
                }
                index = digits.endIndex
            case "$":
                let digits = sql[next...].prefix(while: \.isASCIIDigit)
                if !digits.isEmpty, !isIdentifierCharacter(before: index, in: sql) {
                    sawNumbered = true
                    found.append(Placeholder(range: index..<digits.endIndex, parameter: Int(digits) ?? 0))
                    index = digits.endIndex
                } else if let end = try skipDollarQuoted(sql, from: index) {
                    index = end
                } else {
                    index = next
                }
            default:
                index = next
            }
        }
        if sawNumbered, nextUnnumbered > 1 {
            throw DuckDBError(code: .invalidInput, message: "the statement mixes ? with numbered placeholders ($1, ?1); use one style", sql: sql)
        }
        return found
    }

    /// `sql` with each placeholder replaced by `literals[parameter - 1]`.
    static func substitute(_ literals: [String], into sql: String, placeholders: [Placeholder]) -> String {
        var text = ""
        text.reserveCapacity(sql.utf8.count + literals.reduce(0) { $0 + $1.utf8.count })
        var copied = sql.startIndex
        for placeholder in placeholders {
            text += sql[copied..<placeholder.range.lowerBound]
            text += literals[placeholder.parameter - 1]
            copied = placeholder.range.upperBound
        }
        text += sql[copied...]
        return text
    }

    private static func skipQuoted(_ sql: String, from opening: String.Index, quote: Character) -> String.Index {
        var index = sql.index(after: opening)
        while index < sql.endIndex {
            if sql[index] == quote {
                let next = sql.index(after: index)
                if next < sql.endIndex, sql[next] == quote { index = sql.index(after: next); continue }
                return next
            }
            // E'…' strings escape with a backslash; a backslash never ends a literal.
            if sql[index] == "\\", quote == "'" {
                let escaped = sql.index(after: index)
                if escaped < sql.endIndex, isEscapeString(sql, opening: opening) { index = sql.index(after: escaped); continue }
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

    /// The end of the dollar-quoted string starting at `dollar`, or nil when `dollar` does not
    /// start one (`$` followed by neither `$` nor a tag and `$`).
    private static func skipDollarQuoted(_ sql: String, from dollar: String.Index) throws(DuckDBError) -> String.Index? {
        let afterDollar = sql.index(after: dollar)
        let tag = sql[afterDollar...].prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        guard tag.endIndex < sql.endIndex, sql[tag.endIndex] == "$" else {
            if !tag.isEmpty, !isIdentifierCharacter(before: dollar, in: sql) {
                throw DuckDBError(code: .invalidInput, message: "named placeholders ($\(tag)) cannot be inlined into a forwarded statement; use ? or $1", sql: sql)
            }
            return nil
        }
        let delimiter = sql[dollar...tag.endIndex]
        let bodyStart = sql.index(after: tag.endIndex)
        return sql[bodyStart...].range(of: delimiter)?.upperBound ?? sql.endIndex
    }

    private static func isIdentifierCharacter(before index: String.Index, in sql: String) -> Bool {
        guard index > sql.startIndex else { return false }
        let previous = sql[sql.index(before: index)]
        return previous.isLetter || previous.isNumber || previous == "_"
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
