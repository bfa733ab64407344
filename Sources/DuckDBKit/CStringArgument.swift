/// Text that DuckDBKit hands to DuckDB's C API as a NUL-terminated string.
///
/// C reads such a string only up to its first NUL byte, so `"DELETE FROM t\0 WHERE x = 2"` would
/// reach DuckDB as `DELETE FROM t` and delete every row. Every entry point that passes Swift
/// text as a C string (SQL, scripts, table, schema and column names, database paths,
/// configuration names and values) checks it here first and refuses an embedded NUL with
/// ``DuckDBError/Code/invalidInput`` before anything runs. Bound parameters and appended values
/// are passed with their length and may contain NUL bytes.
package enum CStringArgument {
    /// Throws ``DuckDBError/Code/invalidInput`` when `text` contains a NUL byte.
    ///
    /// - Parameters:
    ///   - text: the text about to be passed as a C string.
    ///   - role: what the text is, for the message ("SQL text", "table name", ...).
    ///   - sql: the statement to attach to the error, when `text` is SQL.
    package static func check(_ text: String, role: @autoclosure () -> String, sql: String? = nil) throws(DuckDBError) {
        guard let offset = firstNULOffset(in: text) else { return }
        throw DuckDBError(
            code: .invalidInput,
            message: "the \(role()) contains a NUL byte at UTF-8 offset \(offset); DuckDB's C API would cut the text there, so nothing was run",
            sql: sql.map(Self.printable)
        )
    }

    /// The UTF-8 offset of the first NUL byte in `text`, or nil.
    static func firstNULOffset(in text: String) -> Int? {
        if let found = text.utf8.withContiguousStorageIfAvailable({ $0.firstIndex(of: 0) }) {
            return found
        }
        return text.utf8.firstIndex(of: 0).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) }
    }

    /// `text` with NUL bytes shown as `\0`, so an error message never carries one.
    package static func printable(_ text: String) -> String {
        guard firstNULOffset(in: text) != nil else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\u{0}" { shown.append(contentsOf: "\\0".unicodeScalars) } else { shown.append(scalar) }
        }
        return String(shown)
    }
}
