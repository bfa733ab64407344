import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The token Quack clients must present (`CREATE SECRET (TYPE quack, TOKEN '...')`), read from
/// `--token-file`.
///
/// Value type; thread-safe. The token grants everything the server's DuckDB user can do (read
/// and, unless `--read-only`, write the database; read and write files through SQL), so the file
/// is held to the rules of an SSH key: a file other users can read is refused.
struct ServeToken: Sendable {
    /// Quack's own minimum (`quack_serve`: "token must be at least 4 characters long").
    static let minimumLength = 4

    /// The token text, without surrounding whitespace.
    let value: String
    /// Set when the file is readable by its group: worth a warning, not a refusal.
    let warning: String?

    /// Reads the token from `path`: the whole file, whitespace and newlines at both ends removed.
    ///
    /// - Throws: ``ServeFailure`` when the file is missing or unreadable, readable by every user,
    ///   not UTF-8, or holds fewer than ``minimumLength`` characters or a NUL byte.
    static func read(fromFile path: String) throws(ServeFailure) -> ServeToken {
        // stat follows symbolic links (secrets are often mounted as links), so this is the mode
        // of the file that holds the token.
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ServeFailure("cannot read the token file \(path): \(String(cString: strerror(errno)))")
        }
        let mode = UInt32(status.st_mode)
        if mode & 0o004 != 0 {
            throw ServeFailure("the token file \(path) is readable by every user (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServeFailure("cannot read the token file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ServeFailure("the token file \(path) is not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.contains("\0") else { throw ServeFailure("the token in \(path) contains a NUL byte") }
        guard token.count >= minimumLength else {
            throw ServeFailure("the token in \(path) has \(token.count) characters; Quack needs at least \(minimumLength)")
        }
        let warning = mode & 0o040 != 0
            ? "the token file \(path) is readable by its group (mode \(String(mode & 0o777, radix: 8))); consider `chmod 600 \(path)`"
            : nil
        return ServeToken(value: token, warning: warning)
    }
}
