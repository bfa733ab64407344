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
                let tag = sql[next...].prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
                if !digits.isEmpty, !SQLLexer.isIdentifierCharacter(before: index, in: sql) {
                    sawNumbered = true
                    found.append(Placeholder(range: index..<digits.endIndex, parameter: Int(digits) ?? 0))
                    index = digits.endIndex
                } else if let end = SQLLexer.endOfSkippable(in: sql, at: index) {
                    index = end
                } else if !tag.isEmpty, !SQLLexer.isIdentifierCharacter(before: index, in: sql) {
                    throw DuckDBError(code: .invalidInput, message: "named placeholders ($\(tag)) cannot be inlined into a forwarded statement; use ? or $1", sql: sql)
                } else {
                    index = next
                }
            default:
                index = SQLLexer.endOfSkippable(in: sql, at: index) ?? next
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
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
