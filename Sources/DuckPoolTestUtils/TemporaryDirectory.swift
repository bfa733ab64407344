public import Foundation

/// A fresh directory under the system temp folder, removed when the value is deinitialised.
/// Each test makes its own, so tests never share database files.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory; `name` (default: the calling function) becomes part of its name.
    public init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("duckpool-tests-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `file` inside the directory.
    public func path(_ file: String) -> String { url.appendingPathComponent(file).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
