import Foundation

/// Finds the Python peer of `comparisons/peers/` without creating anything: the venv that
/// `comparisons/peers/setup-venv.sh` creates in the cache, and the peer scripts in the source
/// tree. Used by `duckpool demo`'s act 3, which skips itself when either is missing.
enum PeerVenv {
    /// The venv's python, where `setup-venv.sh` puts it:
    /// `${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/peers-venv/bin/python`
    /// (an empty variable counts as unset, as in the script).
    static func python(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let cache = value("DUCKPOOL_CACHE_DIR")
            ?? (value("XDG_CACHE_HOME") ?? (value("HOME") ?? NSHomeDirectory()) + "/.cache") + "/duckpool"
        return cache + "/peers-venv/bin/python"
    }

    /// True when that python exists and can be run.
    static func isPresent(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        FileManager.default.isExecutableFile(atPath: python(environment: environment))
    }

    /// The script `name` of `comparisons/peers/`: in the source tree this program was built from,
    /// else under the current directory; nil when neither has it.
    static func script(_ name: String, sourceFile: String = #filePath) -> String? {
        // sourceFile is <root>/Sources/DuckPoolCLI/PeerVenv.swift.
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            root.appendingPathComponent("comparisons/peers/\(name)").path,
            FileManager.default.currentDirectoryPath + "/comparisons/peers/\(name)",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
