/// Reads the struct literal DuckDB writes as the message of a structured log entry, for
/// example `{'message_type': DISCONNECT_MESSAGE, 'quack_connection_id': C1F0..., 'error': NULL}`.
///
/// Keys are quoted; a value is `NULL`, a quoted string (a quote inside is written `\'`, a
/// backslash `\\`), or bare text (a name, a number, or a nested struct or list, kept as written).
/// Value type; thread-safe.
enum DuckDBStructText {
    /// The top-level fields of `text`: each key with its value, nil for `NULL`. Returns nil when
    /// `text` is not a struct literal.
    static func fields(of text: String) -> [String: String?]? {
        var scanner = Scanner(Array(text.unicodeScalars))
        guard scanner.take("{") else { return nil }
        var fields: [String: String?] = [:]
        scanner.skipSpaces()
        if scanner.take("}") { return fields }
        while true {
            scanner.skipSpaces()
            guard let key = scanner.quoted() else { return nil }
            scanner.skipSpaces()
            guard scanner.take(":") else { return nil }
            scanner.skipSpaces()
            if let quoted = scanner.quoted() {
                fields[key] = .some(quoted)
            } else {
                let bare = scanner.bare()
                fields[key] = bare == "NULL" ? .some(nil) : .some(bare)
            }
            scanner.skipSpaces()
            if scanner.take("}") { return fields }
            guard scanner.take(",") else { return nil }
        }
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() {
            while index < scalars.count, scalars[index] == " " { index += 1 }
        }

        /// A `'...'` string with its escapes undone, or nil (and nothing consumed) when none starts here.
        mutating func quoted() -> String? {
            guard index < scalars.count, scalars[index] == "'" else { return nil }
            var text = String.UnicodeScalarView()
            var cursor = index + 1
            while cursor < scalars.count {
                let scalar = scalars[cursor]
                if scalar == "\\", cursor + 1 < scalars.count {
                    text.append(scalars[cursor + 1])
                    cursor += 2
                } else if scalar == "'" {
                    index = cursor + 1
                    return String(text)
                } else {
                    text.append(scalar)
                    cursor += 1
                }
            }
            return nil // unterminated
        }

        /// Text up to the next `,` or `}` outside brackets and quotes.
        mutating func bare() -> String {
            var depth = 0
            var inQuotes = false
            let start = index
            while index < scalars.count {
                let scalar = scalars[index]
                if inQuotes {
                    if scalar == "\\" { index += 1 } else if scalar == "'" { inQuotes = false }
                } else if scalar == "'" {
                    inQuotes = true
                } else if scalar == "{" || scalar == "[" {
                    depth += 1
                } else if scalar == "}" || scalar == "]" {
                    if depth == 0 { break }
                    depth -= 1
                } else if scalar == ",", depth == 0 {
                    break
                }
                index += 1
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<min(index, scalars.count)])
            return String(text).trimmingTrailingSpaces()
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var view = Substring(self)
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
